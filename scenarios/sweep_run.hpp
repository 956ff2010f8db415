// Running a sweep's cases (docs/sweeps.md), in parallel, into one folder:
//   cases.csv                    every case: index, folder name, the varied values
//   case_NNNN_<key>-<value>.../  one run folder per case (results.csv, disc.pvd, ...), with
//                                case.csv: the case's summary row, written (atomically) when
//                                the case has ended, so its presence means "finished"
//   summary.csv                  one row per case: the varied values and the outcomes
// A case that fails is recorded with its reason and the sweep goes on. With `resume`, cases
// whose case.csv exists are not run again. A slice of the cases (shard I of N, or one case)
// writes summary-shard-I-of-N.csv / summary-case-I.csv instead; merge_sweep joins the case rows
// of a folder into summary.csv.
#pragma once

#include "scenarios/sweep.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace discsim::scenarios {

struct SweepCaseResult {
    int index = 0;
    std::string name;
    std::string status; ///< completed, herniation, unstable failure, not converged, error
    std::string reason;
    bool resumed = false; ///< finished in an earlier run, not run again
    double wall_time = 0.0;
};

struct SweepOptions {
    std::filesystem::path output;
    std::string program_version;
    int jobs = 1;             ///< cases run at once
    int threads_per_case = 1; ///< threads inside each case's solve
    bool resume = false;
    int shard = 0; ///< 0-based slice: cases with index % shards == shard
    int shards = 1;
    std::optional<int> case_index; ///< run this case only
    /// Cases that share their leading steps (run.hpp, shared_steps) solve them once per group
    /// of cases a worker takes, and each case goes on from there (SharedRun): the same
    /// results, bit for bit. false: every case runs alone (`discsim sweep --no-sharing`).
    bool share_steps = true;
    /// Told of each case as it ends (from the worker that ran it; calls are serialised).
    std::function<void(const SweepCaseResult&, int finished, int total)> on_case;
};

struct SweepReport {
    int total = 0;   ///< cases in this run's slice
    int run = 0;     ///< run now
    int resumed = 0; ///< skipped, finished earlier
    int failed = 0;  ///< ended in "error" or "not converged"
    std::filesystem::path summary;
    double wall_time = 0.0;
    int shared = 0; ///< cases run on from leading steps solved once for their group
    int groups = 0; ///< solves of shared leading steps
};

/// Runs `cases` (from expand_sweep) as the options say. Throws IoError when the output folder
/// cannot be written; a failing case does not throw.
SweepReport run_sweep(const SweepSpec& spec, const std::vector<SweepCase>& cases,
                      const SweepOptions& options);

/// Joins the case rows found in `folder` (a sweep's output, filled by one or many slices)
/// into summary.csv. Returns the number of cases listed in cases.csv without a finished row.
int merge_sweep(const std::filesystem::path& folder);

/// Column names for the varied keys: their last segments when those are unique, else the
/// full paths.
std::vector<std::string> sweep_columns(const SweepSpec& spec);

} // namespace discsim::scenarios
