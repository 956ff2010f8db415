// Reading and writing scenario files (YAML, schema in docs/scenarios.md).
//
// Every problem a user can make in a scenario file is found here, before anything is meshed or
// solved (ARCHITECTURE.md "Errors"): YAML syntax, a key given twice, an unknown key (with the
// nearest valid one suggested), a wrong type, a value out of its declared range, a missing
// required key, and the rules that tie keys together (a mesh file and generated-mesh keys,
// geometry overrides that do not make a valid disc, opposite anatomical directions on one axis,
// duplicate step names, unordered increments). Each is an InputError whose message reads
//     FILE:LINE:COLUMN: KEY.PATH: expected <what, with unit and range>, got <what was given>
// with 1-based line and column, and key paths such as `steps[1].loads.moment.flexion`
// (list indices count from 0).
#pragma once

#include "scenarios/scenario.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace discsim::scenarios {

/// Reads and validates a scenario file. Throws InputError for a missing file and for anything
/// invalid in it (see above), IoError when an existing file cannot be read.
Scenario load_scenario(const std::filesystem::path& file, std::optional<Formulation> forced = {});

/// The same from text. `file_name` is used in messages, stored as Scenario::source and in each
/// step's SourceLocation, and its folder resolves a relative `mesh.file`. A `forced`
/// formulation replaces the file's (or the default) before anything is read, so the file is
/// checked as that formulation's: `discsim run --formulation elastic` on a shipped scenario,
/// and the regression label's elastic runs.
Scenario parse_scenario(const std::string& text, const std::filesystem::path& file_name,
                        std::optional<Formulation> forced = {});

/// The resolved scenario as YAML: every setting written out, defaults included, so a reader sees
/// exactly what will run. Parsing it back (with the same file name) gives an equal Scenario,
/// apart from the step locations. Optional overrides that are absent (material coefficients,
/// the rupture threshold) stay absent; their default values are written as comments.
std::string to_yaml(const Scenario& scenario);

} // namespace discsim::scenarios
