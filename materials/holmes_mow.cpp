// Holmes-Mow compressible solid: parameters and evaluation. Formulas and their derivation are in
// holmes_mow.hpp (Holmes & Mow 1990; FEBio "Holmes-Mow").
#include "materials/holmes_mow.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>

namespace discsim::materials {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Same fields as hyperelastic.cpp's table. FEBio's ranges are E > 0, v in [-1, 0.5), beta >= 0;
// poisson is narrowed to [0, 0.5) because ν < 0 makes the I2 term soften under dilation until the
// hydrostatic stress changes sign (holmes_mow.hpp).
// clang-format off
constexpr std::array<ParameterSpec, 3> parameter_table{{
    {"young", "MPa", 0, inf, false, true, false,
     "Holmes-Mow Young's modulus E (small strain)"},
    {"poisson", "1", 0, 0.5, true, false, false,
     "Holmes-Mow Poisson's ratio (small strain)"},
    {"beta", "1", 0, inf, true, true, false,
     "Holmes-Mow exponential stiffening coefficient (0 = the non-exponential limit)"},
}};
// clang-format on

void check(std::string_view name, double value) {
    for (const auto& spec : parameter_table) {
        if (spec.name == name) {
            check_parameter(spec, value);
            return;
        }
    }
    assert(false && "undeclared Holmes-Mow parameter");
}

// Lamé constants of E and ν (the usual isotropic relations).
struct Lame {
    double lambda;
    double mu;
};

Lame lame(const HolmesMow& m) {
    const double E = m.young;
    const double nu = m.poisson;
    return {E * nu / ((1.0 + nu) * (1.0 - 2.0 * nu)), 0.5 * E / (1.0 + nu)};
}

// (e^x − 1)/x, continued by its limit 1 at x = 0. expm1 keeps it accurate for small |x| (and
// exact for subnormal x), so β -> 0 needs no special case beyond x == 0 itself.
double expm1_over_x(double x) {
    return x == 0.0 ? 1.0 : std::expm1(x) / x;
}

} // namespace

std::span<const ParameterSpec> holmes_mow_parameter_specs() {
    return parameter_table;
}

HolmesMow make_holmes_mow(double young, double poisson, double beta) {
    check("young", young);
    check("poisson", poisson);
    check("beta", beta);
    return HolmesMow{young, poisson, beta};
}

void validate_ground(const HolmesMow& m) {
    make_holmes_mow(m.young, m.poisson, m.beta);
}

// E scales the whole energy (lambda, mu and c alike; Q depends on their ratios only), so a
// damaged Holmes-Mow solid loses volume stiffness too.
HolmesMow scaled_ground(const HolmesMow& m, double s) {
    return {m.young * s, m.poisson, m.beta};
}

double small_strain_shear_modulus(const HolmesMow& m) {
    return lame(m).mu;
}

double small_strain_bulk_modulus(const HolmesMow& m) {
    const Lame l = lame(m);
    return l.lambda + 2.0 * l.mu / 3.0;
}

Response evaluate(const HolmesMow& m, const Mat3& C) {
    const Mat3 I = Mat3::Identity();
    const Lame l = lame(m);
    const double Ha = l.lambda + 2.0 * l.mu; // aggregate modulus, the energy's scale
    const double a2 = l.lambda / Ha;         // ν/(1 − ν); (2μ − λ)/Ha = 1 − 2 a2

    const double I3 = C.determinant();
    assert(I3 > 0.0 && "C must be positive definite");
    const Mat3 C_inv = C.inverse();
    const double I1 = C.trace();
    const double I2 = 0.5 * (I1 * I1 - C.squaredNorm());

    // q = Q/β. Grouped as differences from the reference state so that q and G vanish exactly at
    // C = I and stay accurate at small strain (no O(1) terms cancelling).
    const double q = (1.0 - 2.0 * a2) * (I1 - 3.0) + a2 * (I2 - 3.0) - std::log(I3);
    // G = dq/dC = (1 − 2a2) I + a2 (I1 I − C) − C⁻¹, regrouped with (1 − 2a2) + 2a2 − 1 = 0.
    const Mat3 G = a2 * ((I1 - 3.0) * I - (C - I)) + (I - C_inv);

    const double x = m.beta * q; // Q
    const double eQ = std::exp(x);

    Response r;
    // ψ = Ha/(4β) (e^Q − 1) = Ha/4 · q · (e^Q − 1)/Q: finite and continuous down to β = 0.
    r.psi = 0.25 * Ha * q * expm1_over_x(x);
    // dψ/dq = Ha/4 e^Q, d²ψ/dq² = Ha/4 β e^Q; S = 2 ψ' G, CC = 4 (ψ'' G⊗G + ψ' dG/dC) with
    // dG/dC = a2 (I⊗I − 𝕀) + C⁻¹⊙C⁻¹.
    r.S = 0.5 * Ha * eQ * G;
    r.D = Ha * eQ *
          (m.beta * outer(G, G) + a2 * (outer(I, I) - symmetric_identity()) + odot(C_inv, C_inv));
    return r;
}

} // namespace discsim::materials
