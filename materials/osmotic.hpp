// Donnan osmotic pressure of a charged, fluid-saturated tissue in a monovalent salt bath, for the
// biphasic disc model (Lanir 1987, Biorheology 24:173; Ateshian et al. 2004, J Biomech 37:391;
// FEBio "Donnan equilibrium").
//
// Ideal Donnan equilibrium of a fixed charge density cF with a bath of salt concentration c
// (each ion): electroneutrality c₊ = c₋ + cF and c₊ c₋ = c² give the interstitial osmolarity
// c₊ + c₋ = √(cF² + (2c)²). With the bath osmolarity c* = 2c the osmotic pressure difference is
//     π = R θ Φ (√(cF² + c*²) − c*),
// and the fixed charges move with the solid, so their amount per reference volume, cF0 φw0, is
// conserved while the fluid volume per reference volume is J − φs0 = J − 1 + φw0:
//     cF(J) = cF0 φw0 / (J − 1 + φw0),        dcF/dJ = −cF / (J − 1 + φw0),
//     dπ/dJ = −R θ Φ cF² / (√(cF² + c*²) (J − 1 + φw0)).
// φw0 is the referential fluid (water) volume fraction; cF -> ∞ as J -> 1 − φw0 (the pores
// close), and π decreases monotonically with J for cF0 > 0. The pressure enters the mixture's
// stress as −π I (FEBio's Donnan material, whose tangent uses −J dπ/dJ).
// Note π(1) = R θ Φ (√(cF0² + c*²) − c*) > 0: the reference state is pre-stressed by the swelling
// pressure, which the solid (or a fluid pressure) must balance.
//
// Units (mm-N-s with concentrations in nmol/mm³): 1 nmol/mm³ = 1 mmol/l = 1 mM (= 1 mEq/l for a
// monovalent ion), and 1 mEq/ml = 1000 nmol/mm³. R = 8.314462618e-6 N mm/(nmol K) (the exact SI
// value 8.314462618... J/(mol K)), so R θ c is in N/mm² = MPa. 0.15 M NaCl is 150 mM of each ion,
// a bath osmolarity of 300 nmol/mm³.
//
// Reference check: θ = 310 K, Φ = 1, cF = 0.30 mEq/ml = 300 nmol/mm³, c* = 300 nmol/mm³:
//     π = R θ (√(300² + 300²) − 300) = 8.314e-6 · 310 · 124.264 ≈ 0.3203 MPa
// (tests/test_permeability.cpp).
//
// Parameter ranges (osmotic_parameter_specs):
//   cF0                  >= 0 nmol/mm³ (0: no fixed charge, π = 0). Disc nucleus is of order
//                        100-300 nmol/mm³ (0.1-0.3 mEq/ml).
//   phi_w0               in (0, 1): a volume fraction.
//   bath_osmolarity      > 0 nmol/mm³ (300 for 0.15 M NaCl); FEBio allows 0 (distilled water),
//                        here a small positive value stands for it.
//   temperature          in [273.15, 373.15] K, liquid water (default 310 K); the bound also
//                        catches a temperature given in degrees Celsius.
//   osmotic_coefficient  in (0, 1.5] (default 1, ideal). About 0.93 for NaCl at physiological
//                        concentration; above 1 only in concentrated solutions.
#pragma once

#include "core/parameter.hpp"

#include <span>

namespace discsim::materials {

/// The universal gas constant in N mm/(nmol K) (exact SI value 8.31446261815324 J/(mol K)).
inline constexpr double gas_constant = 8.31446261815324e-6;
/// Body temperature, K: the default θ.
inline constexpr double body_temperature = 310.0;
/// Osmolarity of 0.15 M NaCl (150 nmol/mm³ of each ion), nmol/mm³.
inline constexpr double physiological_bath_osmolarity = 300.0;

/// Donnan osmotic pressure with the fixed charge following the solid (see above).
struct DonnanOsmotic {
    double cF0;                            ///< nmol/mm³, >= 0: reference fixed charge density
    double phi_w0;                         ///< 1, in (0, 1): reference fluid volume fraction
    double bath_osmolarity;                ///< c*, nmol/mm³, > 0
    double temperature = body_temperature; ///< θ, K, in [273.15, 373.15]
    double osmotic_coefficient = 1.0;      ///< Φ, 1, in (0, 1.5]
};

/// π(J) in MPa and dπ/dJ in MPa.
struct OsmoticValue {
    double pi;
    double dpi_dJ;
};

/// The declared parameters cF0, phi_w0, bath_osmolarity, temperature, osmotic_coefficient.
std::span<const ParameterSpec> osmotic_parameter_specs();

/// Checks every parameter against its declaration; throws InputError
/// "<name>: expected a value in <unit> in <range>, got <value>".
DonnanOsmotic make_donnan_osmotic(double cF0, double phi_w0, double bath_osmolarity,
                                  double temperature = body_temperature,
                                  double osmotic_coefficient = 1.0);

/// Checks an existing (e.g. aggregate-built) law; throws InputError like the factory.
void validate(const DonnanOsmotic& osmotic);

/// The volume ratio at which the pores close, 1 − φw0; evaluation needs J above it.
double minimum_volume_ratio(const DonnanOsmotic& osmotic);

/// cF(J) = cF0 φw0 / (J − 1 + φw0), nmol/mm³; exactly cF0 at J = 1.
double fixed_charge_density(const DonnanOsmotic& osmotic, double J);

/// π(J) and dπ/dJ. Pure, allocation-free and never throws. Precondition (debug-asserted only):
/// J > minimum_volume_ratio(osmotic), parameters as the factory accepts. Written without the
/// cancellation of √(cF² + c*²) − c* at small cF and without overflow of cF²; J within rounding
/// of 1 − φw0 gives +inf, not an exception.
OsmoticValue osmotic_pressure(const DonnanOsmotic& osmotic, double J);

} // namespace discsim::materials
