#include "scenarios/sweep_run.hpp"

#include "core/atomic_file.hpp"
#include "scenarios/csv_text.hpp"
#include "core/error.hpp"
#include "scenarios/run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <dlfcn.h>
#include <fstream>
#include <limits>
#include <memory>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <tbb/task_arena.h>
#include <thread>
#include <unordered_map>

namespace discsim::scenarios {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

const char* outcome_header =
    "status,idp_preload_MPa,idp_final_MPa,idp_change_MPa,height_change_mm,"
    "posterior_bulge_change_mm,max_fibre_strain,ruptured_elements,herniation,herniation_step,"
    "herniation_step_fraction,herniation_time,herniation_follower_compression_N,"
    "herniation_force_z_N,herniation_flexion_moment_Nm,herniation_flexion_deg,"
    "nucleus_fluid_volume_change_mm3,idp_before_last_step_MPa,height_change_before_last_step_mm,"
    "nucleus_fluid_volume_change_before_last_step_mm3,"
    "newton_iterations,wall_time_s,reason";

std::string number(double value) { return csv_number(value); }

std::string case_prefix(const SweepCase& c) {
    std::string row = std::to_string(c.index) + "," + csv_field(c.name);
    for (const auto& v : c.values)
        row += "," + csv_field(v);
    return row;
}

std::string cases_header(const SweepSpec& spec) {
    std::string header = "case,name";
    for (const auto& column : sweep_columns(spec))
        header += "," + csv_field(column);
    return header;
}

// The summary row of a finished case.
std::string outcome_row(const RunReport& r) {
    std::ostringstream row;
    const double preload = r.first_step ? r.first_step->idp_mean : r.last.idp_mean;
    const double preload_bulge = r.first_step ? r.first_step->posterior_bulge : 0.0;
    const EventRecord* herniation = nullptr;
    for (const auto& e : r.events)
        if (e.event.type == solver::RuptureEventType::herniation) herniation = &e;
    row << csv_field(outcome_name(r.outcome)) << ',' << number(preload) << ','
        << number(r.last.idp_mean) << ',' << number(r.last.idp_mean - preload) << ','
        << number(r.last.height_change) << ',' << number(r.last.posterior_bulge - preload_bulge)
        << ',' << number(r.max_fibre_strain) << ',' << r.ruptured << ','
        << (herniation ? "yes" : "no") << ','
        << (herniation ? csv_field(herniation->step_name) : std::string()) << ','
        << (herniation ? number(herniation->event.step_fraction) : std::string()) << ','
        << (herniation ? number(herniation->event.time) : std::string()) << ','
        << (herniation ? number(-herniation->load.follower_force.z()) : std::string()) << ','
        << (herniation ? number(herniation->load.force.z()) : std::string()) << ','
        << (herniation ? number(herniation->load.moment.y() / 1000) : std::string()) << ','
        << (herniation ? number(herniation->rotation_deg.y()) : std::string()) << ',';
    // The biphasic disc's fluid, and the state at the end of the step before the last (the end
    // of a session that the last step follows up): empty where they do not apply.
    const auto fluid_change = [](const solver::GlobalResults& g) {
        return g.fluid ? number(g.fluid->nucleus_fluid_volume_change) : std::string();
    };
    row << fluid_change(r.last) << ',';
    const RunReport::StepEnd* before_last = nullptr;
    int last_step = -1;
    for (const auto& e : r.step_ends)
        last_step = std::max(last_step, e.scenario_step);
    for (const auto& e : r.step_ends)
        if (e.scenario_step == last_step - 1) before_last = &e;
    if (before_last && r.completed) {
        row << number(before_last->results.idp_mean) << ','
            << number(before_last->results.height_change) << ','
            << fluid_change(before_last->results) << ',';
    } else {
        row << ",,,";
    }
    row << r.iterations << ',' << number(r.wall_time) << ','
        << csv_field(r.outcome == RunOutcome::completed ? std::string() : r.reason);
    return row.str();
}

std::string error_row(const std::string& reason, double wall_time) {
    return "error,,,,,,,,,,,,,,,,,,,,," + number(wall_time) + "," + csv_field(reason);
}

// The second line of a case.csv (its row), or nothing when the case has not finished.
std::optional<std::string> finished_row(const fs::path& folder) {
    std::ifstream in(folder / "case.csv");
    std::string header, row;
    if (!in || !std::getline(in, header) || !std::getline(in, row) || row.empty()) {
        return std::nullopt;
    }
    return row;
}

// OpenBLAS's thread count, when OpenBLAS is the BLAS loaded (CHOLMOD's supernodal kernels).
void set_blas_threads(int threads) {
    using Setter = void (*)(int);
    if (auto* set = reinterpret_cast<Setter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(threads);
    }
}

std::string status_of(const std::string& row, std::size_t prefix_fields) {
    // The status is the first field after the case's own columns.
    std::size_t pos = 0;
    bool quoted = false;
    std::size_t field = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '"') quoted = !quoted;
        if (row[i] == ',' && !quoted) {
            if (++field == prefix_fields) {
                pos = i + 1;
                break;
            }
        }
    }
    return row.substr(pos, row.find(',', pos) - pos);
}

} // namespace

std::vector<std::string> sweep_columns(const SweepSpec& spec) {
    std::vector<std::string> leaves;
    for (const auto& k : spec.vary)
        leaves.push_back(key_leaf(k.path));
    const std::set<std::string> unique(leaves.begin(), leaves.end());
    if (unique.size() == leaves.size()) return leaves;
    std::vector<std::string> paths;
    for (const auto& k : spec.vary)
        paths.push_back(k.path);
    return paths;
}

SweepReport run_sweep(const SweepSpec& spec, const std::vector<SweepCase>& cases,
                      const SweepOptions& options) {
    const auto start = Clock::now();
    SweepReport report;
    const fs::path& out = options.output;
    std::error_code error;
    fs::create_directories(out, error);
    if (error) throw IoError(out.string() + ": cannot create the sweep folder: " + error.message());
    const std::string header = cases_header(spec);
    {
        std::string list = header + "\n";
        for (const auto& c : cases)
            list += case_prefix(c) + "\n";
        write_text_atomically(out / "cases.csv", list);
    }
    // This run's slice.
    std::vector<const SweepCase*> mine;
    for (const auto& c : cases) {
        if (options.case_index) {
            if (c.index == *options.case_index) mine.push_back(&c);
        } else if (c.index % options.shards == options.shard) {
            mine.push_back(&c);
        }
    }
    if (options.case_index && mine.empty()) {
        throw InputError("--case-index: expected a case from 0 to " +
                         std::to_string(cases.size() - 1) + ", got " +
                         std::to_string(*options.case_index));
    }
    report.total = static_cast<int>(mine.size());
    if (options.case_index) {
        report.summary = out / ("summary-case-" + std::to_string(*options.case_index) + ".csv");
    } else if (options.shards > 1) {
        report.summary = out / ("summary-shard-" + std::to_string(options.shard + 1) + "-of-" +
                                std::to_string(options.shards) + ".csv");
    } else {
        report.summary = out / "summary.csv";
    }
    const std::size_t prefix_fields = 2 + spec.vary.size();

    std::map<int, std::string> rows; // finished cases of the slice, by index
    std::mutex mutex;
    auto write_summary = [&] {
        std::string text = header + "," + outcome_header + "\n";
        for (const auto& [index, row] : rows)
            text += row + "\n";
        write_text_atomically(report.summary, text);
    };
    std::vector<const SweepCase*> todo;
    for (const SweepCase* c : mine) {
        if (options.resume) {
            if (auto row = finished_row(out / c->name)) {
                rows[c->index] = *row;
                ++report.resumed;
                const std::string status = status_of(*row, prefix_fields);
                if (status == "error" || status == "not converged") ++report.failed;
                if (options.on_case) {
                    SweepCaseResult r{c->index, c->name, status, "", true, 0.0};
                    options.on_case(r, report.resumed, report.total);
                }
                continue;
            }
        }
        todo.push_back(c);
    }
    write_summary();

    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(todo.size())));
    const int threads = std::max(1, options.threads_per_case);
    set_blas_threads(threads);

    // The work: groups of cases that share their leading steps, each taken by one worker (the
    // steps solved once, each case run on from them), or single cases.
    struct Work {
        std::vector<const SweepCase*> cases;
        int shared = 0; // leading planned steps all of them share
    };
    std::vector<Work> work;
    if (options.share_steps) {
        // Each case's sharing computed once; a case joins the first group of its setting whose
        // first case shares a step with it (the plans of other settings are never compared).
        std::unordered_map<std::string, std::vector<std::pair<std::size_t, StepSharing>>> groups;
        for (const SweepCase* c : todo) {
            std::optional<StepSharing> sharing;
            try {
                sharing = step_sharing(c->scenario);
            } catch (const std::exception&) {
                // an invalid case runs alone, to report its error
            }
            bool joined = false;
            if (sharing) {
                auto& same_setting = groups[sharing->setting];
                for (const auto& [index, first] : same_setting) {
                    const int k = shared_steps(first, *sharing);
                    if (k > 0) {
                        work[index].cases.push_back(c);
                        work[index].shared = std::min(work[index].shared, k);
                        joined = true;
                        break;
                    }
                }
                if (!joined) same_setting.emplace_back(work.size(), std::move(*sharing));
            }
            if (!joined) work.push_back({{c}, std::numeric_limits<int>::max()});
        }
    } else {
        for (const SweepCase* c : todo)
            work.push_back({{c}, 0});
    }
    // Work enough for every worker: a group larger than a worker's share of the cases is split
    // in two (each part solves the shared steps once) until none is.
    const std::size_t share = (todo.size() + jobs - 1) / jobs;
    while (!work.empty()) {
        auto largest = std::max_element(work.begin(), work.end(), [](const Work& a, const Work& b) {
            return a.cases.size() < b.cases.size();
        });
        if (largest->cases.size() <= share || largest->cases.size() < 2) break;
        Work half{{largest->cases.begin() + largest->cases.size() / 2, largest->cases.end()},
                  largest->shared};
        largest->cases.resize(largest->cases.size() / 2);
        work.push_back(std::move(half));
    }
    // The largest groups first, so that the last to finish are small.
    std::stable_sort(work.begin(), work.end(), [](const Work& a, const Work& b) {
        return a.cases.size() > b.cases.size();
    });

    std::atomic<std::size_t> next{0};
    int finished = report.resumed;
    auto worker = [&] {
        tbb::task_arena arena(threads);
        for (std::size_t k = next++; k < work.size(); k = next++) {
            const Work& w = work[k];
            RunOptions run;
            run.program_version = options.program_version;
            // Debian's MUMPS holds one lock per process: cases at once share UMFPACK.
            if (jobs > 1) run.unsymmetric_solver = solver::UnsymmetricSolver::umfpack;
            std::unique_ptr<SharedRun> trunk;
            if (w.cases.size() > 1) {
                try {
                    arena.execute([&] {
                        trunk = std::make_unique<SharedRun>(w.cases.front()->scenario, w.shared, run);
                    });
                } catch (const std::exception&) {
                    trunk.reset(); // each case runs alone and reports the error itself
                }
                if (trunk) {
                    std::lock_guard lock(mutex);
                    ++report.groups;
                    if (trunk->ready()) report.shared += static_cast<int>(w.cases.size());
                }
            }
            for (const SweepCase* cp : w.cases) {
                const SweepCase& c = *cp;
                const auto t0 = Clock::now();
                std::string row;
                SweepCaseResult result{c.index, c.name, "", "", false, 0.0};
                try {
                    run.output = out / c.name;
                    RunReport r;
                    arena.execute([&] {
                        r = trunk ? trunk->run(c.scenario, run) : run_scenario(c.scenario, run);
                    });
                    row = outcome_row(r);
                    result.status = outcome_name(r.outcome);
                    result.reason = r.completed ? "" : r.reason;
                } catch (const std::exception& e) {
                    result.status = "error";
                    result.reason = e.what();
                    row = error_row(e.what(),
                                    std::chrono::duration<double>(Clock::now() - t0).count());
                }
                result.wall_time = std::chrono::duration<double>(Clock::now() - t0).count();
                const std::string full = case_prefix(c) + "," + row;
                std::lock_guard lock(mutex);
                try {
                    fs::create_directories(out / c.name);
                    write_text_atomically(out / c.name / "case.csv",
                                          header + "," + outcome_header + "\n" + full + "\n");
                } catch (const std::exception&) {
                    // The summary below still has the row; case.csv only serves resuming.
                }
                rows[c.index] = full;
                ++report.run;
                if (result.status == "error" || result.status == "not converged") ++report.failed;
                write_summary();
                if (options.on_case) options.on_case(result, ++finished, report.total);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < jobs; ++j)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    report.wall_time = std::chrono::duration<double>(Clock::now() - start).count();
    return report;
}

int merge_sweep(const fs::path& folder) {
    std::ifstream in(folder / "cases.csv");
    std::string header;
    if (!in || !std::getline(in, header)) {
        throw InputError((folder / "cases.csv").string() +
                         ": no such file; expected the folder of a sweep (discsim sweep -o)");
    }
    std::string text = header + "," + outcome_header + "\n";
    int missing = 0;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        // case,name,...: the folder is the second field (names have no commas).
        const std::size_t a = line.find(',');
        const std::size_t b = line.find(',', a + 1);
        const std::string name = line.substr(a + 1, b == std::string::npos ? b : b - a - 1);
        if (auto row = finished_row(folder / name)) {
            text += *row + "\n";
        } else {
            ++missing;
        }
    }
    write_text_atomically(folder / "summary.csv", text);
    return missing;
}

} // namespace discsim::scenarios
