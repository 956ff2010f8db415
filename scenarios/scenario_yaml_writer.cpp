// to_yaml: the resolved scenario, every default filled in, readable back by parse_scenario.
#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/disc_geometry.hpp"
#include "scenarios/materials_input.hpp"
#include "scenarios/scenario_keys.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/scenario_yaml_schema.hpp"

#include <sstream>
#include <variant>

namespace discsim::scenarios {

namespace {

using namespace schema;

/// "{a: 1, b: 2}" from the given (key, value) pairs.
std::string flow(const std::vector<std::pair<std::string, double>>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i].first + ": " + format_number(items[i].second);
    }
    return out + "}";
}

std::vector<std::pair<std::string, double>>
anatomical_items(const std::array<std::optional<double>, 3>& components) {
    std::vector<std::pair<std::string, double>> items;
    // Flexion-extension first, the way the loads are usually quoted.
    for (const int axis : {1, 0, 2}) {
        if (!components[axis]) continue;
        const double value = *components[axis];
        for (const auto& d : directions) {
            if (d.axis == axis && (value < 0.0) == (d.sign < 0.0)) {
                items.emplace_back(std::string(d.name), std::abs(value));
                break;
            }
        }
    }
    return items;
}

std::vector<std::pair<std::string, double>>
vector_items(const std::array<std::optional<double>, 3>& components) {
    std::vector<std::pair<std::string, double>> items;
    for (int axis = 0; axis < 3; ++axis) {
        if (components[axis]) items.emplace_back(std::string(axis_names[axis]), *components[axis]);
    }
    return items;
}

/// "  # N m": the declared unit of a key (scenarios/scenario_keys.hpp), as a comment; none for a
/// dimensionless key or a count.
std::string unit_comment(std::string_view section, std::string_view key) {
    const std::string_view unit = keys::key(section, key).range.unit;
    if (unit.empty() || unit == "1" || unit == "count") return "";
    return "  # " + std::string(unit);
}

/// "  # kg, deg, mm": the units of a flow mapping's keys, in order.
std::string units_comment(std::string_view section,
                          const std::vector<std::pair<std::string, double>>& items) {
    std::string out;
    for (const auto& [key, value] : items) {
        const std::string_view unit = keys::key(section, key).range.unit;
        out += (out.empty() ? "" : ", ") + std::string(unit == "1" ? "-" : unit);
    }
    return out.empty() ? out : "  # " + out;
}

/// The threshold's unit (that of its criterion) and whether it is the criterion's default.
std::string threshold_comment(const RuptureSpec& rupture) {
    const std::string variant = "criterion " + std::string(name_of(criteria, rupture.criterion));
    const std::string_view unit = keys::key("rupture", "threshold", variant).range.unit;
    std::string words = unit == "1" ? "" : std::string(unit);
    if (!rupture.threshold) words += (words.empty() ? "" : ", ") + std::string("the criterion's default");
    return words.empty() ? "" : "  # " + words;
}

void write_mesh(std::ostream& out, const MeshSpec& mesh_spec) {
    out << "mesh:\n";
    if (mesh_spec.file) {
        out << "  file: " << yaml_quoted(mesh_spec.file->string()) << "\n";
        return;
    }
    out << "  resolution: " << mesh::resolution_name(mesh_spec.resolution) << "\n";
    if (!mesh_spec.geometry.empty()) out << "  geometry: " << flow(mesh_spec.geometry) << "\n";
    // The disc that will be meshed, for the reader; comments do not change the scenario.
    try {
        auto parameters = mesh::preset(mesh_spec.segment, mesh_spec.resolution);
        for (const auto& [key, value] : mesh_spec.geometry)
            mesh::set_parameter(parameters, key, value);
        std::string line = "  # disc parameters used:";
        for (const auto& spec : mesh::disc_parameter_specs()) {
            std::string word = " " + std::string(spec.name) + " " +
                               format_number(mesh::get_parameter(parameters, spec.name));
            if (spec.unit == "mm" || spec.unit == "deg") word += " " + std::string(spec.unit);
            word += spec.name == mesh::disc_parameter_specs().back().name ? "" : ",";
            if (line.size() + word.size() > 98) {
                out << line << "\n";
                line = "  #";
            }
            line += word;
        }
        out << line << "\n";
    } catch (const InputError&) {
        // A scenario built in code with an invalid override: nothing to summarise.
    }
}

void write_loads(std::ostream& out, const StepLoads& loads) {
    const std::string section = "steps[].loads";
    std::ostringstream body;
    if (loads.follower_compression) {
        body << "      follower_compression: " << format_number(*loads.follower_compression)
             << unit_comment(section, "follower_compression") << "\n";
    }
    if (auto items = anatomical_items(loads.moment); !items.empty()) {
        body << "      moment: " << flow(items) << unit_comment(section, "moment") << "\n";
    }
    if (auto items = vector_items(loads.force); !items.empty()) {
        body << "      force: " << flow(items) << unit_comment(section, "force") << "\n";
    }
    if (auto items = anatomical_items(loads.rotation); !items.empty()) {
        body << "      rotation: " << flow(items) << unit_comment(section, "rotation") << "\n";
    }
    if (auto items = vector_items(loads.displacement); !items.empty()) {
        body << "      displacement: " << flow(items) << unit_comment(section, "displacement") << "\n";
    }
    if (const auto& l = loads.lifting) {
        const std::vector<std::pair<std::string, double>> items{{"load_mass", l->load_mass},
                                                                {"trunk_flexion", l->trunk_flexion},
                                                                {"load_distance", l->load_distance},
                                                                {"body_mass", l->body_mass}};
        body << "      lifting: " << flow(items) << units_comment(section + ".lifting", items)
             << "\n";
    }
    if (const auto& t = loads.traction) {
        std::vector<std::pair<std::string, double>> items;
        if (t->force) items.emplace_back("force", *t->force);
        if (t->body_weight_fraction)
            items.emplace_back("body_weight_fraction", *t->body_weight_fraction);
        items.emplace_back("angle", t->angle);
        items.emplace_back("body_mass", t->body_mass);
        body << "      traction: " << flow(items) << units_comment(section + ".traction", items)
             << "\n";
    }
    if (const auto& p = loads.pressure) {
        body << "      pressure: {surface: " << mesh::surface_name(p->surface)
             << ", value: " << format_number(p->value) << "}"
             << unit_comment(section + ".pressure", "value") << "\n";
    }
    const std::string text = body.str();
    if (text.empty())
        out << "    loads: {}  # nothing new: every load carries over\n";
    else
        out << "    loads:\n" << text;
}

} // namespace

std::string to_yaml(const Scenario& scenario) {
    std::ostringstream out;
    out << "# Resolved scenario: every setting written out, defaults included "
           "(docs/scenarios.md).\n"
        << "# Units: N, N m, mm, degrees, kg, s, MPa. Comments show the defaults of optional\n"
        << "# overrides that were not given.\n"
        << "name: " << yaml_quoted(scenario.name) << "\n"
        << "description: " << yaml_quoted(scenario.description) << "\n"
        << "segment: " << mesh::segment_name(scenario.mesh.segment) << "\n";
    write_mesh(out, scenario.mesh);
    write_materials(out, scenario.materials);
    if (scenario.biphasic()) {
        const auto& f = scenario.materials.fluid;
        out << "boundaries:\n"
            << "  outer_wall: " << name_of(schema::wall_drainages, f.outer_wall) << "\n"
            << "  superior_endplate: " << name_of(schema::endplate_drainages, f.superior_endplate) << "\n"
            << "  inferior_endplate: " << name_of(schema::endplate_drainages, f.inferior_endplate) << "\n"
            << "  cartilage: {thickness: " << format_number(f.cartilage_thickness)
            << ", permeability: " << format_number(f.cartilage_permeability) << "}  # mm, mm^4/(N s)\n";
    }
    out << "rupture:\n"
        << "  enabled: " << (scenario.rupture.enabled ? "true" : "false") << "\n"
        << "  criterion: " << name_of(criteria, scenario.rupture.criterion) << "\n";
    out << "  threshold: " << format_number(scenario.rupture.threshold_value())
        << threshold_comment(scenario.rupture) << "\n"
        << "  residual_stiffness: " << format_number(scenario.rupture.residual_stiffness) << "\n"
        << "  stop_at_herniation: " << (scenario.rupture.stop_at_herniation ? "true" : "false")
        << "\n";
    out << "output:\n"
        << "  vtu_every: " << scenario.output.vtu_every << "\n"
        << "steps:\n";
    for (const auto& step : scenario.steps) {
        out << "  - name: " << yaml_quoted(step.name) << "\n";
        if (step.duration) out << "    duration: " << format_number(*step.duration) << " s\n";
        if (step.ramp) out << "    ramp: " << format_number(*step.ramp) << " s\n";
        out << "    increments: "
            << flow({{"initial", step.initial_increment},
                     {"min", step.min_increment},
                     {"max", step.max_increment}})
            << "\n";
        if (scenario.biphasic()) {
            std::string items;
            const std::pair<const char*, const std::optional<double>*> given[] = {
                {"initial", &step.time_step_initial}, {"min", &step.time_step_min}, {"max", &step.time_step_max}};
            for (const auto& [key, value] : given)
                if (*value) items += (items.empty() ? "" : ", ") + std::string(key) + ": " + format_number(**value) + " s";
            if (!items.empty()) out << "    time_step: {" << items << "}\n";
        }
        write_loads(out, step.loads);
        if (step.cycles) {
            const std::vector<std::pair<std::string, double>> items{
                {"count", step.cycles->count},
                {"hold", step.cycles->hold},
                {"rest", step.cycles->rest}};
            out << "    cycles: " << flow(items) << units_comment("steps[].cycles", items) << "\n";
        }
    }
    return out.str();
}

} // namespace discsim::scenarios
