#include "solver/disc_materials.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace discsim::solver {

// ---- Distribution ------------------------------------------------------------------------

Distribution Distribution::uniform(double value) {
    Distribution d;
    d.values = {value};
    return d;
}

Distribution Distribution::per_ring(std::vector<double> values) {
    Distribution d;
    d.kind = Kind::per_ring;
    d.values = std::move(values);
    return d;
}

Distribution Distribution::table(std::vector<std::vector<double>> rows) {
    Distribution d;
    d.kind = Kind::table;
    d.rows = static_cast<int>(rows.size());
    d.columns = rows.empty() ? 0 : static_cast<int>(rows.front().size());
    for (const auto& row : rows) {
        if (static_cast<int>(row.size()) != d.columns)
            throw InputError("table: expected rows of equal length, got " +
                             std::to_string(row.size()) + " and " + std::to_string(d.columns));
        d.values.insert(d.values.end(), row.begin(), row.end());
    }
    return d;
}

double Distribution::at(const AnnulusPlace& place) const {
    switch (kind) {
    case Kind::uniform:
        return values.front();
    case Kind::per_ring: {
        const int i = std::clamp(place.ring, 1, static_cast<int>(values.size())) - 1;
        return values[i];
    }
    case Kind::table:
        break;
    }
    // Bilinear in continuous (layer, sector) coordinates over the table's nodes.
    const double r = std::clamp(place.layer, 0.0, 1.0) * (rows - 1);
    const double c = std::clamp(place.sector, 0.0, 1.0) * (columns - 1);
    const int r0 = std::min(static_cast<int>(r), rows - 2);
    const int c0 = std::min(static_cast<int>(c), columns - 2);
    const double wr = r - r0, wc = c - c0;
    auto v = [&](int i, int j) { return values[static_cast<std::size_t>(i) * columns + j]; };
    return (1 - wr) * ((1 - wc) * v(r0, c0) + wc * v(r0, c0 + 1)) +
           wr * ((1 - wc) * v(r0 + 1, c0) + wc * v(r0 + 1, c0 + 1));
}

Distribution Distribution::scaled(double factor) const {
    Distribution d = *this;
    for (double& v : d.values)
        v *= factor;
    return d;
}

// ---- models ------------------------------------------------------------------------------

std::pair<double, double> gruber2024_fibre_parameters(double sector, double layer) {
    const double k1 = 3.73 * (1.0 - 0.024 * (sector - 1.0)) * (1.0 - 0.124 * (layer - 1.0));
    const double k2 = 89.57 * (1.0 - 0.1077 * (sector - 1.0)) * (1.0 - 0.0666 * (layer - 1.0));
    return {k1, k2};
}

namespace {

constexpr std::array<std::string_view, 1> neo_hookean_keys{"c10"};
constexpr std::array<std::string_view, 2> mooney_rivlin_keys{"c10", "c01"};
constexpr std::array<std::string_view, 4> hgo_keys{"c10", "k1", "k2", "kappa"};
constexpr std::array<std::string_view, 5> hgo_mooney_rivlin_keys{"c10", "c01", "k1", "k2", "kappa"};
constexpr std::array<std::string_view, 3> holmes_mow_keys{"young", "poisson", "beta"};

// The laws of Gruber et al. 2024 at their 5 x 5 sector (A anterior .. E posterior) x layer
// (1 outer .. 5 inner) nodes; bilinear, so the table reproduces them exactly between nodes.
// The laws at their 5 x 5 sector x layer nodes, k1 (first) or k2: bilinear, so the table
// reproduces them exactly between nodes.
Distribution gruber2024_table(bool k2) {
    std::vector<std::vector<double>> rows(5, std::vector<double>(5));
    for (int l = 0; l < 5; ++l) {
        for (int s = 0; s < 5; ++s) {
            const auto [k1_value, k2_value] = gruber2024_fibre_parameters(1.0 + s, 1.0 + l);
            rows[l][s] = k2 ? k2_value : k1_value;
        }
    }
    return Distribution::table(std::move(rows));
}

} // namespace

// ---- the model table ---------------------------------------------------------------------
// A new model: its materials/ pair, its GroundSubstance variant entry, and one row here.

namespace {
materials::GroundSubstance neo_hookean_ground(std::span<const double> c) {
    return materials::NeoHookean{c[0]};
}
materials::GroundSubstance mooney_rivlin_ground(std::span<const double> c) {
    return materials::MooneyRivlin{c[0], c[1]};
}
materials::GroundSubstance holmes_mow_ground(std::span<const double> c) {
    return materials::HolmesMow{c[0], c[1], c[2]};
}
// clang-format off
const SolidModelInfo model_table[] = {
    {SolidModel::neo_hookean, "neo_hookean", neo_hookean_keys, false, false,
     "c10 (I1bar - 3)", neo_hookean_ground, materials::material_parameter_specs},
    {SolidModel::mooney_rivlin, "mooney_rivlin", mooney_rivlin_keys, false, false,
     "c10 (I1bar - 3) + c01 (I2bar - 3)", mooney_rivlin_ground, materials::material_parameter_specs},
    {SolidModel::hgo, "hgo", hgo_keys, true, false,
     "neo-Hookean ground + HGO fibres with dispersion (Holzapfel, Gasser & Ogden 2000; Gasser et "
     "al. 2006)", neo_hookean_ground, materials::material_parameter_specs},
    {SolidModel::hgo_mooney_rivlin, "hgo_mooney_rivlin", hgo_mooney_rivlin_keys, true, false,
     "Mooney-Rivlin ground + the same fibres (Schmidt et al. 2007)", mooney_rivlin_ground, materials::material_parameter_specs},
    {SolidModel::holmes_mow, "holmes_mow", holmes_mow_keys, false, true,
     "coupled compressible solid, exponential in I1, I2 and J (Holmes & Mow 1990; FEBio "
     "\"Holmes-Mow\")", holmes_mow_ground, materials::holmes_mow_parameter_specs},
};
// clang-format on
} // namespace

std::span<const SolidModelInfo> solid_models() {
    return model_table;
}

const SolidModelInfo& model_info(SolidModel model) {
    for (const auto& info : model_table)
        if (info.id == model) return info;
    throw std::logic_error("solid model without a row in the model table");
}

std::string_view model_name(SolidModel model) {
    return model_info(model).name;
}

const ParameterSpec& coefficient_spec(std::string_view name) {
    for (const auto& info : model_table)
        for (const auto& spec : info.parameters())
            if (spec.name == name) return spec;
    return materials::material_parameter_spec(name); // throws, with the nearest name
}

std::span<const std::string_view> model_coefficients(SolidModel model) {
    return model_info(model).coefficients;
}

bool is_coupled(SolidModel model) {
    return model_info(model).coupled;
}

bool has_fibres(SolidModel model) {
    return model_info(model).fibres;
}

DiscMaterials named_material_set(AnnulusGround set) {
    DiscMaterials m;
    m.nucleus.model = SolidModel::mooney_rivlin;
    m.nucleus.coefficients = {{"c10", Distribution::uniform(0.118)},
                              {"c01", Distribution::uniform(0.030)}};
    // k1 = 3.73 (1 - 0.024 (s - 1)) (1 - 0.124 (l - 1)) MPa, k2 = 89.57 (1 - 0.1077 (s - 1))
    // (1 - 0.0666 (l - 1)) (Gruber et al. 2024, solver/disc_model.hpp).
    m.annulus.coefficients = {{"k1", gruber2024_table(false)},
                              {"k2", gruber2024_table(true)},
                              {"kappa", Distribution::uniform(materials::annulus_kappa)}};
    if (set == AnnulusGround::neo_hookean_gruber2024) {
        m.annulus.model = SolidModel::hgo;
        m.annulus.coefficients["c10"] = Distribution::uniform(0.1351);
    } else {
        m.annulus.model = SolidModel::hgo_mooney_rivlin;
        m.annulus.coefficients["c10"] = Distribution::uniform(0.18);
        m.annulus.coefficients["c01"] = Distribution::uniform(0.045);
    }
    return m;
}

void validate(const RegionMaterial& region, std::string_view path, int rings) {
    const std::string at = std::string(path) + ".";
    const auto keys = model_coefficients(region.model);
    for (const auto key : keys) {
        if (!region.coefficients.count(key)) {
            throw InputError(at + std::string(key) + ": expected a value (model " +
                             std::string(model_name(region.model)) + " has it), got nothing");
        }
    }
    auto check = [&](const std::string& name, const Distribution& d, const ParameterSpec& spec) {
        if (d.values.empty()) throw InputError(at + name + ": expected a value, got nothing");
        if (d.kind == Distribution::Kind::per_ring && rings > 0 &&
            static_cast<int>(d.values.size()) != rings) {
            throw InputError(at + name + ": expected " + std::to_string(rings) +
                             " values (one per annulus ring, the innermost first), got " +
                             std::to_string(d.values.size()));
        }
        if (d.kind == Distribution::Kind::table && (d.rows < 2 || d.columns < 2)) {
            throw InputError(at + name +
                             ": expected a table of at least 2 x 2 (rows: layers "
                             "outer to inner; columns: sectors anterior to "
                             "posterior), got " +
                             std::to_string(d.rows) + " x " + std::to_string(d.columns));
        }
        ParameterSpec named = spec;
        const std::string full = at + name;
        named.name = full;
        for (double v : d.values)
            check_parameter(named, v);
    };
    for (const auto& [name, d] : region.coefficients) {
        if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
            std::string list;
            for (const auto k : keys)
                list += (list.empty() ? "" : ", ") + std::string(k);
            throw InputError(at + name + ": model " + std::string(model_name(region.model)) +
                             " has no coefficient '" + name + "'; it has " + list);
        }
        check(name, d, coefficient_spec(name));
    }
    if (region.bulk_modulus && is_coupled(region.model)) {
        throw InputError(at + "bulk_modulus: expected none for model " +
                         std::string(model_name(region.model)) +
                         " (a coupled solid has its own volume response)");
    }
    if (region.bulk_modulus)
        check("bulk_modulus", *region.bulk_modulus,
              materials::material_parameter_spec("bulk_modulus"));
    if (region.fibre_angle) {
        static constexpr ParameterSpec angle{
            .name = "fibre_angle", .unit = "deg", .min = 0, .max = 90, .max_inclusive = false};
        if (!has_fibres(region.model)) {
            throw InputError(at + "fibre_angle: expected no fibre angle for model " +
                             std::string(model_name(region.model)) + " (it has no fibres)");
        }
        if (region.fibre_angle->kind == Distribution::Kind::table) {
            throw InputError(at + "fibre_angle: expected one angle or one per ring, got a table");
        }
        check("fibre_angle", *region.fibre_angle, angle);
    }
}

materials::Material region_material_at(const RegionMaterial& region, const AnnulusPlace& place,
                                       std::string_view path) {
    auto value = [&](std::string_view key) {
        const auto it = region.coefficients.find(key);
        return it == region.coefficients.end() ? 0.0 : it->second.at(place);
    };
    const SolidModelInfo& info = model_info(region.model);
    std::array<double, 8> values{};
    for (std::size_t i = 0; i < info.coefficients.size() && i < values.size(); ++i)
        values[i] = value(info.coefficients[i]);
    const materials::GroundSubstance ground =
        info.ground(std::span<const double>(values.data(), info.coefficients.size()));
    std::optional<materials::HgoFibres> fibres;
    if (has_fibres(region.model))
        fibres =
            materials::HgoFibres{value("k1"), value("k2"), value("kappa"), region.fibre_invariant};
    const double bulk =
        is_coupled(region.model) ? 0.0
        : region.bulk_modulus
            ? region.bulk_modulus->at(place)
            : region.bulk_to_shear *
                  std::visit([](const auto& g) { return materials::small_strain_shear_modulus(g); },
                             ground);
    try {
        return materials::make_material(ground, fibres,
                                        materials::Volumetric{bulk, region.volumetric});
    } catch (const InputError& e) {
        throw InputError(std::string(path) + "." + e.what());
    }
}

} // namespace discsim::solver
