// `discsim validate`: the Heuer et al. 2007 pure-moment protocol on the default L4-5 model,
// printed beside the measured medians with relative errors (issue "Scenario files ...":
// calibration against isolated discs; tolerance 25 % at 2.5, 5 and 7.5 N m).
#include "cli.hpp"
#include "formulation_option.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/parameter.hpp"
#include "scenarios/heuer_protocol.hpp"
#include "scenarios/scenario_yaml_schema.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

namespace discsim::tools {

namespace {
const OptionSpec validate_options[] = {
    {"resolution", 0, "LEVEL", "coarse, medium or fine (default medium)"},
    {"reference", 0, "FILE", "measured table (default: the shipped Heuer et al. 2007 medians)"},
    {"formulation", 0, "FORM", "biphasic (default): the charged, fluid-saturated disc, free "
                               "swelling first, each moment ramped at 1 deg/s; or elastic"},
    {"help", 'h', "", "show this help"},
};
// The calibration requirement: within 25 % of the measured median at these moments.
constexpr double tolerance = 0.25;
bool checked_level(double moment) {
    return moment >= 2.5 - 1e-9;
}
} // namespace

int validate_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim validate", args, validate_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim validate [--resolution LEVEL] [--reference FILE]\n"
                     "                        [--formulation elastic|biphasic]\n\n"
                     "Runs the pure-moment protocol of Heuer et al. 2007 (1, 2.5, 5, 7.5 N m;\n"
                     "flexion, extension, right lateral bending, left axial rotation; no preload)\n"
                     "on the default L4-5 model and prints its range of motion beside the\n"
                     "measured medians of isolated discs with the relative error. Exit status 5\n"
                     "when a direction is outside +-25 % at 2.5, 5 or 7.5 N m.\n\n"
                  << options_help(validate_options);
        return exit_ok;
    }
    const auto resolution = mesh::parse_resolution(options.value("resolution").value_or("medium"));
    const auto reference_file = options.value("reference")
                                    ? std::filesystem::path(*options.value("reference"))
                                    : scenarios::default_heuer_table();
    const std::string formulation = options.value("formulation").value_or(
        std::string(scenarios::schema::name_of(scenarios::schema::formulations,
                                               scenarios::default_formulation)));
    const auto chosen = formulation_named("discsim validate", formulation);
    const bool biphasic = chosen == scenarios::Formulation::biphasic;
    const auto reference = scenarios::read_rom_table(reference_file);
    const auto start = std::chrono::steady_clock::now();
    const auto model = biphasic ? scenarios::run_heuer_protocol_biphasic(
                                      resolution, reference, {}, solver::DiscFluid{})
                                : scenarios::run_heuer_protocol(resolution, reference);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::printf("discsim validate: Heuer et al. 2007 isolated L4-5 discs, pure moments, %s mesh, "
                "%s disc%s\n",
                std::string(mesh::resolution_name(resolution)).c_str(), formulation.c_str(),
                biphasic ? " (free swelling, then 1 deg/s)" : "");
    std::printf("  %-6s  %-22s %9s %9s %8s\n", "N m", "direction", "model deg", "measured",
                "error");
    bool within = true;
    for (std::size_t i = 0; i < reference.moments.size(); ++i) {
        if (reference.moments[i] <= 0) continue;
        for (int d = 0; d < 4; ++d) {
            const double measured = reference.rom[i][d], computed = model.rom[i][d];
            const double error = (computed - measured) / measured;
            const bool outside = checked_level(reference.moments[i]) && std::abs(error) > tolerance;
            within = within && !outside;
            std::printf("  %-6s  %-22s %9.2f %9.2f %+7.1f %%%s\n",
                        format_number(reference.moments[i]).c_str(), scenarios::heuer_directions[d],
                        computed, measured, 100 * error, outside ? "  outside 25 %" : "");
        }
    }
    std::printf("  %s (tolerance 25 %% at 2.5, 5 and 7.5 N m); %.1f s\n",
                within ? "all directions within tolerance" : "NOT within tolerance", seconds);
    return within ? exit_ok : exit_validation_failed;
}

} // namespace discsim::tools
