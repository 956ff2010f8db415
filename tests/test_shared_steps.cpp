// Runs that share their leading steps (scenarios/run.hpp, SharedRun; docs/sweeps.md): which
// steps two scenarios share, and a run that goes on from shared steps solved once writing
// exactly what it writes alone, on the biphasic disc (UMFPACK's LU copied where the runs part)
// and on the elastic disc with the annulus rupturing in the shared steps (CHOLMOD's factor, the
// damage and the events copied). "Exactly": every file the same byte for byte, results.csv but
// its wall-time column, and the same Newton, GMRES and factorisation counts. Anything less would
// make a sweep's case differ from the same case run alone (--case-index), which users compare.
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

using namespace discsim;
using scenarios::Scenario;
namespace fs = std::filesystem;

namespace {

Scenario scenario_of(const std::string& text) {
    return scenarios::parse_scenario(text, "shared.yaml");
}

scenarios::RunOptions options_into(const fs::path& folder) {
    scenarios::RunOptions options;
    options.output = folder;
    options.program_version = "test";
    return options;
}

// results.csv without its wall_time_s column (the one thing a run on from shared steps writes
// differently: its clock counts the shared steps' time, measured once).
std::string without_wall_time(const fs::path& file) {
    std::istringstream in(test::file_bytes(file));
    std::string line, out;
    int wall = -1;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream cells(line);
        while (std::getline(cells, field, ','))
            fields.push_back(field);
        if (wall < 0) {
            for (std::size_t i = 0; i < fields.size(); ++i)
                if (fields[i] == "wall_time_s") wall = static_cast<int>(i);
            REQUIRE(wall >= 0);
        }
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (static_cast<int>(i) != wall) out += fields[i] + ",";
        out += "\n";
    }
    return out;
}

// Every file of run folder `a` is in `b` with the same bytes (results.csv but its wall times),
// and `b` has no other.
void check_same_folders(const fs::path& a, const fs::path& b) {
    const auto names = test::folder_entries(a);
    CHECK(names == test::folder_entries(b));
    REQUIRE(names.size() >= 6); // results, events (csv, vtp), pvd, scenario, status, fields
    for (const auto& name : names) {
        INFO(name);
        if (name == "results.csv") {
            CHECK(without_wall_time(a / name) == without_wall_time(b / name));
        } else {
            CHECK(test::file_bytes(a / name) == test::file_bytes(b / name));
        }
    }
}

void check_same_reports(const scenarios::RunReport& alone, const scenarios::RunReport& shared) {
    CHECK(shared.outcome == alone.outcome);
    CHECK(shared.increments == alone.increments);
    CHECK(shared.iterations == alone.iterations);
    CHECK(shared.cutbacks == alone.cutbacks);
    CHECK(shared.limited == alone.limited);
    CHECK(shared.re_equilibrations == alone.re_equilibrations);
    CHECK(shared.ruptured == alone.ruptured);
    CHECK(shared.events.size() == alone.events.size());
    CHECK(shared.solver_times.factorisations == alone.solver_times.factorisations);
    CHECK(shared.solver_times.krylov_iterations == alone.solver_times.krylov_iterations);
    CHECK(shared.solver_times.solves == alone.solver_times.solves);
    CHECK(shared.last.idp_mean == alone.last.idp_mean);
    CHECK(shared.last.rotation_deg == alone.last.rotation_deg);
    CHECK(shared.max_fibre_strain == alone.max_fibre_strain);
    CHECK(shared.step_ends.size() == alone.step_ends.size());
}

const char* traction_text = R"(name: pull
segment: L4-5
mesh: {resolution: coarse}
output: {vtu_every: 2}
steps:
  - name: lying
    duration: 10 s
    loads: {follower_compression: 100}
  - name: traction
    duration: 5 s
    loads:
      traction: {force: FORCE, angle: 0}
)";

std::string with_force(const std::string& force) {
    std::string text = traction_text;
    text.replace(text.find("FORCE"), 5, force);
    return text;
}

} // namespace

TEST_CASE("shared_steps counts the leading planned steps two scenarios solve alike", "[unit]") {
    const Scenario a = scenario_of(with_force("200"));
    CHECK(scenarios::shared_steps(a, a) == 2);
    // Another pull: the lying step is shared.
    CHECK(scenarios::shared_steps(a, scenario_of(with_force("500"))) == 1);
    // The name and description do not change how a scenario solves.
    Scenario renamed = a;
    renamed.name = "other";
    renamed.description = "a pull under another name";
    CHECK(scenarios::shared_steps(a, renamed) == 2);
    // Another preload, material, mesh or rupture setting: nothing is shared.
    std::string text = with_force("200");
    CHECK(scenarios::shared_steps(
              a, scenario_of(text.replace(text.find("100}"), 3, "150"))) == 0);
    Scenario stiffer = a;
    stiffer.materials.formulation = scenarios::Formulation::elastic;
    CHECK(scenarios::shared_steps(a, stiffer) == 0);
    Scenario finer = a;
    finer.mesh.resolution = mesh::Resolution::medium;
    CHECK(scenarios::shared_steps(a, finer) == 0);
    Scenario intact = a;
    intact.rupture.enabled = false;
    CHECK(scenarios::shared_steps(a, intact) == 0);
    Scenario weaker = a;
    weaker.rupture.threshold = 0.1;
    CHECK(scenarios::shared_steps(a, weaker) == 0);
    // A cycled step is 2 x count planned steps: scenarios that differ after it share them all,
    // and two that differ in its rest time share none of them after the lying step.
    const std::string cycled = std::string(traction_text).replace(
        std::string(traction_text).find("    duration: 5 s\n"), 18,
        "    cycles: {count: 2, hold: 60, rest: 30}\n");
    auto pulls = [&](const std::string& force, const std::string& after) {
        std::string t = cycled;
        t.replace(t.find("FORCE"), 5, force);
        return scenario_of(t + "  - name: after\n    duration: 60 s\n    loads: {follower_compression: " +
                           after + "}\n");
    };
    CHECK(scenarios::shared_steps(pulls("200", "300"), pulls("200", "400")) == 1 + 4);
    CHECK(scenarios::shared_steps(pulls("200", "300"), pulls("250", "300")) == 1);
    std::string other_rest = cycled;
    other_rest.replace(other_rest.find("rest: 30"), 8, "rest: 40");
    other_rest.replace(other_rest.find("FORCE"), 5, "200");
    CHECK(scenarios::shared_steps(pulls("200", "300"), scenario_of(other_rest)) == 2);
}

TEST_CASE("a biphasic run on from shared steps writes what it writes alone, bit for bit",
          "[unit]") {
    const Scenario weak = scenario_of(with_force("200"));
    const Scenario strong = scenario_of(with_force("500"));
    test::TempFolder folder;
    const auto weak_alone = scenarios::run_scenario(weak, options_into(folder / "weak_alone"));
    const auto strong_alone = scenarios::run_scenario(strong, options_into(folder / "strong_alone"));
    REQUIRE(weak_alone.completed);
    REQUIRE(strong_alone.completed);
    CHECK(weak_alone.linear_solver == "UMFPACK LU (whole matrix)");

    scenarios::SharedRun shared(weak, 1, options_into(folder / "unused"));
    INFO(shared.reason());
    REQUIRE(shared.ready());
    CHECK_FALSE(fs::exists(folder / "unused")); // the shared steps write nothing themselves
    // The stronger pull first: the weaker then goes on from the restored snapshot, not from
    // what the stronger left in the System.
    const auto strong_shared = shared.run(strong, options_into(folder / "strong_shared"));
    const auto weak_shared = shared.run(weak, options_into(folder / "weak_shared"));
    check_same_reports(strong_alone, strong_shared);
    check_same_reports(weak_alone, weak_shared);
    check_same_folders(folder / "strong_alone", folder / "strong_shared");
    check_same_folders(folder / "weak_alone", folder / "weak_shared");
    // The pulls differ (the comparison is not of two copies of one run).
    CHECK(strong_alone.last.idp_mean < weak_alone.last.idp_mean - 0.01);
    // A scenario that does not share the steps is refused.
    Scenario elastic = weak;
    elastic.materials.formulation = scenarios::Formulation::elastic;
    CHECK_THROWS_AS(shared.run(elastic, options_into(folder / "elastic")), std::invalid_argument);
}

TEST_CASE("an elastic run on from shared steps in which the annulus ruptured writes what it "
          "writes alone, events and herniation included",
          "[unit]") {
    // Rupture starts in the shared flexion (an initiation event, 2 elements at 6 degrees), and
    // the runs part after it: a little more flexion leaves a fissure, more herniates.
    const std::string text = R"(name: flexed
segment: L4-5
mesh: {resolution: coarse}
materials: {formulation: elastic}
output: {vtu_every: 0}
rupture: {criterion: fibre_strain, threshold: 0.10}
steps:
  - name: compression
    loads: {follower_compression: 2000}
  - name: flexion
    loads: {rotation: {flexion: 8}}
  - name: more
    loads: {rotation: {flexion: FLEXION}}
)";
    auto flexed = [&](const std::string& degrees) {
        std::string t = text;
        t.replace(t.find("FLEXION"), 7, degrees);
        return scenario_of(t);
    };
    const Scenario little = flexed("9"), far = flexed("20");
    REQUIRE(scenarios::shared_steps(little, far) == 2);
    test::TempFolder folder;
    const auto little_alone = scenarios::run_scenario(little, options_into(folder / "little_alone"));
    const auto far_alone = scenarios::run_scenario(far, options_into(folder / "far_alone"));
    REQUIRE(little_alone.outcome == scenarios::RunOutcome::completed);
    REQUIRE(far_alone.outcome == scenarios::RunOutcome::herniation);
    // The first event comes in the shared steps.
    REQUIRE_FALSE(little_alone.events.empty());
    CHECK(little_alone.events.front().step_name == "flexion");

    scenarios::SharedRun shared(far, 2, options_into(folder / "unused"));
    INFO(shared.reason());
    REQUIRE(shared.ready());
    std::vector<int> told; // the events a run on from the shared steps is told of
    auto options = options_into(folder / "far_shared");
    options.on_event = [&](const scenarios::EventRecord& e) { told.push_back(e.index); };
    const auto far_shared = shared.run(far, options);
    const auto little_shared = shared.run(little, options_into(folder / "little_shared"));
    check_same_reports(far_alone, far_shared);
    check_same_reports(little_alone, little_shared);
    check_same_folders(folder / "far_alone", folder / "far_shared");
    check_same_folders(folder / "little_alone", folder / "little_shared");
    CHECK(told.size() == far_alone.events.size());
    CHECK(told.front() == 1);
}
