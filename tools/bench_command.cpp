// `discsim bench`: measures the FE core on a disc (issue "Nonlinear FE core"): the time of a
// Newton iteration split into assembly, factorisation, solve and the rest, the speed-up of
// assembly from 1 to 2 threads, and a 500 N follower preload followed by a 7.5 N m flexion
// moment, end to end. Times are wall-clock on this machine; compare ratios within one run.
#include "cli.hpp"
#include "commands.hpp"

#include "materials/core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "solver/disc_model.hpp"
#include "solver/rotation.hpp"
#include "solver/stepping.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <numbers>

namespace discsim::tools {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

const OptionSpec bench_options[] = {
    {"segment", 0, "SEGMENT", "L4-5 or L5-S1 (default L4-5)"},
    {"resolution", 0, "LEVEL", "coarse, medium or fine (default medium)"},
    {"repeat", 0, "N", "assemblies per thread count for the scaling measurement (default 10)"},
    {"help", 'h', "", "show this help"},
};

} // namespace

int bench_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim bench", args, bench_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim bench [--segment L4-5|L5-S1] [--resolution LEVEL] [--repeat N]\n\n"
                     "Measures the finite-element core on the default disc model: setup, the\n"
                     "time per Newton iteration by phase, assembly speed-up from 1 to 2 threads,\n"
                     "and a 500 N follower preload then 7.5 N m flexion solved end to end.\n\n"
                  << options_help(bench_options);
        return exit_ok;
    }
    const auto segment = mesh::parse_segment(options.value("segment").value_or("L4-5"));
    const auto resolution = mesh::parse_resolution(options.value("resolution").value_or("medium"));
    const int repeat = static_cast<int>(parse_number("--repeat", options.value("repeat").value_or("10")));
    if (repeat < 1) throw InputError("--repeat: expected a whole number >= 1, got " + std::to_string(repeat));

    auto t0 = Clock::now();
    const mesh::HexMesh mesh = mesh::generate_disc_mesh(mesh::preset(segment, resolution));
    const double mesh_time = since(t0);
    t0 = Clock::now();
    const solver::Model model = solver::disc_model(mesh);
    solver::System system(model);
    const double setup_time = since(t0);
    std::printf("discsim bench: %s, %s resolution, %d elements, %d nodes, %d free DOFs + 6 at the "
                "vertebra\n", std::string(mesh::segment_name(segment)).c_str(),
                std::string(mesh::resolution_name(resolution)).c_str(), mesh.cell_count(),
                mesh.node_count(), system.free_dof_count());
    std::printf("  mesh %.3f s, system setup %.3f s (%d element colours, %zu stored non-zeros)\n",
                mesh_time, setup_time, system.colour_count(), system.nonzeros());

    // Assembly scaling 1 -> 2 threads at a loaded state (after the solve below would be
    // better, but the cost per element barely depends on the state).
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
    std::printf("  assembly of residual + tangent: 1 thread %.4f s, 2 threads %.4f s, speed-up %.2f\n",
                assembly_time[1], assembly_time[2],
                assembly_time[2] > 0 ? assembly_time[1] / assembly_time[2] : 0.0);

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
    int increments = 0;
    const auto result = solver::solve_steps(system, state, steps, settings,
        [&](const solver::Increment& inc, const solver::State& s) {
            ++increments;
            const solver::Vec3 theta = solver::rotation_vector(s.rp_rotation) * (180.0 / std::numbers::pi);
            std::printf("    %-8s %5.3f  %2d iterations%s  rotation y %7.3f deg  axial %7.3f mm\n",
                        steps[inc.step].name.c_str(), inc.step_fraction, inc.newton.iterations,
                        inc.newton.used_fallback_solver ? " (LU fallback)" : "",
                        theta.y(), s.rp_displacement.z());
        });
    const double total = since(t0);
    const auto& after = system.times();
    const double assembly = after.assembly - before.assembly;
    const double factorisation = after.factorisation - before.factorisation;
    const double solve = after.solve - before.solve;
    const double other = total - assembly - factorisation - solve;
    if (!result.completed) std::printf("  did not complete: %s\n", result.reason.c_str());
    std::printf("  preload + flexion: %.3f s wall, %d increments, %d Newton iterations, %d cut-backs\n",
                total, result.increments, result.iterations, result.cutbacks);
    const double n = std::max(1, result.iterations);
    std::printf("  per Newton iteration: %.4f s = assembly %.4f (%.0f %%) + factorisation %.4f (%.0f %%)"
                " + solve %.4f (%.0f %%) + other %.4f (%.0f %%)\n",
                total / n, assembly / n, 100 * assembly / total, factorisation / n,
                100 * factorisation / total, solve / n, 100 * solve / total, other / n,
                100 * other / total);
    const solver::Vec3 theta = solver::rotation_vector(state.rp_rotation) * (180.0 / std::numbers::pi);
    std::printf("  flexion rotation %.3f deg, lateral %.3f deg, axial %.3f deg\n", theta.y(), theta.x(), theta.z());
    return result.completed ? exit_ok : exit_not_converged;
}

} // namespace discsim::tools
