// The default model against measured data and the trends the literature reports
// (issue "Scenario files ...": calibration and checks against measured data).
#include "scenarios/heuer_protocol.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace discsim;

namespace {

// Runs a shipped scenario on the coarse mesh and returns its results table.
test::ResultsTable run_library(const std::string& name) {
    test::TempFolder folder;
    const auto report = test::run_into(test::shipped_scenario(name), folder);
    INFO(name << ": " << report.reason);
    REQUIRE(report.completed);
    return test::read_results(folder / "results.csv");
}

double final_idp(const std::string& name) { return run_library(name).column("idp_mean_MPa").back(); }

// The calibration requirement: every direction within 25 % of the measured median at 2.5, 5 and
// 7.5 N m (the 1 N m level lies in the neutral zone, which the model has no laxity for, and is
// reported but not required).
void check_within_25_percent(const scenarios::RomTable& model, const scenarios::RomTable& measured) {
    for (std::size_t i = 0; i < measured.moments.size(); ++i) {
        if (measured.moments[i] < 2.5) continue;
        for (int d = 0; d < 4; ++d) {
            INFO(scenarios::heuer_directions[d] << " at " << measured.moments[i] << " N m: model "
                                                << model.rom[i][d] << ", measured "
                                                << measured.rom[i][d]);
            CHECK(std::abs(model.rom[i][d] / measured.rom[i][d] - 1) <= 0.25);
        }
    }
}

} // namespace

TEST_CASE("range of motion of the elastic L4-5 disc within 25 % of Heuer et al. 2007",
          "[validation]") {
    // The elastic disc's calibration (Gruber et al. 2024's set).
    const auto measured = scenarios::read_rom_table(scenarios::default_heuer_table());
    const auto model = scenarios::run_heuer_protocol(mesh::Resolution::medium, measured);
    check_within_25_percent(model, measured);
}

TEST_CASE("range of motion of the default biphasic L4-5 disc, swollen and pre-stressed, within "
          "25 % of Heuer et al. 2007",
          "[validation]") {
    // Issue 11: the Heuer calibration still holds with the swelling pre-stress in place. Free
    // swelling first, then each moment at the protocol's 1 deg/s (the fluid barely moves in the
    // seconds of a ramp). The same requirement as the elastic disc's, at the same resolution;
    // docs/model.md section 9 records the fibre recalibration this needed.
    const auto measured = scenarios::read_rom_table(scenarios::default_heuer_table());
    const auto model = scenarios::run_heuer_protocol_biphasic(mesh::Resolution::medium, measured,
                                                              {}, solver::DiscFluid{});
    check_within_25_percent(model, measured);
}

TEST_CASE("intradiscal pressure is highest in flexion among the reference bending cases",
          "[validation]") {
    // Wilke et al. 1999 and the reference load cases: flexion carries the largest compression
    // (1175 N against 500-720 N) and the highest pressure.
    const double flexion = final_idp("flexion_L4-5");
    const double extension = final_idp("extension_L4-5");
    const double lateral = final_idp("lateral_bending_L4-5");
    const double axial = final_idp("axial_rotation_L4-5");
    INFO("IDP MPa: flexion " << flexion << ", extension " << extension << ", lateral bending "
                             << lateral << ", axial rotation " << axial);
    CHECK(flexion > extension);
    CHECK(flexion > lateral);
    CHECK(flexion > axial);
}

TEST_CASE("lifting: pressure ranks round back > flexed knees > close to the body", "[validation]") {
    // Wilke et al. 1999, L4-5 in vivo: 2.3, 1.7 and 1.1 MPa.
    const double round_back = final_idp("lifting_round_back_L4-5");
    const double flexed_knees = final_idp("lifting_flexed_knees_L4-5");
    const double close = final_idp("lifting_close_to_body_L4-5");
    INFO("IDP MPa: round back " << round_back << ", flexed knees " << flexed_knees
                                << ", close to body " << close);
    CHECK(round_back > flexed_knees);
    CHECK(flexed_knees > close);
}

TEST_CASE("traction: pressure falls with the pull and turns negative while the disc grows",
          "[validation]") {
    // Ramos & Martin 1994: traction lowers the intradiscal pressure, below zero at high tension.
    // A 100 N lying preload, then axial traction raised step by step to 600 N.
    scenarios::Scenario scenario;
    scenarios::set_formulation(scenario.materials, scenarios::Formulation::elastic); // equilibria
    scenario.name = "traction ladder";
    scenario.mesh.resolution = mesh::Resolution::coarse;
    scenarios::StepSpec lying;
    lying.name = "lying";
    lying.loads.follower_compression = 100.0;
    scenario.steps.push_back(lying);
    for (double pull : {100.0, 200.0, 300.0, 400.0, 500.0, 600.0}) {
        scenarios::StepSpec step;
        step.name = "traction " + std::to_string(static_cast<int>(pull)) + " N";
        scenarios::Traction traction;
        traction.force = pull;
        step.loads.traction = traction;
        scenario.steps.push_back(step);
    }
    test::TempFolder folder;
    scenarios::RunOptions options;
    options.output = folder.path();
    options.program_version = "test";
    REQUIRE(scenarios::run_scenario(scenario, options).completed);
    const auto results = test::read_results(folder / "results.csv");
    const auto fraction = results.column("step_fraction");
    const auto idp = results.column("idp_mean_MPa");
    const auto height = results.column("height_change_mm");
    std::vector<double> idp_at_step_end, height_at_step_end;
    for (std::size_t r = 0; r < fraction.size(); ++r) {
        if (fraction[r] == 1.0) {
            idp_at_step_end.push_back(idp[r]);
            height_at_step_end.push_back(height[r]);
        }
    }
    REQUIRE(idp_at_step_end.size() == 7);
    CHECK(idp_at_step_end.front() > 0.0); // lying: compressed
    for (std::size_t k = 1; k < idp_at_step_end.size(); ++k) {
        CHECK(idp_at_step_end[k] < idp_at_step_end[k - 1]);
        CHECK(height_at_step_end[k] > height_at_step_end[k - 1]);
    }
    CHECK(idp_at_step_end.back() < 0.0);
    CHECK(height_at_step_end.back() > 0.0); // taller than unloaded
}
