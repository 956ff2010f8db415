// The default L4-5 disc under axial compression: what physics bounds, and Nachemson's rule.
//
// With rigid endplates the applied force is shared by the nucleus (pressure p over its area
// share phi A) and the annulus: F = p phi A + s (1 - phi) A, s the annulus' mean axial stress.
// So p / (F / A) = 1 / (phi + (1 - phi) s / p) lies between 1 (the disc stressed uniformly)
// and 1 / phi (an annulus that carries nothing axially). Nachemson (1960, in vitro) found
// p = 1.5 F / A, the same at every load (Ranu 1990: linear in the load). This model gives
// about 1.19 (docs/verification.md): it lies inside the physical bounds and is linear in the
// load, but under Nachemson's 1.5 and the 1.3 quoted as its lower bound in PHYSICS.md; that
// gap is reported, not tested away.
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "solver/disc_model.hpp"
#include "solver/stepping.hpp"

#include <catch2/catch.hpp>

using namespace discsim;
using namespace discsim::solver;

namespace {

struct Compression {
    double pressure = 0;   ///< volume-averaged -tr(sigma)/3 of the nucleus, MPa
    double area = 0;       ///< cross-section area of the mesh, mm^2
    double nucleus_area = 0;
    double height_change = 0; ///< mm
    double carried = 0;       ///< N, internal force resultant on the vertebra (z)
};

Compression compress(const mesh::HexMesh& mesh, double force) {
    const Model model = disc_model(mesh);
    System system(model);
    State state = system.initial_state();
    Step step;
    step.name = "compression";
    step.target.force = Vec3(0, 0, -force);
    REQUIRE(solve_steps(system, state, {step}, {}).completed);
    system.assemble(state, step.target, false);
    const auto stresses = system.element_stresses(state);
    double volume = 0, integral = 0;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] != 0) continue;
        const double v = mesh::hex_volume(mesh::cell_nodes(mesh, c)) * stresses[c].dilatation;
        volume += v;
        integral += -stresses[c].cauchy.trace() / 3 * v;
    }
    const auto statistics = mesh::mesh_statistics(mesh);
    return {integral / volume, statistics.cross_section_area, statistics.nucleus_area,
            state.rp_displacement.z(), system.rp_internal_resultant()[2]};
}

} // namespace

TEST_CASE("disc under axial compression: nucleus pressure within the load-sharing bounds and "
          "linear in the load",
          "[validation]") {
    const mesh::HexMesh mesh =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, mesh::Resolution::coarse));
    const Compression low = compress(mesh, 250.0);
    const Compression high = compress(mesh, 500.0);
    // Equilibrium: the disc carries the applied force (to the Newton tolerance, 1e-4).
    CHECK(high.carried == Approx(-500.0).epsilon(1e-3));
    CHECK(high.height_change < low.height_change);
    CHECK(low.height_change < 0);
    const double phi = high.nucleus_area / high.area;
    const double ratio_low = low.pressure / (250.0 / low.area);
    const double ratio_high = high.pressure / (500.0 / high.area);
    INFO("IDP / (F/A) = " << ratio_low << " at 250 N, " << ratio_high << " at 500 N; 1/phi = "
                          << 1 / phi);
    CHECK(ratio_high > 1.0);
    CHECK(ratio_high < 1.0 / phi);
    // Linear in the load as measured (Ranu 1990): the ratio moves by less than 5 %.
    CHECK(std::abs(ratio_high / ratio_low - 1) < 0.05);
}
