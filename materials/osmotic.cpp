// Donnan osmotic pressure: parameters and evaluation. The formulas, units and reasons for the
// ranges are in osmotic.hpp (Lanir 1987; Ateshian et al. 2004; FEBio "Donnan equilibrium").
#include "materials/osmotic.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>

namespace discsim::materials {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Same fields as hyperelastic.cpp's table.
// clang-format off
constexpr std::array<ParameterSpec, 5> parameter_table{{
    {"cF0", "nmol/mm^3", 0, inf, true, true, false,
     "fixed charge density in the reference state (1 mEq/ml = 1000 nmol/mm^3)"},
    {"phi_w0", "1", 0, 1, false, false, false,
     "referential fluid (water) volume fraction (the pores close at J = 1 - phi_w0)"},
    {"bath_osmolarity", "nmol/mm^3", 0, inf, false, true, false,
     "osmolarity of the external salt bath (300 for 0.15 M NaCl)"},
    {"temperature", "K", 273.15, 373.15, true, true, false,
     "absolute temperature"},
    {"osmotic_coefficient", "1", 0, 1.5, false, true, false,
     "osmotic coefficient Phi (1 = ideal solution)"},
}};
// clang-format on

void check(std::string_view name, double value) {
    for (const auto& spec : parameter_table) {
        if (spec.name == name) {
            check_parameter(spec, value);
            return;
        }
    }
    assert(false && "undeclared osmotic parameter");
}

} // namespace

std::span<const ParameterSpec> osmotic_parameter_specs() {
    return parameter_table;
}

DonnanOsmotic make_donnan_osmotic(double cF0, double phi_w0, double bath_osmolarity,
                                  double temperature, double osmotic_coefficient) {
    check("cF0", cF0);
    check("phi_w0", phi_w0);
    check("bath_osmolarity", bath_osmolarity);
    check("temperature", temperature);
    check("osmotic_coefficient", osmotic_coefficient);
    return DonnanOsmotic{cF0, phi_w0, bath_osmolarity, temperature, osmotic_coefficient};
}

void validate(const DonnanOsmotic& osmotic) {
    make_donnan_osmotic(osmotic.cF0, osmotic.phi_w0, osmotic.bath_osmolarity, osmotic.temperature,
                        osmotic.osmotic_coefficient);
}

double minimum_volume_ratio(const DonnanOsmotic& osmotic) {
    return 1.0 - osmotic.phi_w0;
}

double fixed_charge_density(const DonnanOsmotic& osmotic, double J) {
    // (J − 1) + φw0 is exactly φw0 at J = 1, and φw0/φw0 = 1, so cF(1) = cF0 to the last bit.
    return osmotic.cF0 * (osmotic.phi_w0 / ((J - 1.0) + osmotic.phi_w0));
}

OsmoticValue osmotic_pressure(const DonnanOsmotic& osmotic, double J) {
    assert(J > minimum_volume_ratio(osmotic) && "J must exceed the pore-closure ratio");
    const double fluid = (J - 1.0) + osmotic.phi_w0; // fluid volume per reference volume, > 0
    const double cF = fixed_charge_density(osmotic, J);
    const double cb = osmotic.bath_osmolarity;
    const double RT = gas_constant * osmotic.temperature * osmotic.osmotic_coefficient;
    // Interstitial osmolarity √(cF² + c*²), via hypot: no overflow of cF².
    const double tissue = std::hypot(cF, cb);
    // √(cF² + c*²) − c* = cF² / (√(cF² + c*²) + c*), written cF · [cF / (√… + c*)] (the bracket
    // is in [0, 1)): no cancellation when cF << c*, no overflow when cF is large.
    const double pi = RT * cF * (cF / (tissue + cb));
    // dπ/dJ = dπ/dcF · dcF/dJ = R θ Φ cF/√(cF² + c*²) · (−cF/(J − 1 + φw0)).
    const double dpi_dJ = -RT * (cF / tissue) * (cF / fluid);
    return {pi, dpi_dJ};
}

} // namespace discsim::materials
