// Rupture criteria per element and the material of a ruptured element.
#include "core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "solver/rupture.hpp"
#include "solver/system.hpp"
#include "support/meshes.hpp"

#include <Eigen/Geometry>
#include <catch2/catch.hpp>

#include <cmath>

using namespace discsim;
using namespace discsim::solver;

TEST_CASE("rupture criteria: largest fibre strain and largest principal stress", "[unit]") {
    ElementStress s;
    // A stress with principal values 3, 1, -2 MPa, turned by a rotation so that the largest
    // principal value is not on the diagonal.
    const Mat3 R = Eigen::AngleAxisd(0.7, Vec3(1, 2, 3).normalized()).toRotationMatrix();
    s.cauchy = R * Vec3(3.0, 1.0, -2.0).asDiagonal() * R.transpose();
    s.fibre_stretch = {1.10, 1.25};
    CHECK(criterion_value(RuptureCriterion::fibre_strain, s) == Approx(0.25).epsilon(1e-14));
    CHECK(criterion_value(RuptureCriterion::max_principal_stress, s) == Approx(3.0).epsilon(1e-12));
    s.fibre_stretch = {0.9, 0.95}; // both families shortened: negative strain
    CHECK(criterion_value(RuptureCriterion::fibre_strain, s) == Approx(-0.05).epsilon(1e-12));
}

TEST_CASE("cells reaching the threshold: annulus only, not yet ruptured, ascending", "[unit]") {
    const mesh::HexMesh m =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, mesh::Resolution::coarse));
    std::vector<ElementStress> stresses(m.cells.size());
    std::vector<char> ruptured(m.cells.size(), 0);
    std::vector<int> annulus;
    int nucleus = -1;
    for (int c = 0; c < m.cell_count(); ++c) {
        if (m.region[c] > 0)
            annulus.push_back(c);
        else if (nucleus < 0)
            nucleus = c;
    }
    // Annulus cells over a 0.2 threshold (through either family), one of them already ruptured,
    // one just under it, and a nucleus cell (no fibres; it never ruptures).
    const int a = annulus[10], b = annulus[200], c = annulus[5], d = annulus[50];
    stresses[a].fibre_stretch = {1.3, 1.0};
    stresses[b].fibre_stretch = {1.0, 1.25};
    stresses[c].fibre_stretch = {1.5, 1.5};
    ruptured[c] = 1;
    stresses[d].fibre_stretch = {1.19, 1.19};
    stresses[nucleus].fibre_stretch = {2.0, 2.0};
    const auto cells = cells_reaching(m, stresses, RuptureCriterion::fibre_strain, 0.2, ruptured);
    CHECK(cells == std::vector<int>{std::min(a, b), std::max(a, b)});
}

TEST_CASE("a ruptured element keeps only a residual of its ground substance", "[unit]") {
    const materials::Material intact = materials::default_annulus(3.0, 50.0);
    const double residual = 0.01;
    const materials::Material damaged = ruptured_material(intact, residual);
    CHECK_FALSE(damaged.fibres.has_value());
    // The ground substance energy is linear in c10, so the isochoric response at any
    // deformation is exactly residual times the intact ground-only one; the volumetric response
    // (bulk modulus) is kept whole: the fissure keeps its volume.
    materials::Material ground_only = intact;
    ground_only.fibres.reset();
    Mat3 F;
    F << 1.2, 0.1, 0.0, 0.05, 0.9, 0.1, 0.0, 0.02, 1.05;
    const Mat3 C = F.transpose() * F;
    const Vec3 a(1, 0, 0), b(0, 1, 0);
    const auto r_damaged = materials::evaluate_deviatoric(damaged, C, a, b);
    const auto r_ground = materials::evaluate_deviatoric(ground_only, C, a, b);
    CHECK((r_damaged.S - residual * r_ground.S).norm() <= 1e-14 * r_ground.S.norm());
    CHECK((r_damaged.D - residual * r_ground.D).norm() <= 1e-13 * r_ground.D.norm());
    CHECK(damaged.volumetric.bulk_modulus == intact.volumetric.bulk_modulus);
    // Partial damage on the way: fibres and ground both at residual^d (0.1 at d = 1/2).
    const materials::Material half = damaged_material(intact, 0.5, residual);
    REQUIRE(half.fibres.has_value());
    CHECK(half.fibres->k1 == Approx(0.1 * intact.fibres->k1).epsilon(1e-14));
    CHECK(half.fibres->k2 == intact.fibres->k2);
    const auto r_half = materials::evaluate_deviatoric(half, C, a, b);
    const auto r_intact = materials::evaluate_deviatoric(intact, C, a, b);
    const auto r_fibres = (r_intact.S - r_ground.S).eval();
    CHECK((r_half.S - 0.1 * r_ground.S - 0.1 * r_fibres).norm() <= 1e-13 * r_intact.S.norm());
    CHECK_THROWS_AS(damaged_material(intact, 1.2, residual), InputError);
    CHECK_THROWS_AS(ruptured_material(intact, 0.0), InputError);
    CHECK_THROWS_AS(ruptured_material(intact, 1.5), InputError);
}

TEST_CASE("an element's rupture damage, held in its history, changes the assembled forces accordingly", "[unit]") {
    // One element, every node prescribed to a homogeneous isochoric stretch (J = 1, so no
    // volumetric stress): the support reactions are the element's internal forces, which scale
    // exactly with the ruptured material's residual.
    const mesh::HexMesh m = test::box_mesh(1, 1, 1, 1, 1, 1);
    Model model;
    model.mesh = &m;
    model.materials = {materials::make_material(materials::make_neo_hookean(0.15), std::nullopt,
                                                materials::make_volumetric(30.0))};
    model.cell_material = {0};
    for (int n = 0; n < m.node_count(); ++n) {
        model.prescribed.push_back({n, 2, 0.2 * m.nodes[n].z()});
        const double lateral = 1.0 / std::sqrt(1.2) - 1.0;
        model.prescribed.push_back({n, 0, lateral * m.nodes[n].x()});
        model.prescribed.push_back({n, 1, lateral * m.nodes[n].y()});
    }
    System system(model);
    State state = system.initial_state();
    LoadState load;
    system.apply_constraints(state, load);
    system.assemble(state, load, false);
    const Eigen::VectorXd intact = system.reactions();
    // Rupture is the element's history (solver/element_history.hpp): damage 1 in its trial
    // record, read by the next assembly.
    system.set_damage_residual(0.01);
    system.history().trial(0).damage = 1.0;
    system.assemble(state, load, false);
    CHECK((system.reactions() - 0.01 * intact).norm() <= 1e-12 * intact.norm());
    CHECK(intact.norm() > 0.0);
}
