// Strain-dependent permeability: parameters and evaluation. The laws, their derivatives and the
// reasons for the parameter ranges are in permeability.hpp (Holmes & Mow 1990; Lai & Mow 1980;
// FEBio "perm-const-iso", "perm-Holmes-Mow", "perm-exp-iso").
#include "materials/permeability.hpp"

#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>

namespace discsim::materials {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Same fields as hyperelastic.cpp's table; one entry per name, shared by the laws that use it.
// clang-format off
constexpr std::array<ParameterSpec, 4> parameter_table{{
    {"k0", "mm^4/(N s)", 0, inf, false, true, false,
     "hydraulic permeability in the reference state (J = 1)"},
    {"phi0", "1", 0, 1, false, false, false,
     "referential solid volume fraction (the pores close at J = phi0)"},
    {"alpha", "1", 0, 10, true, true, false,
     "Holmes-Mow permeability power-law exponent"},
    {"M", "1", 0, 100, true, true, false,
     "exponential strain-dependence coefficient of the permeability"},
}};
// clang-format on

void check(std::string_view name, double value) {
    for (const auto& spec : parameter_table) {
        if (spec.name == name) {
            check_parameter(spec, value);
            return;
        }
    }
    assert(false && "undeclared permeability parameter");
}

void validate_law(const ConstantPermeability& p) {
    make_constant_permeability(p.k0);
}
void validate_law(const HolmesMowPermeability& p) {
    make_holmes_mow_permeability(p.k0, p.phi0, p.alpha, p.M);
}
void validate_law(const ExponentialPermeability& p) {
    make_exponential_permeability(p.k0, p.phi0, p.M);
}

double closure(const ConstantPermeability&) {
    return 0.0;
}
double closure(const HolmesMowPermeability& p) {
    return p.phi0;
}
double closure(const ExponentialPermeability& p) {
    return p.phi0;
}

PermeabilityValue evaluate_law(const ConstantPermeability& p, double) {
    return {p.k0, 0.0};
}

PermeabilityValue evaluate_law(const HolmesMowPermeability& p, double J) {
    const double pore = J - p.phi0; // current pore volume per reference volume, > 0
    // (J² − 1) as (J − 1)(J + 1): exactly 0 at J = 1 and accurate near it. The ratio is exactly
    // 1 at J = 1 (x / x), so k(1) = k0 to the last bit.
    const double k = p.k0 * std::pow(pore / (1.0 - p.phi0), p.alpha) *
                     std::exp(0.5 * p.M * (J - 1.0) * (J + 1.0));
    // d ln k / dJ = α/(J − φ0) + M J.
    return {k, k * (p.alpha / pore + p.M * J)};
}

PermeabilityValue evaluate_law(const ExponentialPermeability& p, double J) {
    if (p.M == 0.0) return {p.k0, 0.0}; // constant; avoids 0/0 if (J − φ0)² underflows
    const double pore = J - p.phi0;
    const double k = p.k0 * std::exp(p.M * (J - 1.0) / pore);
    // d/dJ [(J − 1)/(J − φ0)] = (1 − φ0)/(J − φ0)².
    return {k, k * p.M * (1.0 - p.phi0) / (pore * pore)};
}

} // namespace

std::span<const ParameterSpec> permeability_parameter_specs() {
    return parameter_table;
}

ConstantPermeability make_constant_permeability(double k0) {
    check("k0", k0);
    return ConstantPermeability{k0};
}

HolmesMowPermeability make_holmes_mow_permeability(double k0, double phi0, double alpha, double M) {
    check("k0", k0);
    check("phi0", phi0);
    check("alpha", alpha);
    check("M", M);
    return HolmesMowPermeability{k0, phi0, alpha, M};
}

ExponentialPermeability make_exponential_permeability(double k0, double phi0, double M) {
    check("k0", k0);
    check("phi0", phi0);
    check("M", M);
    return ExponentialPermeability{k0, phi0, M};
}

void validate(const Permeability& permeability) {
    std::visit([](const auto& p) { validate_law(p); }, permeability);
}

double minimum_volume_ratio(const Permeability& permeability) {
    return std::visit([](const auto& p) { return closure(p); }, permeability);
}

PermeabilityValue permeability(const Permeability& permeability, double J) {
    assert(J > minimum_volume_ratio(permeability) && "J must exceed the pore-closure ratio");
    return std::visit([J](const auto& p) { return evaluate_law(p, J); }, permeability);
}

} // namespace discsim::materials
