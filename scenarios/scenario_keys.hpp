// Every key a scenario file may hold, declared once: where it sits (its section), what it holds
// (kind, unit, range), its default, what else it allows, and what it means. The reader takes the
// key names and ranges from here, the writer the units of its comments, `discsim check --keys`
// prints them, and the key tables of docs/scenarios.md are generated from them (a test fails when
// the docs and the declarations disagree; `discsim check --keys --update-docs FILE` rewrites
// them). Keys declared by a lower layer are included from there, not repeated: the disc
// parameters of mesh.geometry (mesh/disc_geometry.cpp) and the model coefficients of explicit
// materials (materials/, solver/disc_materials.cpp).
#pragma once

#include "core/parameter.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace discsim::scenarios::keys {

enum class Kind {
    text,
    flag,
    choice,
    number,
    duration,
    path,
    mapping,
    list,
    anatomical,   ///< a mapping of anatomical direction names to magnitudes
    vector,       ///< a mapping of x, y, z components
    distribution, ///< a number, one per ring, or {table: ...}
};

struct Key {
    std::string section;          ///< "" (top level), "mesh", "steps[].loads", ...
    std::string name;             ///< the key as written
    Kind kind = Kind::number;
    ParameterSpec range = {};     ///< numbers and distributions: unit and allowed range
    std::vector<std::string> choices = {}; ///< a choice's names, the default first or as stated
    std::string default_words = {};        ///< the default in words ("" = none)
    std::optional<double> default_value = {}; ///< a number's default, when it has one
    bool required = false;
    std::string rule = {};    ///< what is allowed beyond the range (combinations, ...)
    std::string meaning = {}; ///< what the key does
    std::string variant = {}; ///< when a key's range depends on another key: "criterion fibre_strain"

    /// "steps[].loads.follower_compression"
    std::string path() const { return section.empty() ? name : section + "." + name; }
    /// The range with the key's path as its name, for check_parameter's messages.
    ParameterSpec spec(std::string_view path) const;
};

/// Every declared key, sections in the order of the docs, keys in the order they are written.
const std::vector<Key>& all();
/// The sections, in order.
std::vector<std::string> sections();
/// The key names of a section, each once (a key with variants appears once).
std::vector<std::string_view> names(std::string_view section);
/// The declaration of a key; a key the declarations lack is a programming error (logic_error).
const Key& key(std::string_view section, std::string_view name, std::string_view variant = {});

/// The section's keys as a Markdown table (the generated tables of docs/scenarios.md).
std::string markdown_table(std::string_view section);
/// The keys whose path starts with `prefix` ("" = all), described for `discsim check --keys`.
std::string describe(std::string_view prefix);

/// `text` with every generated table (between "<!-- keys: SECTION -->" and "<!-- /keys -->")
/// replaced by the current declarations; unknown sections are left as they are.
std::string update_tables(const std::string& text);
/// The sections whose table in `text` differs from the declarations, or that have no table.
std::vector<std::string> stale_tables(const std::string& text);

} // namespace discsim::scenarios::keys
