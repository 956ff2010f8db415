// The scenario key declarations (scenarios/scenario_keys.hpp) against what they drive: the
// reader accepts exactly the declared keys of each section and checks each number against its
// declared range; the docs' key tables are the generated ones; the model table covers every
// model. A key added to the reader without a declaration, or a range changed in one place only,
// fails here.
#include "core/error.hpp"
#include "core/parameter.hpp"
#include "scenarios/scenario_keys.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/disc_materials.hpp"
#include "support/scenario_texts.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#ifndef DISCSIM_SOURCE_DIR
#error "DISCSIM_SOURCE_DIR must name the source tree (tests/CMakeLists.txt)"
#endif

namespace {
using namespace discsim;
using namespace discsim::scenarios;
using discsim::test::scenario_texts::error_of;
using Catch::Matchers::Contains;

// A scenario that holds `body` (the text "KEY: VALUE") where the section's keys go.
const std::map<std::string, std::string> section_texts = {
    {"", "name: k\nBODY\nsteps:\n  - name: a\n"},
    {"mesh", "name: k\nmesh: {BODY}\nsteps:\n  - name: a\n"},
    {"mesh.geometry", "name: k\nmesh: {resolution: coarse, geometry: {BODY}}\nsteps:\n  - name: a\n"},
    {"materials", "name: k\nmaterials: {BODY}\nsteps:\n  - name: a\n"},
    // Biphasic, so that the fluid keys of the region blocks are allowed.
    {"materials.nucleus", "name: k\nmaterials: {formulation: biphasic, nucleus: {BODY}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"materials.annulus", "name: k\nmaterials: {formulation: biphasic, annulus: {BODY}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"materials.REGION.permeability", "name: k\nmaterials: {formulation: biphasic, nucleus: {permeability: {BODY}}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"materials.bath", "name: k\nmaterials: {formulation: biphasic, bath: {BODY}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"boundaries", "name: k\nmaterials: {formulation: biphasic}\nboundaries: {BODY}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"boundaries.cartilage", "name: k\nmaterials: {formulation: biphasic}\nboundaries: {cartilage: {BODY}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
    {"steps[].time_step", "name: k\nmaterials: {formulation: biphasic}\nsteps:\n  - name: a\n    duration: 1 h\n    time_step: {BODY}\n"},
    {"rupture", "name: k\nrupture: {BODY}\nsteps:\n  - name: a\n"},
    {"output", "name: k\noutput: {BODY}\nsteps:\n  - name: a\n"},
    {"steps[]", "name: k\nsteps:\n  - name: a\n    BODY\n"},
    {"steps[].increments", "name: k\nsteps:\n  - name: a\n    increments: {BODY}\n"},
    {"steps[].loads", "name: k\nsteps:\n  - name: a\n    loads: {BODY}\n"},
    {"steps[].loads.lifting", "name: k\nsteps:\n  - name: a\n    loads: {lifting: {BODY}}\n"},
    {"steps[].loads.traction", "name: k\nsteps:\n  - name: a\n    loads: {traction: {BODY}}\n"},
    {"steps[].loads.pressure", "name: k\nsteps:\n  - name: a\n    loads: {pressure: {BODY}}\n"},
    {"steps[].cycles", "name: k\nsteps:\n  - name: a\n    cycles: {BODY}\n"},
    {"materials.REGION (model)", "name: k\nmaterials: {formulation: biphasic, annulus: {BODY}}\nsteps:\n  - name: a\n    duration: 1 h\n"},
};

std::string in_section(const std::string& section, const std::string& body) {
    return test::scenario_texts::replaced(section_texts.at(section), "BODY", body);
}

/// An explicit annulus block of the first model that has `key` (hgo when no model has it as a
/// coefficient), every other coefficient at a valid value, then `key: value`.
std::string explicit_block(const std::string& key, const std::string& value) {
    static const std::map<std::string_view, std::string> valid = {
        {"c10", "0.1"}, {"c01", "0.1"},   {"k1", "1"},      {"k2", "1"},
        {"kappa", "0.1"}, {"young", "1"}, {"poisson", "0.2"}, {"beta", "1"}};
    const solver::SolidModelInfo* model = &solver::model_info(solver::SolidModel::hgo);
    for (const auto& info : solver::solid_models()) {
        if (std::find(info.coefficients.begin(), info.coefficients.end(), key) !=
            info.coefficients.end()) {
            model = &info;
            break;
        }
    }
    std::string body = "model: " + std::string(model->name);
    for (const auto c : model->coefficients)
        if (c != key) body += ", " + std::string(c) + ": " + valid.at(c);
    return body + ", " + key + ": " + value;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A value outside the declared range: the excluded bound itself, or one past an included one.
std::optional<double> outside(const ParameterSpec& range) {
    if (std::isfinite(range.max)) return range.max_inclusive ? range.max + 1.0 : range.max;
    if (std::isfinite(range.min)) return range.min_inclusive ? range.min - 1.0 : range.min;
    return std::nullopt;
}
} // namespace

TEST_CASE("every section of the declarations has a scenario text in this test", "[unit]") {
    for (const auto& section : keys::sections()) {
        INFO("section '" << section << "'");
        CHECK(section_texts.count(section) == 1);
    }
}

TEST_CASE("the reader accepts exactly the declared keys of each section", "[unit]") {
    // A key not declared is refused with the list of the section's declared keys: the reader's
    // key list is the declaration's.
    for (const auto& [section, text] : section_texts) {
        INFO("section '" << section << "'");
        const std::string body = section == "materials.REGION (model)"
                                     ? explicit_block("not_a_declared_key", "1")
                                     : "not_a_declared_key: 1";
        const std::string message = error_of(in_section(section, body));
        CHECK_THAT(message, Contains("unknown key 'not_a_declared_key'"));
        const auto names = keys::names(section);
        std::vector<std::string> expected(names.begin(), names.end());
        std::string list;
        for (const auto& name : expected)
            list += (list.empty() ? "" : ", ") + name;
        CHECK_THAT(message, Contains("expected one of " + list));
    }
}

TEST_CASE("the reader checks every declared number against its declared range", "[unit]") {
    int checked = 0;
    for (const auto& k : keys::all()) {
        if (k.kind != keys::Kind::number && k.kind != keys::Kind::distribution &&
            k.kind != keys::Kind::anatomical && k.kind != keys::Kind::vector)
            continue;
        const auto value = outside(k.range);
        if (!value) continue;
        std::string body = k.name + ": " + format_number(*value);
        if (!k.variant.empty()) {
            // "criterion fibre_strain": the key that selects the range comes first.
            const auto space = k.variant.find(' ');
            body = k.variant.substr(0, space) + ": " + k.variant.substr(space + 1) + ", " + body;
        }
        if (k.kind == keys::Kind::anatomical) body = k.name + ": {flexion: " + format_number(*value) + "}";
        if (k.kind == keys::Kind::vector) body = k.name + ": {z: " + format_number(*value) + "}";
        if (k.section == "steps[].loads.pressure") body = "surface: outer_wall, " + body;
        if (k.section == "materials.REGION (model)")
            body = explicit_block(k.name, format_number(*value));
        if (k.section == "steps[].loads.traction" && k.name == "body_weight_fraction")
            body = "body_weight_fraction: 2";
        INFO(k.path() << " = " << *value);
        const std::string message = error_of(in_section(k.section, body));
        const std::string component = k.kind == keys::Kind::anatomical ? ".flexion"
                                      : k.kind == keys::Kind::vector   ? ".z"
                                                                       : "";
        CHECK_THAT(message, Contains(k.name + component + ": expected"));
        CHECK_THAT(message, Contains(describe_range(k.range)));
        if (!k.range.unit.empty() && k.range.unit != "1" && k.range.unit != "count")
            CHECK_THAT(message, Contains(std::string(k.range.unit)));
        ++checked;
    }
    CHECK(checked >= 56); // the declared numbers of docs/scenarios.md, at the time of writing
}

TEST_CASE("docs/scenarios.md holds the generated key tables, each current", "[unit]") {
    const std::string docs = read_file(std::string(DISCSIM_SOURCE_DIR) + "/docs/scenarios.md");
    REQUIRE_FALSE(docs.empty());
    const auto stale = keys::stale_tables(docs);
    INFO("regenerate with: discsim check --update-docs docs/scenarios.md");
    CHECK(stale.empty());
    for (const auto& s : stale)
        UNSCOPED_INFO("stale or missing: " << s);
    CHECK(keys::update_tables(docs) == docs);
}

TEST_CASE("the model table has one row per model, and the reader takes its names", "[unit]") {
    std::set<std::string_view> names;
    for (const auto& info : solver::solid_models()) {
        CHECK(names.insert(info.name).second);
        CHECK(solver::model_info(info.id).name == info.name);
        CHECK_FALSE(info.coefficients.empty());
        // Every coefficient is declared with its range by the materials layer.
        for (const auto key : info.coefficients)
            CHECK_NOTHROW(solver::coefficient_spec(key));
    }
    CHECK(names.size() == 5);
    const std::string message =
        error_of(in_section("materials.nucleus", "model: holmes_mo"));
    CHECK_THAT(message, Contains("did you mean 'holmes_mow'?"));
}

TEST_CASE("check --keys describes a key with its unit, range and default", "[unit]") {
    const std::string text = keys::describe("steps[].loads.lifting.body_mass");
    CHECK_THAT(text, Contains("kg"));
    CHECK_THAT(text, Contains("(30, 250)"));
    CHECK_THAT(text, Contains("default 75"));
    CHECK(keys::describe("steps[].load").empty()); // whole components only
    CHECK_THAT(keys::describe("rupture"), Contains("rupture.threshold (criterion max_principal_stress)"));
}
