// Scenario files (scenarios/scenario_yaml.hpp, docs/scenarios.md): a good file gives the
// expected Scenario with the defaults filled in, to_yaml reads back to the same scenario, and
// every kind of mistake is one InputError "FILE:LINE:COLUMN: KEY.PATH: expected ..., got ..."
// pointing at the right place. Also `discsim check` run as a user would.
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
    CHECK(preload.where.line == 20);
    CHECK(preload.where.column == 5);

    const auto& activity = s.steps[1];
    CHECK(activity.name == "activity");
    CHECK(activity.where.line == 24);
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

TEST_CASE("a biphasic block gets the drained skeleton's defaults, each overridable", "[unit]") {
    // scenario.hpp: K / mu 4/3, the full fibre invariant and the fibre scales of the biphasic
    // Heuer calibration, unless the file gives them; an explicit annulus inherits the block's
    // invariant as it does bulk_to_shear.
    const auto parse = [](const std::string& materials) {
        return parse_scenario("name: b\nmaterials: " + materials +
                                  "\nsteps:\n  - {name: rest, duration: 1 s}\n",
                              "b.yaml")
            .materials;
    };
    const auto m = parse("{formulation: biphasic}");
    CHECK(m.bulk_to_shear == drained_bulk_to_shear);
    CHECK(m.fibre_invariant == discsim::materials::FibreInvariant::full);
    CHECK(m.annulus_k1_scale == drained_k1_scale);
    CHECK(m.annulus_k2_scale == drained_k2_scale);
    const auto given = parse("{formulation: biphasic, fibre_invariant: isochoric, "
                             "annulus: {k1_scale: 1, k2_scale: 0.5}}");
    CHECK(given.fibre_invariant == discsim::materials::FibreInvariant::isochoric);
    CHECK(given.annulus_k1_scale == 1.0);
    CHECK(given.annulus_k2_scale == 0.5);
    const auto explicit_annulus =
        parse("{formulation: biphasic, annulus: {model: hgo, c10: 0.1, k1: 1, k2: 20, kappa: 0.1}}");
    REQUIRE(explicit_annulus.annulus.definition.has_value());
    CHECK(explicit_annulus.annulus.definition->fibre_invariant ==
          discsim::materials::FibreInvariant::full);
    // The elastic disc keeps its defaults.
    const auto elastic = parse("{formulation: elastic}");
    CHECK(elastic.fibre_invariant == discsim::materials::FibreInvariant::isochoric);
    CHECK(elastic.annulus_k1_scale == 1.0);
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
    // The biphasic disc is the default formulation, with its drained skeleton.
    CHECK(s.materials.formulation == Formulation::biphasic);
    CHECK(s.materials.initial_state == InitialState::free_swelling);
    CHECK(s.materials.fibre_invariant == discsim::materials::FibreInvariant::full);
    CHECK(s.materials.bulk_to_shear == drained_bulk_to_shear);
    CHECK_FALSE(s.materials.nucleus_c10.has_value());
    CHECK_FALSE(s.materials.annulus_kappa.has_value());
    CHECK(s.materials.annulus_k1_scale == drained_k1_scale);
    CHECK(s.steps[0].duration == 1.0);
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
        CHECK_THAT(text, Contains("formulation: biphasic"));
        CHECK_THAT(text, Contains("bulk_to_shear: 1.3333333333333333"));
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
        set_formulation(original.materials, Formulation::elastic); // untimed
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
