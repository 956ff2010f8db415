// Scenario files, the mistakes (scenarios/scenario_yaml.hpp, docs/scenarios.md): every kind of
// mistake is one InputError "FILE:LINE:COLUMN: KEY.PATH: expected ..., got ..." pointing at the
// right place. Also `discsim check` run as a user would. The good files: test_scenario_yaml.cpp.
#include "core/error.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/scenario_texts.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#ifndef DISCSIM_EXECUTABLE
#error "DISCSIM_EXECUTABLE must name the discsim executable (tests/CMakeLists.txt)"
#endif

namespace {
namespace fs = std::filesystem;
using namespace discsim::scenarios;
using namespace discsim::test::scenario_texts;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using discsim::InputError;
using discsim::test::TempFolder;
} // namespace

TEST_CASE("a YAML syntax error gives its line and column", "[unit]") {
    const std::string message =
        error_of("name: x\nsteps:\n  - name: a\n    loads: {moment: [1, 2\n");
    CHECK_THAT(message, StartsWith("bad.yaml:"));
    CHECK_THAT(message, Contains("YAML syntax error"));
    CHECK_THAT(error_of("name: x\n  bad: indentation\nsteps: []\n"),
               StartsWith("bad.yaml:2:6: YAML syntax error: illegal map value"));
}

TEST_CASE("a key given twice is rejected at the second one", "[unit]") {
    const std::string message = error_of(
        replaced(complete_scenario, "  vtu_every: 2\n", "  vtu_every: 2\n  vtu_every: 3\n"));
    CHECK(message == "bad.yaml:19:3: output.vtu_every: expected each key once in a mapping, got "
                     "'vtu_every' again (first at line 18)");
    CHECK_THAT(error_of("name: x\nsteps:\n  - {name: a, name: b}\n"),
               StartsWith("bad.yaml:3:15: steps[0].name: expected each key once"));
}

TEST_CASE("a value of the wrong type is rejected", "[unit]") {
    SECTION("a string where a number is expected") {
        CHECK(error_of(replaced(complete_scenario, "flexion: 7.5", "flexion: seven")) ==
              "bad.yaml:26:25: steps[1].loads.moment.flexion: expected a number in N m in "
              "[0, 100], got 'seven'");
        CHECK_THAT(
            error_of(replaced(complete_scenario, "bulk_to_shear: 500", "bulk_to_shear: \"500\"")),
            StartsWith("bad.yaml:11:18: materials.bulk_to_shear: expected a number in "
                       "[1, 10000], got the string \"500\""));
    }
    SECTION("a list where a mapping is expected") {
        const std::string message = error_of(replaced(
            complete_scenario, "force: {x: 10, y: -20, z: -100}", "force: [10, -20, -100]"));
        CHECK_THAT(message, StartsWith("bad.yaml:27:14: steps[1].loads.force: expected a mapping "
                                       "(key: value) with keys among x, y, z, got a list"));
    }
    SECTION("a mapping where a list is expected") {
        CHECK_THAT(error_of("name: x\nsteps: {name: a}\n"),
                   StartsWith("bad.yaml:2:8: steps: expected a list of load steps"));
    }
    SECTION("a quoted line break stays escaped: the message is one line") {
        const std::string message =
            error_of(replaced(complete_scenario, "flexion: 7.5", "\"flex\\nion\": 7.5"));
        CHECK(message.find('\n') == std::string::npos);
        CHECK_THAT(message,
                   StartsWith("bad.yaml:26:16: steps[1].loads.moment.flex\\nion: unknown key"));
    }
    SECTION("a whole number") {
        CHECK(error_of(replaced(complete_scenario, "count: 3", "count: 2.5")) ==
              "bad.yaml:32:21: steps[1].cycles.count: expected a whole number in [1, 10000], "
              "got 2.5");
    }
    SECTION("nothing where a value is expected points at the key") {
        CHECK(error_of(replaced(complete_scenario, "follower_compression: 500",
                                "follower_compression:")) ==
              "bad.yaml:23:7: steps[0].loads.follower_compression: expected a number in N in "
              "[0, 10000], got nothing");
    }
}

TEST_CASE("an unknown key is rejected with the nearest valid key", "[unit]") {
    const std::string message =
        error_of(replaced(complete_scenario, "follower_compression", "folower_compression"));
    CHECK_THAT(message, StartsWith("bad.yaml:23:7: steps[0].loads.folower_compression: unknown "
                                   "key 'folower_compression' (did you mean "
                                   "'follower_compression'?); expected one of "
                                   "follower_compression, moment, force,"));
    CHECK_THAT(error_of(replaced(complete_scenario, "nucleus_share", "nucleus_shar")),
               StartsWith("bad.yaml:6:14: mesh.geometry.nucleus_shar: unknown key 'nucleus_shar' "
                          "(did you mean 'nucleus_share'?)"));
    CHECK_THAT(error_of("name: x\nstpes: []\n"),
               StartsWith("bad.yaml:2:1: stpes: unknown key 'stpes' (did you mean 'steps'?)"));
    CHECK_THAT(error_of(replaced(complete_scenario, "resolution: coarse", "resolution: corse")),
               Contains("mesh.resolution: expected one of coarse, medium, fine, got 'corse' "
                        "(did you mean 'coarse'?)"));
}

TEST_CASE("an out-of-range value is rejected with its unit and range", "[unit]") {
    struct Case {
        std::string from, to, expected;
    };
    const Case cases[] = {
        {"follower_compression: 500", "follower_compression: -5",
         "bad.yaml:23:29: steps[0].loads.follower_compression: expected a value in N in "
         "[0, 10000], got -5"},
        {"flexion: 7.5", "flexion: 150",
         "bad.yaml:26:25: steps[1].loads.moment.flexion: expected a value in N m in [0, 100], "
         "got 150"},
        {"extension: 3", "extension: 91",
         "bad.yaml:28:29: steps[1].loads.rotation.extension: expected a value in deg in [0, 90], "
         "got 91"},
        {"z: -1}", "z: -25}",
         "bad.yaml:29:43: steps[1].loads.displacement.z: expected a value in mm in [-20, 20], "
         "got -25"},
        {"body_mass: 80", "body_mass: 300",
         "bad.yaml:30:82: steps[1].loads.lifting.body_mass: expected a value in kg in (30, 250), "
         "got 300"},
        {"angle: -10", "angle: -50",
         "bad.yaml:31:52: steps[1].loads.traction.angle: expected a value in deg in [-45, 45], "
         "got -50"},
        {"nucleus_share: 0.4", "nucleus_share: 1.2",
         "bad.yaml:6:29: mesh.geometry.nucleus_share: expected a value in (0, 1), got 1.2"},
        {"kappa: 0.1", "kappa: 0.5",
         "bad.yaml:13:41: materials.annulus.kappa: expected a value in [0, 0.3333333333333333], "
         "got 0.5"},
        {"threshold: 4.5", "threshold: 0",
         "bad.yaml:16:14: rupture.threshold: expected a value in MPa in (0, 100], got 0"},
        {"initial: 0.5", "initial: 0",
         "bad.yaml:21:27: steps[0].increments.initial: expected a value in (0, 1], got 0"},
    };
    for (const auto& c : cases) {
        INFO(c.to);
        CHECK(error_of(replaced(complete_scenario, c.from, c.to)) == c.expected);
    }
}

TEST_CASE("a missing required key is named at its mapping", "[unit]") {
    CHECK(error_of("description: no name\nsteps:\n  - name: a\n") ==
          "bad.yaml:1:1: name: expected the scenario's name (a string), got nothing (the key is "
          "required)");
    CHECK_THAT(error_of("name: x\n"),
               StartsWith("bad.yaml:1:1: steps: expected a list of load steps"));
    CHECK_THAT(error_of(replaced(complete_scenario, "  - name: activity\n", "  - \n")),
               StartsWith("bad.yaml:25:5: steps[1].name: expected the step's name"));
    CHECK_THAT(error_of("name: x\nsteps: []\n"),
               StartsWith("bad.yaml:2:8: steps: expected at least one step, got an empty list"));
    CHECK_THAT(error_of(""), StartsWith("bad.yaml:1:1: expected a scenario"));
    CHECK_THAT(error_of(minimal_scenario + "---\nname: y\n"),
               StartsWith("bad.yaml:6:1: expected a single YAML document"));
}

TEST_CASE("rules between keys are checked", "[unit]") {
    SECTION("duplicate step names") {
        CHECK(error_of(replaced(complete_scenario, "name: activity", "name: preload")) ==
              "bad.yaml:24:11: steps[1].name: expected a name not used by another step, got "
              "'preload' again (first at line 20)");
    }
    SECTION("increments out of order") {
        CHECK(
            error_of(replaced(complete_scenario, "min: 0.01, max: 1", "min: 0.01, max: 0.4")) ==
            "bad.yaml:21:27: steps[0].increments.initial: expected a value <= max (0.4), got 0.5");
        CHECK_THAT(error_of(replaced(complete_scenario, "min: 0.01, max: 1", "min: 0.8, max: 0.6")),
                   StartsWith("bad.yaml:21:37: steps[0].increments.min: expected a value <= max "
                              "(0.6), got 0.8"));
    }
    SECTION("traction needs exactly one of force and body_weight_fraction") {
        CHECK_THAT(error_of(replaced(complete_scenario, "traction: {body_weight_fraction: 0.3,",
                                     "traction: {body_weight_fraction: 0.3, force: 200,")),
                   StartsWith("bad.yaml:31:45: steps[1].loads.traction.force: expected exactly one "
                              "of force (N) and body_weight_fraction, got both"));
        CHECK_THAT(error_of(replaced(complete_scenario, "body_weight_fraction: 0.3, ", "")),
                   StartsWith("bad.yaml:31:17: steps[1].loads.traction: expected exactly one of "
                              "force (N) and body_weight_fraction, got neither"));
    }
    SECTION("geometry overrides must make a disc with the segment's preset") {
        // Each value is in its own range, but the notch is deeper than a third of the depth.
        const std::string message =
            error_of(replaced(complete_scenario, "nucleus_share: 0.4", "posterior_concavity: 15"));
        CHECK_THAT(message, StartsWith("bad.yaml:6:35: mesh.geometry.posterior_concavity: "
                                       "expected a value in mm in [0, depth/3)"));
        CHECK_THAT(message, Contains("got 15 (with the L5-S1 coarse preset)"));
    }
    SECTION("c01 of the annulus needs the Mooney-Rivlin ground substance") {
        CHECK_THAT(error_of(replaced(complete_scenario, "annulus_ground: schmidt2007",
                                     "annulus_ground: gruber2024")),
                   StartsWith("bad.yaml:13:28: materials.annulus.c01: expected no c01 with "
                              "annulus_ground gruber2024"));
    }
    SECTION("lifting body_mass 0 releases lifting, and only without a load") {
        const auto released =
            parse_scenario(replaced(complete_scenario,
                                    "load_mass: 20, trunk_flexion: 45, load_distance: 300, "
                                    "body_mass: 80",
                                    "load_mass: 0, body_mass: 0"),
                           "x.yaml");
        REQUIRE(released.steps[1].loads.lifting.has_value());
        CHECK(released.steps[1].loads.lifting->body_mass == 0.0);
        CHECK_THAT(error_of(replaced(complete_scenario, "body_mass: 80", "body_mass: 0")),
                   StartsWith("bad.yaml:30:82: steps[1].loads.lifting.body_mass: expected a "
                              "number in kg in (30, 250) (0 only with load_mass 0, to release "
                              "lifting), got 0"));
    }
    SECTION("step names are one line of text") {
        CHECK(error_of(replaced(complete_scenario, "name: preload", "name: \"pre\\nload\"")) ==
              "bad.yaml:20:11: steps[0].name: expected the step's name (one line of text, not "
              "empty), got \"pre\\nload\"");
        CHECK(parse_scenario(replaced(complete_scenario, "name: preload", "name: flexion 1 N m"),
                             "x.yaml")
                  .steps[0]
                  .name == "flexion 1 N m");
    }
}

TEST_CASE("mesh.file is relative to the scenario and must exist", "[unit]") {
    TempFolder folder;
    fs::create_directories(folder / "meshes");
    write_text(folder / "meshes" / "disc.vtu", "");
    fs::create_directories(folder / "scenarios");
    const std::string text = "name: own mesh\nmesh:\n  file: ../meshes/disc.vtu\nsteps:\n"
                             "  - name: a\n    duration: 1 s\n";
    write_text(folder / "scenarios" / "own.yaml", text);

    const Scenario s = load_scenario(folder / "scenarios" / "own.yaml");
    REQUIRE(s.mesh.file.has_value());
    CHECK(*s.mesh.file == fs::absolute(folder / "meshes" / "disc.vtu").lexically_normal());
    CHECK(s.mesh.file->is_absolute());

    SECTION("a missing file") {
        const fs::path scenario = folder / "scenarios" / "missing.yaml";
        write_text(scenario, replaced(text, "disc.vtu", "gone.vtu"));
        try {
            load_scenario(scenario);
            FAIL("expected an InputError");
        } catch (const InputError& error) {
            const std::string message = error.what();
            CHECK_THAT(message, StartsWith(scenario.string() + ":3:9: mesh.file: expected an "
                                                               "existing mesh file, got "
                                                               "'../meshes/gone.vtu'"));
            CHECK_THAT(message, Contains((folder / "meshes" / "gone.vtu").string()));
        }
    }
    SECTION("not with resolution or geometry") {
        CHECK_THAT(error_of(replaced(text, "mesh:\n", "mesh:\n  resolution: fine\n")),
                   StartsWith("bad.yaml:4:3: mesh.file: expected either a mesh file or "
                              "resolution/geometry of a generated mesh, got both ('resolution' at "
                              "line 3)"));
    }
    SECTION("a missing scenario file") {
        CHECK_THROWS_WITH(load_scenario(folder / "nothing.yaml"),
                          Contains("nothing.yaml: no such scenario file"));
    }
}

// ---- `discsim check` ----------------------------------------------------------------------

using discsim::test::Run;
using discsim::test::run_discsim;

TEST_CASE("discsim check validates a scenario without solving", "[cli]") {
    TempFolder folder;
    const fs::path good = folder / "good.yaml";
    write_text(good, complete_scenario);

    const Run ok = run_discsim("check '" + good.string() + "'");
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK_THAT(ok.output, Contains("is valid"));
    CHECK_THAT(ok.output, Contains("Flexion with follower preload"));
    CHECK_THAT(ok.output, Contains("L5-S1"));
    CHECK_THAT(ok.output, Contains("1. preload"));
    CHECK_THAT(ok.output, Contains("follower compression 500 N"));
    CHECK_THAT(ok.output, Contains("flexion 7.5 N m"));

    const Run resolved = run_discsim("check --resolved '" + good.string() + "'");
    CHECK(resolved.status == 0);
    check_same(parse_scenario(resolved.output, good), parse_scenario(complete_scenario, good));

    const fs::path bad = folder / "bad.yaml";
    write_text(bad, replaced(complete_scenario, "flexion: 7.5", "flexion: -7.5"));
    const Run failed = run_discsim("check '" + bad.string() + "'");
    INFO(failed.output);
    CHECK(failed.status == 2);
    CHECK(std::count(failed.output.begin(), failed.output.end(), '\n') == 1);
    CHECK_THAT(failed.output, StartsWith("discsim: error: " + bad.string() +
                                         ":26:25: steps[1].loads.moment.flexion: expected"));

    CHECK(run_discsim("check --help").status == 0);
    CHECK(run_discsim("check").status == 2);
}

TEST_CASE("rupture: residual stiffness and stopping at herniation", "[unit]") {
    const auto s = parse_scenario(
        "name: x\nsegment: L4-5\nrupture: {residual_stiffness: 0.02, stop_at_herniation: false}\n"
        "steps:\n  - name: a\n    duration: 1 s\n    loads: {follower_compression: 100}\n",
        "r.yaml");
    CHECK(s.rupture.enabled);
    CHECK(s.rupture.residual_stiffness == 0.02);
    CHECK_FALSE(s.rupture.stop_at_herniation);
    try {
        parse_scenario("name: x\nsegment: L4-5\nrupture: {residual_stiffness: 0.7}\n"
                       "steps:\n  - name: a\n    duration: 1 s\n    loads: {follower_compression: 100}\n",
                       "r.yaml");
        FAIL("accepted a residual stiffness of 0.7");
    } catch (const discsim::InputError& e) {
        CHECK(std::string(e.what()) ==
              "r.yaml:3:31: rupture.residual_stiffness: expected a value in (0, 0.5], got 0.7");
    }
}

TEST_CASE("the biphasic disc's bad input is refused before anything runs", "[unit]") {
    // Issue 11's list: each a located error naming the key, what was expected and what was given.
    const std::string base = "name: x\nmaterials:\n  formulation: biphasic\n  nucleus: {NUCLEUS}\n"
                             "steps:\n  - name: a\n    duration: 1 h\n";
    auto with = [&](const std::string& nucleus) { return replaced(base, "NUCLEUS", nucleus); };
    const std::string plain = with("fluid_fraction: 0.8");
    SECTION("a permeability <= 0") {
        CHECK(error_of(with("permeability: {k0: 0}")) ==
              "bad.yaml:4:32: materials.nucleus.permeability.k0: expected a value in "
              "mm^4/(N s) in (0, 1], got 0");
        CHECK_THAT(error_of(with("permeability: {k0: -1e-3}")), Contains("got -0.001"));
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: biphasic}\nboundaries: {cartilage: "
                            "{permeability: 0}}\nsteps:\n  - name: a\n    duration: 1 h\n"),
                   Contains("3:40: boundaries.cartilage.permeability: expected a value in mm^4/(N s) in (0, 1], got 0"));
    }
    SECTION("a fixed charge density < 0") {
        CHECK(error_of(with("fixed_charge_density: -0.1")) ==
              "bad.yaml:4:35: materials.nucleus.fixed_charge_density: expected a value in mEq/ml "
              "in [0, 1], got -0.1");
    }
    SECTION("a duration without a unit") {
        CHECK(error_of(replaced(plain, "duration: 1 h", "duration: 3600")) ==
              "bad.yaml:7:15: steps[0].duration: expected a duration with its unit (s, min, h or "
              "d), such as '30 s' or '20 min', got '3600'");
    }
    SECTION("a biphasic key on an elastic scenario") {
        // The default is the biphasic disc: an elastic scenario says so.
        CHECK(error_of("name: x\nmaterials:\n  formulation: elastic\n  nucleus: {fixed_charge_density: "
                       "0.2}\nsteps:\n  - name: a\n") ==
              "bad.yaml:4:13: materials.nucleus.fixed_charge_density: expected no "
              "fixed_charge_density in an elastic scenario (it belongs to materials.formulation: "
              "biphasic), got one");
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: elastic}\nboundaries: {outer_wall: "
                            "sealed}\nsteps:\n  - name: a\n"),
                   StartsWith("bad.yaml:3:1: boundaries: expected no boundaries in an elastic scenario"));
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: elastic}\nsteps:\n  - name: a\n    "
                            "time_step: {initial: 1 s}\n"),
                   StartsWith("bad.yaml:5:5: steps[0].time_step: expected no time_step in an elastic scenario"));
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: elastic, bath: {osmolarity: 0.3}}\n"
                            "steps:\n  - name: a\n"),
                   Contains("materials.bath: expected no bath in an elastic scenario"));
    }
    SECTION("a surface name that does not exist") {
        CHECK(error_of("name: x\nmaterials: {formulation: biphasic}\nboundaries: {outer_walls: "
                       "sealed}\nsteps:\n  - name: a\n    duration: 1 h\n") ==
              "bad.yaml:3:14: boundaries.outer_walls: unknown key 'outer_walls' (did you mean "
              "'outer_wall'?); expected one of outer_wall, superior_endplate, inferior_endplate, "
              "cartilage");
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: biphasic}\nboundaries: {superior_endplate: "
                            "porous}\nsteps:\n  - name: a\n    duration: 1 h\n"),
                   Contains("boundaries.superior_endplate: expected one of cartilage, drained, sealed, got 'porous'"));
    }
    SECTION("a time step larger than the step") {
        CHECK(error_of(replaced(plain, "duration: 1 h", "duration: 1 h\n    time_step: {initial: 2 h}")) ==
              "bad.yaml:8:26: steps[0].time_step.initial: expected a time step no longer than the "
              "step (3600 s), got 7200 s");
        CHECK_THAT(error_of(replaced(plain, "duration: 1 h", "duration: 1 h\n    time_step: {initial: 1 s, max: 0.5 s}")),
                   Contains("steps[0].time_step.initial: expected a value <= max (0.5 s), got 1 s"));
    }
    SECTION("a biphasic scenario without time") {
        CHECK_THAT(error_of("name: x\nmaterials: {formulation: biphasic}\nsteps:\n  - name: a\n"),
                   Contains("steps[0]: expected a duration (the biphasic disc, the default "
                            "formulation, is time-dependent"));
        // Nor without a formulation: the biphasic disc is the default, and the message says how
        // to ask for an equilibrium study.
        CHECK_THAT(error_of("name: x\nsteps:\n  - name: a\n"),
                   Contains("set materials.formulation: elastic), got none"));
    }
}
