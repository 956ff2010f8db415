// Scenario texts and helpers shared by the scenario-file tests (test_scenario_yaml.cpp,
// test_scenario_errors.cpp): a complete and a minimal scenario, a text edit, the error a text
// must raise, field-by-field equality of two scenarios. Header-only, for the tests.
#pragma once

#include "core/error.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

namespace discsim::test::scenario_texts {

namespace fs = std::filesystem;
using namespace discsim::scenarios;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using discsim::InputError;
using discsim::test::TempFolder;

// Every key of the schema, with non-default values. Line numbers matter to the tests below.
inline const std::string complete_scenario = R"(name: Flexion with follower preload
description: "standing: preload, then flexion"
segment: L5-S1
mesh:
  resolution: coarse
  geometry: {nucleus_share: 0.4, annulus_rings: 5}
materials:
  formulation: elastic
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
// It names no formulation, so it is the default biphasic disc, whose steps need a duration.
inline const std::string minimal_scenario =
    "name: minimal\nsteps:\n  - name: only\n    duration: 1 s\n";

inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The message of the InputError that parsing `text` must throw.
inline std::string error_of(const std::string& text) {
    try {
        parse_scenario(text, "bad.yaml");
    } catch (const InputError& error) {
        return error.what();
    }
    FAIL("expected an InputError for:\n" << text);
    return {};
}

inline void check_same_loads(const StepLoads& a, const StepLoads& b) {
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
inline void check_same(const Scenario& a, const Scenario& b) {
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

inline void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

} // namespace discsim::test::scenario_texts
