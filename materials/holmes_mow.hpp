// Holmes-Mow compressible hyperelastic solid (Holmes & Mow 1990, J Biomech 23:1145; FEBio's
// coupled "Holmes-Mow" material: FEBio User Manual 3.4 section 4.1.3.9, FEBioMech/FEHolmesMow).
//
// Coupled strain energy as verified in FEBio's FEHolmesMow.cpp (2026 sources), which writes
// exp(Q) as exp(β[(2μ − λ)(I1 − 3) + λ(I2 − 3)]/Ha) / I3^β and ψ = Ha/(4β)(e^Q − 1), and the
// manual (invariants of C, the Jacobian J; λ, μ from E and ν "in the usual manner"):
//     ψ = c/2 (exp(Q) − 1),   c = (λ + 2μ) / (2β),
//     Q = β/(λ + 2μ) [(2μ − λ)(I1 − 3) + λ(I2 − 3) − (λ + 2μ) ln I3],
// with I1 = tr C, I2 = ½(I1² − C:C), I3 = det C = J² (ln I3 = 2 ln J), and λ, μ the Lamé
// constants of Young's modulus E and Poisson's ratio ν. Ha = λ + 2μ is the aggregate (confined
// compression) modulus: in uniaxial strain the stress is Ha ε at small strain.
//
// Written with q = Q/β (independent of β) and the E-free ratios
//     a2 = λ/Ha = ν/(1 − ν),   (2μ − λ)/Ha = 1 − 2 a2,
//     q = (1 − 2 a2)(I1 − 3) + a2 (I2 − 3) − ln I3,   ψ = Ha/4 · q · (e^{βq} − 1)/(βq),
// the β → 0 limit is regular: ψ → Ha/4 · q (the factor (e^x − 1)/x → 1). FEBio allows β = 0
// but its energy divides by β there; its stress and tangent are the limits used here.
//
// Stress and tangent (dI1/dC = I, dI2/dC = I1 I − C, d ln I3/dC = C⁻¹, dC⁻¹/dC = −C⁻¹⊙C⁻¹):
//     G  = dq/dC = a2 [(I1 − 3) I − (C − I)] + (I − C⁻¹),
//     S  = 2 ∂ψ/∂C = Ha/2 · e^{βq} G,
//     CC = 4 ∂²ψ/∂C∂C = Ha e^{βq} [β G⊗G + a2 (I⊗I − 𝕀) + C⁻¹⊙C⁻¹].
// At C = I: G = 0 and CC = λ I⊗I + 2μ 𝕀 (isotropic linear elasticity).
//
// Parameter ranges. FEBio declares E > 0, ν in [−1, 0.5), β >= 0. discsim requires ν in
// [0, 0.5): ν = −1 makes μ infinite, and any ν < 0 gives a2 < 0, for which the I2 term lowers
// the energy under dilation: the hydrostatic-tension stress changes sign (becomes compressive)
// at finite stretch, e.g. at 50 % stretch for ν = −0.5 (tests/test_holmes_mow.cpp). For ν >= 0
// both parts of G have the sign of the volume change. ν -> 0.5 is excluded (Ha -> ∞).
#pragma once

#include "core/parameter.hpp"
#include "materials/response.hpp"
#include "materials/tensor.hpp"

#include <span>

namespace discsim::materials {

/// Holmes-Mow (Holmes & Mow 1990; FEBio "Holmes-Mow"), coupled and compressible (see above).
struct HolmesMow {
    static constexpr bool coupled = true; ///< evaluate() is the whole response, volume included
    double young;                         ///< E, MPa, > 0
    double poisson;                       ///< ν, 1, in [0, 0.5)
    double beta; ///< β, 1, >= 0: exponential stiffening (0 = the limit Ha/4 · q)
};

/// The declared parameters young, poisson, beta (name, unit, range, description).
std::span<const ParameterSpec> holmes_mow_parameter_specs();

/// Checks every parameter against its declaration; throws InputError
/// "<name>: expected a value in <unit> in <range>, got <value>".
HolmesMow make_holmes_mow(double young, double poisson, double beta);

/// Small-strain shear modulus μ = E / (2(1 + ν)), MPa.
double small_strain_shear_modulus(const HolmesMow& m);
/// The overloads of materials/hyperelastic.hpp's model dispatch.
void validate_ground(const HolmesMow& m);
HolmesMow scaled_ground(const HolmesMow& m, double s);

/// Small-strain bulk modulus K = λ + 2μ/3 = E / (3(1 − 2ν)), MPa.
double small_strain_bulk_modulus(const HolmesMow& m);

/// The full coupled response: ψ, S = 2 ∂ψ/∂C and CC = 4 ∂²ψ/∂C∂C (Voigt form of tensor.hpp).
/// Pure, allocation-free and never throws. Precondition (debug-asserted only, as in
/// hyperelastic.hpp): C symmetric positive definite; parameters as make_holmes_mow accepts
/// (evaluation does not re-check them). Very large β q overflow exp to +inf, not an exception.
Response evaluate(const HolmesMow& m, const Mat3& C);

} // namespace discsim::materials
