// `discsim sweep FILE`: runs a sweep of scenario cases in parallel (scenarios/sweep_run.hpp);
// `discsim sweep --merge DIR` joins the case rows of a sweep folder filled by several slices.
#include "cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "scenarios/sweep.hpp"
#include "scenarios/sweep_run.hpp"
#include "version.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#ifdef DISCSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace discsim::tools {

namespace {
const OptionSpec sweep_options[] = {
    {"output", 'o', "DIR", "folder for the cases and summary.csv (default out/<sweep file name>)"},
    {"jobs", 'j', "N", "cases run at once (default: the number of cores)"},
    {"threads-per-case", 't', "N", "threads inside each case's solve (default 1)"},
    {"resume", 'r', "", "skip the cases that finished in an earlier run into the same folder"},
    {"no-sharing", 0, "",
     "run every case alone, instead of solving the leading steps that cases share once per "
     "group (the same results; for comparison)"},
    {"shard", 0, "I/N",
     "run slice I of N (1-based; cases with index % N == I - 1), e.g. one "
     "Slurm array task each"},
    {"case-index", 0, "I", "run case I only (0-based, as in cases.csv)"},
    {"merge", 0, "DIR", "join the case rows found in a sweep folder into summary.csv"},
    {"plot", 0, "X[,SERIES]",
     "after the sweep, plot an outcome against the varied key X (one "
     "line per value of SERIES) into DIR/plot.png (python3-matplotlib)"},
    {"outcome", 0, "COLUMN", "the summary column to plot (default idp_change_MPa)"},
    {"check", 0, "", "check the sweep file and list its cases without running them"},
    {"quiet", 'q', "", "no line per case, only the summary"},
    {"help", 'h', "", "show this help"},
};

// MPI: started by mpirun (or srun), each rank runs a slice of the cases (as --shard
// rank+1/size) and rank 0 joins the rows into summary.csv once every rank is done.
struct MpiWorld {
    int rank = 0;
    int size = 1;
    bool active = false;
    MpiWorld() {
#ifdef DISCSIM_HAVE_MPI
        const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") ||
                              std::getenv("PMIX_RANK");
        if (!launched) return;
        MPI_Init(nullptr, nullptr);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        active = true;
#endif
    }
    void barrier() const {
#ifdef DISCSIM_HAVE_MPI
        if (active) MPI_Barrier(MPI_COMM_WORLD);
#endif
    }
    ~MpiWorld() {
#ifdef DISCSIM_HAVE_MPI
        if (active) MPI_Finalize();
#endif
    }
};

} // namespace

int sweep_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim sweep", args, sweep_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim sweep FILE [-o DIR] [-j N] [-t N] [--resume]\n"
                     "                     [--no-sharing] [--shard I/N | --case-index I] [--plot X[,SERIES]]\n"
                     "       discsim sweep --merge DIR\n\n"
                     "Runs every case of a sweep file (docs/sweeps.md: a base scenario and the\n"
                     "keys to vary, as a grid or zipped lists) and writes one folder per case and\n"
                     "summary.csv, one row per case. Every case is checked before any runs.\n"
                     "Exit status: 0 every case ran (a herniation or an unstable failure is a\n"
                     "result), 2 invalid sweep file, 3 a file could not be written, 4 some cases\n"
                     "failed (their rows say why).\n\n"
                  << options_help(sweep_options);
        return exit_ok;
    }
    if (auto folder = options.value("merge")) {
        const int missing = scenarios::merge_sweep(*folder);
        std::printf("discsim sweep: merged into %s/summary.csv; %d case(s) not finished\n",
                    folder->c_str(), missing);
        return missing == 0 ? exit_ok : exit_not_converged;
    }
    if (options.positional().size() != 1) {
        throw InputError("discsim sweep: expected one sweep file, got " +
                         std::to_string(options.positional().size()) +
                         "; see 'discsim sweep --help'");
    }
    const std::filesystem::path file = options.positional().front();
    const scenarios::SweepSpec spec = scenarios::load_sweep(file);
    const auto cases = scenarios::expand_sweep(spec);
    const int cores = std::max(1u, std::thread::hardware_concurrency());
    const MpiWorld mpi;
    const bool ranked = mpi.active && mpi.size > 1;
    if (ranked && (options.has("shard") || options.has("case-index"))) {
        throw InputError("discsim sweep: expected no --shard or --case-index under mpirun (the "
                         "ranks share the cases)");
    }

    scenarios::SweepOptions run;
    run.output =
        options.value("output").value_or((std::filesystem::path("out") / file.stem()).string());
    run.program_version = "discsim " DISCSIM_VERSION " (" DISCSIM_GIT_REVISION ")";
    run.threads_per_case =
        whole_number("--threads-per-case", options.value("threads-per-case").value_or("1"), 1, 256);
    // Under MPI a rank is a core's worth of work: one case at a time unless told otherwise.
    const int default_jobs = ranked ? 1 : std::max(1, cores / run.threads_per_case);
    run.jobs = whole_number("--jobs", options.value("jobs").value_or(std::to_string(default_jobs)),
                            1, 1024);
    run.resume = options.has("resume");
    run.share_steps = !options.has("no-sharing");
    if (auto shard = options.value("shard")) {
        const auto slash = shard->find('/');
        if (slash == std::string::npos) {
            throw InputError("--shard: expected I/N (e.g. 3/10), got " + *shard);
        }
        run.shards = whole_number("--shard", shard->substr(slash + 1), 1, 1000000);
        run.shard = whole_number("--shard", shard->substr(0, slash), 1, run.shards) - 1;
    }
    if (auto index = options.value("case-index")) {
        if (options.has("shard")) throw InputError("--case-index: expected no --shard with it");
        run.case_index =
            whole_number("--case-index", *index, 0, static_cast<int>(cases.size()) - 1);
    }
    if (ranked) {
        run.shards = mpi.size;
        run.shard = mpi.rank;
    }
    const bool speaker = mpi.rank == 0;
    if (speaker) {
        std::printf("discsim sweep: %s, %zu case(s) from %s\n", file.string().c_str(), cases.size(),
                    spec.base.string().c_str());
    }
    if (options.has("check")) {
        if (!speaker) return exit_ok;
        for (const auto& c : cases)
            std::printf("  %s\n", c.name.c_str());
        return exit_ok;
    }
    if (ranked && speaker) {
        std::printf("  %d MPI ranks, each %d case(s) at once with %d thread(s), into %s\n",
                    mpi.size, run.jobs, run.threads_per_case, run.output.string().c_str());
    } else if (!ranked) {
        std::printf("  %d case(s) at once, %d thread(s) each, into %s\n", run.jobs,
                    run.threads_per_case, run.output.string().c_str());
    }
    const std::string tag = ranked ? "rank " + std::to_string(mpi.rank) + " " : "";
    if (!options.has("quiet")) {
        run.on_case = [tag](const scenarios::SweepCaseResult& r, int finished, int total) {
            std::printf("  %s[%d/%d] %s: %s%s%s%s\n", tag.c_str(), finished, total, r.name.c_str(),
                        r.status.c_str(), r.resumed ? " (earlier run)" : "",
                        r.reason.empty() ? "" : ": ", r.reason.c_str());
            std::fflush(stdout);
        };
    }
    const auto report = scenarios::run_sweep(spec, cases, run);
    std::printf(
        "  %s%d run, %d from an earlier run, %d failed, in %.1f s (%.1f cases per minute)\n",
        tag.c_str(), report.run, report.resumed, report.failed, report.wall_time,
        report.wall_time > 0 ? 60.0 * report.run / report.wall_time : 0.0);
    if (report.shared > 0)
        std::printf("  %s%d case(s) went on from leading steps solved once for their group "
                    "(%d group(s))\n",
                    tag.c_str(), report.shared, report.groups);
    int failed = report.failed;
    std::filesystem::path summary = report.summary;
    if (ranked) {
        // Every rank's rows are on disk once all have passed the barrier; rank 0 joins them.
        mpi.barrier();
#ifdef DISCSIM_HAVE_MPI
        MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
#endif
        if (!speaker) return failed == 0 ? exit_ok : exit_not_converged;
        const int missing = scenarios::merge_sweep(run.output);
        summary = run.output / "summary.csv";
        if (missing > 0) {
            std::fprintf(stderr, "discsim: %d case(s) have no row in %s\n", missing,
                         summary.string().c_str());
            failed += missing;
        }
    }
    std::printf("  summary: %s\n", summary.string().c_str());
    if (auto plot = options.value("plot")) {
        const std::string outcome = options.value("outcome").value_or("idp_change_MPa");
        const auto comma = plot->find(',');
        // Debian's own interpreter carries python3-matplotlib; another python3 first on the PATH
        // (pyenv, conda) may not.
        const std::string python =
            std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        std::string command = python + " '" DISCSIM_TOOLS_DIR "/plot_sweep.py' '" +
                              summary.string() + "' --x '" + plot->substr(0, comma) + "' --y '" +
                              outcome + "'";
        if (comma != std::string::npos) command += " --series '" + plot->substr(comma + 1) + "'";
        command += " -o '" + (run.output / "plot.png").string() + "'";
        if (std::system(command.c_str()) != 0) {
            std::fprintf(stderr, "discsim: the plot could not be made (%s)\n", command.c_str());
        }
    }
    return failed == 0 ? exit_ok : exit_not_converged;
}

} // namespace discsim::tools
