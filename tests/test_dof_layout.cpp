// The nodal field layout as data (solver/dof_layout.hpp) and the per-element history store
// (solver/element_history.hpp): a node that carries displacement plus a pore pressure solves the
// same displacement problem as one with displacement only (the extra field is held until a
// formulation assembles it), and the history is committed on accepted increments, reverted on
// rejected ones, and read by the assembly.
#include "materials/hyperelastic.hpp"
#include "solver/dof_layout.hpp"
#include "solver/element_history.hpp"
#include "solver/newton.hpp"
#include "solver/stepping.hpp"
#include "solver/system.hpp"
#include "support/meshes.hpp"
#include "support/stepping.hpp"

#include <catch2/catch.hpp>

using namespace discsim;
using namespace discsim::solver;

namespace {

// A 2 x 2 x 2 box compressed by 10 % with its base held: a non-trivial finite-strain solve with
// free interior and top nodes.
Model compressed_box(const mesh::HexMesh& mesh, DofLayout layout) {
    Model model;
    model.mesh = &mesh;
    model.layout = std::move(layout);
    model.materials = {materials::make_material(materials::make_mooney_rivlin(0.2, 0.05),
                                                std::nullopt, materials::make_volumetric(20.0))};
    model.cell_material.assign(mesh.cells.size(), 0);
    for (int n = 0; n < mesh.node_count(); ++n) {
        const Vec3& X = mesh.nodes[n];
        if (X.z() < 1e-12) {
            for (int i = 0; i < 3; ++i) model.prescribed.push_back({n, i, 0.0});
        } else if (X.z() > 2.0 - 1e-12) {
            model.prescribed.push_back({n, 2, -0.2});
        }
    }
    return model;
}

} // namespace

TEST_CASE("a DOF layout indexes node-major, fields side by side", "[unit]") {
    const DofLayout plain;
    CHECK(plain.per_node() == 3);
    CHECK(plain.displacement(5, 2) == 17);
    CHECK_FALSE(plain.has(Field::pore_pressure));
    CHECK_THROWS(plain.offset(Field::pore_pressure));

    const DofLayout biphasic{Field::displacement, Field::pore_pressure};
    CHECK(biphasic.per_node() == 4);
    CHECK(biphasic.offset(Field::pore_pressure) == 3);
    CHECK(biphasic.index(5, Field::pore_pressure, 0) == 23);
    CHECK(biphasic.displacement(5, 1) == 21);
    CHECK(biphasic.size(10) == 40);
    CHECK_THROWS(DofLayout{Field::pore_pressure, Field::displacement});
    CHECK_THROWS(DofLayout{Field::displacement, Field::displacement});
}

TEST_CASE("a node carrying a pore pressure solves the same displacement problem", "[unit]") {
    const mesh::HexMesh mesh = test::box_mesh(2, 2, 2, 2, 2, 2);
    const Model plain_model = compressed_box(mesh, DofLayout{});
    const Model biphasic_model =
        compressed_box(mesh, DofLayout{Field::displacement, Field::pore_pressure});
    System plain(plain_model), biphasic(biphasic_model);
    // The pressure is held (no element assembles it yet): the same free equations.
    CHECK(biphasic.free_dof_count() == plain.free_dof_count());
    State a = plain.initial_state(), b = biphasic.initial_state();
    CHECK(b.u.size() == 4 * mesh.node_count());
    Step step;
    step.name = "compress";
    step.initial_increment = step.max_increment = 0.5;
    const std::vector<Step> steps{step};
    REQUIRE(solve_steps(plain, a, steps, test::tight_stepping()).completed);
    REQUIRE(solve_steps(biphasic, b, steps, test::tight_stepping()).completed);
    double largest = 0.0, difference = 0.0;
    for (int n = 0; n < mesh.node_count(); ++n) {
        largest = std::max(largest, a.displacement(n).norm());
        difference = std::max(difference, (a.displacement(n) - b.displacement(n)).norm());
        CHECK(b.u[biphasic_model.layout.index(n, Field::pore_pressure, 0)] == 0.0);
    }
    CHECK(largest > 0.1); // the top moved 0.2 mm
    // The same equations in the same order: the same arithmetic, to the last bit.
    CHECK(difference == 0.0);
    // And the reactions sit at the displacement components of the layout.
    const Eigen::VectorXd& r = biphasic.reactions();
    CHECK(r.size() == b.u.size());
    for (int n = 0; n < mesh.node_count(); ++n)
        CHECK(r[biphasic_model.layout.index(n, Field::pore_pressure, 0)] == 0.0);
}

TEST_CASE("the history store commits accepted and reverts rejected trial records", "[unit]") {
    HistoryStore store(3);
    store.trial(1).damage = 0.5;
    CHECK(store.committed(1).damage == 0.0);
    store.commit();
    CHECK(store.committed(1).damage == 0.5);
    store.trial(1).damage = 1.0;
    store.trial(2).damage = 0.25;
    store.revert();
    CHECK(store.trial(1).damage == 0.5);
    CHECK(store.trial(2).damage == 0.0);
}

TEST_CASE("the assembly reads the trial history; a rejected increment reverts it", "[unit]") {
    const mesh::HexMesh mesh = test::box_mesh(2, 2, 2, 2, 2, 2);
    const Model model = compressed_box(mesh, DofLayout{});
    System system(model);
    State state = system.initial_state();
    LoadState load;
    system.apply_constraints(state, load);
    const double intact = system.assemble(state, load, false).energy;
    REQUIRE(intact > 0.0);
    // Fully damage every element: the isochoric (shear) part falls to the residual, the
    // volumetric part stays, so the energy falls but not to zero.
    system.set_damage_residual(0.01);
    for (int c = 0; c < mesh.cell_count(); ++c)
        system.history().trial(c).damage = 1.0;
    const double damaged = system.assemble(state, load, false).energy;
    CHECK(damaged < intact);
    CHECK(damaged > 0.0);
    // A rejected increment: back to the committed (intact) records, the same energy bit for bit.
    system.history().revert();
    CHECK(system.assemble(state, load, false).energy == intact);
    // Committed records survive a revert.
    system.history().trial(0).damage = 1.0;
    system.history().commit();
    system.history().revert();
    CHECK(system.history().trial(0).damage == 1.0);
}
