// Batch sweeps (docs/sweeps.md): a sweep file names a base scenario and the keys to vary; each
// combination is a case, a complete scenario checked like any scenario file before any case
// runs.
//
//   base: ../library/traction_33pct_body_weight_L4-5.yaml   # relative to the sweep file
//   mode: grid            # grid: every combination (first key slowest); list: zipped
//   set:                  # fixed overrides for every case (optional)
//     mesh.resolution: coarse
//   vary:
//     steps[traction].loads.traction.force: {start: 100, stop: 600, step: 100}
//     steps[traction].loads.traction.angle: [0, 10, 20, 30]
//     segment: [L4-5, L5-S1]
//
// Keys are paths into the scenario file: mapping keys joined by '.', list entries by [index]
// (from 0) or, for steps, [step name]. A missing mapping key is added (so optional keys can be
// varied); a missing list entry is an error.
#pragma once

#include "scenarios/scenario.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace discsim::scenarios {

enum class SweepMode { grid, list };

struct SweepKey {
    std::string path;                ///< e.g. steps[1].loads.traction.force
    std::vector<std::string> values; ///< as written (numbers keep their text)
    int line = 1;                    ///< where the key was written in the sweep file
    int column = 1;
};

struct SweepSpec {
    std::filesystem::path file; ///< the sweep file
    std::filesystem::path base; ///< the base scenario, resolved
    SweepMode mode = SweepMode::grid;
    std::vector<SweepKey> set; ///< one value each
    std::vector<SweepKey> vary;
};

struct SweepCase {
    int index = 0;                   ///< 0-based, stable: the order of the expansion
    std::string name;                ///< folder name: case_0007_force-300_angle-10
    std::vector<std::string> values; ///< one per SweepSpec::vary key
    Scenario scenario;
};

/// Reads a sweep file. Throws InputError (FILE:LINE:COLUMN: KEY: expected ..., got ...) for
/// anything wrong in it, including an empty range.
SweepSpec load_sweep(const std::filesystem::path& file);
SweepSpec parse_sweep(const std::string& text, const std::filesystem::path& file_name);

/// Every case, each scenario parsed and checked. Throws InputError naming the sweep file, the
/// key and the case for a key that does not exist in the scenario schema, a value out of
/// range, or lists of different lengths in list mode, before any case runs.
std::vector<SweepCase> expand_sweep(const SweepSpec& spec);

/// The last segment of a key path ("force" for steps[1].loads.traction.force).
std::string key_leaf(const std::string& path);

} // namespace discsim::scenarios
