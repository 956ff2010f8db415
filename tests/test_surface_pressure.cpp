// The surface pressure load of scenario files: a dead pressure on a named surface of the disc.
// On the superior endplate (tied to the rigid vertebra) it must act exactly as its resultant
// force; bad surfaces are errors at their place.
#include "core/error.hpp"
#include "mesh/hex_mesh.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/disc_model.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"
#include "support/scenario_texts.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>

using namespace discsim;
using Catch::Matchers::StartsWith;

using test::scenario_texts::error_of;

TEST_CASE("a pressure on the superior endplate loads the vertebra as its resultant force",
          "[verification]") {
    // The elastic disc: equilibria without time (the texts name no formulation).
    // The endplate is tied to the rigid vertebra, so a uniform dead pressure p on it acts on the
    // vertebra as its resultant about the reference point RP: F = -p integral n dA and
    // M = -p integral (x - RP) x n dA, integrated exactly over each bilinear face by 2 x 2 Gauss
    // points (the integrands are at most quadratic in each face coordinate). A run with F and M
    // applied at the RP must reach the same state, up to the two runs' Newton tolerances
    // (residual 1e-4 of the load carried, solver/newton.hpp): 2e-4 relative.
    const std::string base = "name: p\nmesh: {resolution: coarse}\nrupture: {enabled: false}\n"
                             "steps:\n  - name: load\n    loads: ";
    const double p = 0.2;
    const auto with_pressure = scenarios::parse_scenario(
        base + "{pressure: {surface: superior_endplate, value: 0.2}}\n", "p.yaml", scenarios::Formulation::elastic);
    REQUIRE(with_pressure.pressure_surface() == mesh::Surface::superior_endplate);
    const mesh::HexMesh disc = scenarios::build_mesh(with_pressure);
    const solver::Vec3 rp = solver::superior_reference_point(disc);
    solver::Vec3 force = solver::Vec3::Zero(), moment = solver::Vec3::Zero();
    const double g = 1.0 / std::sqrt(3.0);
    for (const auto& face : disc.face_set(mesh::Surface::superior_endplate)) {
        const auto& local = mesh::hex_faces()[face.local_face];
        std::array<solver::Vec3, 4> x;
        for (int k = 0; k < 4; ++k)
            x[k] = disc.nodes[disc.cells[face.cell][local[k]]];
        for (const double xi : {-g, g}) {
            for (const double eta : {-g, g}) {
                const double s[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
                solver::Vec3 point = solver::Vec3::Zero(), d_xi = point, d_eta = point;
                for (int a = 0; a < 4; ++a) {
                    point += 0.25 * (1 + s[a][0] * xi) * (1 + s[a][1] * eta) * x[a];
                    d_xi += 0.25 * s[a][0] * (1 + s[a][1] * eta) * x[a];
                    d_eta += 0.25 * s[a][1] * (1 + s[a][0] * xi) * x[a];
                }
                const solver::Vec3 n_dA = d_xi.cross(d_eta); // outward, Gauss weight 1
                force -= p * n_dA;
                moment -= p * (point - rp).cross(n_dA);
            }
        }
    }
    REQUIRE(-force.z() / p > 1000.0); // about the endplate's area, mm^2
    // Moments by anatomical name in N m (x right lateral bending, y flexion, z left axial
    // rotation, PHYSICS frame); a negative component is the opposite name.
    const char* positive[] = {"right_lateral_bending", "flexion", "left_axial_rotation"};
    const char* negative[] = {"left_lateral_bending", "extension", "right_axial_rotation"};
    std::string moments;
    for (int i = 0; i < 3; ++i) {
        char item[96];
        std::snprintf(item, sizeof item, "%s%s: %.17g", i ? ", " : "",
                      moment[i] >= 0 ? positive[i] : negative[i], std::abs(moment[i]) / 1000.0);
        moments += item;
    }
    char text[512];
    std::snprintf(text, sizeof text, "{force: {x: %.17g, y: %.17g, z: %.17g}, moment: {%s}}\n",
                  force.x(), force.y(), force.z(), moments.c_str());
    const auto with_force = scenarios::parse_scenario(base + text, "f.yaml", scenarios::Formulation::elastic);
    test::TempFolder a, b;
    const auto ra = test::run_into(with_pressure, a);
    const auto rb = test::run_into(with_force, b);
    REQUIRE(ra.completed);
    REQUIRE(rb.completed);
    const double scale = rb.last.translation.norm();
    CHECK(scale > 0.1);
    CHECK((ra.last.translation - rb.last.translation).norm() <= 2e-4 * scale);
    CHECK((ra.last.rotation_deg - rb.last.rotation_deg).norm() <=
          2e-4 * (1e-3 + rb.last.rotation_deg.norm()));
    CHECK(ra.last.idp_mean == Approx(rb.last.idp_mean).epsilon(2e-4));
    CHECK(test::read_results(a / "results.csv").column("surface_pressure_MPa").back() == 0.2);
    // Bad input: an unknown surface, and two surfaces in one scenario.
    CHECK_THAT(error_of(base + "{pressure: {surface: outer_walls, value: 0.1}}\n"),
               StartsWith("bad.yaml:6:33: steps[0].loads.pressure.surface: expected one of "
                          "inferior_endplate, superior_endplate, nucleus_boundary, outer_wall, got "
                          "'outer_walls' (did you mean 'outer_wall'?)"));
    CHECK_THAT(
        error_of(
            base +
            "{pressure: {surface: outer_wall, value: 0.1}}\n"
            "  - name: more\n    loads: {pressure: {surface: nucleus_boundary, value: 0.1}}\n"),
        StartsWith("bad.yaml:7:5: steps[1].loads.pressure.surface: expected the surface of "
                   "the earlier steps' pressure (outer_wall"));
}
