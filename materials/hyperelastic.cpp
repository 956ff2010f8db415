#include "materials/hyperelastic.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace discsim::materials {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// The one table of material parameters (ARCHITECTURE.md: declared with range and unit in one
// place). Ranges are those under which the energy is convex at small strain and the formulas are
// defined; FEBio declares the same ranges for its HGO (c > 0 here because the ground substance
// must carry shear on its own where fibres are slack).
// clang-format off
constexpr std::array<ParameterSpec, 6> parameter_table{{
    {"c10", "MPa", 0, inf, false, true, false,
     "first-invariant coefficient of the ground substance (neo-Hookean and Mooney-Rivlin)"},
    {"c01", "MPa", 0, inf, true, true, false,
     "second-invariant coefficient of the Mooney-Rivlin ground substance"},
    {"k1", "MPa", 0, inf, true, true, false,
     "HGO fibre stiffness"},
    {"k2", "1", 0, inf, true, true, false,
     "HGO exponential fibre stiffening (0 = quadratic limit)"},
    {"kappa", "1", 0, 1.0 / 3.0, true, true, false,
     "HGO fibre dispersion: 0 = aligned, 1/3 = isotropic"},
    {"bulk_modulus", "MPa", 0, inf, false, true, false,
     "small-strain bulk modulus K of U(J) = K/2 (ln J)^2"},
}};
// clang-format on

void check(std::string_view name, double value) {
    check_parameter(material_parameter_spec(name), value);
}

template <class... F> struct overloaded : F... {
    using F::operator()...;
};

// Everything the invariants need from C, computed once per evaluation.
struct Kinematics {
    Mat3 C;
    Mat3 C_inv;
    double J = 1.0;
    double J_m23 = 1.0; // J^{-2/3}
    double I1 = 3.0;
    Mat6 Cinv_outer_Cinv; // C⁻¹ ⊗ C⁻¹
    Mat6 Cinv_odot_Cinv;  // C⁻¹ ⊙ C⁻¹ (= −dC⁻¹/dC)
    bool tangent = true;  // false: the second derivatives are not needed (left zero)
};

Kinematics kinematics(const Mat3& C, bool tangent = true) {
    Kinematics k;
    k.C = C;
    const double det = C.determinant();
    assert(det > 0.0 && "C must be positive definite");
    k.J = std::sqrt(det);
    k.C_inv = C.inverse();
    k.J_m23 = std::pow(det, -1.0 / 3.0);
    k.I1 = C.trace();
    k.tangent = tangent;
    if (!tangent) return k;
    k.Cinv_outer_Cinv = outer(k.C_inv, k.C_inv);
    k.Cinv_odot_Cinv = odot(k.C_inv, k.C_inv);
    return k;
}

// An invariant with its first and second derivatives with respect to C.
struct Invariant {
    double value = 0.0;
    Mat3 first = Mat3::Zero();  // dI/dC
    Mat6 second = Mat6::Zero(); // d²I/dCdC
};

// Ī = J^{-2/3} I_M with I_M = M:C (M = I for Ī1, M = a⊗a for Ī4):
//   dĪ/dC     = J^{-2/3} (M − I_M/3 C⁻¹)
//   d²Ī/dCdC  = J^{-2/3} [−⅓(M⊗C⁻¹ + C⁻¹⊗M) + I_M/9 C⁻¹⊗C⁻¹ + I_M/3 C⁻¹⊙C⁻¹]
// using dJ^{-2/3}/dC = −⅓ J^{-2/3} C⁻¹ and dC⁻¹/dC = −C⁻¹⊙C⁻¹.
Invariant isochoric_linear_invariant(const Kinematics& k, const Mat3& M, double I_M) {
    Invariant inv;
    inv.value = k.J_m23 * I_M;
    inv.first = k.J_m23 * (M - (I_M / 3.0) * k.C_inv);
    if (!k.tangent) return inv;
    inv.second = k.J_m23 * (-(outer(M, k.C_inv) + outer(k.C_inv, M)) / 3.0 +
                            (I_M / 9.0) * k.Cinv_outer_Cinv + (I_M / 3.0) * k.Cinv_odot_Cinv);
    return inv;
}

// I_M = M:C itself: linear in C, so the second derivative vanishes.
Invariant full_linear_invariant(const Mat3& M, double I_M) {
    Invariant inv;
    inv.value = I_M;
    inv.first = M;
    return inv;
}

// Ī2 = J^{-4/3} I2, I2 = ½(I1² − C:C), dI2/dC = G = I1 I − C, d²I2/dCdC = I⊗I − 𝕀:
//   dĪ2/dC    = J^{-4/3} (G − ⅔ I2 C⁻¹)
//   d²Ī2/dCdC = J^{-4/3} [I⊗I − 𝕀 − ⅔(G⊗C⁻¹ + C⁻¹⊗G) + 4/9 I2 C⁻¹⊗C⁻¹ + ⅔ I2 C⁻¹⊙C⁻¹]
Invariant isochoric_second_invariant(const Kinematics& k) {
    const Mat3 I = Mat3::Identity();
    const double I2 = 0.5 * (k.I1 * k.I1 - k.C.squaredNorm());
    const Mat3 G = k.I1 * I - k.C;
    const double J_m43 = k.J_m23 * k.J_m23;
    Invariant inv;
    inv.value = J_m43 * I2;
    inv.first = J_m43 * (G - (2.0 / 3.0) * I2 * k.C_inv);
    if (!k.tangent) return inv;
    inv.second =
        J_m43 * (outer(I, I) - symmetric_identity() -
                 (2.0 / 3.0) * (outer(G, k.C_inv) + outer(k.C_inv, G)) +
                 (4.0 / 9.0) * I2 * k.Cinv_outer_Cinv + (2.0 / 3.0) * I2 * k.Cinv_odot_Cinv);
    return inv;
}

// Adds ψ(x) with x an invariant: S += 2ψ' dx/dC, CC += 4ψ'' dx⊗dx + 4ψ' d²x.
void add_term(Response& r, const Invariant& x, double psi, double dpsi, double d2psi,
              bool tangent = true) {
    r.psi += psi;
    r.S += 2.0 * dpsi * x.first;
    if (!tangent) return;
    if (d2psi != 0.0) r.D += 4.0 * d2psi * outer(x.first, x.first);
    if (dpsi != 0.0) r.D += 4.0 * dpsi * x.second;
}

// Ē = κ(I1' − 3) + (1 − 3κ)(I4' − 1), with (I1', I4') isochoric or full; linear in the two
// invariants, so its derivatives are the same combination of theirs.
Invariant fibre_strain(double kappa, const Invariant& I1, const Invariant& I4, bool tangent) {
    Invariant E;
    E.value = kappa * (I1.value - 3.0) + (1.0 - 3.0 * kappa) * (I4.value - 1.0);
    E.first = kappa * I1.first + (1.0 - 3.0 * kappa) * I4.first;
    if (!tangent) return E;
    E.second = kappa * I1.second + (1.0 - 3.0 * kappa) * I4.second;
    return E;
}

void add_fibres(Response& r, const HgoFibres& f, const Kinematics& k, const Invariant& I1,
                const Vec3& direction) {
    const double length2 = direction.squaredNorm();
    if (!(length2 > 0.0)) return; // no fibre family at this point
    const Vec3 a = direction / std::sqrt(length2);
    const Mat3 M = a * a.transpose();
    const double I4_full = a.dot(k.C * a);
    const Invariant I4 = f.invariant == FibreInvariant::isochoric
                             ? isochoric_linear_invariant(k, M, I4_full)
                             : full_linear_invariant(M, I4_full);
    // Tension-only: collagen buckles when shortened. The family contributes while its
    // dispersed fibre strain is positive, Ē > 0 (the Macaulay bracket <Ē> of Gasser et al.
    // 2006 and of Abaqus' HGO model, in which the default set was calibrated). A switch on
    // Ī4 > 1 instead would make ψ and S jump where Ī4 crosses 1 with Ī1 != 3 (Ē != 0 there),
    // and Newton's residual could then not fall below that jump. With <Ē>, ψ ~ Ē² near the
    // switch: S is continuous and only the tangent jumps. For κ = 0 both switches coincide.
    const Invariant E = fibre_strain(f.kappa, I1, I4, k.tangent);
    if (!(E.value > 0.0)) return;
    const double E2 = E.value * E.value;
    const double k2E2 = f.k2 * E2;
    const double g = std::exp(k2E2);
    // ψ = k1/(2k2) (exp(k2 Ē²) − 1); expm1 keeps it accurate for small k2 Ē², and k2 = 0 is the
    // quadratic limit k1/2 Ē² (the derivatives below are already regular there).
    const double psi = f.k2 > 0.0 ? 0.5 * f.k1 / f.k2 * std::expm1(k2E2) : 0.5 * f.k1 * E2;
    const double dpsi = f.k1 * E.value * g;             // dψ/dĒ
    const double d2psi = f.k1 * (1.0 + 2.0 * k2E2) * g; // d²ψ/dĒ²
    add_term(r, E, psi, dpsi, d2psi, k.tangent);
}

} // namespace

// ---- volumetric ---------------------------------------------------------------------------

double Volumetric::energy(double J) const {
    switch (form) {
    case VolumetricForm::quadratic: return 0.5 * bulk_modulus * (J - 1.0) * (J - 1.0);
    case VolumetricForm::simo_taylor: return 0.25 * bulk_modulus * (J * J - 1.0 - 2.0 * std::log(J));
    case VolumetricForm::log_squared: break;
    }
    const double ln_J = std::log(J);
    return 0.5 * bulk_modulus * ln_J * ln_J;
}

double Volumetric::pressure(double J) const {
    switch (form) {
    case VolumetricForm::quadratic: return bulk_modulus * (J - 1.0);
    case VolumetricForm::simo_taylor: return 0.5 * bulk_modulus * (J - 1.0 / J);
    case VolumetricForm::log_squared: break;
    }
    return bulk_modulus * std::log(J) / J;
}

double Volumetric::pressure_derivative(double J) const {
    switch (form) {
    case VolumetricForm::quadratic: return bulk_modulus;
    case VolumetricForm::simo_taylor: return 0.5 * bulk_modulus * (1.0 + 1.0 / (J * J));
    case VolumetricForm::log_squared: break;
    }
    return bulk_modulus * (1.0 - std::log(J)) / (J * J);
}

// ---- parameters ---------------------------------------------------------------------------

std::span<const ParameterSpec> material_parameter_specs() {
    return parameter_table;
}

const ParameterSpec& material_parameter_spec(std::string_view name) {
    for (const auto& spec : parameter_table) {
        if (spec.name == name) return spec;
    }
    std::vector<std::string_view> names;
    for (const auto& spec : parameter_table)
        names.push_back(spec.name);
    std::string message = "unknown material parameter '" + std::string(name) + "'";
    if (auto hint = nearest_name(name, names); !hint.empty()) {
        message += " (did you mean '" + hint + "'?)";
    }
    throw InputError(message);
}

NeoHookean make_neo_hookean(double c10) {
    check("c10", c10);
    return NeoHookean{c10};
}

MooneyRivlin make_mooney_rivlin(double c10, double c01) {
    check("c10", c10);
    check("c01", c01);
    return MooneyRivlin{c10, c01};
}

HgoFibres make_hgo_fibres(double k1, double k2, double kappa, FibreInvariant invariant) {
    check("k1", k1);
    check("k2", k2);
    check("kappa", kappa);
    return HgoFibres{k1, k2, kappa, invariant};
}

Volumetric make_volumetric(double bulk_modulus, VolumetricForm form) {
    check("bulk_modulus", bulk_modulus);
    return Volumetric{bulk_modulus, form};
}

void validate_ground(const NeoHookean& m) { make_neo_hookean(m.c10); }
void validate_ground(const MooneyRivlin& m) { make_mooney_rivlin(m.c10, m.c01); }
double small_strain_shear_modulus(const NeoHookean& m) { return 2.0 * m.c10; }
double small_strain_shear_modulus(const MooneyRivlin& m) { return 2.0 * (m.c10 + m.c01); }
NeoHookean scaled_ground(const NeoHookean& m, double s) { return {m.c10 * s}; }
MooneyRivlin scaled_ground(const MooneyRivlin& m, double s) { return {m.c10 * s, m.c01 * s}; }

void validate(const Material& material) {
    std::visit([](const auto& g) { validate_ground(g); }, material.ground);
    if (material.fibres) {
        const HgoFibres& f = *material.fibres;
        make_hgo_fibres(f.k1, f.k2, f.kappa, f.invariant);
    }
    const bool coupled = std::visit([](const auto& g) { return std::decay_t<decltype(g)>::coupled; },
                                    material.ground);
    if (coupled) {
        if (material.volumetric.bulk_modulus != 0.0) {
            throw InputError("bulk_modulus: expected none (0) for a coupled solid, which has its "
                             "own volume response, got " +
                             format_number(material.volumetric.bulk_modulus));
        }
    } else {
        make_volumetric(material.volumetric.bulk_modulus, material.volumetric.form);
    }
}

Material make_material(const GroundSubstance& ground, const std::optional<HgoFibres>& fibres,
                       const Volumetric& volumetric) {
    Material material{ground, fibres, volumetric};
    validate(material);
    return material;
}

double small_strain_shear_modulus(const Material& material) {
    return std::visit([](const auto& g) { return small_strain_shear_modulus(g); }, material.ground);
}

double bulk_modulus(const Material& material) {
    return material.volumetric.bulk_modulus;
}

// ---- defaults -----------------------------------------------------------------------------

namespace {
// K = 1000 μ of the ground substance (default_bulk_to_shear), then the usual validation.
Material with_default_bulk(const GroundSubstance& ground, const std::optional<HgoFibres>& fibres) {
    const double mu = small_strain_shear_modulus(Material{ground, fibres, Volumetric{0.0}});
    return make_material(ground, fibres, make_volumetric(default_bulk_to_shear * mu));
}
} // namespace

Material default_nucleus() {
    return with_default_bulk(make_mooney_rivlin(0.118, 0.030), {});
}

Material default_annulus(double k1, double k2) {
    return with_default_bulk(make_neo_hookean(0.1351),
                             make_hgo_fibres(k1, k2, annulus_kappa, FibreInvariant::isochoric));
}

Material schmidt2007_annulus(double k1, double k2) {
    return with_default_bulk(make_mooney_rivlin(0.18, 0.045),
                             make_hgo_fibres(k1, k2, annulus_kappa, FibreInvariant::isochoric));
}

// ---- evaluation ---------------------------------------------------------------------------

Response evaluate_deviatoric(const Material& material, const Mat3& C, const Vec3& a1,
                             const Vec3& a2, bool tangent) {
    const Kinematics k = kinematics(C, tangent);
    Response r;
    const Invariant I1_bar = isochoric_linear_invariant(k, Mat3::Identity(), k.I1);
    std::visit(overloaded{
                   [&](const NeoHookean& g) {
                       add_term(r, I1_bar, g.c10 * (I1_bar.value - 3.0), g.c10, 0.0, tangent);
                   },
                   [&](const MooneyRivlin& g) {
                       add_term(r, I1_bar, g.c10 * (I1_bar.value - 3.0), g.c10, 0.0, tangent);
                       if (g.c01 != 0.0) {
                           const Invariant I2_bar = isochoric_second_invariant(k);
                           add_term(r, I2_bar, g.c01 * (I2_bar.value - 3.0), g.c01, 0.0, tangent);
                       }
                   },
                   // A coupled model is its whole response; the element adds U(J) = 0.
                   [&](const auto& g)
                       requires(std::decay_t<decltype(g)>::coupled) { r = evaluate(g, C); },
               },
               material.ground);
    if (material.fibres) {
        const HgoFibres& f = *material.fibres;
        const Invariant I1 = f.invariant == FibreInvariant::isochoric
                                 ? I1_bar
                                 : full_linear_invariant(Mat3::Identity(), k.I1);
        add_fibres(r, f, k, I1, a1);
        add_fibres(r, f, k, I1, a2);
    }
    return r;
}

Response evaluate_volumetric(const Volumetric& volumetric, const Mat3& C) {
    const double det = C.determinant();
    assert(det > 0.0 && "C must be positive definite");
    const double J = std::sqrt(det);
    const Mat3 C_inv = C.inverse();
    const double Jp = J * volumetric.pressure(J);                  // J U'
    const double J2dp = J * J * volumetric.pressure_derivative(J); // J² U''
    Response r;
    r.psi = volumetric.energy(J);
    r.S = Jp * C_inv;
    r.D = (Jp + J2dp) * outer(C_inv, C_inv) - 2.0 * Jp * odot(C_inv, C_inv);
    return r;
}

Response evaluate(const Material& material, const Mat3& C, const Vec3& a1, const Vec3& a2) {
    Response r = evaluate_deviatoric(material, C, a1, a2);
    const Response v = evaluate_volumetric(material.volumetric, C);
    r.psi += v.psi;
    r.S += v.S;
    r.D += v.D;
    return r;
}

} // namespace discsim::materials
