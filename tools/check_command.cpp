// `discsim check FILE`: validates a scenario file without solving (docs/scenarios.md) and
// prints what it asks for in words, or with --resolved the scenario with every default
// written out. An invalid file is one error line "FILE:LINE:COLUMN: KEY.PATH: ..." (exit 2).
#include "cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/vtk_io.hpp"
#include "core/atomic_file.hpp"
#include "scenarios/scenario_keys.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/scenario_yaml_schema.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

namespace discsim::tools {

namespace {

using namespace discsim::scenarios;

const OptionSpec check_options[] = {
    {"resolved", 0, "", "print the scenario as YAML with every default filled in"},
    {"keys", 0, "", "describe every scenario key (or those under the KEY.PATH given), no file"},
    {"update-docs", 0, "FILE", "rewrite the generated key tables of FILE (docs/scenarios.md)"},
    {"help", 'h', "", "show this help"},
};

std::string read_text_file(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string n(double value) {
    return format_number(value);
}

/// "20 min", "8 h", "90 s": a duration in the largest unit that divides it evenly.
std::string duration_words(double seconds) {
    for (const auto& [unit, size] : {std::pair{"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}}) {
        if (seconds >= size && std::fmod(seconds, size) == 0.0) return n(seconds / size) + " " + unit;
    }
    return n(seconds) + " s";
}

/// "flexion 7.5 N m" for a signed component about one axis (docs/model.md): the direction's name
/// from the one table of the schema (scenarios/scenario_yaml_schema.hpp), in words.
std::string anatomical(int axis, double value, std::string_view unit) {
    static constexpr std::string_view both[] = {"lateral bending", "flexion-extension",
                                                "axial rotation"};
    std::string name(both[axis]);
    for (const auto& d : schema::directions) {
        if (value != 0.0 && d.axis == axis && (value > 0.0) == (d.sign > 0.0)) {
            name = d.name;
            std::replace(name.begin(), name.end(), '_', ' ');
        }
    }
    return name + " " + n(std::abs(value)) + " " + std::string(unit);
}

std::string anatomical_list(const std::array<std::optional<double>, 3>& components,
                            std::string_view unit) {
    std::string out;
    for (const int axis : {1, 0, 2}) {
        if (!components[axis]) continue;
        out += (out.empty() ? "" : ", ") + anatomical(axis, *components[axis], unit);
    }
    return out;
}

std::string vector_list(const std::array<std::optional<double>, 3>& components,
                        std::string_view unit) {
    static constexpr const char* axes[] = {"x", "y", "z"};
    std::string out;
    for (int axis = 0; axis < 3; ++axis) {
        if (!components[axis]) continue;
        out += (out.empty() ? "" : ", ") + std::string(axes[axis]) + " " + n(*components[axis]);
    }
    return out.empty() ? out : out + " " + std::string(unit);
}

/// The loads a step ends at, in words; what it does not mention carries over.
std::vector<std::string> loads_in_words(const StepLoads& loads) {
    std::vector<std::string> words;
    if (loads.follower_compression) {
        words.push_back("follower compression " + n(*loads.follower_compression) + " N");
    }
    if (auto text = anatomical_list(loads.moment, "N m"); !text.empty()) {
        words.push_back("moment: " + text);
    }
    if (auto text = vector_list(loads.force, "N"); !text.empty()) words.push_back("force " + text);
    if (auto text = anatomical_list(loads.rotation, "deg"); !text.empty()) {
        words.push_back("prescribed rotation: " + text);
    }
    if (auto text = vector_list(loads.displacement, "mm"); !text.empty()) {
        words.push_back("prescribed displacement " + text);
    }
    if (const auto& l = loads.lifting; l && l->body_mass == 0.0 && l->load_mass == 0.0) {
        words.push_back("lifting released");
    } else if (l) {
        words.push_back("lifting " + n(l->load_mass) + " kg at " + n(l->load_distance) +
                        " mm, trunk flexion " + n(l->trunk_flexion) + " deg, body mass " +
                        n(l->body_mass) + " kg");
    }
    if (const auto& t = loads.traction) {
        std::string text = "traction ";
        text += t->force
                    ? n(*t->force) + " N"
                    : n(*t->body_weight_fraction) + " x body weight (" + n(t->body_mass) + " kg)";
        text += " at " + n(std::abs(t->angle)) + " deg" +
                (t->angle > 0   ? " anterior"
                 : t->angle < 0 ? " posterior"
                                : "") +
                " to the spine's axis";
        words.push_back(text);
    }
    if (const auto& p = loads.pressure) {
        words.push_back("pressure " + n(p->value) + " MPa on " +
                        std::string(mesh::surface_name(p->surface)));
    }
    return words;
}

void print_summary(const std::string& file, const Scenario& s, const mesh::HexMesh* mesh_file) {
    auto row = [](std::string_view label, const std::string& value) {
        std::cout << "  " << label << std::string(14 - label.size(), ' ') << value << "\n";
    };
    std::cout << "discsim check: " << file << " is valid\n";
    row("name", s.name);
    if (!s.description.empty()) row("description", s.description);
    row("segment", std::string(mesh::segment_name(s.mesh.segment)));
    if (s.mesh.file) {
        row("mesh",
            s.mesh.file->string() + " (" + std::to_string(mesh_file->cell_count()) + " hexahedra)");
    } else {
        std::string text =
            "generated, " + std::string(mesh::resolution_name(s.mesh.resolution)) + " resolution";
        for (std::size_t i = 0; i < s.mesh.geometry.size(); ++i) {
            text +=
                (i ? ", " : "; ") + s.mesh.geometry[i].first + " " + n(s.mesh.geometry[i].second);
        }
        row("mesh", text);
    }
    const auto& m = s.materials;
    row("materials",
        std::string(m.annulus_ground == solver::AnnulusGround::neo_hookean_gruber2024
                        ? "annulus neo-Hookean (Gruber et al. 2024)"
                        : "annulus Mooney-Rivlin (Schmidt et al. 2007)") +
            ", " +
            (m.fibre_invariant == materials::FibreInvariant::isochoric ? "isochoric" : "full") +
            " fibre invariants, K/mu " + n(m.bulk_to_shear));
    std::string rupture = "off";
    if (s.rupture.enabled) {
        rupture = s.rupture.criterion == RuptureCriterion::fibre_strain ? "fibre strain"
                                                                        : "max principal stress";
        rupture += s.rupture.threshold
                       ? " >= " + n(*s.rupture.threshold) +
                             (s.rupture.criterion == RuptureCriterion::fibre_strain ? "" : " MPa")
                       : " (default threshold)";
    }
    row("rupture", rupture);
    row("output", s.output.vtu_every == 0
                      ? std::string("stress fields at the end of each step")
                      : "stress fields every " + std::to_string(s.output.vtu_every) +
                            " converged increment(s)");
    row("steps", std::to_string(s.steps.size()));
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        const auto& step = s.steps[i];
        std::cout << "    " << i + 1 << ". " << step.name;
        if (step.cycles) {
            std::cout << " (" << step.cycles->count << " cycle(s): hold " << n(step.cycles->hold)
                      << " s, rest " << n(step.cycles->rest) << " s)";
        }
        if (step.duration) std::cout << " (" << duration_words(*step.duration) << ")";
        if (step.ramp) std::cout << ", ramp " << duration_words(*step.ramp) << " then hold";
        std::cout << "\n";
        const auto words = loads_in_words(step.loads);
        if (words.empty()) std::cout << "         no new loads (all carried over)\n";
        for (const auto& text : words)
            std::cout << "         " << text << "\n";
    }
}

} // namespace

int check_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim check", args, check_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim check FILE.yaml [--resolved]\n"
                     "       discsim check --keys [KEY.PATH]\n"
                     "       discsim check --update-docs docs/scenarios.md\n\n"
                     "Reads and validates a scenario file (docs/scenarios.md) without solving:\n"
                     "YAML syntax, every key and its type, the ranges of all values, the rules\n"
                     "between keys, and a mesh file's contents. Prints a summary of the disc and\n"
                     "the load steps, or with --resolved the scenario with every default written\n"
                     "out. An invalid file gives one error line FILE:LINE:COLUMN: KEY.PATH: ...\n"
                     "and exit status 2. --keys describes the keys a scenario may hold (type,\n"
                     "unit, range, default, meaning), e.g. 'discsim check --keys steps[].loads'.\n\n"
                  << options_help(check_options);
        return exit_ok;
    }
    const auto& positional = options.positional();
    if (const auto docs = options.value("update-docs")) {
        const std::string text = read_text_file(*docs);
        const std::string updated = keys::update_tables(text);
        if (const auto stale = keys::stale_tables(updated); !stale.empty()) {
            throw InputError(*docs + ": expected a generated table for every key section, got none for " +
                             stale.front() + " (add '<!-- keys: " + stale.front() +
                             " -->' and '<!-- /keys -->' where it belongs)");
        }
        if (updated != text) write_text_atomically(*docs, updated);
        std::cout << *docs << (updated != text ? ": key tables updated\n" : ": key tables up to date\n");
        return exit_ok;
    }
    if (options.has("keys")) {
        const std::string prefix = positional.empty() ? "" : positional.front();
        const std::string text = keys::describe(prefix);
        if (text.empty()) {
            std::vector<std::string> paths;
            for (const auto& k : keys::all())
                paths.push_back(k.path());
            std::vector<std::string_view> views(paths.begin(), paths.end());
            std::string message = "discsim check --keys: unknown key path '" + prefix + "'";
            if (auto hint = nearest_name(prefix, views); !hint.empty())
                message += " (did you mean '" + hint + "'?)";
            throw InputError(message + "; see 'discsim check --keys' for all");
        }
        std::cout << text;
        return exit_ok;
    }
    if (positional.size() != 1) {
        throw InputError(std::string("discsim check: expected one scenario file, got ") +
                         (positional.empty() ? "none" : std::to_string(positional.size())) +
                         "; see 'discsim check --help'");
    }
    const std::string& file = positional.front();
    const Scenario scenario = load_scenario(file);
    // A mesh file is only checked for existence on loading; read it here so `check` finds
    // every problem a run would meet before solving.
    mesh::HexMesh mesh_file;
    if (scenario.mesh.file) {
        try {
            mesh_file = mesh::read_vtu(*scenario.mesh.file);
        } catch (const InputError& error) {
            throw InputError(file + ": mesh.file: " + error.what());
        }
    }
    if (options.has("resolved")) {
        std::cout << to_yaml(scenario);
        return exit_ok;
    }
    print_summary(file, scenario, &mesh_file);
    return exit_ok;
}

} // namespace discsim::tools
