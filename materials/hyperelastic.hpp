// Hyperelastic constitutive models of the disc tissues (PHYSICS.md section 3).
//
// Every model is a small value type holding validated parameters; evaluation is a pure function
// of the right Cauchy-Green tensor C (and the reference fibre directions) that returns the
// strain energy ψ, the second Piola-Kirchhoff stress S = 2 ∂ψ/∂C and the material tangent
// CC = 4 ∂²ψ/∂C∂C in the Voigt form of tensor.hpp. No mutable state: one Material serves
// every thread.
//
// Decoupled (uncoupled) strain energy, as in FEBio's uncoupled materials (Maas et al. 2012,
// J Biomech Eng 134:011005) and Simo & Taylor 1991:
//     ψ(C) = ψ_iso(C̄, a1, a2) + U(J),   J = √det C,   C̄ = J^{-2/3} C,
//     Ī1 = tr C̄,   Ī2 = ½(Ī1² − tr C̄²),   Ī4 = a·C̄a  (a a unit reference fibre direction).
// Stresses in MPa when the moduli are in MPa.
#pragma once

#include "core/parameter.hpp"
#include "materials/holmes_mow.hpp"
#include "materials/response.hpp"
#include "materials/tensor.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <variant>

namespace discsim::materials {

/// Neo-Hookean ground substance (Treloar 1943; uncoupled form):
///     ψ_iso = c10 (Ī1 − 3).
/// Small-strain shear modulus μ = 2 c10.
struct NeoHookean {
    static constexpr bool coupled = false; ///< isochoric: U(J) carries the volume response
    double c10; ///< MPa, > 0
};

/// Mooney-Rivlin ground substance (Mooney 1940, J Appl Phys 11:582; Rivlin 1948, Phil Trans R
/// Soc A 241:379; uncoupled form):
///     ψ_iso = c10 (Ī1 − 3) + c01 (Ī2 − 3).
/// Small-strain shear modulus μ = 2 (c10 + c01).
struct MooneyRivlin {
    static constexpr bool coupled = false;
    double c10; ///< MPa, > 0
    double c01; ///< MPa, >= 0
};

/// Which invariants the fibre term uses.
enum class FibreInvariant {
    /// Ī1, Ī4 of C̄ (Holzapfel-Gasser-Ogden as in Abaqus and FEBio's "Holzapfel-Gasser-Ogden"):
    /// the fibres do not see volume change, which must then be resisted by U(J).
    isochoric,
    /// I1 = tr C, I4 = a·Ca (FEBio's "HGO unconstrained"; Nolan et al. 2014): the fibres also
    /// resist volumetric stretch.
    full,
};

/// Collagen fibres with dispersion, two families (Holzapfel, Gasser & Ogden 2000, J Elasticity
/// 61:1; dispersion κ: Gasser, Ogden & Holzapfel 2006, J R Soc Interface 3:15):
///     Ē_i = κ (Ī1 − 3) + (1 − 3κ)(Ī4i − 1),
///     ψ_f = k1 / (2 k2) Σ_i [exp(k2 Ē_i²) − 1],          (k2 = 0: the limit k1/2 Σ_i Ē_i²)
/// where family i contributes only while its fibres are stretched, Ē_i > 0 (the Macaulay
/// bracket of Gasser et al. 2006 and Abaqus' HGO, in which the default set was calibrated;
/// for κ = 0 this is Ī4i > 1). With FibreInvariant::full, I1 and I4i replace Ī1 and Ī4i,
/// including in the switch.
/// κ = 0: perfectly aligned fibres; κ = 1/3: isotropic distribution.
struct HgoFibres {
    double k1;    ///< MPa, >= 0: fibre stiffness
    double k2;    ///< 1, >= 0: exponential stiffening
    double kappa; ///< 1, in [0, 1/3]: dispersion
    FibreInvariant invariant = FibreInvariant::isochoric;
};

/// The volumetric energy's form. All three have U(1) = U'(1) = 0 and U''(1) = K, so K is the
/// small-strain bulk modulus in each; they differ at finite volume change.
enum class VolumetricForm {
    /// U = K/2 (ln J)^2: FEBio's uncoupled materials (Maas et al. 2012, J Biomech Eng
    /// 134:011005); discsim's default.
    log_squared,
    /// U = K/2 (J - 1)^2: Abaqus' and CalculiX's polynomial hyperelastic forms, written there
    /// as (J - 1)^2 / D with D = 2/K.
    quadratic,
    /// U = K/4 (J^2 - 1 - 2 ln J) (Simo & Taylor 1982, Comput Methods Appl Mech Eng 35:107;
    /// Simo & Hughes 1998, Computational Inelasticity, section 9.2).
    simo_taylor,
};

/// Volumetric energy U(J) of an uncoupled material; see VolumetricForm for the forms.
struct Volumetric {
    double bulk_modulus; ///< K, MPa, > 0
    VolumetricForm form = VolumetricForm::log_squared;

    double energy(double J) const;
    /// p = dU/dJ (log_squared: K ln J / J; quadratic: K (J - 1); simo_taylor: K/2 (J - 1/J)).
    double pressure(double J) const;
    /// d2U/dJ2 (log_squared: K (1 - ln J) / J^2; quadratic: K; simo_taylor: K/2 (1 + 1/J^2)).
    double pressure_derivative(double J) const;
};

/// The solid models. Every dispatch on the model goes through std::visit over this variant to
/// per-model overloads, declared with the model (docs/extending.md: adding a model is its
/// header/source pair plus one entry here):
///   validate_ground(m)                 checks the parameters (InputError)
///   small_strain_shear_modulus(m)      mu, MPa
///   scaled_ground(m, s)                the model with its stiffness scaled by s (damage)
///   M::coupled                         false: isochoric part only, U(J) added separately;
///                                      true:  evaluate(m, C) is the whole response and the
///                                             material's U(J) must be zero (bulk_modulus 0)
///   add_isochoric_ground(r, m, C)      (uncoupled models) the isochoric ground term
using GroundSubstance = std::variant<NeoHookean, MooneyRivlin, HolmesMow>;

void validate_ground(const NeoHookean& m);
void validate_ground(const MooneyRivlin& m);
double small_strain_shear_modulus(const NeoHookean& m);
double small_strain_shear_modulus(const MooneyRivlin& m);
NeoHookean scaled_ground(const NeoHookean& m, double s);
MooneyRivlin scaled_ground(const MooneyRivlin& m, double s);

/// One tissue: ground substance, optional fibres, volumetric response (zero for a coupled
/// ground substance, which has its own).
struct Material {
    GroundSubstance ground;
    std::optional<HgoFibres> fibres;
    Volumetric volumetric;
};

// ---- parameters ---------------------------------------------------------------------------

/// The declared material parameters (name, unit, range, description), one table for every model,
/// so the scenario layer can list and check them: c10, c01, k1, k2, kappa, bulk_modulus.
std::span<const ParameterSpec> material_parameter_specs();

/// The declaration of one parameter; throws InputError (with a near-name hint) when unknown.
const ParameterSpec& material_parameter_spec(std::string_view name);

/// Factories that check every parameter against its declaration and throw InputError
/// "<name>: expected a value in <unit> in <range>, got <value>".
NeoHookean make_neo_hookean(double c10);
MooneyRivlin make_mooney_rivlin(double c10, double c01);
HgoFibres make_hgo_fibres(double k1, double k2, double kappa,
                          FibreInvariant invariant = FibreInvariant::isochoric);
Volumetric make_volumetric(double bulk_modulus,
                           VolumetricForm form = VolumetricForm::log_squared);
/// Validates all parts (also ones built as plain aggregates) and assembles the material.
Material make_material(const GroundSubstance& ground, const std::optional<HgoFibres>& fibres,
                       const Volumetric& volumetric);

/// Checks every parameter of an existing material; throws InputError like the factories.
void validate(const Material& material);

/// Small-strain shear modulus μ of the ground substance (fibres excluded), MPa.
double small_strain_shear_modulus(const Material& material);
/// K of the volumetric term, MPa.
double bulk_modulus(const Material& material);

// ---- defaults (PHYSICS.md section 3) ------------------------------------------------------

/// Gruber et al. 2024 (Front Bioeng Biotechnol 12:1391957, calibrated on isolated L4-5 discs of
/// Heuer et al. 2007) annulus fibre range: outer (stiffest) to inner (softest) lamellae.
inline constexpr double annulus_k1_outer = 3.73; ///< MPa
inline constexpr double annulus_k1_inner = 1.70; ///< MPa
inline constexpr double annulus_k2_outer = 89.6;
inline constexpr double annulus_k2_inner = 37.4;
inline constexpr double annulus_kappa = 0.0752;
/// Bulk modulus over ground-substance shear modulus of the defaults: nearly incompressible
/// (Poisson's ratio (3·1000 − 2)/(2(3·1000 + 1)) ≈ 0.4995).
inline constexpr double default_bulk_to_shear = 1000.0;

/// Nucleus: uncoupled Mooney-Rivlin c10 = 0.118, c01 = 0.030 MPa (Gruber et al. 2024; Schmidt
/// et al. 2007 used 0.12 / 0.03), K = 1000 μ = 296 MPa.
Material default_nucleus();

/// Annulus: neo-Hookean c10 = 0.1351 MPa with HGO fibres κ = 0.0752, the given k1, k2 (Gruber et
/// al. 2024), isochoric invariants, K = 1000 μ of the ground substance = 270.2 MPa.
/// Why isochoric with a large K: the calibration (Abaqus HGO, D = 0) was done on the isochoric
/// form of an incompressible material; keeping the annulus nearly incompressible makes Ī4 ≈ I4,
/// so the fibres cannot be bypassed by volume change and the annulus is not too soft (the
/// pitfall of Nolan et al. 2014, J Mech Behav Biomed Mater 39:48, which appears with a modest K).
Material default_annulus(double k1, double k2);

/// Alternative annulus: Mooney-Rivlin ground substance c10 = 0.18, c01 = 0.045 MPa (Schmidt et
/// al. 2007, Clin Biomech 22:377) with the same fibre term and K = 1000 μ.
Material schmidt2007_annulus(double k1, double k2);

// ---- evaluation (pure, allocation-free, never throws) -------------------------------------
//
// Preconditions (debug-asserted only; the element kernel reports inverted elements itself):
// C symmetric positive definite. a1, a2 are reference fibre directions; they are normalised
// here, and a zero vector means "no fibre family at this point". Fibres are ignored when the
// material has none.

/// Ground substance (isochoric) + fibres, WITHOUT U(J): the mixed Q1/P0 element adds the
/// volumetric part from an element-constant dilatation. (With FibreInvariant::full the fibre
/// term is not purely deviatoric; it is still returned here, as part of "everything but U".)
/// With tangent false the elasticity tensor D is not formed (left zero; a coupled ground
/// model still returns its own): psi and S alone, for a residual without the tangent. The
/// same psi and S as with it, by the same operations.
Response evaluate_deviatoric(const Material& material, const Mat3& C, const Vec3& a1,
                             const Vec3& a2, bool tangent = true);

/// Everything, including U(J): S_vol = J U'(J) C⁻¹,
/// CC_vol = (J U' + J² U'') C⁻¹⊗C⁻¹ − 2 J U' C⁻¹⊙C⁻¹.
Response evaluate(const Material& material, const Mat3& C, const Vec3& a1, const Vec3& a2);

/// The volumetric part alone (adds nothing for the fibres or ground substance).
Response evaluate_volumetric(const Volumetric& volumetric, const Mat3& C);

} // namespace discsim::materials
