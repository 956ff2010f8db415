// `discsim bench`: the benchmark suite (docs/performance.md). At each resolution: a 500 N
// follower preload followed by a 7.5 N m flexion moment, end to end, the time of a Newton
// iteration split into assembly, factorisation, solve and the rest, the speed-up of assembly
// from 1 to 2 threads and the peak memory; then the growth of time with the DOFs, and the
// throughput of a coarse traction sweep. Times are wall-clock; compare ratios within one run.
#include "bench_peer.hpp"
#include "cli.hpp"
#include "commands.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/sweep.hpp"
#include "scenarios/sweep_run.hpp"
#include "solver/disc_model.hpp"
#include "solver/rotation.hpp"
#include "solver/stepping.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <numbers>
#include <optional>
#include <algorithm>
#include <cstdlib>

namespace discsim::tools {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

const OptionSpec bench_options[] = {
    {"segment", 0, "SEGMENT", "L4-5 or L5-S1 (default L4-5)"},
    {"resolution", 0, "LEVEL", "coarse, medium, fine, or all of them in turn (default all)"},
    {"repeat", 0, "N", "assemblies per thread count for the scaling measurement (default 10)"},
    {"sweep-cases", 0, "N", "coarse traction cases for the sweep throughput (default 16, 0 = "
                            "skip)"},
    {"biphasic", 0, "LEVEL", "the biphasic disc's day and traction session at LEVEL (coarse, "
                             "medium, fine or none; default coarse)"},
    {"peer", 0, "CODE", "only the side-by-side benchmark with a peer solver: ccx (CalculiX, "
                        "on PATH; Debian's calculix-ccx) on the shipped peer problems"},
    {"problems", 0, "FILES", "comma-separated scenario files for --peer (default "
                             "scenarios/peers/disc30k_compression_500N.yaml and "
                             "disc30k_flexion_2.5Nm.yaml)"},
    {"markdown", 0, "FILE", "also write the tables as Markdown to FILE (docs/performance.md's "
                            "latest section is this file)"},
    {"scaling", 0, "DOFS", "only the scaling of one Newton solve over meshes of about 5k, 30k, "
                           "100k and 300k DOFs, up to DOFS (e.g. 300000)"},
    {"help", 'h', "", "show this help"},
};

// Largest resident memory of the process so far, MiB.
double peak_memory_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // kB on Linux
}

struct LevelResult {
    std::string level;
    int dofs = 0;
    double total = 0, assembly = 0, factorisation = 0, solve = 0, other = 0;
    double without_reuse = 0; ///< the same solve with a factorisation every Newton iteration
    int iterations = 0;
    double assembly_1 = 0, assembly_2 = 0;
    double peak_mib = 0;
    bool completed = false;
};

LevelResult bench_level(mesh::Segment segment, mesh::Resolution resolution, int repeat) {
    LevelResult r;
    r.level = std::string(mesh::resolution_name(resolution));
    auto t0 = Clock::now();
    const mesh::HexMesh mesh = mesh::generate_disc_mesh(mesh::preset(segment, resolution));
    const double mesh_time = since(t0);
    t0 = Clock::now();
    const solver::Model model = solver::disc_model(mesh);
    solver::System system(model);
    const double setup_time = since(t0);
    r.dofs = system.free_dof_count();
    std::printf("%s: %d elements, %d nodes, %d free DOFs + 6 at the vertebra\n", r.level.c_str(),
                mesh.cell_count(), mesh.node_count(), r.dofs);
    std::printf("  mesh %.3f s, system setup %.3f s (%d element colours, %zu stored non-zeros)\n",
                mesh_time, setup_time, system.colour_count(), system.nonzeros());

    // Assembly scaling 1 -> 2 threads (the cost per element barely depends on the state).
    solver::State state = system.initial_state();
    solver::LoadState none;
    system.apply_constraints(state, none);
    const int hardware = tbb::info::default_concurrency();
    double assembly_time[3] = {0, 0, 0};
    for (int threads : {1, 2}) {
        if (threads > hardware) continue;
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        system.assemble(state, none, true); // warm-up
        t0 = Clock::now();
        for (int i = 0; i < repeat; ++i) system.assemble(state, none, true);
        assembly_time[threads] = since(t0) / repeat;
    }
    r.assembly_1 = assembly_time[1];
    r.assembly_2 = assembly_time[2];
    std::printf("  assembly of residual + tangent: 1 thread %.4f s, 2 threads %.4f s, speed-up %.2f\n",
                r.assembly_1, r.assembly_2, r.assembly_2 > 0 ? r.assembly_1 / r.assembly_2 : 0.0);

    // 500 N follower compression, then 7.5 N m flexion on top.
    std::vector<solver::Step> steps(2);
    steps[0].name = "preload";
    steps[0].target.follower_force = solver::Vec3(0, 0, -500.0);
    steps[1].name = "flexion";
    steps[1].target = steps[0].target;
    steps[1].target.moment = solver::Vec3(0, 7500.0, 0); // +y = flexion, N mm
    solver::SteppingSettings settings;
    const auto before = system.times();
    t0 = Clock::now();
    const auto result = solver::solve_steps(system, state, steps, settings);
    r.total = since(t0);
    const auto& after = system.times();
    r.assembly = after.assembly - before.assembly;
    r.factorisation = after.factorisation - before.factorisation;
    r.solve = after.solve - before.solve;
    r.other = r.total - r.assembly - r.factorisation - r.solve;
    r.iterations = result.iterations;
    r.completed = result.completed;
    if (!result.completed) std::printf("  did not complete: %s\n", result.reason.c_str());
    std::printf("  preload + flexion: %.3f s wall, %d increments, %d Newton iterations, %d cut-backs\n",
                r.total, result.increments, result.iterations, result.cutbacks);
    const double n = std::max(1, result.iterations);
    std::printf("  per Newton iteration: %.4f s = assembly %.4f (%.0f %%) + factorisation %.4f (%.0f %%)"
                " + solve %.4f (%.0f %%) + other %.4f (%.0f %%)\n",
                r.total / n, r.assembly / n, 100 * r.assembly / r.total, r.factorisation / n,
                100 * r.factorisation / r.total, r.solve / n, 100 * r.solve / r.total, r.other / n,
                100 * r.other / r.total);
    std::printf("  linear solves: %d, %d of them factorised (%d indefinite), %d GMRES iterations "
                "on reused factors\n",
                after.solves - before.solves, after.factorisations - before.factorisations,
                after.indefinite - before.indefinite,
                after.krylov_iterations - before.krylov_iterations);
    {
        // The same problem with a factorisation every Newton iteration (what factorising less
        // buys), on a fresh system from the unloaded state.
        solver::System direct(model);
        solver::FactorisationReuse every;
        every.enabled = false;
        direct.set_factorisation_reuse(every);
        solver::State fresh = direct.initial_state();
        direct.apply_constraints(fresh, none);
        t0 = Clock::now();
        const auto baseline = solver::solve_steps(direct, fresh, steps, settings);
        r.without_reuse = since(t0);
        std::printf("  with a factorisation every iteration: %.3f s wall, %d Newton iterations, "
                    "factorisation %.3f s; reuse is %.2fx as fast\n",
                    r.without_reuse, baseline.iterations, direct.times().factorisation,
                    r.without_reuse / std::max(r.total, 1e-9));
    }
    const solver::Vec3 theta = solver::rotation_vector(state.rp_rotation) * (180.0 / std::numbers::pi);
    r.peak_mib = peak_memory_mib();
    std::printf("  flexion rotation %.3f deg; peak resident memory so far %.0f MiB\n", theta.y(),
                r.peak_mib);
    return r;
}

} // namespace

// The biphasic and sweep figures the targets table needs.
struct Measured {
    double day = 0, session = 0, sweep_rate = 0;
};

// The time_s column of a run's results.csv.
std::vector<double> result_times(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    int column = -1, k = 0;
    std::istringstream header(line);
    for (std::string name; std::getline(header, name, ','); ++k)
        if (name == "time_s") column = k;
    std::vector<double> times;
    while (std::getline(in, line)) {
        // time_s comes before any quoted text column, so a plain split reaches it.
        std::istringstream row(line);
        std::string cell;
        for (int i = 0; i <= column && std::getline(row, cell, ','); ++i) {
        }
        times.push_back(std::atof(cell.c_str()));
    }
    return times;
}

// The biphasic disc (issue 11): the shipped day and the intermittent traction session at one
// resolution, end to end through run_scenario, with the split by phase and how the number of
// time steps grows with the simulated time. Ratios against `baseline` s (the elastic preload +
// flexion at the same level in this run, when there is one).
bool bench_biphasic(mesh::Resolution resolution, double baseline, std::string& md,
                    Measured& measured) {
    bool ok = true;
    const std::string level(mesh::resolution_name(resolution));
    md += "\n### The biphasic disc at " + level + "\n\n"
          "The shipped scenarios end to end (`discsim run`, no VTU output), the swelling cache cold.\n\n"
          "| scenario | wall | time steps | Newton iterations | factorisations | GMRES iterations | "
          "assembly | factorisation | solve | output |\n|---|---|---|---|---|---|---|---|---|---|\n";
    std::printf("\nbiphasic disc at %s (ratios against the elastic preload + flexion%s)\n",
                level.c_str(),
                baseline > 0 ? " of this run" : ": not run");
    const auto folder = std::filesystem::temp_directory_path() /
                        ("discsim_bench_biphasic_" + std::to_string(::getpid()));
    const auto cache = folder / "cache";
    ::setenv("DISCSIM_CACHE", cache.c_str(), 1); // a cold cache: the swelling is timed too
    struct Case {
        const char* name;
        bool reuse;
    };
    double reused_day = 0;
    for (const Case c : {Case{"day_L4-5", true}, Case{"traction_session_L4-5", true},
                         Case{"day_L4-5", false}}) {
        const char* name = c.name;
        auto scenario = scenarios::load_scenario(std::string(DISCSIM_TOOLS_DIR "/../scenarios/library/") +
                                                 name + ".yaml");
        scenario.mesh.resolution = resolution;
        scenario.output.vtu_every = 0;
        scenarios::RunOptions run;
        run.output = folder / name;
        run.program_version = "bench";
        run.factorisation_reuse.enabled = c.reuse;
        const auto r = scenarios::run_scenario(scenario, run);
        ok = ok && r.completed;
        const auto& t = r.solver_times;
        if (!c.reuse) {
            std::printf("  %s with a factorisation every iteration: %.1f s wall, %d Newton "
                        "iterations, factorisation %.1f s; reuse is %.2fx as fast\n",
                        name, r.wall_time, r.iterations, t.factorisation,
                        r.wall_time / std::max(reused_day, 1e-9));
            md += format("\nWith a factorisation every Newton iteration, %s takes %.1f s (%d "
                       "iterations, factorisation %.1f s): reusing the factors is %.2fx as fast.\n",
                       name, r.wall_time, r.iterations, t.factorisation,
                       r.wall_time / std::max(reused_day, 1e-9));
            continue;
        }
        if (std::string(name) == "day_L4-5") reused_day = r.wall_time;
        std::printf("  %s: %.1f s wall%s, %d time steps, %d Newton iterations, %d cut-backs%s\n",
                    name, r.wall_time,
                    baseline > 0 ? (" (" + std::to_string(r.wall_time / baseline).substr(0, 5) + "x)").c_str() : "",
                    r.increments, r.iterations, r.cutbacks, r.completed ? "" : " (did not complete)");
        std::printf("    %s in %.1f s; assembly %.1f s (%.0f %%), factorisation %.1f s (%.0f %%), "
                    "solve %.1f s (%.0f %%), output %.1f s\n",
                    r.swelling.c_str(), r.swelling_time, t.assembly, 100 * t.assembly / r.wall_time,
                    t.factorisation, 100 * t.factorisation / r.wall_time, t.solve,
                    100 * t.solve / r.wall_time, r.output_time);
        std::printf("    linear solves: %d, %d of them factorised, %d GMRES iterations on reused "
                    "factors\n", t.solves, t.factorisations, t.krylov_iterations);
        md += format("| %s | %.1f s%s | %d | %d | %d | %d | %.1f s | %.1f s | %.1f s | %.1f s |\n", name,
                   r.wall_time, r.completed ? "" : " (did not complete)", r.increments,
                   r.iterations, t.factorisations, t.krylov_iterations, t.assembly,
                   t.factorisation, t.solve, r.output_time);
        (std::string(name) == "day_L4-5" ? measured.day : measured.session) = r.wall_time;
        const auto times = result_times(folder / name / "results.csv");
        std::string growth;
        for (const double hours : {0.01, 0.1, 1.0, 4.0, 16.0, 24.0}) {
            if (times.empty() || hours * 3600 > times.back() * 1.0001) continue;
            const long steps = std::count_if(times.begin(), times.end(),
                                             [&](double x) { return x <= hours * 3600 * 1.0001; });
            char text[64];
            std::snprintf(text, sizeof text, "%s%g h: %ld", growth.empty() ? "" : ", ", hours, steps);
            growth += text;
        }
        std::printf("    time steps by simulated time: %s\n", growth.c_str());
    }
    std::filesystem::remove_all(folder);
    ::unsetenv("DISCSIM_CACHE");
    return ok;
}

// One Newton solve of the default disc (the tangent at the unloaded state and a 500 N
// compression as the right-hand side) on meshes of about 5k, 30k, 100k and 300k DOFs: how the
// time of a solve (assembly, the CHOLMOD factorisation with its analysis, the solve) and the
// memory grow with the DOFs. The meshes are the generator's at four densities; the levels run in
// increasing order, so each peak-memory figure is that level's own.
bool bench_scaling(mesh::Segment segment, int largest) {
    struct Density {
        int dofs;  // about
        int circumferential, nucleus, rings, layers;
    };
    const Density densities[] = {
        {5000, 48, 3, 5, 4}, {30000, 64, 6, 11, 8}, {100000, 96, 9, 16, 12}, {300000, 136, 13, 23, 17}};
    std::printf("\nscaling: one Newton solve (tangent at rest, 500 N compression) of the default "
                "disc, CHOLMOD\n");
    std::printf("  %8s %9s %10s %10s %12s %9s %9s %10s\n", "DOFs", "elements", "assembly",
                "analysis", "factorise", "solve", "total", "peak MiB");
    struct Point {
        double dofs, time;
    };
    std::vector<Point> points;
    for (const auto& d : densities) {
        if (d.dofs > largest) break;
        auto p = mesh::preset(segment, mesh::Resolution::fine);
        p.circumferential_divisions = d.circumferential;
        p.nucleus_radial_divisions = d.nucleus;
        p.annulus_rings = d.rings;
        p.axial_layers = d.layers;
        const mesh::HexMesh mesh = mesh::generate_disc_mesh(p);
        const solver::Model model = solver::disc_model(mesh);
        solver::System system(model);
        solver::State state = system.initial_state();
        solver::LoadState load;
        load.force = solver::Vec3(0, 0, -500.0);
        system.apply_constraints(state, load);
        auto t0 = Clock::now();
        system.assemble(state, load, true);
        const double assembly = since(t0);
        Eigen::VectorXd direction;
        t0 = Clock::now();
        const auto first = system.solve(state, load, direction); // analysis + factorisation
        const double first_time = since(t0);
        const auto times_first = system.times();
        solver::FactorisationReuse every;
        every.enabled = false;
        system.set_factorisation_reuse(every);
        t0 = Clock::now();
        system.solve(state, load, direction); // a factorisation with the analysis done
        const double again = since(t0);
        const auto times_again = system.times();
        const double factorise = times_again.factorisation - times_first.factorisation;
        const double solve = times_again.solve - times_first.solve;
        const double total = assembly + again;
        std::printf("  %8d %9d %9.3fs %9.3fs %11.3fs %8.3fs %8.3fs %10.0f%s\n",
                    system.free_dof_count(), mesh.cell_count(), assembly,
                    first_time - again, factorise, solve, total, peak_memory_mib(),
                    first.used_fallback ? " (indefinite: MUMPS)" : "");
        points.push_back({double(system.free_dof_count()), total});
    }
    for (std::size_t i = 1; i < points.size(); ++i) {
        std::printf("  %.0f -> %.0f DOFs: time per solve grows as DOFs^%.2f\n", points[i - 1].dofs,
                    points[i].dofs,
                    std::log(points[i].time / points[i - 1].time) /
                        std::log(points[i].dofs / points[i - 1].dofs));
    }
    if (points.size() >= 3) {
        std::printf("  %.0f -> %.0f DOFs: DOFs^%.2f\n", points[0].dofs, points[2].dofs,
                    std::log(points[2].time / points[0].time) / std::log(points[2].dofs / points[0].dofs));
    }
    return true;
}

int bench_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim bench", args, bench_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim bench [--segment L4-5|L5-S1] [--resolution LEVEL|all] [--repeat N]\n"
                     "                     [--sweep-cases N] [--biphasic LEVEL|none] [--markdown FILE]\n"
                     "       discsim bench --peer ccx [--problems FILE,...] [--markdown FILE]\n"
                     "       discsim bench --scaling DOFS\n\n"
                     "Measures the finite-element core on the default disc model at each\n"
                     "resolution: setup, a 500 N follower preload then 7.5 N m flexion solved end\n"
                     "to end, the time per Newton iteration by phase, assembly speed-up from 1 to\n"
                     "2 threads, peak memory; then how total time grows with the DOFs, and the\n"
                     "throughput of a coarse traction sweep (cases per minute), and the biphasic\n"
                     "disc's day and traction session (time split, time steps). Compare ratios\n"
                     "within one run: the machine's speed varies between runs.\n"
                     "With --peer ccx: discsim and CalculiX on the same problems (exported by\n"
                     "'discsim export --format inp'), wall time, peak memory, iterations and\n"
                     "answers side by side, with the ratios.\n\n"
                  << options_help(bench_options);
        return exit_ok;
    }
    if (const auto peer = options.value("peer")) {
        std::vector<std::filesystem::path> problems;
        if (const auto list = options.value("problems")) {
            std::stringstream s(*list);
            std::string file;
            while (std::getline(s, file, ','))
                if (!file.empty()) problems.emplace_back(file);
        } else {
            problems = {DISCSIM_SCENARIOS_DIR "/peers/disc30k_compression_500N.yaml",
                        DISCSIM_SCENARIOS_DIR "/peers/disc30k_flexion_2.5Nm.yaml"};
        }
        std::optional<std::filesystem::path> markdown;
        if (const auto m = options.value("markdown")) markdown = *m;
        if (*peer != "ccx")
            throw InputError("discsim bench: --peer: expected ccx, got '" + *peer + "'");
        std::printf("discsim bench --peer %s: each code run as a child process, one after the "
                    "other, 2 threads each\n", peer->c_str());
        return bench_peer(*peer, problems, markdown) ? exit_ok : exit_not_converged;
    }
    const auto segment = mesh::parse_segment(options.value("segment").value_or("L4-5"));
    if (const auto largest = options.value("scaling")) {
        return bench_scaling(segment, whole_number("--scaling", *largest, 1000, 10000000))
                   ? exit_ok
                   : exit_not_converged;
    }
    const std::string level = options.value("resolution").value_or("all");
    std::vector<mesh::Resolution> levels;
    if (level == "all") {
        levels = {mesh::Resolution::coarse, mesh::Resolution::medium, mesh::Resolution::fine};
    } else {
        levels = {mesh::parse_resolution(level)};
    }
    const int repeat = whole_number("--repeat", options.value("repeat").value_or("10"), 1, 1000000);
    const int sweep_cases =
        whole_number("--sweep-cases", options.value("sweep-cases").value_or("16"), 0, 100000);
    const std::string biphasic = options.value("biphasic").value_or("coarse");
    std::optional<mesh::Resolution> biphasic_level;
    if (biphasic != "none") biphasic_level = mesh::parse_resolution(biphasic);

    std::optional<std::filesystem::path> markdown;
    if (const auto m = options.value("markdown")) markdown = *m;
    std::printf("discsim bench: %s, %d hardware threads\n",
                std::string(mesh::segment_name(segment)).c_str(), tbb::info::default_concurrency());
    std::string command = "discsim bench";
    for (const auto& a : args) command += " " + a;
    std::string md = "Generated by `" + command + "` (" +
                     std::to_string(tbb::info::default_concurrency()) +
                     " hardware threads). Compare ratios within this run: the machine's speed "
                     "varies between runs.\n";
    Measured measured;
    std::vector<LevelResult> results;
    bool ok = true;
    for (auto resolution : levels) {
        results.push_back(bench_level(segment, resolution, repeat));
        ok = ok && results.back().completed;
    }
    if (!results.empty()) {
        md += "\n### The elastic disc: 500 N follower preload, then 7.5 N m flexion\n\n"
              "| level | DOFs | wall | ratio | Newton iterations | per iteration | assembly | "
              "factorisation | solve | peak memory | a factorisation every iteration |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|\n";
        for (const auto& r : results)
            md += format("| %s | %d | %.2f s | %.1fx | %d | %.4f s | %.0f %% | %.0f %% | %.0f %% | "
                       "%.0f MiB | %.2fx as long |\n",
                       r.level.c_str(), r.dofs, r.total, r.total / results.front().total,
                       r.iterations, r.total / std::max(1, r.iterations),
                       100 * r.assembly / r.total, 100 * r.factorisation / r.total,
                       100 * r.solve / r.total, r.peak_mib,
                       r.without_reuse / std::max(r.total, 1e-9));
    }
    if (results.size() > 1) {
        std::printf("\nsummary (preload + flexion; ratios against %s in this run)\n",
                    results.front().level.c_str());
        std::printf("  %-7s %8s %9s %7s %11s %10s %9s %9s %9s %9s\n", "level", "DOFs", "time s",
                    "ratio", "iterations", "s/iter", "assembly", "factor.", "peak MiB",
                    "no reuse");
        for (const auto& r : results) {
            std::printf("  %-7s %8d %9.2f %7.1f %11d %10.4f %8.0f%% %8.0f%% %9.0f %8.2fx\n",
                        r.level.c_str(), r.dofs, r.total, r.total / results.front().total,
                        r.iterations, r.total / std::max(1, r.iterations),
                        100 * r.assembly / r.total, 100 * r.factorisation / r.total, r.peak_mib,
                        r.without_reuse / std::max(r.total, 1e-9));
        }
        const auto& a = results.front();
        const auto& b = results.back();
        const double span = std::log(double(b.dofs) / a.dofs);
        const double total_growth = std::log(b.total / a.total) / span;
        const double iteration_growth = std::log((b.total / std::max(1, b.iterations)) /
                                                 (a.total / std::max(1, a.iterations))) /
                                        span;
        std::printf("  time grows as DOFs^%.2f from %s to %s (per iteration: DOFs^%.2f)\n",
                    total_growth, a.level.c_str(), b.level.c_str(), iteration_growth);
        md += format("\nTime grows as DOFs^%.2f from %s to %s, per Newton iteration as DOFs^%.2f.\n",
                     total_growth, a.level.c_str(), b.level.c_str(), iteration_growth);
    }
    if (biphasic_level) {
        double baseline = 0.0;
        for (const auto& r : results)
            if (r.level == mesh::resolution_name(*biphasic_level)) baseline = r.total;
        ok = bench_biphasic(*biphasic_level, baseline, md, measured) && ok;
    }
    if (sweep_cases > 0) {
        // The shipped traction sweep (coarse), its first cases, one per core.
        const auto spec = scenarios::load_sweep(DISCSIM_TOOLS_DIR "/../scenarios/sweeps/"
                                                "traction_force_angle.yaml");
        auto cases = scenarios::expand_sweep(spec);
        if (static_cast<int>(cases.size()) > sweep_cases) cases.resize(sweep_cases);
        const auto folder = std::filesystem::temp_directory_path() /
                            ("discsim_bench_" + std::to_string(::getpid()));
        std::printf("\nsweep throughput: %zu coarse traction cases (scenarios/sweeps/"
                    "traction_force_angle.yaml)\n", cases.size());
        const int hardware = tbb::info::default_concurrency();
        double single = 0;
        md += format("\n### Sweep throughput: %zu coarse traction cases "
                   "(scenarios/sweeps/traction_force_angle.yaml)\n\n"
                   "| cases at once x threads each | leading steps | wall | cases per minute | "
                   "against one case on one thread |\n|---|---|---|---|---|\n",
                   cases.size());
        // Each split with the leading steps the cases share solved once (the default), and the
        // cores' split again with every case alone (--no-sharing): what the sharing buys.
        struct Split {
            int jobs, threads;
            bool share;
        };
        double shared_wall = 0, alone_wall = 0;
        for (const Split split : {Split{1, 1, true}, Split{1, 2, true}, Split{hardware, 1, true},
                                  Split{hardware, 1, false}}) {
            const auto [jobs, threads, share] = split;
            if (threads > hardware ||
                (jobs == 1 && threads == 1 && hardware == 1 && single > 0 && share)) {
                continue;
            }
            scenarios::SweepOptions run;
            run.output = folder;
            run.program_version = "bench";
            run.jobs = jobs;
            run.threads_per_case = threads;
            run.share_steps = share;
            const auto report = scenarios::run_sweep(spec, cases, run);
            std::filesystem::remove_all(folder);
            const double rate = 60.0 * report.run / report.wall_time;
            if (jobs == 1 && threads == 1) single = report.wall_time;
            if (jobs == hardware && threads == 1) (share ? shared_wall : alone_wall) = report.wall_time;
            const char* steps = share ? "shared" : "each case alone";
            std::printf("  %d case(s) at once x %d thread(s), %s: %.1f s, %.1f cases per minute "
                        "(%.2fx one case on one thread)%s\n",
                        jobs, threads, steps, report.wall_time, rate,
                        single > 0 ? single / report.wall_time : 1.0,
                        report.failed ? " (some cases failed)" : "");
            md += format("| %d x %d | %s | %.1f s | %.1f%s | %.2fx |\n", jobs, threads, steps,
                       report.wall_time, rate, report.failed ? " (some cases failed)" : "",
                       single > 0 ? single / report.wall_time : 1.0);
            if (share) measured.sweep_rate = std::max(measured.sweep_rate, rate);
        }
        if (shared_wall > 0 && alone_wall > 0) {
            std::printf("  the shared leading steps: %.2fx the same split with every case alone\n",
                        alone_wall / shared_wall);
            md += format("\nSolving the leading steps the cases share once (docs/sweeps.md): "
                         "%.2fx the throughput of the same split with every case alone.\n",
                         alone_wall / shared_wall);
        }
    }
    if (markdown) {
        // Issue 12's targets that this run measured (the CalculiX ratios and the scaling of
        // one solve come from `--peer ccx` and `--scaling`).
        std::string rows;
        auto row = [&](const std::string& target, double value, const char* unit, bool met) {
            rows += "| " + target + " | " + format("%.1f", value) + unit + " | " +
                    (met ? "yes" : "no") + " |\n";
        };
        if (biphasic_level) {
            const std::string level(mesh::resolution_name(*biphasic_level));
            if (measured.day > 0)
                row("biphasic 24 h day at " + level + " in at most 60 s", measured.day, " s",
                    measured.day <= 60);
            if (measured.session > 0)
                row("20-minute traction session at " + level + " in at most 15 s",
                    measured.session, " s", measured.session <= 15);
        }
        if (measured.sweep_rate > 0)
            row("coarse traction sweep: at least 300 cases per minute", measured.sweep_rate,
                " per minute", measured.sweep_rate >= 300);
        if (!rows.empty()) // none when the run measured neither the biphasic disc nor a sweep
            md += "\n### Targets measured in this run\n\n| target | measured | met |\n|---|---|---|\n" +
                  rows;
        write_text_atomically(*markdown, md);
        std::printf("\ntables written to %s\n", markdown->string().c_str());
    }
    return ok ? exit_ok : exit_not_converged;
}

} // namespace discsim::tools
