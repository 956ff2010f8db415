#include "scenarios/materials_input.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"
#include "solver/disc_model.hpp"

#include <algorithm>
#include <initializer_list>
#include <sstream>

namespace discsim::scenarios {

namespace {

using namespace yaml_input;
using solver::Distribution;
using solver::RegionMaterial;
using solver::SolidModel;

/// The model names of the model table (solver/disc_materials.cpp), as reader choices.
const std::vector<Choice<SolidModel>>& models() {
    static const auto out = [] {
        std::vector<Choice<SolidModel>> choices;
        for (const auto& info : solver::solid_models())
            choices.push_back({info.name, info.id});
        return choices;
    }();
    return out;
}
/// Every coefficient any model has, each once, in the order of the model table.
const std::vector<std::string_view>& coefficient_keys() {
    static const auto out = [] {
        std::vector<std::string_view> keys;
        for (const auto& info : solver::solid_models())
            for (const auto key : info.coefficients)
                if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        return keys;
    }();
    return out;
}
/// A number, a list (one per ring, innermost first) or {table: [[...], ...]} (rows: layers
/// outer to inner; columns: sectors anterior to posterior). `distributed`: the annulus, where
/// lists and tables are allowed; `table_allowed`: false for the fibre angle.
Distribution read_distribution(const Source& source, const Map& map, const Entry& entry, int rings,
                               bool distributed, bool table_allowed = true) {
    const ParameterSpec& spec = keys::key(map.section(), entry.key).range;
    const yaml::Node& node = entry.value;
    if (node.is_sequence() || node.is_map()) {
        if (!distributed) {
            source.fail(entry.mark(), entry.path,
                        "expected " + expectation(spec) +
                            " (the nucleus has one value: no rings or sectors), got " +
                            describe(node));
        }
    } else {
        return Distribution::uniform(read_number(source, entry, spec));
    }
    auto numbers = [&](const yaml::Node& list, const std::string& path, const yaml::Mark& at) {
        if (!list.is_sequence() || list.size() == 0) {
            source.fail(list.mark().is_null() ? at : list.mark(), path,
                        "expected a list of numbers, got " + describe(list));
        }
        std::vector<double> values;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Entry item{entry.key, path + "[" + std::to_string(i) + "]", list[i].mark(),
                             list[i]};
            values.push_back(read_number(source, item, spec));
        }
        return values;
    };
    if (node.is_sequence()) {
        std::vector<double> values = numbers(node, entry.path, entry.mark());
        if (rings > 0 && static_cast<int>(values.size()) != rings) {
            source.fail(entry.mark(), entry.path,
                        "expected " + std::to_string(rings) +
                            " values (one per annulus ring of the mesh, the innermost first), "
                            "got " +
                            std::to_string(values.size()));
        }
        return Distribution::per_ring(std::move(values));
    }
    const Map table_map = read_map(source, entry, {"table"});
    if (!table_allowed) {
        source.fail(entry.mark(), entry.path,
                    "expected one angle or a list of one per ring, got a table");
    }
    const Entry& table = table_map.require("table", "a table: a list of rows, one per layer from the "
                                              "outer to the inner, each a list of values from "
                                              "anterior to posterior");
    if (!table.value.is_sequence() || table.value.size() < 2) {
        source.fail(
            table.mark(), table.path,
            "expected a table of at least 2 rows (layers, outer to inner), got " +
                describe(table.value) +
                (table.value.is_sequence() ? " of " + std::to_string(table.value.size()) : ""));
    }
    std::vector<std::vector<double>> rows;
    for (std::size_t r = 0; r < table.value.size(); ++r) {
        const std::string path = table.path + "[" + std::to_string(r) + "]";
        rows.push_back(numbers(table.value[r], path, table.mark()));
        if (rows.back().size() < 2 || rows.back().size() != rows.front().size()) {
            source.fail(
                table.value[r].mark(), path,
                "expected " +
                    (r == 0 ? std::string("at least 2 values (sectors, anterior to posterior)")
                            : std::to_string(rows.front().size()) + " values, as the first row") +
                    ", got " + std::to_string(rows.back().size()));
        }
    }
    return Distribution::table(std::move(rows));
}

// Keys of the fluid phase are refused in an elastic scenario, at the key.
void refuse_unless_biphasic(const Source& source, const Map& map,
                            std::initializer_list<const char*> keys, const MaterialSpec& spec) {
    if (spec.formulation == Formulation::biphasic) return;
    for (const char* key : keys) {
        if (const Entry* e = map.find(key)) {
            source.fail(e->key_mark, e->path,
                        "expected no " + std::string(key) +
                            " in an elastic scenario (it belongs to materials.formulation: "
                            "biphasic), got one");
        }
    }
}

// The fluid keys of a region block: only in a biphasic scenario.
void read_region_fluid(const Source& source, const Map& map, solver::RegionFluid& fluid,
                       const MaterialSpec& spec) {
    refuse_unless_biphasic(source, map, {"permeability", "fixed_charge_density", "fluid_fraction"}, spec);
    if (auto v = read_number(source, map, "fixed_charge_density")) fluid.fixed_charge = *v;
    if (auto v = read_number(source, map, "fluid_fraction")) fluid.fluid_fraction = *v;
    if (const Entry* e = map.find("permeability")) {
        const Map k = read_section(source, *e, "materials.REGION.permeability");
        if (const Entry* law = k.find("law")) fluid.law = read_choice(source, *law, schema::permeability_laws);
        if (auto v = read_number(source, k, "k0")) fluid.k0 = *v;
        if (auto v = read_number(source, k, "M")) fluid.M = *v;
        if (auto v = read_number(source, k, "alpha")) fluid.alpha = *v;
        const auto refuse = [&](const char* key, const char* why) {
            if (const Entry* x = k.find(key))
                source.fail(x->key_mark, x->path, std::string("expected no ") + key + " " + why + ", got one");
        };
        if (fluid.law == solver::PermeabilityLaw::constant) {
            refuse("M", "for a constant permeability");
            refuse("alpha", "for a constant permeability");
        }
        if (fluid.law == solver::PermeabilityLaw::exponential)
            refuse("alpha", "for the exponential law (Holmes-Mow only)");
    }
}

void read_region(const Source& source, const Entry& entry, RegionSpec& region, bool annulus,
                 int rings, MaterialSpec& spec) {
    const bool explicit_model = entry.value.is_map() && entry.value.find("model");
    const std::string section = explicit_model ? "materials.REGION (model)"
                                : annulus      ? "materials.annulus"
                                               : "materials.nucleus";
    Keys keys;
    for (const auto key : keys::names(section))
        if (annulus || !explicit_model || (key != "fibre_invariant" && key != "fibre_angle"))
            keys.push_back(key);
    const Map map(source, entry.value, entry.path, entry.mark(), keys, section);
    read_region_fluid(source, map, annulus ? spec.fluid.annulus : spec.fluid.nucleus, spec);
    if (const Entry* e = map.find("bulk_modulus")) {
        region.bulk_modulus = read_distribution(source, map, *e, rings, annulus);
    }
    if (const Entry* e = map.find("volumetric"))
        region.volumetric = read_choice(source, *e, volumetric_forms);
    if (const Entry* e = map.find("fibre_angle")) {
        if (!(e->value.is_scalar() && e->value.is_plain() && e->value.scalar() == "mesh"))
            region.fibre_angle = read_distribution(source, map, *e, rings, true, false);
    }
    if (!explicit_model) {
        const auto coefficient = [&](std::string_view key) {
            return read_number(source, map, key);
        };
        if (annulus) {
            spec.annulus_c10 = coefficient("c10");
            spec.annulus_c01 = coefficient("c01");
            spec.annulus_kappa = coefficient("kappa");
            spec.annulus_k1_scale =
                read_number(source, map, "k1_scale").value_or(spec.annulus_k1_scale);
            spec.annulus_k2_scale =
                read_number(source, map, "k2_scale").value_or(spec.annulus_k2_scale);
            if (spec.annulus_c01 &&
                spec.annulus_ground != solver::AnnulusGround::mooney_rivlin_schmidt2007) {
                const Entry& c01 = *map.find("c01");
                source.fail(c01.mark(), c01.path,
                            "expected no c01 with annulus_ground gruber2024 (a neo-Hookean ground "
                            "substance has only c10; choose annulus_ground schmidt2007 for "
                            "Mooney-Rivlin, or give the annulus a model), got " +
                                format_number(*spec.annulus_c01));
            }
        } else {
            spec.nucleus_c10 = coefficient("c10");
            spec.nucleus_c01 = coefficient("c01");
        }
        return;
    }
    RegionMaterial m;
    m.model = read_choice(source, *map.find("model"), std::span(models()));
    const auto own = solver::model_coefficients(m.model);
    for (const std::string_view key : coefficient_keys()) {
        const Entry* e = map.find(key);
        const bool has = std::find(own.begin(), own.end(), key) != own.end();
        if (e && !has) {
            std::string list;
            for (const auto k : own)
                list += (list.empty() ? "" : ", ") + std::string(k);
            source.fail(e->key_mark, e->path,
                        "model " + std::string(solver::model_name(m.model)) +
                            " has no coefficient '" + std::string(key) + "'; it has " + list);
        }
        if (!e && has) {
            source.fail(map.mark(), map.child(key),
                        "expected " + expectation(keys::key(map.section(), key).range) +
                            " (model " + std::string(solver::model_name(m.model)) +
                            " needs it), got nothing");
        }
        if (e) m.coefficients[std::string(key)] = read_distribution(source, map, *e, rings, annulus);
    }
    if (region.bulk_modulus && map.find("bulk_to_shear")) {
        const Entry& e = *map.find("bulk_to_shear");
        source.fail(e.key_mark, e.path, "expected either bulk_modulus or bulk_to_shear, got both");
    }
    m.bulk_modulus = region.bulk_modulus;
    m.bulk_to_shear = read_number(source, map, "bulk_to_shear")
                          .value_or(spec.bulk_to_shear);
    m.volumetric = region.volumetric.value_or(m.volumetric);
    // An explicit definition inherits the block's invariant, as it does bulk_to_shear.
    m.fibre_invariant = spec.fibre_invariant;
    if (const Entry* e = map.find("fibre_invariant"))
        m.fibre_invariant = read_choice(source, *e, schema::fibre_invariants);
    m.fibre_angle = region.fibre_angle;
    if (solver::is_coupled(m.model)) {
        for (const char* key : {"bulk_modulus", "bulk_to_shear", "volumetric"}) {
            if (const Entry* e = map.find(key)) {
                source.fail(e->key_mark, e->path,
                            "expected no " + std::string(key) + " for model " +
                                std::string(solver::model_name(m.model)) +
                                " (a coupled solid has its own volume response)");
            }
        }
    }
    if (m.fibre_angle && !solver::has_fibres(m.model)) {
        const Entry& e = *map.find("fibre_angle");
        source.fail(e.key_mark, e.path,
                    "expected no fibre angle for model " +
                        std::string(solver::model_name(m.model)) + " (it has no fibres)");
    }
    region = RegionSpec{};
    region.definition = std::move(m);
}

std::string distribution_text(const Distribution& d) {
    auto list = [](auto begin, auto end) {
        std::string out = "[";
        for (auto it = begin; it != end; ++it)
            out += (it == begin ? "" : ", ") + format_number(*it);
        return out + "]";
    };
    switch (d.kind) {
    case Distribution::Kind::uniform:
        return format_number(d.values.front());
    case Distribution::Kind::per_ring:
        return list(d.values.begin(), d.values.end());
    case Distribution::Kind::table:
        break;
    }
    std::string out = "{table: [";
    for (int r = 0; r < d.rows; ++r) {
        const auto row = d.values.begin() + static_cast<long>(r) * d.columns;
        out += (r ? ", " : "") + list(row, row + d.columns);
    }
    return out + "]}";
}

} // namespace

void read_materials(const Source& source, const Entry& entry, MaterialSpec& spec, int rings,
                    bool forced) {
    const Map map = read_section(source, entry, "materials");
    if (const Entry* e = map.find("formulation")) {
        const Formulation chosen = read_choice(source, *e, schema::formulations);
        // The formulation's defaults (scenario.hpp), unless given below; a formulation forced
        // by the caller (parse_scenario's `forced`) wins over the file's.
        if (!forced) set_formulation(spec, chosen);
    }
    refuse_unless_biphasic(source, map, {"initial_state", "bath"}, spec);
    if (const Entry* e = map.find("initial_state"))
        spec.initial_state = read_choice(source, *e, schema::initial_states);
    if (const Entry* e = map.find("bath")) {
        const Map bath = read_section(source, *e, "materials.bath");
        if (auto v = read_number(source, bath, "osmolarity")) spec.fluid.bath_osmolarity = *v;
        if (auto v = read_number(source, bath, "temperature")) spec.fluid.temperature = *v;
        if (auto v = read_number(source, bath, "osmotic_coefficient")) spec.fluid.osmotic_coefficient = *v;
    }
    if (const Entry* e = map.find("annulus_ground")) {
        spec.annulus_ground = read_choice(source, *e, schema::annulus_grounds);
    }
    if (const Entry* e = map.find("fibre_invariant")) {
        spec.fibre_invariant = read_choice(source, *e, schema::fibre_invariants);
    }
    if (auto v = read_number(source, map, "bulk_to_shear")) {
        spec.bulk_to_shear = *v;
    }
    if (const Entry* e = map.find("nucleus"))
        read_region(source, *e, spec.nucleus, false, rings, spec);
    if (const Entry* e = map.find("annulus"))
        read_region(source, *e, spec.annulus, true, rings, spec);
}

solver::DiscMaterials resolve_materials(const MaterialSpec& m) {
    solver::DiscMaterialOptions o;
    o.annulus_ground = m.annulus_ground;
    o.fibre_invariant = m.fibre_invariant;
    o.bulk_to_shear = m.bulk_to_shear;
    o.nucleus_c10 = m.nucleus_c10;
    o.nucleus_c01 = m.nucleus_c01;
    o.annulus_c10 = m.annulus_c10;
    o.annulus_c01 = m.annulus_c01;
    o.annulus_kappa = m.annulus_kappa;
    o.annulus_k1_scale = m.annulus_k1_scale;
    o.annulus_k2_scale = m.annulus_k2_scale;
    solver::DiscMaterials out = solver::expand(o);
    auto apply = [](const RegionSpec& spec, RegionMaterial& region) {
        if (spec.definition) {
            region = *spec.definition;
            return;
        }
        if (spec.bulk_modulus) region.bulk_modulus = spec.bulk_modulus;
        if (spec.volumetric) region.volumetric = *spec.volumetric;
        if (spec.fibre_angle) region.fibre_angle = spec.fibre_angle;
    };
    apply(m.nucleus, out.nucleus);
    apply(m.annulus, out.annulus);
    return out;
}

std::string region_yaml(const RegionMaterial& region, int indent) {
    const std::string pad(indent, ' ');
    std::ostringstream out;
    out << pad << "model: " << solver::model_name(region.model) << "\n";
    for (const auto key : solver::model_coefficients(region.model))
        out << pad << key << ": " << distribution_text(region.coefficients.find(key)->second)
            << "\n";
    if (!solver::is_coupled(region.model)) {
        if (region.bulk_modulus)
            out << pad << "bulk_modulus: " << distribution_text(*region.bulk_modulus) << "\n";
        else
            out << pad << "bulk_to_shear: " << format_number(region.bulk_to_shear) << "\n";
        out << pad << "volumetric: " << schema::name_of(volumetric_forms, region.volumetric)
            << "\n";
    }
    if (solver::has_fibres(region.model)) {
        out << pad << "fibre_invariant: "
            << schema::name_of(schema::fibre_invariants, region.fibre_invariant) << "\n";
        out << pad << "fibre_angle: "
            << (region.fibre_angle ? distribution_text(*region.fibre_angle) : "mesh") << "\n";
    }
    return out.str();
}

std::string fluid_items(const solver::RegionFluid& f) {
    std::string k = "law: " + std::string(name_of(schema::permeability_laws, f.law)) +
                    ", k0: " + format_number(f.k0);
    if (f.law != solver::PermeabilityLaw::constant) k += ", M: " + format_number(f.M);
    if (f.law == solver::PermeabilityLaw::holmes_mow) k += ", alpha: " + format_number(f.alpha);
    return "permeability: {" + k + "}, fixed_charge_density: " + format_number(f.fixed_charge) +
           ", fluid_fraction: " + format_number(f.fluid_fraction);
}

void write_materials(std::ostream& out, const MaterialSpec& m) {
    const solver::DiscMaterials set = solver::named_material_set(m.annulus_ground);
    const bool biphasic = m.formulation == Formulation::biphasic;
    out << "materials:\n"
        << "  formulation: " << name_of(schema::formulations, m.formulation) << "\n";
    if (biphasic) {
        out << "  initial_state: " << name_of(schema::initial_states, m.initial_state) << "\n"
            << "  bath: {osmolarity: " << format_number(m.fluid.bath_osmolarity)
            << ", temperature: " << format_number(m.fluid.temperature)
            << ", osmotic_coefficient: " << format_number(m.fluid.osmotic_coefficient)
            << "}  # Osm, K, 1\n";
    }
    out
        << "  annulus_ground: " << name_of(schema::annulus_grounds, m.annulus_ground) << "\n"
        << "  fibre_invariant: " << name_of(schema::fibre_invariants, m.fibre_invariant) << "\n"
        << "  bulk_to_shear: " << format_number(m.bulk_to_shear) << "\n";
    auto short_form = [&](const char* name, const RegionSpec& spec,
                          const std::vector<std::pair<std::string, std::optional<double>>>& given,
                          const RegionMaterial& defaults, bool annulus) {
        const solver::RegionFluid& fluid = annulus ? m.fluid.annulus : m.fluid.nucleus;
        if (spec.definition) {
            out << "  " << name << ":\n" << region_yaml(*spec.definition, 4);
            if (biphasic) {
                // The same items, one per line.
                std::string items = fluid_items(fluid);
                const auto split = items.find("}, ");
                out << "    " << items.substr(0, split + 1) << "\n";
                std::istringstream rest(items.substr(split + 3));
                for (std::string item; std::getline(rest, item, ',');) {
                    item.erase(0, item.find_first_not_of(' '));
                    out << "    " << item << "\n";
                }
            }
            return;
        }
        std::string items, comment;
        for (const auto& [key, value] : given) {
            if (value) {
                items += (items.empty() ? "" : ", ") + key + ": " + format_number(*value);
            } else if (auto it = defaults.coefficients.find(key);
                       it != defaults.coefficients.end() &&
                       it->second.kind == Distribution::Kind::uniform) {
                const auto& unit = solver::coefficient_spec(key).unit;
                comment += (comment.empty() ? "  # defaults: " : ", ") + key + " " +
                           format_number(it->second.values.front()) +
                           (unit != "1" ? " " + std::string(unit) : "");
            }
        }
        if (annulus) {
            items += (items.empty() ? "" : ", ") + std::string("k1_scale: ") +
                     format_number(m.annulus_k1_scale) +
                     ", k2_scale: " + format_number(m.annulus_k2_scale);
        }
        if (spec.bulk_modulus) items += ", bulk_modulus: " + distribution_text(*spec.bulk_modulus);
        if (spec.volumetric)
            items += std::string(", volumetric: ") +
                     std::string(name_of(volumetric_forms, *spec.volumetric));
        if (spec.fibre_angle) items += ", fibre_angle: " + distribution_text(*spec.fibre_angle);
        if (biphasic) items += ", " + fluid_items(fluid);
        if (!items.empty() && items.rfind(", ", 0) == 0) items.erase(0, 2);
        out << "  " << name << ": {" << items << "}" << comment << "\n";
    };
    const bool mooney_rivlin = m.annulus_ground == solver::AnnulusGround::mooney_rivlin_schmidt2007;
    short_form("nucleus", m.nucleus, {{"c10", m.nucleus_c10}, {"c01", m.nucleus_c01}}, set.nucleus,
               false);
    std::vector<std::pair<std::string, std::optional<double>>> annulus_given{
        {"c10", m.annulus_c10}};
    if (mooney_rivlin || m.annulus_c01) annulus_given.emplace_back("c01", m.annulus_c01);
    annulus_given.emplace_back("kappa", m.annulus_kappa);
    short_form("annulus", m.annulus, annulus_given, set.annulus, true);
    // What runs, written out: a user can uncomment it and edit any coefficient.
    const solver::DiscMaterials resolved = resolve_materials(m);
    out << "  # expands to:\n";
    for (const auto& [name, region] :
         {std::pair{"nucleus", &resolved.nucleus}, {"annulus", &resolved.annulus}}) {
        out << "  #  " << name << ":\n";
        std::istringstream lines(region_yaml(*region, 4));
        for (std::string line; std::getline(lines, line);)
            out << "  # " << line << "\n";
    }
}

} // namespace discsim::scenarios
