#include "scenarios/scenario_yaml.hpp"
#include "scenarios/materials_input.hpp"
#include "scenarios/scenario_yaml_schema.hpp"
#include "scenarios/yaml_input.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/disc_geometry.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <variant>

namespace discsim::scenarios {

namespace {

namespace fs = std::filesystem;
using namespace yaml_input;

using namespace schema;


// ---- sections -----------------------------------------------------------------------------

void read_mesh(const Source& source, const Entry& entry, MeshSpec& mesh_spec,
               const fs::path& base_folder) {
    const Map map = read_section(source, entry, "mesh");
    if (const Entry* file = map.find("file")) {
        for (const char* other : {"resolution", "geometry"}) {
            if (const Entry* conflicting = map.find(other)) {
                source.fail(file->key_mark, file->path,
                            "expected either a mesh file or resolution/geometry of a generated "
                            "mesh, got both ('" +
                                conflicting->key + "' at line " +
                                std::to_string(Source::line(conflicting->key_mark)) + ")");
            }
        }
        const std::string text = read_text(source, *file, "a path to a .vtu mesh file");
        fs::path path(text);
        std::string extension = path.extension().string();
        std::transform(extension.begin(), extension.end(), extension.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (text.empty() || extension != ".vtu") {
            source.fail(file->mark(), file->path,
                        "expected a path to a .vtu mesh file (docs/mesh.md), got '" + text + "'");
        }
        // Relative to the scenario file, so a scenario and its mesh can move together; stored
        // absolute so the result does not depend on the working directory later on.
        if (path.is_relative()) path = base_folder / path;
        path = fs::absolute(path).lexically_normal();
        std::error_code error;
        if (!fs::is_regular_file(path, error)) {
            source.fail(file->mark(), file->path,
                        "expected an existing mesh file, got '" + text + "' (no file at " +
                            path.string() + ")");
        }
        mesh_spec.file = path;
        return;
    }
    if (const Entry* e = map.find("resolution")) {
        mesh_spec.resolution = read_choice(source, *e, resolutions);
    }
    if (const Entry* e = map.find("geometry")) {
        const Map geometry = read_section(source, *e, "mesh.geometry");
        std::vector<const Entry*> given;
        for (const auto& item : geometry.entries()) {
            mesh_spec.geometry.emplace_back(
                item.key, read_number(source, item, keys::key(geometry.section(), item.key).range));
            given.push_back(&item);
        }
        // Each value is in its own range; now the combination with the segment's preset must
        // make a disc (concavity against depth, annulus left around the nucleus, ...).
        mesh::DiscParameters parameters = mesh::preset(mesh_spec.segment, mesh_spec.resolution);
        for (const auto& [key, value] : mesh_spec.geometry)
            mesh::set_parameter(parameters, key, value);
        try {
            mesh::validate(parameters);
        } catch (const InputError& error) {
            // The message starts with the parameter it blames; point at it when it was given.
            const std::string message = error.what();
            const std::string preset_note =
                " (with the " + std::string(mesh::segment_name(mesh_spec.segment)) + " " +
                std::string(mesh::resolution_name(mesh_spec.resolution)) + " preset)";
            for (const Entry* item : given) {
                const std::string prefix = item->key + ": ";
                if (message.rfind(prefix, 0) == 0) {
                    source.fail(item->mark(), item->path,
                                message.substr(prefix.size()) + preset_note);
                }
            }
            source.fail(geometry.mark(), geometry.path(), message + preset_note);
        }
    }
}

void read_rupture(const Source& source, const Entry& entry, RuptureSpec& spec) {
    const Map map = read_section(source, entry, "rupture");
    if (const Entry* e = map.find("enabled")) spec.enabled = read_flag(source, *e);
    if (const Entry* e = map.find("criterion")) spec.criterion = read_choice(source, *e, criteria);
    spec.threshold = read_number(source, map, "threshold",
                                 "criterion " + std::string(name_of(criteria, spec.criterion)));
    if (auto r = read_number(source, map, "residual_stiffness")) {
        spec.residual_stiffness = *r;
    }
    if (const Entry* e = map.find("stop_at_herniation")) spec.stop_at_herniation = read_flag(source, *e);
}

/// Moments or rotations by anatomical name, into signed x, y, z components.
std::array<std::optional<double>, 3> read_anatomical(const Source& source, const Entry& entry,
                                                     const ParameterSpec& spec) {
    Keys names;
    for (const auto& d : directions)
        names.push_back(d.name);
    const Map map = read_map(source, entry, names);
    std::array<std::optional<double>, 3> out;
    std::array<const Entry*, 3> given{};
    for (const auto& item : map.entries()) {
        const auto& d = *std::find_if(std::begin(directions), std::end(directions),
                                      [&](const Direction& x) { return x.name == item.key; });
        if (given[d.axis]) {
            source.fail(item.key_mark, item.path,
                        "expected only one of the two opposite directions about the " +
                            std::string(axis_names[d.axis]) + " axis, got both '" +
                            given[d.axis]->key + "' (line " +
                            std::to_string(Source::line(given[d.axis]->key_mark)) + ") and '" +
                            item.key + "'");
        }
        const bool negative = item.value.is_scalar() && item.value.is_plain() &&
                              !item.value.scalar().empty() && item.value.scalar()[0] == '-';
        if (negative) {
            // A negative magnitude would silently mean the opposite motion: say which name to use.
            const auto& opposite = *std::find_if(
                std::begin(directions), std::end(directions),
                [&](const Direction& x) { return x.axis == d.axis && x.sign != d.sign; });
            source.fail(item.mark(), item.path,
                        "expected " + expectation(spec) +
                            " (a magnitude; for the opposite "
                            "direction write '" +
                            std::string(opposite.name) + "'), got " + item.value.scalar());
        }
        const double magnitude = read_number(source, item, spec);
        given[d.axis] = &item;
        out[d.axis] = magnitude == 0.0 ? 0.0 : d.sign * magnitude;
    }
    return out;
}

std::array<std::optional<double>, 3> read_vector(const Source& source, const Entry& entry,
                                                 const ParameterSpec& spec) {
    const Map map = read_map(source, entry, {axis_names[0], axis_names[1], axis_names[2]});
    std::array<std::optional<double>, 3> out;
    for (int axis = 0; axis < 3; ++axis)
        out[axis] = read_number(source, map, axis_names[axis], spec);
    return out;
}

Lifting read_lifting(const Source& source, const Entry& entry) {
    const Map map = read_section(source, entry, "steps[].loads.lifting");
    Lifting lifting;
    lifting.load_mass =
        read_number(source, map, "load_mass").value_or(lifting.load_mass);
    lifting.trunk_flexion = read_number(source, map, "trunk_flexion")
                                .value_or(lifting.trunk_flexion);
    lifting.load_distance = read_number(source, map, "load_distance")
                                .value_or(lifting.load_distance);
    // body_mass 0 with no load removes the lifting contribution of earlier steps (docs/loads.md
    // rule 5): the one value outside the range of a person's mass that is accepted.
    if (const Entry* e = map.find("body_mass")) {
        const bool release = e->value.is_scalar() && e->value.is_plain() &&
                             (e->value.scalar() == "0" || e->value.scalar() == "0.0");
        if (release && lifting.load_mass == 0.0)
            lifting.body_mass = 0.0;
        else if (release) {
            source.fail(e->mark(), e->path,
                        "expected " + expectation(keys::key(map.section(), "body_mass").range) +
                            " (0 only with load_mass 0, to release lifting), got 0");
        } else {
            lifting.body_mass = read_number(source, *e, keys::key(map.section(), "body_mass").range);
        }
    }
    return lifting;
}

Traction read_traction(const Source& source, const Entry& entry) {
    const Map map = read_section(source, entry, "steps[].loads.traction");
    Traction traction;
    traction.force = read_number(source, map, "force");
    traction.body_weight_fraction =
        read_number(source, map, "body_weight_fraction");
    traction.angle = read_number(source, map, "angle").value_or(traction.angle);
    traction.body_mass =
        read_number(source, map, "body_mass").value_or(traction.body_mass);
    if (traction.force && traction.body_weight_fraction) {
        const Entry* force = map.find("force");
        const Entry* fraction = map.find("body_weight_fraction");
        const Entry* later =
            Source::line(force->key_mark) * 100000 + force->key_mark.column >
                    Source::line(fraction->key_mark) * 100000 + fraction->key_mark.column
                ? force
                : fraction;
        source.fail(later->key_mark, later->path,
                    "expected exactly one of force (N) and body_weight_fraction, got both");
    }
    if (!traction.force && !traction.body_weight_fraction) {
        source.fail(map.mark(), map.path(),
                    "expected exactly one of force (N) and body_weight_fraction, got neither");
    }
    return traction;
}

SurfacePressure read_pressure(const Source& source, const Entry& entry) {
    const Map map = read_section(source, entry, "steps[].loads.pressure");
    SurfacePressure pressure;
    const Entry& surface = map.require("surface", "a surface name");
    std::vector<std::string_view> names;
    for (int s = 0; s < mesh::surface_count; ++s)
        names.push_back(mesh::surface_name(static_cast<mesh::Surface>(s)));
    const std::string word = read_text(source, surface, "a surface name");
    const auto it = std::find(names.begin(), names.end(), word);
    if (it == names.end()) {
        std::string message = "expected one of " + join(names, ", ") + ", got '" + word + "'";
        if (auto hint = nearest_name(word, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
        source.fail(surface.mark(), surface.path, message);
    }
    pressure.surface = static_cast<mesh::Surface>(it - names.begin());
    pressure.value = read_number(source, map.require("value", "the pressure in MPa"),
                                 keys::key(map.section(), "value").range);
    return pressure;
}

StepLoads read_loads(const Source& source, const Entry& entry) {
    const Map map = read_section(source, entry, "steps[].loads");
    StepLoads loads;
    loads.follower_compression = read_number(source, map, "follower_compression");
    if (const Entry* e = map.find("moment"))
        loads.moment = read_anatomical(source, *e, keys::key(map.section(), "moment").range);
    if (const Entry* e = map.find("force")) loads.force = read_vector(source, *e, keys::key(map.section(), "force").range);
    if (const Entry* e = map.find("rotation")) {
        loads.rotation = read_anatomical(source, *e, keys::key(map.section(), "rotation").range);
    }
    if (const Entry* e = map.find("displacement")) {
        loads.displacement = read_vector(source, *e, keys::key(map.section(), "displacement").range);
    }
    if (const Entry* e = map.find("lifting")) loads.lifting = read_lifting(source, *e);
    if (const Entry* e = map.find("traction")) loads.traction = read_traction(source, *e);
    if (const Entry* e = map.find("pressure")) loads.pressure = read_pressure(source, *e);
    return loads;
}

void read_increments(const Source& source, const Entry& entry, StepSpec& step) {
    const Map map = read_section(source, entry, "steps[].increments");
    const auto initial = read_number(source, map, "initial");
    const auto min = read_number(source, map, "min");
    const auto max = read_number(source, map, "max");
    // A value not given moves out of the way of the ones given, so `initial: 1` alone means one
    // increment without also having to raise max.
    step.max_increment =
        max.value_or(std::max({default_max_increment, initial.value_or(0.0), min.value_or(0.0)}));
    step.min_increment =
        min.value_or(std::min({default_min_increment, initial.value_or(1.0), max.value_or(1.0)}));
    if (step.min_increment > step.max_increment) {
        const Entry& e = *map.find("min");
        source.fail(e.mark(), e.path,
                    "expected a value <= max (" + format_number(step.max_increment) + "), got " +
                        format_number(step.min_increment));
    }
    step.initial_increment = initial.value_or(
        std::clamp(default_initial_increment, step.min_increment, step.max_increment));
    if (step.initial_increment < step.min_increment) {
        const Entry& e = *map.find("initial");
        source.fail(e.mark(), e.path,
                    "expected a value >= min (" + format_number(step.min_increment) + "), got " +
                        format_number(step.initial_increment));
    }
    if (step.initial_increment > step.max_increment) {
        const Entry& e = *map.find("initial");
        source.fail(e.mark(), e.path,
                    "expected a value <= max (" + format_number(step.max_increment) + "), got " +
                        format_number(step.initial_increment));
    }
}

Cycles read_cycles(const Source& source, const Entry& entry) {
    const Map map = read_section(source, entry, "steps[].cycles");
    Cycles cycles;
    cycles.count = static_cast<int>(
        read_number(source, map, "count").value_or(cycles.count));
    cycles.hold = read_number(source, map, "hold").value_or(cycles.hold);
    cycles.rest = read_number(source, map, "rest").value_or(cycles.rest);
    return cycles;
}

/// Step names appear in messages, the results table and ParaView's series: one line of text.
bool valid_step_name(const std::string& name) {
    return !name.empty() &&
           std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::iscntrl(c); });
}

/// "30 s", "20 min", "8 h", "21 d" in seconds; a number without a unit is an error.
double read_duration(const Source& source, const Entry& entry,
                     std::string_view section = "steps[]") {
    const std::string expected =
        "expected a duration with its unit (s, min, h or d), such as '30 s' or '20 min', got ";
    if (!entry.value.is_scalar()) source.fail(entry.mark(), entry.path, expected + describe(entry.value));
    const std::string text = entry.value.scalar();
    const auto space = text.find_last_of("0123456789.") + 1;
    std::string number = text.substr(0, space), unit = text.substr(std::min(space, text.size()));
    unit.erase(0, unit.find_first_not_of(' '));
    static const std::pair<std::string_view, double> units[] = {
        {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}};
    double factor = 0.0;
    for (const auto& [name, seconds] : units)
        if (unit == name) factor = seconds;
    double value = 0.0;
    try {
        value = parse_number(entry.path, number);
    } catch (const InputError&) {
        factor = 0.0;
    }
    if (factor == 0.0 || space == 0) source.fail(entry.mark(), entry.path, expected + "'" + text + "'");
    ParameterSpec named = keys::key(section, entry.key).spec(entry.path);
    try {
        check_parameter(named, value * factor);
    } catch (const InputError& error) {
        source.fail(entry.mark(), "", error.what());
    }
    return value * factor;
}

/// steps[].time_step: durations, min <= initial <= max, none longer than the step (its duration,
/// or a cycle's shorter phase).
void read_time_step(const Source& source, const Entry& entry, StepSpec& step, bool biphasic) {
    if (!biphasic) {
        source.fail(entry.key_mark, entry.path,
                    "expected no time_step in an elastic scenario (it steps by increments; time "
                    "steps belong to materials.formulation: biphasic), got one");
    }
    const Map map = read_section(source, entry, "steps[].time_step");
    const double length = step.duration ? *step.duration
                          : step.cycles ? std::min(step.cycles->hold, step.cycles->rest)
                                        : 0.0;
    std::optional<double>* fields[] = {&step.time_step_initial, &step.time_step_min, &step.time_step_max};
    const char* names[] = {"initial", "min", "max"};
    for (int i = 0; i < 3; ++i) {
        const Entry* e = map.find(names[i]);
        if (!e) continue;
        *fields[i] = read_duration(source, *e, "steps[].time_step");
        if (length > 0 && **fields[i] > length * (1 + 1e-12)) {
            source.fail(e->mark(), e->path,
                        "expected a time step no longer than the step (" + format_number(length) +
                            " s" + (step.duration ? "" : ", the shorter of hold and rest") +
                            "), got " + format_number(**fields[i]) + " s");
        }
    }
    const auto order = [&](int smaller, int larger) {
        if (*fields[smaller] && *fields[larger] && **fields[smaller] > **fields[larger]) {
            const Entry& e = *map.find(names[smaller]);
            source.fail(e.mark(), e.path,
                        std::string("expected a value <= ") + names[larger] + " (" +
                            format_number(**fields[larger]) + " s), got " +
                            format_number(**fields[smaller]) + " s");
        }
    };
    order(1, 0);
    order(0, 2);
    order(1, 2);
}

StepSpec read_step(const Source& source, const yaml::Node& node, std::string path,
                   const yaml::Mark& fallback, bool biphasic) {
    const Map map(source, node, std::move(path), node.mark().is_null() ? fallback : node.mark(),
                  keys::names("steps[]"), "steps[]");
    StepSpec step;
    const Entry& name = map.require("name", "the step's name (a string)");
    step.name = read_text(source, name, "the step's name (a string)");
    if (!valid_step_name(step.name)) {
        source.fail(name.mark(), name.path,
                    "expected the step's name (one line of text, not empty), got " +
                        yaml_quoted(step.name));
    }
    // Time first, as it is usually written right after the name; then the rest.
    if (const Entry* e = map.find("cycles")) step.cycles = read_cycles(source, *e);
    if (const Entry* e = map.find("duration")) {
        if (step.cycles) {
            source.fail(e->key_mark, e->path,
                        "expected no duration on a cycled step (it lasts count x (hold + rest)), "
                        "got one");
        }
        step.duration = read_duration(source, *e);
    }
    if (const Entry* e = map.find("ramp")) {
        step.ramp = read_duration(source, *e);
        const double whole = step.duration ? *step.duration
                             : step.cycles ? std::min(step.cycles->hold, step.cycles->rest)
                                           : 0.0;
        if (!step.duration && !step.cycles) {
            source.fail(e->key_mark, e->path,
                        "expected a ramp only with a duration or cycles, got a ramp alone");
        }
        if (*step.ramp > whole) {
            source.fail(e->mark(), e->path,
                        "expected at most the step's " +
                            std::string(step.duration ? "duration" : "shorter of hold and rest") +
                            " (" + format_number(whole) + " s), got " + format_number(*step.ramp) +
                            " s");
        }
    }
    if (const Entry* e = map.find("increments")) read_increments(source, *e, step);
    if (const Entry* e = map.find("time_step")) read_time_step(source, *e, step, biphasic);
    if (const Entry* e = map.find("loads")) step.loads = read_loads(source, *e);
    step.where = {source.file(), Source::line(map.mark()), Source::column(map.mark())};
    return step;
}

void read_boundaries(const Source& source, const Entry& entry, solver::DiscFluid& fluid) {
    const Map map = read_section(source, entry, "boundaries");
    if (const Entry* e = map.find("outer_wall")) fluid.outer_wall = read_choice(source, *e, schema::wall_drainages);
    if (const Entry* e = map.find("superior_endplate"))
        fluid.superior_endplate = read_choice(source, *e, schema::endplate_drainages);
    if (const Entry* e = map.find("inferior_endplate"))
        fluid.inferior_endplate = read_choice(source, *e, schema::endplate_drainages);
    if (const Entry* e = map.find("cartilage")) {
        const Map c = read_section(source, *e, "boundaries.cartilage");
        if (auto v = read_number(source, c, "thickness")) fluid.cartilage_thickness = *v;
        if (auto v = read_number(source, c, "permeability")) fluid.cartilage_permeability = *v;
    }
}

} // namespace

Scenario parse_scenario(const std::string& text, const fs::path& file_name,
                        std::optional<Formulation> forced) {
    const Source source(file_name.string());
    const yaml::Node document =
        load_document(source, text, "a scenario (a mapping with at least name and steps)");
    const Map root(source, document, "", document.mark(), keys::names(""), "");
    Scenario scenario;
    scenario.source = file_name;
    if (forced) set_formulation(scenario.materials, *forced);
    const Entry& name = root.require("name", "the scenario's name (a string)");
    scenario.name = read_text(source, name, "the scenario's name (a string)");
    if (scenario.name.empty()) {
        source.fail(name.mark(), name.path, "expected the scenario's name (a string), got ''");
    }
    if (const Entry* e = root.find("description")) {
        scenario.description = read_text(source, *e, "a description (a string)");
    }
    if (const Entry* e = root.find("segment")) {
        const std::string word = read_text(source, *e, "one of L4-5, L5-S1");
        try {
            scenario.mesh.segment = mesh::parse_segment(word);
        } catch (const InputError&) {
            source.fail(e->mark(), e->path,
                        "expected one of L4-5, L5-S1 (also written L4-L5), got '" + word + "'");
        }
    }
    if (const Entry* e = root.find("mesh")) {
        read_mesh(source, *e, scenario.mesh, file_name.parent_path());
    }
    if (const Entry* e = root.find("materials")) {
        // Per-ring lists are checked against a generated mesh's rings here, against a mesh
        // file's when it is read.
        int rings = 0;
        if (!scenario.mesh.file) {
            mesh::DiscParameters p = mesh::preset(scenario.mesh.segment, scenario.mesh.resolution);
            for (const auto& [key, value] : scenario.mesh.geometry)
                mesh::set_parameter(p, key, value);
            rings = p.annulus_rings;
        }
        read_materials(source, *e, scenario.materials, rings, forced.has_value());
    }
    if (const Entry* e = root.find("boundaries")) {
        if (!scenario.biphasic()) {
            source.fail(e->key_mark, e->path,
                        "expected no boundaries in an elastic scenario (they are the fluid's; "
                        "set materials.formulation: biphasic), got them");
        }
        read_boundaries(source, *e, scenario.materials.fluid);
    }
    if (const Entry* e = root.find("rupture")) read_rupture(source, *e, scenario.rupture);
    if (const Entry* e = root.find("output")) {
        const Map output = read_section(source, *e, "output");
        if (auto v = read_number(source, output, "vtu_every")) {
            scenario.output.vtu_every = static_cast<int>(*v);
        }
    }

    const Entry& steps = root.require("steps", "a list of load steps (- name: ...)");
    if (!steps.value.is_sequence()) {
        source.fail(steps.mark(), steps.path,
                    "expected a list of load steps (- name: ...), got " + describe(steps.value));
    }
    if (steps.value.size() == 0) {
        source.fail(steps.mark(), steps.path, "expected at least one step, got an empty list");
    }
    for (std::size_t i = 0; i < steps.value.size(); ++i) {
        const std::string path = "steps[" + std::to_string(i) + "]";
        StepSpec step = read_step(source, steps.value[i], path, steps.mark(), scenario.biphasic());
        for (const auto& earlier : scenario.steps) {
            if (earlier.name == step.name) {
                // Point at the repeated name itself.
                const yaml::Node node = steps.value[i];
                yaml::Mark mark = node.mark();
                if (const yaml::Node given = node.find("name")) mark = given.mark();
                source.fail(mark, path + ".name",
                            "expected a name not used by another step, got '" + step.name +
                                "' again (first at line " + std::to_string(earlier.where.line) +
                                ")");
            }
        }
        scenario.steps.push_back(std::move(step));
    }
    // One pressure surface per scenario (the solver holds one set of loaded faces).
    for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
        const auto& p = scenario.steps[i].loads.pressure;
        if (p && p->surface != *scenario.pressure_surface()) {
            const StepSpec& step = scenario.steps[i];
            throw InputError(source.file() + ":" + std::to_string(step.where.line) + ":" +
                             std::to_string(step.where.column) + ": steps[" + std::to_string(i) +
                             "].loads.pressure.surface: expected the surface of the earlier "
                             "steps' pressure (" +
                             std::string(mesh::surface_name(*scenario.pressure_surface())) +
                             "; one pressure surface per scenario), got " +
                             std::string(mesh::surface_name(p->surface)));
        }
    }
    for (std::size_t i = 0; i < scenario.steps.size() && !scenario.timed(); ++i) {
        const StepSpec& step = scenario.steps[i];
        if (step.ramp) {
            throw InputError(source.file() + ":" + std::to_string(step.where.line) + ":" +
                             std::to_string(step.where.column) + ": steps[" + std::to_string(i) +
                             "].ramp: expected physical time (steps with a duration) for a ramp, "
                             "got none");
        }
    }
    if (scenario.biphasic() && !scenario.timed()) {
        const StepSpec& step = scenario.steps.front();
        throw InputError(source.file() + ":" + std::to_string(step.where.line) + ":" +
                         std::to_string(step.where.column) +
                         ": steps[0]: expected a duration (the biphasic disc, the default "
                         "formulation, is time-dependent: every step needs one, or cycles with "
                         "hold and rest > 0; for an equilibrium study without time set "
                         "materials.formulation: elastic), got none");
    }
    if (scenario.timed()) {
        for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
            const StepSpec& step = scenario.steps[i];
            const bool timed_cycles = step.cycles && step.cycles->hold > 0 && step.cycles->rest > 0;
            if (!step.duration && !timed_cycles) {
                throw InputError(source.file() + ":" + std::to_string(step.where.line) + ":" +
                                 std::to_string(step.where.column) + ": steps[" + std::to_string(i) +
                                 "]: expected a duration (other steps have one, so time is "
                                 "physical), or cycles with hold and rest > 0, got neither");
            }
        }
    }
    return scenario;
}

Scenario load_scenario(const fs::path& file, std::optional<Formulation> forced) {
    return parse_scenario(read_input_file(file, "scenario"), file, forced);
}

} // namespace discsim::scenarios
