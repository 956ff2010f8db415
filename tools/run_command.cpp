// `discsim run FILE [-o DIR]`: runs a scenario (scenarios/run.hpp) with progress on a terminal.
#include "cli.hpp"
#include "formulation_option.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "version.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include <csignal>

namespace discsim::tools {

namespace {
const OptionSpec run_options[] = {
    {"output", 'o', "DIR", "folder for the results (default out/<scenario file name>)"},
    {"quiet", 'q', "", "no progress, only the summary"},
    {"formulation", 0, "FORM",
     "run the scenario as elastic or biphasic, whatever its file says (the file is checked as "
     "that formulation's; e.g. a shipped scenario as the dry elastic disc)"},
    {"tangent", 0, "KIND",
     "Newton's tangent of the mean-dilatation elements: three-field (the default: the pressure at "
     "the linearised dilatation, docs/solver.md) or exact (the condensed element's own, for "
     "comparison; the same solution)"},
    {"help", 'h', "", "show this help"},
};

// Ctrl-C or SIGTERM: finish the increment being solved, write it, stop, say where. A second
// signal ends the program at once (the default action); files are still whole, as every write is
// a rename of a complete temporary file.
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int signal_number) {
    stop_requested = 1;
    std::signal(signal_number, SIG_DFL);
}

std::string clock_text(double seconds) {
    char text[32];
    if (seconds < 60)
        std::snprintf(text, sizeof text, "%.1f s", seconds);
    else
        std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds) / 60,
                      static_cast<int>(seconds) % 60);
    return text;
}
} // namespace

int run_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim run", args, run_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim run FILE [-o DIR] [--quiet] [--formulation elastic|biphasic]\n"
                     "                    [--tangent three-field|exact]\n\n"
                     "Runs a scenario file (docs/scenarios.md; a library ships in\n"
                     "scenarios/library/) and writes results.csv, disc.pvd with one .vtu per\n"
                     "output increment, scenario.yaml (resolved) and status.txt into DIR.\n"
                     "Rupture events go to events.csv and events.vtp as they happen.\n"
                     "Exit status: 0 done (also when the disc herniated or failed: see\n"
                     "status.txt), 2 invalid scenario (nothing solved), 3 a file could not be\n"
                     "written, 4 the solve stopped early (converged increments kept).\n\n"
                  << options_help(run_options);
        return exit_ok;
    }
    if (options.positional().size() != 1) {
        throw InputError("discsim run: expected one scenario file, got " +
                         std::to_string(options.positional().size()) +
                         "; see 'discsim run --help'");
    }
    const std::filesystem::path file = options.positional().front();
    std::optional<scenarios::Formulation> forced;
    if (const auto value = options.value("formulation"))
        forced = formulation_named("discsim run", *value);
    bool linearised_tangent = true;
    if (const auto value = options.value("tangent")) {
        if (*value == "exact")
            linearised_tangent = false;
        else if (*value != "three-field")
            throw InputError("discsim run: --tangent: expected three-field or exact, got '" +
                             *value + "'");
    }
    const scenarios::Scenario scenario = scenarios::load_scenario(file, forced);
    const std::filesystem::path output =
        options.value("output").value_or((std::filesystem::path("out") / file.stem()).string());

    const bool interactive = !options.has("quiet") && ::isatty(STDOUT_FILENO);
    scenarios::RunOptions run;
    run.output = output;
    run.program_version = "discsim " DISCSIM_VERSION " (" DISCSIM_GIT_REVISION ")";
    run.linearised_tangent = linearised_tangent;
    if (interactive) {
        run.on_progress = [](const scenarios::Progress& p) {
            std::printf("\r  step %d/%d %-24.24s %5.1f %%  increment %3d (%2d iterations)  "
                        "elapsed %s, about %s left   ",
                        p.planned_step + 1, p.planned_steps, p.step_name.c_str(),
                        100 * p.step_fraction, p.increments, p.newton_iterations,
                        clock_text(p.elapsed).c_str(), clock_text(p.remaining).c_str());
            std::fflush(stdout);
        };
    }
    run.on_event = [interactive](const scenarios::EventRecord& r) {
        const auto& e = r.event;
        if (interactive) std::printf("\n");
        std::printf("  event %d: %s at increment %d, step '%s' at %.3g of its load: %s; %s, "
                    "centroid (%.1f, %.1f, %.1f) mm, IDP %.3g MPa, %d ruptured element(s)\n",
                    r.index, solver::event_type_name(e.type), e.increment, r.step_name.c_str(),
                    e.step_fraction, e.detail.c_str(), std::string(mesh::sector_name(e.sector)).c_str(),
                    e.centroid.x(), e.centroid.y(), e.centroid.z(), r.idp_mean, e.ruptured);
        std::fflush(stdout);
    };
    run.should_stop = [] { return stop_requested != 0; };
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    std::cout << "discsim run: " << scenario.name << " (" << file.string() << ")\n";
    const auto report = scenarios::run_scenario(scenario, run);
    if (interactive) std::printf("\n");
    const auto& t = report.solver_times;
    std::printf("  %s: %d increments, %d Newton iterations, %d cut-backs, %s\n",
                scenarios::outcome_name(report.outcome), report.increments, report.iterations,
                report.cutbacks, clock_text(report.wall_time).c_str());
    if (scenario.rupture.enabled) {
        std::printf("  rupture: %d ruptured element(s), %zu event(s), %d re-equilibration(s), "
                    "%d increment(s) shortened to land on the threshold\n",
                    report.ruptured, report.events.size(), report.re_equilibrations,
                    report.limited);
    }
    if (!report.swelling.empty())
        std::printf("  %s, %s\n", report.swelling.c_str(), clock_text(report.swelling_time).c_str());
    std::printf("  time: factorisation %s, assembly %s, solve %s, output %s\n",
                clock_text(t.factorisation).c_str(), clock_text(t.assembly).c_str(),
                clock_text(t.solve).c_str(), clock_text(report.output_time).c_str());
    std::printf("  linear solves: %d, %d of them factorised by %s (%d indefinite: MUMPS LDL^T), "
                "%d GMRES iterations on the reused factors\n",
                t.solves, t.factorisations, report.linear_solver.c_str(), t.indefinite,
                t.krylov_iterations);
    std::printf("  results in %s: results.csv, events.csv, disc.pvd (open in ParaView), "
                "scenario.yaml\n",
                output.string().c_str());
    if (report.outcome == scenarios::RunOutcome::herniation ||
        report.outcome == scenarios::RunOutcome::unstable_failure) {
        std::printf("  the run ended with %s: %s\n", scenarios::outcome_name(report.outcome),
                    report.reason.c_str());
        return exit_ok;
    }
    if (!report.completed) {
        std::fprintf(stderr, "discsim: the solve stopped early: %s\n", report.reason.c_str());
        return exit_not_converged;
    }
    return exit_ok;
}

} // namespace discsim::tools
