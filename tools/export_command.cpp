// `discsim export --format inp FILE [-o OUT.inp]`: writes a scenario as an Abaqus/CalculiX deck
// (scenarios/inp_export.hpp), to run the same problem in a peer solver.
#include "cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "formulation_option.hpp"
#include "scenarios/inp_export.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "version.hpp"

#include <filesystem>
#include <iostream>

namespace discsim::tools {

namespace {
const OptionSpec export_options[] = {
    {"format", 0, "FORMAT", "the deck's format: inp (Abaqus/CalculiX keywords; the only one)"},
    {"output", 'o', "FILE", "the deck to write (default <scenario file name>.inp here)"},
    {"element", 0, "TYPE",
     "C3D8R (default: reduced integration, nearest to discsim's mean-dilatation hexahedron), "
     "C3D8 or C3D8I"},
    {"formulation", 0, "FORM",
     "read the scenario as this formulation (the deck needs elastic; e.g. a shipped scenario)"},
    {"help", 'h', "", "show this help"},
};
} // namespace

int export_command(std::span<const std::string> args) {
    const auto options = parse_options("discsim export", args, export_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim export --format inp FILE [-o OUT.inp] [--element C3D8R]\n"
                     "                      [--formulation elastic]\n\n"
                     "Writes the scenario's elastic disc as an Abaqus/CalculiX input deck: mesh,\n"
                     "Mooney-Rivlin or neo-Hookean materials (D1 = 2/K, volumetric: quadratic),\n"
                     "the rigid vertebra (*RIGID BODY), the fixed inferior endplate and one\n"
                     "NLGEOM *STEP per planned step with its force and moment. Run it with\n"
                     "'ccx -i NAME' (CalculiX) or 'abaqus job=NAME'. See docs/performance.md.\n\n"
                  << options_help(export_options);
        return exit_ok;
    }
    const std::string format = options.value("format").value_or("");
    if (format != "inp") {
        throw InputError("discsim export: --format: expected inp, got " +
                         (format.empty() ? std::string("nothing") : "'" + format + "'"));
    }
    if (options.positional().size() != 1) {
        throw InputError("discsim export: expected one scenario file, got " +
                         std::to_string(options.positional().size()) +
                         "; see 'discsim export --help'");
    }
    scenarios::InpOptions inp;
    if (const auto e = options.value("element")) {
        if (*e == "C3D8R")
            inp.element = scenarios::InpElement::c3d8r;
        else if (*e == "C3D8")
            inp.element = scenarios::InpElement::c3d8;
        else if (*e == "C3D8I")
            inp.element = scenarios::InpElement::c3d8i;
        else
            throw InputError("discsim export: --element: expected C3D8R, C3D8 or C3D8I, got '" +
                             *e + "'");
    }
    std::optional<scenarios::Formulation> forced;
    if (const auto value = options.value("formulation"))
        forced = formulation_named("discsim export", *value);
    const std::filesystem::path file = options.positional().front();
    const scenarios::Scenario scenario = scenarios::load_scenario(file, forced);
    const std::filesystem::path output =
        options.value("output").value_or(file.stem().string() + ".inp");
    inp.heading = scenario.name + " (discsim " DISCSIM_VERSION ", " + file.filename().string() + ")";
    scenarios::write_inp(scenario, output, inp);
    std::cout << "wrote " << output.string() << " (" << scenario.name << ")\n";
    return exit_ok;
}

} // namespace discsim::tools
