// `discsim mesh`: generate a disc mesh (or read and check a user's .vtu), print its summary
// and write it as <DIR>/<name>.vtu.
#include "cli.hpp"
#include "commands.hpp"
#include "version.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "mesh/vtk_io.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

namespace discsim::tools {

namespace {

namespace fs = std::filesystem;
using namespace discsim::mesh;

const OptionSpec mesh_options[] = {
    {"segment", 0, "SEGMENT", "L4-5 or L5-S1 (default L4-5)"},
    {"resolution", 0, "LEVEL", "coarse, medium or fine (default medium)"},
    {"set", 0, "KEY=VALUE", "override one disc parameter (repeatable; keys below)", true},
    {"input", 'i', "FILE", "read and check your own disc mesh (.vtu) instead of generating"},
    {"output", 'o', "DIR", "folder to write into (default out)"},
    {"name", 0, "NAME", "file name without .vtu (default <segment>_<resolution>)"},
    {"quiet", 'q', "", "print only the path written"},
    {"help", 'h', "", "show this help"},
};

void print_mesh_help() {
    std::cout << "Usage: discsim mesh [--segment L4-5|L5-S1] [--resolution coarse|medium|fine]\n"
                 "                    [--set KEY=VALUE ...] [-o DIR] [--name NAME]\n"
                 "       discsim mesh --input FILE.vtu [-o DIR] [--name NAME]\n\n"
                 "Generates the all-hexahedral O-grid mesh of a lumbar disc (kidney-shaped "
                 "cross-section,\nwedge, nucleus and annulus rings, sectors, fibre "
                 "directions), prints its size and quality,\nand writes DIR/NAME.vtu for "
                 "ParaView. With --input it reads a disc mesh made elsewhere,\nchecks it, "
                 "derives what is missing (sectors, nucleus boundary, outer wall) and writes it\n"
                 "back in discsim's format.\n\n"
              << options_help(mesh_options)
              << "\nDisc parameters for --set (presets: docs/mesh.md):\n";
    const auto presets = preset(Segment::L4_L5, Resolution::medium);
    const auto presets_s1 = preset(Segment::L5_S1, Resolution::medium);
    for (const auto& spec : disc_parameter_specs()) {
        std::string left = "  " + std::string(spec.name);
        std::string unit = spec.unit == "1" || spec.unit == "count" ? "" : std::string(spec.unit);
        std::cout << left << std::string(left.size() < 29 ? 29 - left.size() : 1, ' ')
                  << spec.description << "\n"
                  << std::string(31, ' ') << (unit.empty() ? "" : unit + ", ") << "range "
                  << describe_range(spec) << "; L4-5 "
                  << format_number(get_parameter(presets, spec.name)) << ", L5-S1 "
                  << format_number(get_parameter(presets_s1, spec.name)) << " (medium)\n";
    }
}

std::string thousands(long long n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
    return digits;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string relative(double value, double reference) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%+.2f %%", 100.0 * (value - reference) / reference);
    return buffer;
}

void print_summary(const std::string& title, const HexMesh& mesh, const MeshStatistics& s,
                   const std::optional<DiscOutline>& outline, double seconds) {
    auto row = [](std::string_view label, const std::string& value) {
        std::cout << "  " << label << std::string(22 - label.size(), ' ') << value << "\n";
    };
    std::cout << title << "\n";
    row("nodes", thousands(s.nodes));
    row("elements", thousands(s.cells) + " hexahedra (nucleus " + thousands(s.nucleus_cells) +
                        ", annulus " + thousands(s.annulus_cells) + " in " +
                        std::to_string(mesh.annulus_ring_count()) + " rings)");
    row("degrees of freedom", thousands(s.dofs));
    std::string area = fixed(s.cross_section_area, 1) + " mm^2";
    std::string share = fixed(s.nucleus_area / s.cross_section_area, 4);
    std::string volume = fixed(s.volume, 0) + " mm^3";
    if (outline) {
        area += " (analytic " + fixed(outline->area(), 1) + ", " +
                relative(s.cross_section_area, outline->area()) + ")";
        share += " (requested " + format_number(outline->parameters().nucleus_share) + ")";
        volume += " (analytic " + fixed(outline->volume(), 0) + ", " +
                  relative(s.volume, outline->volume()) + ")";
    }
    row("cross-section area", area);
    row("nucleus share", share);
    row("volume", volume);
    row("min scaled Jacobian", fixed(s.min_scaled_jacobian, 3) + " (1 = cube, > 0 required)");
    row("max aspect ratio", fixed(s.max_edge_ratio, 2) + " (longest / shortest edge)");
    row("time", fixed(seconds, 3) + " s");
}

} // namespace

int mesh_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim mesh", args, mesh_options);
    if (options.has("help")) {
        print_mesh_help();
        return exit_ok;
    }
    if (!options.positional().empty()) {
        throw InputError("discsim mesh: unexpected argument '" + options.positional().front() +
                         "'; see 'discsim mesh --help'");
    }
    const auto start = std::chrono::steady_clock::now();
    const fs::path folder = options.value("output").value_or("out");
    const bool quiet = options.has("quiet");

    HexMesh mesh;
    std::optional<DiscOutline> outline;
    std::string title, name;
    if (auto input = options.value("input")) {
        for (const char* conflicting : {"segment", "resolution", "set"}) {
            if (options.has(conflicting)) {
                throw InputError(std::string("discsim mesh: --") + conflicting +
                                 " cannot be combined with --input (the file fixes the mesh)");
            }
        }
        mesh = read_vtu(*input);
        title = "discsim mesh: " + *input;
        name = fs::path(*input).stem().string();
    } else {
        const Segment segment = parse_segment(options.value("segment").value_or("L4-5"));
        const Resolution resolution =
            parse_resolution(options.value("resolution").value_or("medium"));
        DiscParameters parameters = preset(segment, resolution);
        for (const auto& assignment : options.values("set")) {
            const auto equals = assignment.find('=');
            if (equals == std::string::npos || equals == 0) {
                throw InputError("--set: expected KEY=VALUE, got '" + assignment + "'");
            }
            const std::string key = assignment.substr(0, equals);
            set_parameter(parameters, key,
                          parse_number(key, std::string_view(assignment).substr(equals + 1)));
        }
        outline.emplace(parameters); // validates the combination before anything is written
        mesh = generate_disc_mesh(parameters);
        mesh.metadata["segment"] = std::string(segment_name(segment));
        mesh.metadata["resolution"] = std::string(resolution_name(resolution));
        for (const auto& spec : disc_parameter_specs()) {
            mesh.metadata["disc." + std::string(spec.name)] =
                format_number(get_parameter(parameters, spec.name));
        }
        title = "discsim mesh: " + std::string(segment_name(segment)) + ", " +
                std::string(resolution_name(resolution)) + " resolution";
        name = std::string(segment_name(segment)) + "_" +
               std::string(resolution_name(resolution));
    }
    mesh.metadata["generator"] = "discsim " DISCSIM_VERSION " (" DISCSIM_GIT_REVISION ")";
    if (auto given = options.value("name")) {
        if (given->empty() || given->find('/') != std::string::npos) {
            throw InputError("--name: expected a file name without '/', got '" + *given + "'");
        }
        name = *given;
    }

    const fs::path target = folder / (name + ".vtu");
    write_vtu(target, mesh);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (quiet) {
        std::cout << target.string() << "\n";
        return exit_ok;
    }
    print_summary(title, mesh, mesh_statistics(mesh), outline, seconds);
    std::cout << "wrote " << target.string()
              << "\n  open it in ParaView (File > Open); colour by 'region' (0 nucleus, 1.."
              << mesh.annulus_ring_count()
              << " annulus rings) or 'sector', and\n  add Glyph > fibre_direction_1 to see the "
                 "fibres.\n";
    return exit_ok;
}

} // namespace discsim::tools
