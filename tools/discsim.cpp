// discsim: finite-element simulation of the lumbar intervertebral discs.
// Entry point: dispatches the subcommand and is the only place that catches errors, prints
// one clear line and maps them to the exit statuses of cli.hpp.
#include "cli.hpp"
#include "commands.hpp"
#include "version.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"

#include <malloc.h>

#include <array>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(std::span<const std::string>);
};

const std::array<Command, 8> commands{{
    {"run", "run a scenario file: solve its load steps and write results.csv and ParaView "
            "files",
     discsim::tools::run_command},
    {"sweep", "run many variants of a scenario in parallel (grid or lists of keys) into one "
              "summary.csv",
     discsim::tools::sweep_command},
    {"mesh", "generate an L4-5 or L5-S1 disc mesh (or check your own .vtu) and write it for "
             "ParaView",
     discsim::tools::mesh_command},
    {"validate", "run the Heuer et al. 2007 pure-moment protocol and compare with the measured "
                 "range of motion",
     discsim::tools::validate_command},
    {"bench", "measure the solver: time per Newton iteration by phase, thread scaling, a "
              "preload + flexion solve",
     discsim::tools::bench_command},
    {"check", "validate a scenario file without solving and summarise it (--resolved: with "
              "every default)",
     discsim::tools::check_command},
    {"export", "write a scenario's elastic disc as an Abaqus/CalculiX deck (--format inp) for a "
               "peer solver",
     discsim::tools::export_command},
    {"fuzz", "developer tool: feed random mutations of the shipped files to check, each with a "
             "time limit",
     discsim::tools::fuzz_command},
}};

void print_help() {
    std::cout << "discsim " DISCSIM_VERSION
                 " - finite-element simulation of the lumbar intervertebral discs\n\n"
                 "Usage: discsim <command> [options]\n"
                 "       discsim --help | --version\n\n"
                 "Commands:\n";
    for (const auto& c : commands) {
        std::cout << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
    }
    std::cout << "\nRun 'discsim <command> --help' for the options of a command.\n"
                 "Exit status: 0 success, 2 bad input (nothing was run), 3 a file could not be "
                 "read or written, 4 a solve stopped before the end of its loads, 1 internal error.\n";
}

} // namespace

int main(int argc, char** argv) {
    using namespace discsim::tools;
    // glibc's malloc gives a block above its mmap threshold (128 KiB at start) pages of its own
    // and returns them on free, so every such block is fresh, zero-filled pages again: a GMRES
    // solve's Krylov basis (30 vectors of the free equations), UMFPACK's numeric workspace and
    // the solves' vectors, many times a second. Fixed thresholds keep blocks up to 32 MiB in the
    // heap for reuse, and only more than 64 MiB free at its top goes back to the system. The
    // coarse traction sweep ran 1.3x as fast (docs/performance.md); the big blocks (factors,
    // the matrix of a large mesh) are still mapped and returned as before.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.empty()) {
            print_help();
            return exit_bad_input;
        }
        const std::string& first = args.front();
        if (first == "--help" || first == "-h" || first == "help") {
            print_help();
            return exit_ok;
        }
        if (first == "--version" || first == "-V") {
            std::cout << "discsim " DISCSIM_VERSION " (" DISCSIM_GIT_REVISION ")\n";
            return exit_ok;
        }
        for (const auto& c : commands) {
            if (c.name == first) return c.run(std::span(args).subspan(1));
        }
        std::vector<std::string_view> names;
        for (const auto& c : commands) names.push_back(c.name);
        std::string message = "unknown command '" + first + "'";
        if (auto hint = discsim::nearest_name(first, names); !hint.empty()) {
            message += " (did you mean '" + hint + "'?)";
        }
        message += "; commands are:";
        for (const auto& c : commands) message += " " + std::string(c.name);
        throw discsim::InputError(message);
    } catch (const discsim::InputError& e) {
        std::cerr << "discsim: error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const discsim::IoError& e) {
        std::cerr << "discsim: error: " << e.what() << "\n";
        return exit_io_error;
    } catch (const std::exception& e) {
        std::cerr << "discsim: internal error: " << e.what() << "\n";
        return exit_internal_error;
    }
}
