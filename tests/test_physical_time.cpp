// Physical time (issue 10): step durations with units, a ramp followed by a hold, time in
// seconds in results.csv and in the .pvd, bad durations reported at their place, and the
// elastic model unchanged by time (it is time-independent).
#include "core/error.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/step_plan.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"
#include "support/scenario_texts.hpp"

#include <catch2/catch.hpp>
#include <regex>

using namespace discsim;
using Catch::Matchers::StartsWith;

namespace {

const std::string timed = R"(name: timed
mesh: {resolution: coarse}
steps:
  - name: lying
    duration: 10 min
    loads: {follower_compression: 150}
  - name: pull
    duration: 0.5 h
    ramp: 30 s
    loads: {traction: {force: 250}}
  - name: sessions
    ramp: 5 s
    cycles: {count: 2, hold: 60, rest: 30}
    loads: {traction: {force: 300}}
)";

using test::scenario_texts::error_of;
using test::scenario_texts::replaced;

} // namespace

TEST_CASE("durations take units, and a ramp shorter than the step adds a hold", "[unit]") {
    const auto s = scenarios::parse_scenario(timed, "timed.yaml");
    REQUIRE(s.timed());
    CHECK(*s.steps[0].duration == 600.0);
    CHECK(*s.steps[1].duration == 1800.0);
    CHECK(*s.steps[1].ramp == 30.0);
    for (const auto& [text, seconds] : {std::pair{"45 s", 45.0},
                                        {"2 h", 7200.0},
                                        {"21 d", 21 * 86400.0},
                                        {"1.5 min", 90.0},
                                        {"1e3 s", 1000.0}}) {
        INFO(text);
        CHECK(*scenarios::parse_scenario(replaced(timed, "10 min", text), "t.yaml")
                   .steps[0]
                   .duration == seconds);
    }
    const auto plan = scenarios::plan_steps(s);
    // lying, pull, pull (held), then per cycle: hold ramp, hold (held), rest ramp, rest (held).
    REQUIRE(plan.size() == 3 + 2 * 4);
    CHECK(plan[0].start_time == 0.0);
    CHECK(plan[0].duration == 600.0);
    CHECK(plan[1].duration == 30.0);
    CHECK(plan[2].step.name == "pull (held)");
    CHECK(plan[2].start_time == 630.0);
    CHECK(plan[2].duration == 1770.0);
    CHECK(plan[2].step.max_increment == 1.0); // constant loads: one increment
    CHECK(plan[3].start_time == 2400.0);
    CHECK(plan[3].duration == 5.0);
    CHECK(plan[4].duration == 55.0);
    CHECK(plan[5].phase == "rest");
    CHECK(plan.back().time_at(1.0) == 2400.0 + 2 * 90.0);
    // Without durations nothing is added and time stays the load-history coordinate.
    const auto untimed = scenarios::parse_scenario(
        "name: u\nmaterials: {formulation: elastic}\nsteps:\n  - name: a\n    loads: "
        "{follower_compression: 100}\n",
        "u.yaml");
    CHECK_FALSE(untimed.timed());
    CHECK(scenarios::plan_steps(untimed).size() == 1);
    // The resolved scenario keeps the durations.
    const auto again = scenarios::parse_scenario(scenarios::to_yaml(s), "timed.yaml");
    CHECK(*again.steps[1].duration == 1800.0);
    CHECK(*again.steps[2].ramp == 5.0);
}

TEST_CASE("bad durations fail at their place before anything runs", "[unit]") {
    CHECK_THAT(error_of(replaced(timed, "duration: 10 min", "duration: 10")),
               StartsWith("bad.yaml:5:15: steps[0].duration: expected a duration with its unit (s, "
                          "min, h or d), such as '30 s' or '20 min', got '10'"));
    CHECK_THAT(error_of(replaced(timed, "duration: 10 min", "duration: 10 weeks")),
               StartsWith("bad.yaml:5:15: steps[0].duration: expected a duration with its unit"));
    CHECK_THAT(error_of(replaced(timed, "duration: 10 min", "duration: -3 s")),
               StartsWith("bad.yaml:5:15: steps[0].duration: expected a value in s in (0, "));
    CHECK_THAT(error_of(replaced(timed, "ramp: 30 s", "ramp: 1 h")),
               StartsWith("bad.yaml:9:11: steps[1].ramp: expected at most the step's duration "
                          "(1800 s), got 3600 s"));
    CHECK_THAT(error_of(replaced(timed, "    duration: 10 min\n", "")),
               StartsWith("bad.yaml:4:5: steps[0]: expected a duration (other steps have one"));
    CHECK_THAT(
        error_of(replaced(timed, "    ramp: 5 s\n", "    duration: 3 min\n")),
        StartsWith("bad.yaml:12:5: steps[2].duration: expected no duration on a cycled step"));
    CHECK_THAT(error_of("name: u\nsteps:\n  - name: a\n    ramp: 5 s\n"),
               StartsWith("bad.yaml:4:5: steps[0].ramp: expected a ramp only with a duration or "
                          "cycles"));
}

TEST_CASE(
    "a run with durations reports seconds, and time changes nothing the elastic model computes",
    "[validation]") {
    const auto s = scenarios::parse_scenario(timed, "timed.yaml", scenarios::Formulation::elastic);
    test::TempFolder folder;
    const auto report = test::run_into(s, folder);
    REQUIRE(report.completed);
    const auto results = test::read_results(folder / "results.csv");
    const auto time_s = results.column("time_s");
    CHECK(time_s.back() == Approx(2400.0 + 180.0));
    for (std::size_t i = 1; i < time_s.size(); ++i)
        CHECK(time_s[i] > time_s[i - 1]);
    // The .pvd's time steps are the same seconds (ParaView shows real time).
    const std::string pvd = test::file_bytes(folder / "disc.pvd");
    std::vector<double> steps;
    const std::regex timestep(R"re(timestep="([^"]+)")re");
    for (auto it = std::sregex_iterator(pvd.begin(), pvd.end(), timestep);
         it != std::sregex_iterator(); ++it)
        steps.push_back(std::stod((*it)[1]));
    CHECK(std::find(steps.begin(), steps.end(), 1800.0 + 600.0) != steps.end());
    CHECK(*std::max_element(steps.begin(), steps.end()) == Approx(2580.0));
    // A hold at constant loads leaves the elastic state where the ramp put it: the end of
    // "pull" and of "pull (held)" agree, and match the same loads without time.
    REQUIRE(report.step_ends.size() >= 3);
    const auto& ramp_end = report.step_ends[1].results;
    const auto& hold_end = report.step_ends[2].results;
    CHECK(hold_end.translation.z() == Approx(ramp_end.translation.z()).epsilon(1e-9));
    CHECK(hold_end.idp_mean == Approx(ramp_end.idp_mean).epsilon(1e-9));
    const auto untimed =
        scenarios::parse_scenario("name: u\nmesh: {resolution: coarse}\nsteps:\n  - name: lying\n  "
                                  "  loads: {follower_compression: 150}\n"
                                  "  - name: pull\n    loads: {traction: {force: 250}}\n",
                                  "u.yaml", scenarios::Formulation::elastic);
    test::TempFolder other;
    const auto plain = test::run_into(untimed, other);
    REQUIRE(plain.completed);
    CHECK(plain.step_ends[1].results.idp_mean == Approx(ramp_end.idp_mean).epsilon(1e-12));
    CHECK(plain.step_ends[1].results.translation.z() ==
          Approx(ramp_end.translation.z()).epsilon(1e-12));
}
