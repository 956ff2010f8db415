// Isotropic, strain-dependent hydraulic permeability k(J) of a fluid-saturated solid, for the
// biphasic disc model: Darcy's law w = −k ∇p with k in mm⁴/(N s) (mm/s per MPa/mm), J = det F
// the volume ratio of the solid. Each law returns k and dk/dJ, the derivative a consistent
// Newton tangent of the fluid flux needs (d k / d C = ½ J dk/dJ C⁻¹).
//
// φ0 is the referential solid volume fraction (the solid's share of the reference volume), so the
// pores close at J = φ0: every law below is defined for J > φ0 only.
//
// Laws:
//   constant                  k = k0                                   (FEBio "perm-const-iso")
//   Holmes-Mow                k = k0 ((J − φ0)/(1 − φ0))^α exp(M (J² − 1)/2)
//        (Holmes & Mow 1990, J Biomech 23:1145; FEBio "perm-Holmes-Mow")
//        dk/dJ = k [α/(J − φ0) + M J]
//   exponential               k = k0 exp(M (J − 1)/(J − φ0))
//        (FEBio "perm-exp-iso"; the finite-strain form of Lai & Mow 1980, Biorheology 17:111,
//        who wrote k = k0 exp(M_LM ε) with the infinitesimal dilatation ε = J − 1: to first order
//        in ε the two agree with M_LM = M/(1 − φ0). An exponential strain-dependent disc
//        permeability was used by Argoubi & Shirazi-Adl 1996, J Biomech 29:1331.)
//        dk/dJ = k M (1 − φ0)/(J − φ0)²
// All three give k(1) = k0 exactly. For α, M >= 0 both strain-dependent laws increase with J
// (strictly when α > 0 or M > 0) and go to 0 as J -> φ0 (the exponential for M > 0, Holmes-Mow
// for α > 0): compressed tissue drains more slowly.
//
// Parameter ranges (permeability_parameter_specs):
//   k0   > 0 (mm⁴/(N s)), finite. Disc tissue is of order 1e-4 to 1e-3 mm⁴/(N s); no upper bound
//        is imposed because a drained limit is a legitimate (if stiff) numerical choice.
//   φ0   in (0, 1): a solid volume fraction; 0 and 1 make the laws degenerate.
//   α    in [0, 10]: FEBio declares α >= 0; fits reported for cartilage and disc are of order 1.
//        At α = 10, φ0 = 0.2 the factor at J = 0.5 is already (0.3/0.8)^10 ≈ 5.6e-5; larger
//        values are taken to be input mistakes.
//   M    in [0, 100]: FEBio declares M >= 0 (M < 0 would make k fall under dilatation); fits are
//        of order 1 to 10. The bound keeps the exponentials finite where tissue can be: the
//        exponential law's exponent M (J − 1)/(J − φ0) is below M for every J > 1, so k <= e^100
//        k0; Holmes-Mow's exp(M (J² − 1)/2) stays below the double range up to J ≈ 3.9.
#pragma once

#include "core/parameter.hpp"

#include <span>
#include <variant>

namespace discsim::materials {

/// k = k0 (FEBio "perm-const-iso").
struct ConstantPermeability {
    double k0; ///< mm⁴/(N s), > 0
};

/// k = k0 ((J − φ0)/(1 − φ0))^α exp(M (J² − 1)/2) (Holmes & Mow 1990; FEBio "perm-Holmes-Mow").
struct HolmesMowPermeability {
    double k0;    ///< mm⁴/(N s), > 0
    double phi0;  ///< 1, in (0, 1): referential solid volume fraction
    double alpha; ///< 1, in [0, 10]: power-law exponent
    double M;     ///< 1, in [0, 100]: exponential coefficient
};

/// k = k0 exp(M (J − 1)/(J − φ0)) (FEBio "perm-exp-iso"; Lai & Mow 1980 at finite strain).
struct ExponentialPermeability {
    double k0;   ///< mm⁴/(N s), > 0
    double phi0; ///< 1, in (0, 1): referential solid volume fraction
    double M;    ///< 1, in [0, 100]: exponential coefficient
};

/// The permeability laws; every dispatch is a std::visit over this variant.
using Permeability =
    std::variant<ConstantPermeability, HolmesMowPermeability, ExponentialPermeability>;

/// k(J) in mm⁴/(N s) and its derivative dk/dJ in the same unit.
struct PermeabilityValue {
    double k;
    double dk_dJ;
};

/// The declared parameters k0, phi0, alpha, M (name, unit, range, description).
std::span<const ParameterSpec> permeability_parameter_specs();

/// Factories that check every parameter against its declaration and throw InputError
/// "<name>: expected a value in <unit> in <range>, got <value>".
ConstantPermeability make_constant_permeability(double k0);
HolmesMowPermeability make_holmes_mow_permeability(double k0, double phi0, double alpha, double M);
ExponentialPermeability make_exponential_permeability(double k0, double phi0, double M);

/// Checks every parameter of a law (also one built as a plain aggregate); throws InputError
/// like the factories.
void validate(const Permeability& permeability);

/// The volume ratio at which the law's pores close: φ0, or 0 for the constant law. Evaluation
/// needs J above it; a caller (the element kernel) checks this and reports the state, as it
/// reports an inverted element.
double minimum_volume_ratio(const Permeability& permeability);

/// k(J) and dk/dJ. Pure, allocation-free and never throws. Precondition (debug-asserted only):
/// J > minimum_volume_ratio(permeability), parameters as the factories accept. Very large J can
/// overflow Holmes-Mow's exponential to +inf, not an exception.
PermeabilityValue permeability(const Permeability& permeability, double J);

} // namespace discsim::materials
