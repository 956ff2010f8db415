// The disc as a charged, fluid-saturated solid (solver/disc_biphasic.hpp, issue 11), through the
// scenario layer as a user runs it: mass conservation through its boundaries, the swelling
// cache, and the validation targets of PHYSICS.md section 8 (free-swelling pressure, Nachemson's
// ratio, overnight recovery). Every run is on the coarse mesh with the shipped defaults
// (Castro et al. 2014's permeabilities and fixed charges, uncalibrated).
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/disc_biphasic.hpp"
#include "solver/disc_model.hpp"
#include "solver/results.hpp"
#include "solver/stepping.hpp"
#include "solver/system.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"
#include "support/stepping.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace discsim;
using namespace discsim::solver;

namespace {

// The swelling cache of these tests: a folder of their own, emptied per process.
struct CacheFolder {
    test::TempFolder folder;
    CacheFolder() { ::setenv("DISCSIM_CACHE", folder.path().c_str(), 1); }
};
const CacheFolder& cache() {
    static const CacheFolder c;
    return c;
}

scenarios::Scenario biphasic_scenario(const std::string& steps) {
    return scenarios::parse_scenario("name: biphasic test\nmesh: {resolution: coarse}\n"
                                     "materials: {formulation: biphasic}\nsteps:\n" + steps,
                                     "test.yaml");
}

} // namespace

TEST_CASE("the biphasic disc conserves fluid: its boundary outflow is its volume loss",
          "[verification]") {
    // The mass balance rows of all nodes sum to the disc's volume change plus what left through
    // the drained nodes and the cartilage endplates (the shape functions sum to 1, so the Darcy
    // and stabilisation terms sum to 0), and each free row is zero to the Newton tolerance: the
    // outflow integrated over the steps equals the loss of volume of the disc, whose
    // constituents are incompressible.
    const mesh::HexMesh disc =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, mesh::Resolution::coarse));
    DiscMaterialOptions options;
    options.bulk_to_shear = scenarios::drained_bulk_to_shear; // the biphasic disc's skeleton
    // The full fibre invariant, which a compressible skeleton needs (tests/test_materials.cpp,
    // "a drained skeleton in fibre tension"): with the isochoric one the outer annulus, in hoop
    // tension, draws fluid in through the wall instead of passing it out.
    options.fibre_invariant = materials::FibreInvariant::full;
    Model model = disc_model(disc, options);
    add_fluid(model, disc, DiscFluid{});
    System system(model);
    State state = system.initial_state();
    const auto swelling = free_swelling(model, state, NewtonSettings{});
    REQUIRE(swelling.converged);
    ResultEvaluator evaluator(disc);
    evaluator.set_fluid_reference(system.element_stresses(state));
    Step load;
    load.name = "compression";
    load.target.follower_force = Vec3(0, 0, -500);
    load.duration = 60;
    load.initial_increment = load.min_increment = load.max_increment = 0.25;
    double outflow = 0.0;
    GlobalResults last;
    const auto result = solve_steps(system, state, {load}, test::tight_stepping(),
                                    [&](const Increment& inc, const State& s) {
                                        system.assemble(s, inc.load, false);
                                        last = evaluator.evaluate(system, s, system.element_stresses(s),
                                                                  inc.load.time_step);
                                        double o = 0;
                                        for (const double q : last.fluid->outflow)
                                            o += q * inc.load.time_step;
                                        outflow += o;
                                    });
    REQUIRE(result.completed);
    const double volume_loss = -last.fluid->disc_fluid_volume_change;
    INFO("outflow " << outflow << " mm^3, volume loss " << volume_loss << " mm^3");
    REQUIRE(volume_loss > 1.0); // it did lose fluid: tens of mm^3 in a minute
    CHECK(outflow == Approx(volume_loss).epsilon(1e-8));
    // All three boundaries pass fluid out under compression.
    INFO("outflow per s: outer wall " << last.fluid->outflow[0] << ", superior endplate "
                                      << last.fluid->outflow[1] << ", inferior endplate "
                                      << last.fluid->outflow[2] << " mm^3/s");
    for (const double q : last.fluid->outflow)
        CHECK(q > 0.0);
}

TEST_CASE("the free-swelling state is cached and reused bit for bit", "[unit]") {
    cache();
    const auto scenario = biphasic_scenario("  - name: rest\n    duration: 10 s\n");
    test::TempFolder first, second;
    const auto a = test::run_into(scenario, first);
    const auto b = test::run_into(scenario, second);
    REQUIRE(a.completed);
    REQUIRE(b.completed);
    CHECK(a.swelling.rfind("free swelling: ", 0) == 0);
    CHECK(a.swelling.find("cached") != std::string::npos);
    CHECK(b.swelling.rfind("free swelling: from the cache", 0) == 0);
    CHECK(test::file_bytes(first / "disc_0000.vtu") == test::file_bytes(second / "disc_0000.vtu"));
    CHECK(a.last.idp_mean == b.last.idp_mean);
    // Another fixed charge is another state.
    auto other = scenario;
    other.materials.fluid.nucleus.fixed_charge = 0.25;
    test::TempFolder third;
    CHECK(test::run_into(other, third).swelling.find("from the cache") == std::string::npos);
}

TEST_CASE("the unloaded disc's pressure after free swelling is in the published "
          "0.1-0.25 MPa",
          "[validation]") {
    // Schroeder et al. 2006: about 0.2 MPa for the unloaded disc equilibrated in saline; in vivo
    // lying 0.10-0.12 MPa (Wilke et al. 1999). PHYSICS.md section 8 takes 0.1-0.25 MPa.
    cache();
    const auto scenario = biphasic_scenario("  - name: rest\n    duration: 1 s\n");
    test::TempFolder folder;
    const auto report = test::run_into(scenario, folder);
    REQUIRE(report.completed);
    INFO("IDP after free swelling " << report.last.idp_mean << " MPa");
    CHECK(report.last.idp_mean >= 0.10);
    CHECK(report.last.idp_mean <= 0.25);
    // At equilibrium with the bath the effective pressure is zero: the IDP is all osmotic.
    CHECK(std::abs(report.last.fluid->nucleus_fluid_pressure) < 1e-3);
}

TEST_CASE("Nachemson's ratio, the instantaneous IDP under 500 N over F/A, is 1.3-1.6",
          "[validation]") {
    // 500 N within 1 s on the swollen disc: too fast for the fluid to leave (the consolidation
    // time is hours), as in Nachemson's in-vitro loading (Nachemson 1960: IDP about 1.5 F/A, the
    // pressure measured, pre-pressure included, over the load on the disc's cross-section).
    cache();
    const auto scenario = biphasic_scenario(
        "  - name: load\n    duration: 1 s\n    loads: {follower_compression: 500}\n");
    test::TempFolder folder;
    const auto report = test::run_into(scenario, folder);
    REQUIRE(report.completed);
    const mesh::HexMesh disc = scenarios::build_mesh(scenario);
    const double area = mesh::mesh_statistics(disc).cross_section_area;
    const double ratio = report.last.idp_mean / (500.0 / area);
    test::TempFolder rest_folder;
    const auto rest = test::run_into(biphasic_scenario("  - name: rest\n    duration: 1 s\n"), rest_folder);
    // The rise alone is shared with the annulus as in the elastic disc (about 1.1-1.2, solid
    // load sharing), so the pre-pressure is what brings the ratio up (docs/verification.md).
    INFO("IDP " << rest.last.idp_mean << " -> " << report.last.idp_mean << " MPa, F/A "
                << 500.0 / area << " MPa, ratio " << ratio << ", of the rise "
                << (report.last.idp_mean - rest.last.idp_mean) / (500.0 / area));
    CHECK(ratio >= 1.3);
    CHECK(ratio <= 1.6);
}

TEST_CASE("overnight recovery, the lying pressure rises from about 0.10 to about "
          "0.24 MPa over 7 h (Wilke et al. 1999)",
          "[validation]") {
    // The shipped night_recovery_L4-5 scenario: 16 h upright at 500 N, then 7 h lying at
    // 150 N. PHYSICS.md section 8: within +-30 % at both ends, rising monotonically.
    cache();
    const auto scenario = test::shipped_scenario("night_recovery_L4-5");
    test::TempFolder folder;
    const auto report = test::run_into(scenario, folder);
    REQUIRE(report.completed);
    const auto results = test::read_results(folder / "results.csv");
    const auto& step = results.text_column("step_name");
    const auto& idp = results.column("idp_mean_MPa");
    const auto& time = results.column("time_s");
    std::vector<double> lying, lying_time;
    for (std::size_t i = 0; i < idp.size(); ++i) {
        if (step[i] == "night lying (held)") {
            lying.push_back(idp[i]);
            lying_time.push_back(time[i]);
        }
    }
    REQUIRE(lying.size() > 10);
    INFO("lying IDP " << lying.front() << " MPa at " << lying_time.front() << " s, "
                      << lying.back() << " MPa at " << lying_time.back() << " s");
    CHECK(lying.front() >= 0.10 * 0.7);
    CHECK(lying.front() <= 0.10 * 1.3);
    CHECK(lying.back() >= 0.24 * 0.7);
    CHECK(lying.back() <= 0.24 * 1.3);
    for (std::size_t i = 1; i < lying.size(); ++i)
        CHECK(lying[i] >= lying[i - 1]);
    // And the disc took fluid back while lying: its height rose.
    const auto& height = results.column("height_change_mm");
    CHECK(height.back() > height[idp.size() - lying.size()]);
}

TEST_CASE("traction on a lying disc brings the IDP slightly negative, of the order of "
          "-0.013 MPa (Ramos & Martin 1994)",
          "[validation]") {
    // Half the body weight of a 75 kg patient (368 N) pulled within 5 s on a disc lying for 2 h
    // at 200 N. Ramos & Martin 1994 measured below -100 mmHg (-0.013 MPa) at high tension; the
    // elastic disc gives -0.17 MPa. "Of the order of": within a factor 4 either way, i.e. the
    // lowest IDP in [-0.052, -0.0033] MPa. Then the disc imbibes fluid under the pull and the
    // pressure comes back up: the negative phase is transient.
    cache();
    const auto scenario = biphasic_scenario(
        "  - name: lying\n    duration: 2 h\n    ramp: 10 s\n    loads: {follower_compression: 200}\n"
        "  - name: traction\n    duration: 20 min\n    ramp: 5 s\n"
        "    loads: {traction: {body_weight_fraction: 0.5, body_mass: 75}}\n");
    test::TempFolder folder;
    const auto report = test::run_into(scenario, folder);
    REQUIRE(report.completed);
    const auto results = test::read_results(folder / "results.csv");
    const auto idp = results.column("idp_mean_MPa");
    const auto step = results.text_column("step_name");
    const auto height = results.column("height_change_mm");
    double lowest = 1.0, lying_end = 0.0, lying_height = 0.0;
    for (std::size_t i = 0; i < idp.size(); ++i) {
        if (step[i].rfind("traction", 0) == 0)
            lowest = std::min(lowest, idp[i]);
        else {
            lying_end = idp[i];
            lying_height = height[i];
        }
    }
    INFO("IDP lying " << lying_end << " MPa, lowest under traction " << lowest << " MPa, at the end "
                      << idp.back() << " MPa");
    CHECK(lowest <= -0.013 / 4);
    CHECK(lowest >= -0.013 * 4);
    CHECK(idp.back() > lowest); // recovering as fluid flows in
    CHECK(height.back() > lying_height); // the disc grows under the pull
}
