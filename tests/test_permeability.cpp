// Biphasic material laws: strain-dependent permeability (materials/permeability.hpp) and Donnan
// osmotic pressure (materials/osmotic.hpp). Closed forms at chosen J, the reference state,
// derivatives against central differences, monotonicity, the limits at pore closure, the
// free-swelling balance with an uncoupled neo-Hookean solid and the parameter checks.
#include "core/error.hpp"
#include "materials/hyperelastic.hpp"
#include "materials/osmotic.hpp"
#include "materials/permeability.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace discsim;
using namespace discsim::materials;
using Catch::Matchers::Contains;

namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();

std::vector<std::pair<std::string, Permeability>> permeability_laws() {
    return {
        {"constant", make_constant_permeability(1e-3)},
        {"Holmes-Mow a 2, M 2.5", make_holmes_mow_permeability(1e-3, 0.2, 2.0, 2.5)},
        {"Holmes-Mow a 0, M 5", make_holmes_mow_permeability(2e-4, 0.3, 0.0, 5.0)},
        {"Holmes-Mow a 0.5, M 0", make_holmes_mow_permeability(1e-3, 0.2, 0.5, 0.0)},
        {"Holmes-Mow a 10, M 100 (bounds)", make_holmes_mow_permeability(1e-3, 0.2, 10.0, 100.0)},
        {"exponential M 3", make_exponential_permeability(1e-3, 0.2, 3.0)},
        {"exponential M 100 (bound)", make_exponential_permeability(5e-4, 0.3, 100.0)},
    };
}

std::vector<std::pair<std::string, DonnanOsmotic>> osmotic_laws() {
    return {
        {"cF0 200, phi_w0 0.8", make_donnan_osmotic(200.0, 0.8, 300.0)},
        {"nucleus-like, 298 K, Phi 0.93", make_donnan_osmotic(300.0, 0.75, 300.0, 298.0, 0.93)},
        {"weak charge cF0 1", make_donnan_osmotic(1.0, 0.8, 300.0)},
        {"strong charge, dilute bath", make_donnan_osmotic(1000.0, 0.7, 10.0)},
    };
}

// Central difference D = (f(J + h) − f(J − h)) / 2h (divided by the step as rounded, which is
// exact) and the bound on |D − f'(J)| it implies, with h = 1e-6 d, d = J − J_min:
//   truncation h²/6 |f'''|, f''' estimated by the third difference of f itself with step
//     H = 1e-3 d (inside the domain), times 4 for the error of that estimate and the variation
//     of f''' over [J − h, J + h];
//   round-off e_f / h, e_f the error of one evaluation of f: a few ulps for each of its ~10
//     operations plus the rounding of the J-dependent intermediates (J − 1, J − phi0, the
//     exponent), amplified by the condition number |J f'/f|: e_f = 64 eps (1 + |J f'/f|) |f|.
// Both terms are tiny against f' for the laws here (|f'/f| >~ 1/d): the test also requires the
// tolerance to be below 1e-6 |f'|, so a wrong term, O(1) relative, fails by far.
struct CentralDifference {
    double derivative;
    double tolerance;
};

template <class F> CentralDifference central_difference(F f, double J, double J_min) {
    const double d = J - J_min;
    const double xp = J + 1e-6 * d, xm = J - 1e-6 * d, h = 0.5 * (xp - xm);
    const double H = 1e-3 * d;
    const double fp = f(xp), fm = f(xm), f0 = f(J);
    const double D = (fp - fm) / (xp - xm);
    const double third =
        (f(J + 2 * H) - 2 * f(J + H) + 2 * f(J - H) - f(J - 2 * H)) / (2 * H * H * H);
    const double condition = f0 != 0.0 ? std::abs(J * D / f0) : 0.0;
    const double truncation = 4.0 * h * h / 6.0 * std::abs(third);
    const double round_off =
        64.0 * eps * (1.0 + condition) * std::max(std::abs(fp), std::abs(fm)) / h;
    return {D, truncation + round_off};
}

// Volume ratios from just above pore closure to twice the reference volume.
std::vector<double> volume_ratios(double J_min) {
    std::vector<double> Js{J_min + 0.05, J_min + 0.2};
    for (double J : {0.6, 0.9, 1.0, 1.1, 1.5, 2.0})
        if (J > J_min + 0.05) Js.push_back(J);
    return Js;
}

} // namespace

TEST_CASE("permeability: k(1) = k0 exactly and closed-form values", "[unit]") {
    for (const auto& [name, law] : permeability_laws()) {
        INFO(name);
        CHECK(permeability(law, 1.0).k == std::visit([](auto& p) { return p.k0; }, law));
    }
    // Holmes-Mow k0 1e-3, phi0 0.2, alpha 2, M 2.5: k = k0 ((J − 0.2)/0.8)² e^{1.25 (J² − 1)},
    // dk/dJ = k (2/(J − 0.2) + 2.5 J). J = 0.6: 0.25 e^{-0.8}, factor 5 + 1.5 = 6.5; J = 1.2:
    // 1.5625 e^{0.55}, factor 2 + 3 = 5.
    const Permeability hm = make_holmes_mow_permeability(1e-3, 0.2, 2.0, 2.5);
    CHECK(permeability(hm, 0.6).k == Approx(0.25e-3 * std::exp(-0.8)).epsilon(1e-14));
    CHECK(permeability(hm, 0.6).dk_dJ == Approx(6.5 * 0.25e-3 * std::exp(-0.8)).epsilon(1e-14));
    CHECK(permeability(hm, 1.2).k == Approx(1.5625e-3 * std::exp(0.55)).epsilon(1e-14));
    CHECK(permeability(hm, 1.2).dk_dJ == Approx(5.0 * 1.5625e-3 * std::exp(0.55)).epsilon(1e-14));
    // Exponential k0 1e-3, phi0 0.2, M 3: (J − 1)/(J − 0.2) = −1 at J = 0.6 and 1/2 at J = 1.8;
    // dk/dJ = k · 3 · 0.8/(J − 0.2)² = 15 k and 0.9375 k.
    const Permeability ex = make_exponential_permeability(1e-3, 0.2, 3.0);
    CHECK(permeability(ex, 0.6).k == Approx(1e-3 * std::exp(-3.0)).epsilon(1e-14));
    CHECK(permeability(ex, 0.6).dk_dJ == Approx(15e-3 * std::exp(-3.0)).epsilon(1e-14));
    CHECK(permeability(ex, 1.8).k == Approx(1e-3 * std::exp(1.5)).epsilon(1e-14));
    CHECK(permeability(ex, 1.8).dk_dJ == Approx(0.9375e-3 * std::exp(1.5)).epsilon(1e-14));
}

TEST_CASE("permeability: dk/dJ matches central finite differences of k", "[unit]") {
    for (const auto& [name, law] : permeability_laws()) {
        const double J_min = minimum_volume_ratio(law);
        for (double J : volume_ratios(J_min)) {
            INFO(name << ", J = " << J);
            const auto fd = central_difference(
                [&law = law](double x) { return permeability(law, x).k; }, J, J_min);
            const double exact = permeability(law, J).dk_dJ;
            CHECK(std::abs(fd.derivative - exact) <= fd.tolerance);
            // exact = 0: the constant law, or k underflowed to 0 next to closure.
            if (exact != 0.0) CHECK(fd.tolerance <= 1e-6 * std::abs(exact));
        }
    }
}

TEST_CASE("permeability: k grows with J and vanishes as the pores close", "[unit]") {
    for (const auto& [name, law] : permeability_laws()) {
        INFO(name);
        if (std::holds_alternative<ConstantPermeability>(law)) continue;
        const double J_min = minimum_volume_ratio(law);
        double previous = 0.0;
        for (double J = J_min + 1e-3; J < 2.5; J += 0.01) {
            // Near closure a steep exponential underflows to k = 0 (M = 100: below J ≈ 0.45).
            const PermeabilityValue v = permeability(law, J);
            CHECK((v.k > previous || (v.k == 0.0 && previous == 0.0)));
            CHECK((v.dk_dJ > 0.0 || v.k == 0.0));
            previous = v.k;
        }
        // alpha > 0 (Holmes-Mow) or M > 0 (exponential) closes the pores to flow; Holmes-Mow
        // with alpha = 0 keeps k0 exp(M (phi0² − 1)/2) there.
        const auto* hm = std::get_if<HolmesMowPermeability>(&law);
        const double k_closed = permeability(law, J_min + 1e-10).k;
        if (hm && hm->alpha == 0.0)
            CHECK(k_closed == Approx(hm->k0 * std::exp(0.5 * hm->M * (hm->phi0 * hm->phi0 - 1))));
        else
            CHECK(k_closed <= 1e-4 * permeability(law, 1.0).k);
    }
    // With alpha = M = 0 both laws are constant.
    CHECK(permeability(make_holmes_mow_permeability(1e-3, 0.2, 0, 0), 0.5).k == 1e-3);
    CHECK(permeability(make_exponential_permeability(1e-3, 0.2, 0), 0.5).dk_dJ == 0.0);
}

TEST_CASE("permeability: bad parameters are rejected with name, range and value", "[unit]") {
    CHECK_THROWS_AS(make_constant_permeability(0.0), InputError);
    CHECK_THROWS_WITH(make_constant_permeability(-1e-3),
                      Contains("k0") && Contains("mm^4/(N s)") && Contains("> 0"));
    CHECK_THROWS_WITH(make_holmes_mow_permeability(1e-3, 1.0, 2, 2),
                      Contains("phi0") && Contains("(0, 1)") && Contains("got 1"));
    CHECK_THROWS_WITH(make_holmes_mow_permeability(1e-3, 0.0, 2, 2), Contains("phi0"));
    CHECK_THROWS_WITH(make_holmes_mow_permeability(1e-3, 0.2, -0.1, 2),
                      Contains("alpha") && Contains("[0, 10]") && Contains("got -0.1"));
    CHECK_THROWS_WITH(make_holmes_mow_permeability(1e-3, 0.2, 10.5, 2), Contains("alpha"));
    CHECK_THROWS_WITH(make_exponential_permeability(1e-3, 0.2, -1),
                      Contains("M") && Contains("[0, 100]") && Contains("got -1"));
    CHECK_THROWS_WITH(make_exponential_permeability(1e-3, 0.2, 101), Contains("got 101"));
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = HUGE_VAL;
    CHECK_THROWS_AS(make_exponential_permeability(nan, 0.2, 1), InputError);
    CHECK_THROWS_AS(make_constant_permeability(inf), InputError);
    // Plain aggregates go through validate; the closed ends are accepted.
    CHECK_THROWS_AS(validate(HolmesMowPermeability{1e-3, 1.2, 2, 2}), InputError);
    CHECK_THROWS_AS(validate(ExponentialPermeability{1e-3, 0.2, nan}), InputError);
    CHECK_NOTHROW(validate(HolmesMowPermeability{1e-3, 0.2, 0, 100}));
    CHECK_NOTHROW(validate(HolmesMowPermeability{1e-3, 0.2, 10, 0}));
    const auto specs = permeability_parameter_specs();
    const char* names[] = {"k0", "phi0", "alpha", "M"};
    REQUIRE(specs.size() == 4);
    for (std::size_t i = 0; i < specs.size(); ++i)
        CHECK((specs[i].name == names[i] && !specs[i].description.empty()));
}

TEST_CASE("osmotic: the Donnan reference value, 0.32 MPa at cF = c* = 300 mM", "[unit]") {
    // theta 310 K, Phi 1, cF 0.30 mEq/ml = 300 nmol/mm^3 at J = 1, c* 300 nmol/mm^3 (0.15 M NaCl):
    // pi = 8.314e-6 · 310 · (√2 − 1) · 300 = 2.57734e-3 · 124.264 = 0.32027 MPa (R rounded).
    const DonnanOsmotic m = make_donnan_osmotic(300.0, 0.8, physiological_bath_osmolarity);
    CHECK(fixed_charge_density(m, 1.0) == 300.0);
    CHECK(osmotic_pressure(m, 1.0).pi == Approx(0.32027).epsilon(1e-3));
    CHECK(osmotic_pressure(m, 1.0).pi ==
          Approx(gas_constant * 310.0 * 300.0 * (std::sqrt(2.0) - 1.0)).epsilon(1e-14));
    CHECK(gas_constant == Approx(8.314e-6).epsilon(1e-4)); // J/(mol K) -> N mm/(nmol K)
}

TEST_CASE("osmotic: closed-form pressures and the free-swelling balance", "[unit]") {
    // cF0 200, phi_w0 0.8, c* 300: cF = 160/(J − 0.2), chosen so that √(cF² + 300²) is whole:
    //   J = 0.6:  cF 400, √ 500, pi = 200 RT, dpi/dJ = −RT 400²/(500 · 0.4) = −800 RT;
    //   J = 1.2:  cF 160, √ 340, pi =  40 RT, dpi/dJ = −RT 160²/(340 · 1.0);
    //   J = 1.48: cF 125, √ 325, pi =  25 RT, dpi/dJ = −RT 125²/(325 · 1.28).
    const DonnanOsmotic m = make_donnan_osmotic(200.0, 0.8, 300.0);
    const double RT = gas_constant * 310.0;
    CHECK(osmotic_pressure(m, 0.6).pi == Approx(200 * RT).epsilon(1e-13));
    CHECK(osmotic_pressure(m, 0.6).dpi_dJ == Approx(-800 * RT).epsilon(1e-13));
    CHECK(osmotic_pressure(m, 1.2).pi == Approx(40 * RT).epsilon(1e-13));
    CHECK(osmotic_pressure(m, 1.2).dpi_dJ == Approx(-RT * 25600.0 / 340.0).epsilon(1e-13));
    CHECK(osmotic_pressure(m, 1.48).pi == Approx(25 * RT).epsilon(1e-13));
    CHECK(osmotic_pressure(m, 1.48).dpi_dJ == Approx(-RT * 15625.0 / 416.0).epsilon(1e-13));
    // Free swelling to J* in this bath: the solid carries pi(J*) as hydrostatic Cauchy tension.
    // An uncoupled neo-Hookean solid (any mu) under F = J^{1/3} I has sigma = U'(J) I only; with
    // U = K/2 (J − 1)² that is K (J − 1), so K = pi(J*)/(J* − 1) makes J* the equilibrium
    // (200 RT at 1.2, 25 RT/0.48 at 1.48), stable since K − dpi/dJ > 0.
    for (const auto& [J_star, K] : {std::pair{1.2, 200 * RT}, std::pair{1.48, 25 * RT / 0.48}}) {
        INFO("J* = " << J_star);
        const Material solid = make_material(make_neo_hookean(0.05), std::nullopt,
                                             make_volumetric(K, VolumetricForm::quadratic));
        const auto balance = [&solid, &m](double J) {
            const Mat3 C = std::pow(J, 2.0 / 3.0) * Mat3::Identity();
            const Mat3 S = evaluate(solid, C, Vec3::Zero(), Vec3::Zero()).S;
            return std::pow(J, -1.0 / 3.0) * S(0, 0) - osmotic_pressure(m, J).pi; // sigma − pi
        };
        CHECK(std::abs(balance(J_star)) < 1e-12 * K);
        CHECK(balance(J_star - 0.01) < 0.0);
        CHECK(balance(J_star + 0.01) > 0.0);
    }
}

TEST_CASE("osmotic: dpi/dJ matches central finite differences of pi", "[unit]") {
    for (const auto& [name, law] : osmotic_laws()) {
        const double J_min = minimum_volume_ratio(law);
        for (double J : volume_ratios(J_min)) {
            INFO(name << ", J = " << J);
            const auto fd = central_difference(
                [&law = law](double x) { return osmotic_pressure(law, x).pi; }, J, J_min);
            const double exact = osmotic_pressure(law, J).dpi_dJ;
            CHECK(std::abs(fd.derivative - exact) <= fd.tolerance);
            CHECK(fd.tolerance <= 1e-6 * std::abs(exact));
        }
    }
}

TEST_CASE("osmotic: pi falls with J, cF -> infinity at pore closure, no cancellation", "[unit]") {
    for (const auto& [name, law] : osmotic_laws()) {
        INFO(name);
        const double J_min = minimum_volume_ratio(law);
        double previous = std::numeric_limits<double>::infinity();
        for (double J = J_min + 1e-3; J < 3.0; J += 0.01) {
            const OsmoticValue v = osmotic_pressure(law, J);
            CHECK(v.pi < previous);
            CHECK(v.pi > 0.0);
            CHECK(v.dpi_dJ < 0.0);
            previous = v.pi;
        }
        // cF = cF0 phi_w0 / delta at J = 1 − phi_w0 + delta (delta itself rounded to ~eps
        // absolute, hence eps/delta relative), and pi -> R theta Phi cF once cF >> c*.
        const double RTPhi = gas_constant * law.temperature * law.osmotic_coefficient;
        for (double delta : {1e-2, 1e-4, 1e-8}) {
            const double J = J_min + delta;
            const double fluid = (J - 1.0) + law.phi_w0;
            CHECK(fixed_charge_density(law, J) == Approx(law.cF0 * law.phi_w0 / fluid));
            CHECK(fixed_charge_density(law, J) ==
                  Approx(law.cF0 * law.phi_w0 / delta).epsilon(16 * eps / delta));
        }
        const double cF = fixed_charge_density(law, J_min + 1e-8);
        CHECK(osmotic_pressure(law, J_min + 1e-8).pi ==
              Approx(RTPhi * cF).epsilon(1.01 * law.bath_osmolarity / cF));
    }
    // cF << c*: pi = RT cF²/(2 c*) (1 + O(cF²/c*²)), which the naive √(cF² + c*²) − c* loses.
    const DonnanOsmotic weak = make_donnan_osmotic(1e-6, 0.8, 300.0);
    CHECK(osmotic_pressure(weak, 1.0).pi ==
          Approx(gas_constant * 310.0 * 1e-12 / 600.0).epsilon(1e-14));
    const DonnanOsmotic uncharged = make_donnan_osmotic(0.0, 0.8, 300.0);
    CHECK(osmotic_pressure(uncharged, 0.5).pi == 0.0);
    CHECK(osmotic_pressure(uncharged, 0.5).dpi_dJ == 0.0);
}

TEST_CASE("osmotic: bad parameters are rejected with name, range and value", "[unit]") {
    CHECK_THROWS_WITH(make_donnan_osmotic(-1, 0.8, 300),
                      Contains("cF0") && Contains("nmol/mm^3") && Contains(">= 0"));
    CHECK_THROWS_WITH(make_donnan_osmotic(200, 1.0, 300), Contains("phi_w0") && Contains("(0, 1)"));
    CHECK_THROWS_WITH(make_donnan_osmotic(200, 0.0, 300), Contains("phi_w0"));
    CHECK_THROWS_WITH(make_donnan_osmotic(200, 0.8, 0),
                      Contains("bath_osmolarity") && Contains("> 0"));
    // A temperature in degrees Celsius is caught.
    CHECK_THROWS_WITH(make_donnan_osmotic(200, 0.8, 300, 37), Contains("temperature") &&
                                                                  Contains("[273.15, 373.15]") &&
                                                                  Contains("got 37"));
    CHECK_THROWS_WITH(make_donnan_osmotic(200, 0.8, 300, 310, 0),
                      Contains("osmotic_coefficient") && Contains("(0, 1.5]"));
    CHECK_THROWS_AS(make_donnan_osmotic(200, 0.8, 300, 310, 2), InputError);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(make_donnan_osmotic(nan, 0.8, 300), InputError);
    CHECK_THROWS_AS(validate(DonnanOsmotic{200, 0.8, std::numeric_limits<double>::infinity()}),
                    InputError);
    CHECK_NOTHROW(validate(DonnanOsmotic{0, 0.8, 300, 273.15, 1.5}));
    const DonnanOsmotic defaults = make_donnan_osmotic(200, 0.8, 300);
    CHECK((defaults.temperature == 310.0 && defaults.osmotic_coefficient == 1.0));
    const auto specs = osmotic_parameter_specs();
    const char* names[] = {"cF0", "phi_w0", "bath_osmolarity", "temperature",
                           "osmotic_coefficient"};
    REQUIRE(specs.size() == 5);
    for (std::size_t i = 0; i < specs.size(); ++i)
        CHECK(specs[i].name == names[i]);
}
