// Scenario files (scenarios/scenario_yaml.hpp, docs/scenarios.md): a good file gives the
// expected Scenario with the defaults filled in, to_yaml reads back to the same scenario, and
// every kind of mistake is one InputError "FILE:LINE:COLUMN: KEY.PATH: expected ..., got ..."
// pointing at the right place. Also `discsim check` run as a user would.
#include "core/error.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

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
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using discsim::InputError;
using discsim::test::TempFolder;

// Every key of the schema, with non-default values. Line numbers matter to the tests below.
const std::string complete_scenario = R"(name: Flexion with follower preload
description: "standing: preload, then flexion"
segment: L5-S1
mesh:
  resolution: coarse
  geometry: {nucleus_share: 0.4, annulus_rings: 5}
materials:
  annulus_ground: schmidt2007
  fibre_invariant: full
  bulk_to_shear: 500
  nucleus: {c10: 0.12, c01: 0.03}
  annulus: {c10: 0.2, c01: 0.05, kappa: 0.1, k1_scale: 1.5, k2_scale: 0.5}
rupture:
  criterion: max_principal_stress
  threshold: 4.5
output:
  vtu_every: 2
steps:
  - name: preload
    increments: {initial: 0.5, min: 0.01, max: 1}
    loads:
      follower_compression: 500
  - name: activity
    loads:
      moment: {flexion: 7.5, left_lateral_bending: 2, right_axial_rotation: 1}
      force: {x: 10, y: -20, z: -100}
      rotation: {extension: 3, right_lateral_bending: 4, left_axial_rotation: 5}
      displacement: {x: 0.5, y: -0.25, z: -1}
      lifting: {load_mass: 20, trunk_flexion: 45, load_distance: 300, body_mass: 80}
      traction: {body_weight_fraction: 0.3, angle: -10, body_mass: 70}
    cycles: {count: 3, hold: 60, rest: 30}
)";

// A scenario with only what is required after the edit `replace(from, to)` of a base text.
const std::string minimal_scenario = "name: minimal\nsteps:\n  - name: only\n";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The message of the InputError that parsing `text` must throw.
std::string error_of(const std::string& text) {
    try {
        parse_scenario(text, "bad.yaml");
    } catch (const InputError& error) {
        return error.what();
    }
    FAIL("expected an InputError for:\n" << text);
    return {};
}

void check_same_loads(const StepLoads& a, const StepLoads& b) {
    CHECK(a.moment == b.moment);
    CHECK(a.follower_compression == b.follower_compression);
    CHECK(a.force == b.force);
    CHECK(a.rotation == b.rotation);
    CHECK(a.displacement == b.displacement);
    REQUIRE(a.lifting.has_value() == b.lifting.has_value());
    if (a.lifting) {
        CHECK(a.lifting->load_mass == b.lifting->load_mass);
        CHECK(a.lifting->trunk_flexion == b.lifting->trunk_flexion);
        CHECK(a.lifting->load_distance == b.lifting->load_distance);
        CHECK(a.lifting->body_mass == b.lifting->body_mass);
    }
    REQUIRE(a.traction.has_value() == b.traction.has_value());
    if (a.traction) {
        CHECK(a.traction->force == b.traction->force);
        CHECK(a.traction->body_weight_fraction == b.traction->body_weight_fraction);
        CHECK(a.traction->body_mass == b.traction->body_mass);
        CHECK(a.traction->angle == b.traction->angle);
    }
}

// Field-by-field equality, ignoring where the steps were written (a round trip moves them).
void check_same(const Scenario& a, const Scenario& b) {
    CHECK(a.name == b.name);
    CHECK(a.description == b.description);
    CHECK(a.source == b.source);
    CHECK(a.mesh.segment == b.mesh.segment);
    CHECK(a.mesh.resolution == b.mesh.resolution);
    CHECK(a.mesh.geometry == b.mesh.geometry);
    CHECK(a.mesh.file == b.mesh.file);
    const auto& m = a.materials;
    const auto& n = b.materials;
    CHECK(m.annulus_ground == n.annulus_ground);
    CHECK(m.fibre_invariant == n.fibre_invariant);
    CHECK(m.bulk_to_shear == n.bulk_to_shear);
    CHECK(m.nucleus_c10 == n.nucleus_c10);
    CHECK(m.nucleus_c01 == n.nucleus_c01);
    CHECK(m.annulus_c10 == n.annulus_c10);
    CHECK(m.annulus_c01 == n.annulus_c01);
    CHECK(m.annulus_kappa == n.annulus_kappa);
    CHECK(m.annulus_k1_scale == n.annulus_k1_scale);
    CHECK(m.annulus_k2_scale == n.annulus_k2_scale);
    CHECK(a.rupture.enabled == b.rupture.enabled);
    CHECK(a.rupture.criterion == b.rupture.criterion);
    CHECK(a.rupture.threshold_value() == b.rupture.threshold_value());
    CHECK(a.rupture.residual_stiffness == b.rupture.residual_stiffness);
    CHECK(a.rupture.stop_at_herniation == b.rupture.stop_at_herniation);
    CHECK(a.output.vtu_every == b.output.vtu_every);
    REQUIRE(a.steps.size() == b.steps.size());
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        const auto& s = a.steps[i];
        const auto& t = b.steps[i];
        CHECK(s.name == t.name);
        CHECK(s.initial_increment == t.initial_increment);
        CHECK(s.min_increment == t.min_increment);
        CHECK(s.max_increment == t.max_increment);
        REQUIRE(s.cycles.has_value() == t.cycles.has_value());
        if (s.cycles) {
            CHECK(s.cycles->count == t.cycles->count);
            CHECK(s.cycles->hold == t.cycles->hold);
            CHECK(s.cycles->rest == t.cycles->rest);
        }
        check_same_loads(s.loads, t.loads);
    }
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

} // namespace

TEST_CASE("a complete scenario file parses to the expected scenario", "[unit]") {
    const Scenario s = parse_scenario(complete_scenario, "scenarios/complete.yaml");
    CHECK(s.name == "Flexion with follower preload");
    CHECK(s.description == "standing: preload, then flexion");
    CHECK(s.source == fs::path("scenarios/complete.yaml"));
    CHECK(s.mesh.segment == discsim::mesh::Segment::L5_S1);
    CHECK(s.mesh.resolution == discsim::mesh::Resolution::coarse);
    using Overrides = std::vector<std::pair<std::string, double>>;
    CHECK(s.mesh.geometry == Overrides{{"nucleus_share", 0.4}, {"annulus_rings", 5.0}});
    CHECK_FALSE(s.mesh.file.has_value());

    const auto& m = s.materials;
    CHECK(m.annulus_ground == discsim::solver::AnnulusGround::mooney_rivlin_schmidt2007);
    CHECK(m.fibre_invariant == discsim::materials::FibreInvariant::full);
    CHECK(m.bulk_to_shear == 500.0);
    CHECK(m.nucleus_c10 == 0.12);
    CHECK(m.nucleus_c01 == 0.03);
    CHECK(m.annulus_c10 == 0.2);
    CHECK(m.annulus_c01 == 0.05);
    CHECK(m.annulus_kappa == 0.1);
    CHECK(m.annulus_k1_scale == 1.5);
    CHECK(m.annulus_k2_scale == 0.5);

    CHECK(s.rupture.enabled);
    CHECK(s.rupture.criterion == RuptureCriterion::max_principal_stress);
    CHECK(s.rupture.threshold == 4.5);
    CHECK(s.rupture.residual_stiffness == 0.01);
    CHECK(s.rupture.stop_at_herniation);
    CHECK(s.output.vtu_every == 2);

    REQUIRE(s.steps.size() == 2);
    const auto& preload = s.steps[0];
    CHECK(preload.name == "preload");
    CHECK(preload.initial_increment == 0.5);
    CHECK(preload.min_increment == 0.01);
    CHECK(preload.max_increment == 1.0);
    CHECK(preload.loads.follower_compression == 500.0);
    CHECK_FALSE(preload.loads.moment[1].has_value());
    CHECK_FALSE(preload.cycles.has_value());
    CHECK(preload.where.file == "scenarios/complete.yaml");
    CHECK(preload.where.line == 19);
    CHECK(preload.where.column == 5);

    const auto& activity = s.steps[1];
    CHECK(activity.name == "activity");
    CHECK(activity.where.line == 23);
    CHECK_FALSE(activity.loads.follower_compression.has_value()); // carried over, not reset
    const auto& l = activity.loads;
    // x = right lateral bending +, y = flexion +, z = left axial rotation + (PHYSICS.md 1).
    CHECK(l.moment[0] == -2.0);
    CHECK(l.moment[1] == 7.5);
    CHECK(l.moment[2] == -1.0);
    CHECK(l.force[0] == 10.0);
    CHECK(l.force[1] == -20.0);
    CHECK(l.force[2] == -100.0);
    CHECK(l.rotation[0] == 4.0);
    CHECK(l.rotation[1] == -3.0);
    CHECK(l.rotation[2] == 5.0);
    CHECK(l.displacement[0] == 0.5);
    CHECK(l.displacement[1] == -0.25);
    CHECK(l.displacement[2] == -1.0);
    REQUIRE(l.lifting.has_value());
    CHECK(l.lifting->load_mass == 20.0);
    CHECK(l.lifting->trunk_flexion == 45.0);
    CHECK(l.lifting->load_distance == 300.0);
    CHECK(l.lifting->body_mass == 80.0);
    REQUIRE(l.traction.has_value());
    CHECK_FALSE(l.traction->force.has_value());
    CHECK(l.traction->body_weight_fraction == 0.3);
    CHECK(l.traction->angle == -10.0);
    CHECK(l.traction->body_mass == 70.0);
    REQUIRE(activity.cycles.has_value());
    CHECK(activity.cycles->count == 3);
    CHECK(activity.cycles->hold == 60.0);
    CHECK(activity.cycles->rest == 30.0);
}

TEST_CASE("a minimal scenario gets every default", "[unit]") {
    const Scenario s = parse_scenario(minimal_scenario, "minimal.yaml");
    const Scenario defaults;
    const StepSpec default_step;
    CHECK(s.name == "minimal");
    CHECK(s.description.empty());
    CHECK(s.mesh.segment == discsim::mesh::Segment::L4_L5);
    CHECK(s.mesh.resolution == discsim::mesh::Resolution::medium);
    CHECK(s.mesh.geometry.empty());
    CHECK_FALSE(s.mesh.file.has_value());
    CHECK(s.materials.annulus_ground == discsim::solver::AnnulusGround::neo_hookean_gruber2024);
    CHECK(s.materials.fibre_invariant == discsim::materials::FibreInvariant::isochoric);
    CHECK(s.materials.bulk_to_shear == discsim::materials::default_bulk_to_shear);
    CHECK_FALSE(s.materials.nucleus_c10.has_value());
    CHECK_FALSE(s.materials.annulus_kappa.has_value());
    CHECK(s.materials.annulus_k1_scale == 1.0);
    CHECK(s.rupture.enabled); // the annulus ruptures at the default threshold unless switched off
    CHECK(s.rupture.criterion == RuptureCriterion::fibre_strain);
    CHECK_FALSE(s.rupture.threshold.has_value());
    CHECK(s.rupture.threshold_value() == discsim::solver::default_threshold(RuptureCriterion::fibre_strain));
    CHECK(s.rupture.residual_stiffness == 0.01);
    CHECK(s.rupture.stop_at_herniation);
    CHECK(s.output.vtu_every == defaults.output.vtu_every);
    REQUIRE(s.steps.size() == 1);
    CHECK(s.steps[0].name == "only");
    CHECK(s.steps[0].initial_increment == default_step.initial_increment);
    CHECK(s.steps[0].min_increment == default_step.min_increment);
    CHECK(s.steps[0].max_increment == default_step.max_increment);
    CHECK_FALSE(s.steps[0].cycles.has_value());
    for (int axis = 0; axis < 3; ++axis)
        CHECK_FALSE(s.steps[0].loads.moment[axis].has_value());

    SECTION("an increment given alone moves the defaults out of its way") {
        const auto one = parse_scenario(replaced(minimal_scenario, "- name: only",
                                                 "- name: only\n    increments: {initial: 1}"),
                                        "x.yaml");
        CHECK(one.steps[0].initial_increment == 1.0);
        CHECK(one.steps[0].max_increment == 1.0);
        CHECK(one.steps[0].min_increment == default_step.min_increment);
    }
    SECTION("segment accepts L4-L5 and case variants; rupture can be listed but off") {
        const auto s2 = parse_scenario("name: x\nsegment: l4-l5\nrupture: {enabled: false}\n" +
                                           minimal_scenario.substr(minimal_scenario.find("steps")),
                                       "x.yaml");
        CHECK(s2.mesh.segment == discsim::mesh::Segment::L4_L5);
        CHECK_FALSE(s2.rupture.enabled);
    }
}

TEST_CASE("to_yaml reads back to the same scenario", "[unit]") {
    SECTION("every key given") {
        const Scenario original = parse_scenario(complete_scenario, "dir/complete.yaml");
        const std::string text = to_yaml(original);
        INFO(text);
        check_same(parse_scenario(text, "dir/complete.yaml"), original);
        CHECK(to_yaml(parse_scenario(text, "dir/complete.yaml")) == text);
    }
    SECTION("defaults only: they are written out") {
        const Scenario original = parse_scenario(minimal_scenario, "minimal.yaml");
        const std::string text = to_yaml(original);
        INFO(text);
        CHECK_THAT(text, Contains("segment: L4-5"));
        CHECK_THAT(text, Contains("resolution: medium"));
        CHECK_THAT(text, Contains("annulus_ground: gruber2024"));
        CHECK_THAT(text, Contains("bulk_to_shear: 1000"));
        CHECK_THAT(text, Contains("enabled: true"));
        CHECK_THAT(text, Contains("threshold: 0.12  # the criterion's default"));
        CHECK_THAT(text, Contains("vtu_every: 1"));
        CHECK_THAT(text, Contains("increments: {initial: 0.25, min: 1e-04, max: 0.5}"));
        check_same(parse_scenario(text, "minimal.yaml"), original);
    }
    SECTION("a scenario built in code, with awkward strings and a mesh file") {
        TempFolder folder;
        write_text(folder / "disc.vtu", "");
        Scenario original;
        original.name = "quotes \" and \\ and: colons # not a comment\ttab";
        original.description = "yes";
        original.source = folder / "code.yaml";
        original.mesh.file = folder / "disc.vtu";
        StepSpec step;
        step.name = "only";
        step.loads.moment = {0.0, -7.5, 2.0};
        Traction traction;
        traction.force = 250.0;
        traction.angle = 12.5;
        step.loads.traction = traction;
        original.steps.push_back(step);
        const std::string text = to_yaml(original);
        INFO(text);
        check_same(parse_scenario(text, original.source), original);
    }
}

TEST_CASE("every shipped scenario is valid and reads back from to_yaml", "[unit]") {
    // The library sits beside this file's folder in the source tree.
    const fs::path library =
        fs::path(__FILE__).parent_path().parent_path() / "scenarios" / "library";
    REQUIRE(fs::is_directory(library));
    int count = 0;
    for (const auto& entry : fs::directory_iterator(library)) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path().string());
        const Scenario original = load_scenario(entry.path());
        const std::string text = to_yaml(original);
        INFO(text);
        check_same(parse_scenario(text, entry.path()), original);
        ++count;
    }
    CHECK(count > 0);
}

TEST_CASE("anatomical names map to signed components", "[unit]") {
    struct Case {
        const char* name;
        int axis;
        double sign;
    };
    const Case cases[] = {{"flexion", 1, 1.0},
                          {"extension", 1, -1.0},
                          {"right_lateral_bending", 0, 1.0},
                          {"left_lateral_bending", 0, -1.0},
                          {"left_axial_rotation", 2, 1.0},
                          {"right_axial_rotation", 2, -1.0}};
    for (const auto& c : cases) {
        for (const std::string kind : {"moment", "rotation"}) {
            const std::string text =
                replaced(minimal_scenario, "- name: only",
                         "- name: only\n    loads: {" + kind + ": {" + c.name + ": 2.5}}");
            const auto loads = parse_scenario(text, "x.yaml").steps[0].loads;
            const auto& components = kind == "moment" ? loads.moment : loads.rotation;
            INFO(kind << " " << c.name);
            for (int axis = 0; axis < 3; ++axis) {
                if (axis == c.axis)
                    CHECK(components[axis] == 2.5 * c.sign);
                else
                    CHECK_FALSE(components[axis].has_value());
            }
        }
    }
}

TEST_CASE("both directions about one axis in one step are rejected", "[unit]") {
    const std::string message = error_of(
        replaced(minimal_scenario, "- name: only",
                 "- name: only\n    loads:\n      moment: {flexion: 5, left_axial_rotation: 1,"
                 " extension: 2}"));
    CHECK_THAT(message, StartsWith("bad.yaml:5:52: steps[0].loads.moment.extension: "));
    CHECK_THAT(message, Contains("expected only one of the two opposite directions"));
    CHECK_THAT(message, Contains("got both 'flexion' (line 5) and 'extension'"));

    const std::string negative = error_of(replaced(
        minimal_scenario, "- name: only", "- name: only\n    loads: {rotation: {flexion: -3}}"));
    CHECK_THAT(negative, StartsWith("bad.yaml:4:33: steps[0].loads.rotation.flexion: "));
    CHECK_THAT(negative, Contains("write 'extension'"));
    CHECK_THAT(negative, Contains("got -3"));
}

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
    CHECK(message == "bad.yaml:18:3: output.vtu_every: expected each key once in a mapping, got "
                     "'vtu_every' again (first at line 17)");
    CHECK_THAT(error_of("name: x\nsteps:\n  - {name: a, name: b}\n"),
               StartsWith("bad.yaml:3:15: steps[0].name: expected each key once"));
}

TEST_CASE("a value of the wrong type is rejected", "[unit]") {
    SECTION("a string where a number is expected") {
        CHECK(error_of(replaced(complete_scenario, "flexion: 7.5", "flexion: seven")) ==
              "bad.yaml:25:25: steps[1].loads.moment.flexion: expected a number in N m in "
              "[0, 100], got 'seven'");
        CHECK_THAT(
            error_of(replaced(complete_scenario, "bulk_to_shear: 500", "bulk_to_shear: \"500\"")),
            StartsWith("bad.yaml:10:18: materials.bulk_to_shear: expected a number in "
                       "[1, 10000], got the string \"500\""));
    }
    SECTION("a list where a mapping is expected") {
        const std::string message = error_of(replaced(
            complete_scenario, "force: {x: 10, y: -20, z: -100}", "force: [10, -20, -100]"));
        CHECK_THAT(message, StartsWith("bad.yaml:26:14: steps[1].loads.force: expected a mapping "
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
                   StartsWith("bad.yaml:25:16: steps[1].loads.moment.flex\\nion: unknown key"));
    }
    SECTION("a whole number") {
        CHECK(error_of(replaced(complete_scenario, "count: 3", "count: 2.5")) ==
              "bad.yaml:31:21: steps[1].cycles.count: expected a whole number in [1, 10000], "
              "got 2.5");
    }
    SECTION("nothing where a value is expected points at the key") {
        CHECK(error_of(replaced(complete_scenario, "follower_compression: 500",
                                "follower_compression:")) ==
              "bad.yaml:22:7: steps[0].loads.follower_compression: expected a number in N in "
              "[0, 10000], got nothing");
    }
}

TEST_CASE("an unknown key is rejected with the nearest valid key", "[unit]") {
    const std::string message =
        error_of(replaced(complete_scenario, "follower_compression", "folower_compression"));
    CHECK_THAT(message, StartsWith("bad.yaml:22:7: steps[0].loads.folower_compression: unknown "
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
         "bad.yaml:22:29: steps[0].loads.follower_compression: expected a value in N in "
         "[0, 10000], got -5"},
        {"flexion: 7.5", "flexion: 150",
         "bad.yaml:25:25: steps[1].loads.moment.flexion: expected a value in N m in [0, 100], "
         "got 150"},
        {"extension: 3", "extension: 91",
         "bad.yaml:27:29: steps[1].loads.rotation.extension: expected a value in deg in [0, 90], "
         "got 91"},
        {"z: -1}", "z: -25}",
         "bad.yaml:28:43: steps[1].loads.displacement.z: expected a value in mm in [-20, 20], "
         "got -25"},
        {"body_mass: 80", "body_mass: 300",
         "bad.yaml:29:82: steps[1].loads.lifting.body_mass: expected a value in kg in (30, 250), "
         "got 300"},
        {"angle: -10", "angle: -50",
         "bad.yaml:30:52: steps[1].loads.traction.angle: expected a value in deg in [-45, 45], "
         "got -50"},
        {"nucleus_share: 0.4", "nucleus_share: 1.2",
         "bad.yaml:6:29: mesh.geometry.nucleus_share: expected a value in (0, 1), got 1.2"},
        {"kappa: 0.1", "kappa: 0.5",
         "bad.yaml:12:41: materials.annulus.kappa: expected a value in [0, 0.3333333333333333], "
         "got 0.5"},
        {"threshold: 4.5", "threshold: 0",
         "bad.yaml:15:14: rupture.threshold: expected a value in MPa in (0, 100], got 0"},
        {"initial: 0.5", "initial: 0",
         "bad.yaml:20:27: steps[0].increments.initial: expected a value in (0, 1], got 0"},
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
               StartsWith("bad.yaml:24:5: steps[1].name: expected the step's name"));
    CHECK_THAT(error_of("name: x\nsteps: []\n"),
               StartsWith("bad.yaml:2:8: steps: expected at least one step, got an empty list"));
    CHECK_THAT(error_of(""), StartsWith("bad.yaml:1:1: expected a scenario"));
    CHECK_THAT(error_of(minimal_scenario + "---\nname: y\n"),
               StartsWith("bad.yaml:5:1: expected a single YAML document"));
}

TEST_CASE("rules between keys are checked", "[unit]") {
    SECTION("duplicate step names") {
        CHECK(error_of(replaced(complete_scenario, "name: activity", "name: preload")) ==
              "bad.yaml:23:11: steps[1].name: expected a name not used by another step, got "
              "'preload' again (first at line 19)");
    }
    SECTION("increments out of order") {
        CHECK(
            error_of(replaced(complete_scenario, "min: 0.01, max: 1", "min: 0.01, max: 0.4")) ==
            "bad.yaml:20:27: steps[0].increments.initial: expected a value <= max (0.4), got 0.5");
        CHECK_THAT(error_of(replaced(complete_scenario, "min: 0.01, max: 1", "min: 0.8, max: 0.6")),
                   StartsWith("bad.yaml:20:37: steps[0].increments.min: expected a value <= max "
                              "(0.6), got 0.8"));
    }
    SECTION("traction needs exactly one of force and body_weight_fraction") {
        CHECK_THAT(error_of(replaced(complete_scenario, "traction: {body_weight_fraction: 0.3,",
                                     "traction: {body_weight_fraction: 0.3, force: 200,")),
                   StartsWith("bad.yaml:30:45: steps[1].loads.traction.force: expected exactly one "
                              "of force (N) and body_weight_fraction, got both"));
        CHECK_THAT(error_of(replaced(complete_scenario, "body_weight_fraction: 0.3, ", "")),
                   StartsWith("bad.yaml:30:17: steps[1].loads.traction: expected exactly one of "
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
                   StartsWith("bad.yaml:12:28: materials.annulus.c01: expected no c01 with "
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
                   StartsWith("bad.yaml:29:82: steps[1].loads.lifting.body_mass: expected a "
                              "number in kg in (30, 250) (0 only with load_mass 0, to release "
                              "lifting), got 0"));
    }
    SECTION("step names are one line of text") {
        CHECK(error_of(replaced(complete_scenario, "name: preload", "name: \"pre\\nload\"")) ==
              "bad.yaml:19:11: steps[0].name: expected the step's name (one line of text, not "
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
                             "  - name: a\n";
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
                                         ":25:25: steps[1].loads.moment.flexion: expected"));

    CHECK(run_discsim("check --help").status == 0);
    CHECK(run_discsim("check").status == 2);
}

TEST_CASE("rupture: residual stiffness and stopping at herniation", "[unit]") {
    const auto s = parse_scenario(
        "name: x\nsegment: L4-5\nrupture: {residual_stiffness: 0.02, stop_at_herniation: false}\n"
        "steps:\n  - name: a\n    loads: {follower_compression: 100}\n",
        "r.yaml");
    CHECK(s.rupture.enabled);
    CHECK(s.rupture.residual_stiffness == 0.02);
    CHECK_FALSE(s.rupture.stop_at_herniation);
    try {
        parse_scenario("name: x\nsegment: L4-5\nrupture: {residual_stiffness: 0.7}\n"
                       "steps:\n  - name: a\n    loads: {follower_compression: 100}\n",
                       "r.yaml");
        FAIL("accepted a residual stiffness of 0.7");
    } catch (const discsim::InputError& e) {
        CHECK(std::string(e.what()) ==
              "r.yaml:3:31: rupture.residual_stiffness: expected a value in (0, 0.5], got 0.7");
    }
}
