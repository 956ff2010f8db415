// Constitutive models (materials/hyperelastic.hpp): the reference state, the small-strain limit,
// S and CC against finite differences, material symmetry, the fibre tension switch, the
// isochoric-invariant pitfall and the parameter checks.
#include "core/error.hpp"
#include "materials/hyperelastic.hpp"
#include "materials/tensor.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace discsim;
using namespace discsim::materials;
using Catch::Matchers::Contains;

namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();

struct NamedMaterial {
    std::string name;
    Material material;
};

Material with_invariant(Material m, FibreInvariant invariant) {
    m.fibres->invariant = invariant;
    return m;
}

// Every model and both invariant choices; the exponential cases use the stiffest published
// fibres (outer annulus) so the finite-difference checks see the strongest nonlinearity.
std::vector<NamedMaterial> all_materials() {
    const Material nh = make_material(make_neo_hookean(0.1351), {}, make_volumetric(270.2));
    const Material annulus = default_annulus(annulus_k1_outer, annulus_k2_outer);
    const Material schmidt = schmidt2007_annulus(annulus_k1_inner, annulus_k2_inner);
    return {
        {"neo-Hookean", nh},
        {"Mooney-Rivlin (default nucleus)", default_nucleus()},
        {"NH + HGO isochoric (default annulus)", annulus},
        {"NH + HGO full", with_invariant(annulus, FibreInvariant::full)},
        {"MR + HGO isochoric (Schmidt 2007)", schmidt},
        {"MR + HGO full", with_invariant(schmidt, FibreInvariant::full)},
        {"NH + HGO k2 = 0 isochoric",
         make_material(make_neo_hookean(0.1), make_hgo_fibres(2.0, 0.0, 0.2), make_volumetric(50))},
        {"NH + HGO k2 = 0 full, kappa = 0",
         make_material(make_neo_hookean(0.1), make_hgo_fibres(2.0, 0.0, 0.0, FibreInvariant::full),
                       make_volumetric(50))},
    };
}

Mat3 random_rotation(std::mt19937& rng) {
    std::normal_distribution<double> normal;
    Eigen::Quaterniond q(normal(rng), normal(rng), normal(rng), normal(rng));
    return q.normalized().toRotationMatrix();
}

Vec3 random_unit(std::mt19937& rng) {
    std::normal_distribution<double> normal;
    return Vec3(normal(rng), normal(rng), normal(rng)).normalized();
}

// F = Q1 diag(λ) Q2 with principal stretches λ in [0.7, 1.4] and det F > 0.
Mat3 random_deformation(std::mt19937& rng) {
    std::uniform_real_distribution<double> stretch(0.7, 1.4);
    const Vec3 lambda(stretch(rng), stretch(rng), stretch(rng));
    return random_rotation(rng) * lambda.asDiagonal() * random_rotation(rng);
}

// Symmetric perturbation B_J with engineering(B_J / 2) = e_J: ψ(C ± hB_J) then differences to
// the Voigt slot J of S (S = 2 dψ/dC), and S(C ± hB_J) to column J of D (to_voigt(dS) =
// D engineering(dC/2)).
Mat3 perturbation(int J) {
    Mat3 B = Mat3::Zero();
    const int k = voigt_row[J];
    const int l = voigt_col[J];
    if (k == l) {
        B(k, k) = 2.0;
    } else {
        B(k, l) = B(l, k) = 1.0;
    }
    return B;
}

template <class Evaluate> Vec6 fd_stress(const Evaluate& f, const Mat3& C, double h) {
    Vec6 S;
    for (int J = 0; J < 6; ++J) {
        const Mat3 B = perturbation(J);
        S(J) = (f(C + h * B).psi - f(C - h * B).psi) / (2.0 * h);
    }
    return S;
}

template <class Evaluate> Mat6 fd_tangent(const Evaluate& f, const Mat3& C, double h) {
    Mat6 D;
    for (int J = 0; J < 6; ++J) {
        const Mat3 B = perturbation(J);
        D.col(J) = (to_voigt(f(C + h * B).S) - to_voigt(f(C - h * B).S)) / (2.0 * h);
    }
    return D;
}

// Largest entry error over the largest entry: finite-difference and round-off errors scale with
// the magnitude of the whole tensor, not with each (possibly tiny) component.
template <class A, class B> double relative_error(const A& computed, const B& expected) {
    return (computed - expected).cwiseAbs().maxCoeff() / expected.cwiseAbs().maxCoeff();
}

// 1 + Ē, Ē = κ(Ī1 − 3) + (1 − 3κ)(Ī4 − 1) the dispersed fibre strain whose sign switches the
// family on (Ē > 0), computed independently of the library; full invariants for
// FibreInvariant::full. Returned as 1 + Ē so that "> 1" reads "stretched".
double switch_invariant(const Material& m, const Mat3& C, const Vec3& a) {
    const bool full = m.fibres->invariant == FibreInvariant::full;
    const double scale = full ? 1.0 : std::pow(C.determinant(), -1.0 / 3.0);
    const double I1 = scale * C.trace();
    const double I4 = scale * a.dot(C * a);
    const double kappa = m.fibres->kappa;
    return 1.0 + kappa * (I1 - 3.0) + (1.0 - 3.0 * kappa) * (I4 - 1.0);
}

int voigt_index(int i, int j) {
    if (i == j) return i;
    if (i > j) std::swap(i, j);
    return i == 0 ? (j == 1 ? 3 : 5) : 4;
}

// D' = Qᵀ-rotated 4th-order tensor: D'_ijkl = Q_ai Q_bj Q_ck Q_dl D_abcd.
Mat6 rotate_tangent(const Mat6& D, const Mat3& Q) {
    Mat6 R = Mat6::Zero();
    for (int I = 0; I < 6; ++I) {
        for (int J = 0; J < 6; ++J) {
            const int i = voigt_row[I], j = voigt_col[I], k = voigt_row[J], l = voigt_col[J];
            double sum = 0.0;
            for (int a = 0; a < 3; ++a)
                for (int b = 0; b < 3; ++b)
                    for (int c = 0; c < 3; ++c)
                        for (int d = 0; d < 3; ++d)
                            sum += Q(a, i) * Q(b, j) * Q(c, k) * Q(d, l) *
                                   D(voigt_index(a, b), voigt_index(c, d));
            R(I, J) = sum;
        }
    }
    return R;
}

const Vec3 no_fibre = Vec3::Zero();

} // namespace

TEST_CASE("Voigt helpers follow the documented convention", "[unit]") {
    std::mt19937 rng(11);
    const Mat3 F = random_deformation(rng);
    const Mat3 C = F.transpose() * F;
    CHECK(from_voigt(to_voigt(C)) == C);
    CHECK(from_engineering(engineering(C)).isApprox(C, 4 * eps));
    CHECK(odot(Mat3::Identity(), Mat3::Identity()) == symmetric_identity());

    // dC⁻¹ = −(C⁻¹⊙C⁻¹):dC, i.e. to_voigt(dC⁻¹) = −odot · engineering(dC) = −2 odot e_J for
    // dC = h B_J. Central differences with h = 1e-6 on O(1) entries: O(h²) + O(eps/h) ≈ 1e-10;
    // 1e-7 leaves a wide margin without hiding a factor-2 convention error.
    const Mat6 odot_C = odot(C.inverse(), C.inverse());
    const double h = 1e-6;
    for (int J = 0; J < 6; ++J) {
        const Mat3 B = perturbation(J);
        const Vec6 fd = to_voigt((C + h * B).inverse() - (C - h * B).inverse()) / (2.0 * h);
        CHECK(relative_error(fd, Vec6(-2.0 * odot_C.col(J))) < 1e-7);
    }
    // (A⊗B) · engineering(E) = A (B:E) for symmetric E: a dozen roundings of O(1) products
    // on either side, so 16 eps relative.
    const Mat3 E = from_voigt(Vec6(0.3, -0.2, 0.1, 0.05, -0.07, 0.02));
    const Mat3 A = C;
    const Mat3 Bm = C.inverse();
    const Vec6 lhs = outer(A, Bm) * engineering(E);
    CHECK(relative_error(lhs, Vec6(to_voigt(A) * (Bm.cwiseProduct(E)).sum())) < 16 * eps);
}

TEST_CASE("the volumetric energy and its derivatives are consistent", "[unit]") {
    const Volumetric U{270.2};
    CHECK(U.energy(1.0) == 0.0);
    CHECK(U.pressure(1.0) == 0.0);
    CHECK(U.pressure_derivative(1.0) == Approx(270.2).epsilon(4 * eps));
    // Central differences, h = 1e-6 on J ~ 1: O(h²)·|U'''| + O(eps·U/h) is ~1e-10 relative.
    const double h = 1e-6;
    for (double J : {0.7, 0.95, 1.2, 1.5}) {
        CHECK((U.energy(J + h) - U.energy(J - h)) / (2 * h) == Approx(U.pressure(J)).epsilon(1e-7));
        CHECK((U.pressure(J + h) - U.pressure(J - h)) / (2 * h) ==
              Approx(U.pressure_derivative(J)).epsilon(1e-7));
    }
}

TEST_CASE("the reference state is stress- and energy-free for every model", "[unit]") {
    const Mat3 I = Mat3::Identity();
    const Vec3 a1 = Vec3(0, std::sin(0.6), std::cos(0.6));
    const Vec3 a2 = Vec3(0, -std::sin(0.6), std::cos(0.6));
    for (const auto& [name, material] : all_materials()) {
        INFO(name);
        for (const Response& r :
             {evaluate(material, I, a1, a2), evaluate(material, I, no_fibre, no_fibre),
              evaluate_deviatoric(material, I, a1, a2)}) {
            // At C = I every invariant is exact (J = 1, C⁻¹ = I), so the only error is the
            // rounding of tr C − 3 and of I − I/3·3: a few eps times the moduli.
            const double scale = small_strain_shear_modulus(material) +
                                 (material.fibres ? material.fibres->k1 : 0.0);
            CHECK(std::abs(r.psi) <= 8 * eps * scale);
            CHECK(r.S.cwiseAbs().maxCoeff() <= 8 * eps * scale);
        }
    }
}

TEST_CASE("the small-strain limit is isotropic linear elasticity", "[unit]") {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    const std::vector<Material> grounds{
        // K ≈ 2.2 μ (Poisson's ratio 0.3) so that volumetric and shear parts weigh alike in S.
        make_material(make_neo_hookean(0.1351), {}, make_volumetric(2.17 * 2 * 0.1351)),
        make_material(make_mooney_rivlin(0.118, 0.030), {}, make_volumetric(2.17 * 2 * 0.148)),
        make_material(make_mooney_rivlin(0.18, 0.045), {}, make_volumetric(2.17 * 2 * 0.225)),
    };
    for (const Material& m : grounds) {
        const double mu = small_strain_shear_modulus(m);
        const double lambda = bulk_modulus(m) - 2.0 * mu / 3.0;
        for (int trial = 0; trial < 5; ++trial) {
            Vec6 v;
            for (auto& x : v)
                x = 1e-7 * unit(rng);
            const Mat3 strain = from_voigt(v);
            const Mat3 C = Mat3::Identity() + 2.0 * strain;
            const Mat3 S = evaluate(m, C, no_fibre, no_fibre).S;
            const Mat3 S_linear = lambda * strain.trace() * Mat3::Identity() + 2.0 * mu * strain;
            // Remainder O(|ε|)·(1 + K/μ) ≈ 1e-6 relative; round-off in the cancellations
            // (I − I1/3 C⁻¹, ln J) is O(eps/|ε|) ≈ 2e-9. 1e-5 is ten times that bound.
            CHECK(relative_error(S, S_linear) < 1e-5);
        }
    }
    // D(I) is the isotropic matrix exactly (up to rounding of O(1) coefficients, ~10 eps), also
    // with fibres: at C = I, Ī4 = I4 = 1 sits on the slack side of the switch.
    for (const auto& [name, material] : all_materials()) {
        INFO(name);
        const double mu = small_strain_shear_modulus(material);
        const double lambda = bulk_modulus(material) - 2.0 * mu / 3.0;
        const Mat6 D = evaluate(material, Mat3::Identity(), Vec3::UnitZ(), Vec3::UnitY()).D;
        CHECK(relative_error(D, isotropic_elasticity(lambda, mu)) < 1e-12);
        // The deviatoric part alone is 2μ(𝕀 − ⅓ I⊗I).
        const Mat6 D_dev = evaluate_deviatoric(material, Mat3::Identity(), no_fibre, no_fibre).D;
        CHECK(relative_error(D_dev, isotropic_elasticity(-2.0 * mu / 3.0, mu)) < 1e-12);
    }
}

TEST_CASE("S and the tangent match finite differences of ψ and S", "[unit]") {
    // Central differences with step h on C entries of O(1): truncation O(h²·|f'''|/|f'|) and
    // round-off O(eps·|f|/h). With h = 1e-6 that is ~1e-12·(2 k2 Ē |dĒ/dC|)² ≲ 1e-7 for the
    // stiffest fibres (k2 = 89.6, Ē ≲ 0.8) plus ~1e-10 round-off, so 1e-6 is a safe bound that
    // any formula error (a wrong term is O(1) relative) still fails by orders of magnitude.
    const double h = 1e-6;
    const double tolerance = 1e-6;
    std::mt19937 rng(2024);
    for (const auto& [name, material] : all_materials()) {
        INFO(name);
        int stretched = 0, compressed = 0;
        for (int trial = 0; trial < 12; ++trial) {
            const Mat3 F = random_deformation(rng);
            const Mat3 C = F.transpose() * F;
            Vec3 a1 = random_unit(rng), a2 = random_unit(rng);
            if (material.fibres) {
                // Keep each family clear of the switch (Ī4 = 1 is a kink): a ±h step then
                // never crosses it.
                while (std::abs(switch_invariant(material, C, a1) - 1.0) < 1e-3)
                    a1 = random_unit(rng);
                while (std::abs(switch_invariant(material, C, a2) - 1.0) < 1e-3)
                    a2 = random_unit(rng);
                for (const Vec3& a : {a1, a2}) {
                    (switch_invariant(material, C, a) > 1.0 ? stretched : compressed) += 1;
                }
            }
            INFO("trial " << trial << ", C =\n" << C);
            const auto deviatoric = [&](const Mat3& X) {
                return evaluate_deviatoric(material, X, a1, a2);
            };
            const auto total = [&](const Mat3& X) { return evaluate(material, X, a1, a2); };
            const auto volumetric = [&](const Mat3& X) {
                return evaluate_volumetric(material.volumetric, X);
            };
            // The parts separately (so a large K cannot hide an error in the isochoric part),
            // then the sum.
            for (const auto& f : {std::function<Response(const Mat3&)>(deviatoric),
                                  std::function<Response(const Mat3&)>(volumetric),
                                  std::function<Response(const Mat3&)>(total)}) {
                const Response r = f(C);
                CHECK(relative_error(fd_stress(f, C, h), to_voigt(r.S)) < tolerance);
                CHECK(relative_error(fd_tangent(f, C, h), r.D) < tolerance);
                // Hyperelastic: the tangent has major symmetry (exactly, up to rounding).
                CHECK(relative_error(Mat6(r.D.transpose()), r.D) < 1e-12);
            }
        }
        if (material.fibres) {
            // Both sides of the tension switch were exercised.
            CHECK(stretched >= 4);
            CHECK(compressed >= 4);
        }
    }
}

TEST_CASE("material symmetry: isotropic ground substance, fibres rotated with C", "[unit]") {
    // A rotation changes only the rounding of C (O(eps)); S is amplified by at most the
    // exponential's sensitivity 2 k2 Ē ≈ 150, so errors stay ~1e-13 relative; 1e-10 bound.
    const double tolerance = 1e-10;
    std::mt19937 rng(77);
    for (const auto& [name, material] : all_materials()) {
        INFO(name);
        for (int trial = 0; trial < 4; ++trial) {
            const Mat3 F = random_deformation(rng);
            const Mat3 C = F.transpose() * F;
            const Mat3 Q = random_rotation(rng);
            const Mat3 C_rotated = Q.transpose() * C * Q;
            // Ground substance alone: any rotation, no fibres needed.
            const Response r = evaluate(material, C, no_fibre, no_fibre);
            const Response r_rotated = evaluate(material, C_rotated, no_fibre, no_fibre);
            CHECK(r_rotated.psi == Approx(r.psi).epsilon(tolerance));
            CHECK(relative_error(r_rotated.S, Mat3(Q.transpose() * r.S * Q)) < tolerance);
            CHECK(relative_error(r_rotated.D, rotate_tangent(r.D, Q)) < tolerance);
            if (!material.fibres) continue;
            // With fibres: the directions rotate with C (a' = Qᵀa gives a'·C'a' = a·Ca).
            const Vec3 a1 = random_unit(rng), a2 = random_unit(rng);
            const Response f = evaluate(material, C, a1, a2);
            const Response f_rotated =
                evaluate(material, C_rotated, Q.transpose() * a1, Q.transpose() * a2);
            CHECK(f_rotated.psi == Approx(f.psi).epsilon(tolerance));
            CHECK(relative_error(f_rotated.S, Mat3(Q.transpose() * f.S * Q)) < tolerance);
            CHECK(relative_error(f_rotated.D, rotate_tangent(f.D, Q)) < tolerance);
        }
    }
}

TEST_CASE("fibres carry load only in tension", "[unit]") {
    for (FibreInvariant invariant : {FibreInvariant::isochoric, FibreInvariant::full}) {
        const Material annulus =
            with_invariant(default_annulus(annulus_k1_outer, annulus_k2_outer), invariant);
        Material ground_only = annulus;
        ground_only.fibres.reset();
        // Two families at ±30° to the z axis in the y-z plane, and isochoric uniaxial
        // deformation along z: compression shortens both, tension stretches both.
        const Vec3 a1(0, std::sin(0.5), std::cos(0.5));
        const Vec3 a2(0, -std::sin(0.5), std::cos(0.5));

        const double shortening = 0.9;
        const Mat3 F_compression =
            Vec3(1 / std::sqrt(shortening), 1 / std::sqrt(shortening), shortening).asDiagonal();
        const Mat3 C_c = F_compression.transpose() * F_compression;
        REQUIRE(switch_invariant(annulus, C_c, a1) < 1.0);
        const Response with = evaluate(annulus, C_c, a1, a2);
        const Response without = evaluate(ground_only, C_c, a1, a2);
        // Slack fibres contribute exactly nothing, not merely something small.
        CHECK(with.psi == without.psi);
        CHECK(with.S == without.S);
        CHECK(with.D == without.D);

        const double stretch = 1.1;
        const Mat3 F_tension =
            Vec3(1 / std::sqrt(stretch), 1 / std::sqrt(stretch), stretch).asDiagonal();
        const Mat3 C_t = F_tension.transpose() * F_tension;
        REQUIRE(switch_invariant(annulus, C_t, a1) > 1.0);
        const Mat3 fibre_stress =
            evaluate(annulus, C_t, a1, a2).S - evaluate(ground_only, C_t, a1, a2).S;
        // Extra stress along the fibres, larger than across them.
        CHECK(a1.dot(fibre_stress * a1) > 0.0);
        CHECK(fibre_stress(2, 2) > 0.0);
        CHECK(std::abs(fibre_stress(0, 0)) < fibre_stress(2, 2));
        // With one family only, the other family's direction is ignored when given as zero.
        const Response one = evaluate(annulus, C_t, a1, no_fibre);
        const Response two = evaluate(annulus, C_t, a1, a2);
        CHECK(one.psi < two.psi);
    }
}

TEST_CASE("k2 = 0 is the quadratic limit of the exponential fibre energy", "[unit]") {
    const Material quadratic =
        make_material(make_neo_hookean(0.1), make_hgo_fibres(2.0, 0.0, 0.1), make_volumetric(10));
    Material nearly = quadratic;
    nearly.fibres->k2 = 1e-9;
    const double stretch = 1.2;
    const Mat3 C = Vec3(1 / stretch, 1 / stretch, stretch * stretch).asDiagonal();
    const Vec3 a = Vec3::UnitZ();
    const Response r0 = evaluate(quadratic, C, a, no_fibre);
    const Response r1 = evaluate(nearly, C, a, no_fibre);
    REQUIRE(std::isfinite(r0.psi));
    // exp(k2 Ē²) − 1 = k2 Ē² (1 + k2 Ē²/2 + ...): relative differences O(k2 Ē²) ≤ 1e-9.
    CHECK(relative_error(Vec6(to_voigt(r1.S)), Vec6(to_voigt(r0.S))) < 1e-8);
    CHECK(r1.psi == Approx(r0.psi).epsilon(1e-8));
}

TEST_CASE("pitfall: isochoric fibres ignore volumetric stretch, full-invariant fibres resist it",
          "[unit]") {
    // discsim's default annulus uses FibreInvariant::isochoric (as calibrated by Gruber et al.
    // 2024 in the incompressible isochoric HGO) with K = 1000 μ, so J stays ≈ 1, Ī4 ≈ I4 and
    // the volume change the isochoric fibres cannot see is blocked by the bulk modulus instead
    // (Nolan et al. 2014's too-soft annulus appears only with a modest K). `full` is offered
    // for compressible annulus studies.
    const Material annulus = default_annulus(annulus_k1_outer, annulus_k2_outer);
    REQUIRE(annulus.fibres->invariant == FibreInvariant::isochoric);
    REQUIRE(bulk_modulus(annulus) >= 1000 * small_strain_shear_modulus(annulus) * (1 - 1e-12));

    const double s = 1.05;
    const Mat3 C = (s * s) * Mat3::Identity();
    const Vec3 a1(0, std::sin(0.6), std::cos(0.6));
    const Vec3 a2(0, -std::sin(0.6), std::cos(0.6));
    for (FibreInvariant invariant : {FibreInvariant::isochoric, FibreInvariant::full}) {
        const Material with = with_invariant(annulus, invariant);
        Material without = with;
        without.fibres.reset();
        const Mat3 fibre_stress =
            evaluate_deviatoric(with, C, a1, a2).S - evaluate_deviatoric(without, C, a1, a2).S;
        if (invariant == FibreInvariant::isochoric) {
            // Ī1 = 3 and Ī4 = 1 exactly in exact arithmetic; rounding leaves Ē of a few eps, so
            // the fibre stress is at most ~2 k1 · 10 eps; 1e-12 k1 is a hundredfold bound.
            CHECK(fibre_stress.cwiseAbs().maxCoeff() <= 1e-12 * with.fibres->k1);
        } else {
            // I4 = s² > 1: the stretched fibres pull, along both families.
            CHECK(a1.dot(fibre_stress * a1) > 0.1);
            CHECK(a2.dot(fibre_stress * a2) > 0.1);
        }
    }
}

TEST_CASE("a drained skeleton in fibre tension: isochoric fibres cannot hold its volume, "
          "full-invariant fibres can",
          "[unit]") {
    // Why the biphasic disc's annulus needs FibreInvariant::full (PHYSICS.md section 3's
    // pitfall; Nolan et al. 2014), and why it is the biphasic default (docs/model.md section 9).
    // Its drained skeleton has K = 4/3 mu. Uniaxial Cauchy stress s along the fibres (both
    // families along x), sigma_yy = sigma_zz = 0, F = diag(l, t, t). With isochoric invariants the ground and
    // fibre stresses are deviatoric, so the mean stress s / 3 is U'(J) alone:
    //     s = 3 K ln J / J,   at most 3 K / e (at J = e),
    // and past that the drained skeleton has no equilibrium: it imbibes without bound. With the
    // full I4 the fibres carry the mean stress too.
    Material skeleton = default_annulus(annulus_k1_outer, annulus_k2_outer);
    const double mu = small_strain_shear_modulus(skeleton);
    skeleton.volumetric = make_volumetric(4.0 / 3.0 * mu);
    const double K = bulk_modulus(skeleton);
    const Vec3 x = Vec3::UnitX();
    auto cauchy = [&](const Material& m, double l, double t) {
        const Mat3 F = Vec3(l, t, t).asDiagonal();
        const Mat3 S = evaluate(m, F.transpose() * F, x, x).S;
        return Mat3(F * S * F.transpose() / (l * t * t));
    };
    // The lateral stretch t that frees the sides at axial stretch l (bisection: sigma_yy grows
    // with t).
    auto free_sides = [&](const Material& m, double l) {
        double lo = 0.6, hi = 2.0;
        REQUIRE(cauchy(m, l, lo)(1, 1) < 0.0);
        REQUIRE(cauchy(m, l, hi)(1, 1) > 0.0);
        for (int i = 0; i < 200; ++i) {
            const double mid = 0.5 * (lo + hi);
            (cauchy(m, l, mid)(1, 1) < 0.0 ? lo : hi) = mid;
        }
        return 0.5 * (lo + hi);
    };
    for (FibreInvariant invariant : {FibreInvariant::isochoric, FibreInvariant::full}) {
        const Material m = with_invariant(skeleton, invariant);
        double largest = 0.0, J_at_1MPa = 0.0;
        // Up to 50 % stretch, or until the fibres carry 2 MPa (their exponential stiffening
        // makes the full-invariant stress explode soon after).
        for (double l = 1.0; l <= 1.5 + 1e-12 && largest < 2.0; l += 0.002) {
            const double t = free_sides(m, l);
            const double J = l * t * t;
            const double s = cauchy(m, l, t)(0, 0);
            largest = std::max(largest, s);
            if (J_at_1MPa == 0.0 && s >= 1.0) J_at_1MPa = J;
            if (invariant == FibreInvariant::isochoric) {
                // The closed form, to the bisection's and the invariants' round-off.
                CHECK(s == Approx(3.0 * K * std::log(J) / J).margin(1e-9));
            }
        }
        INFO((invariant == FibreInvariant::isochoric ? "isochoric" : "full")
             << ": largest fibre stress " << largest << " MPa, 3K/e = " << 3.0 * K / std::exp(1.0)
             << " MPa, J at 1 MPa " << J_at_1MPa);
        if (invariant == FibreInvariant::isochoric) {
            // Never above 3K/e (0.40 MPa here): the posterior annulus carries MPa in flexion.
            CHECK(largest <= 3.0 * K / std::exp(1.0) * (1 + 1e-9));
            CHECK(J_at_1MPa == 0.0);
        } else {
            // 1 MPa along the fibres at a bounded volume: the stretched fibres squeeze the
            // skeleton (J = 0.89 here), as annulus tissue in tension, whose Poisson's ratios
            // exceed 0.5 (Elliott & Setton 2001, J Biomech Eng 123:256), loses fluid.
            CHECK(largest > 1.0);
            CHECK(J_at_1MPa > 0.8);
            CHECK(J_at_1MPa < 1.0);
        }
    }
}

TEST_CASE("default parameter sets match PHYSICS.md section 3", "[unit]") {
    const Material nucleus = default_nucleus();
    const auto& mr = std::get<MooneyRivlin>(nucleus.ground);
    CHECK(mr.c10 == 0.118);
    CHECK(mr.c01 == 0.030);
    CHECK_FALSE(nucleus.fibres.has_value());
    CHECK(small_strain_shear_modulus(nucleus) == Approx(0.296).epsilon(4 * eps));
    CHECK(bulk_modulus(nucleus) == Approx(296.0).epsilon(4 * eps));

    const Material annulus = default_annulus(2.5, 60.0);
    CHECK(std::get<NeoHookean>(annulus.ground).c10 == 0.1351);
    REQUIRE(annulus.fibres.has_value());
    CHECK(annulus.fibres->k1 == 2.5);
    CHECK(annulus.fibres->k2 == 60.0);
    CHECK(annulus.fibres->kappa == 0.0752);
    CHECK(bulk_modulus(annulus) == Approx(270.2).epsilon(4 * eps));

    const Material schmidt = schmidt2007_annulus(2.5, 60.0);
    CHECK(std::get<MooneyRivlin>(schmidt.ground).c10 == 0.18);
    CHECK(std::get<MooneyRivlin>(schmidt.ground).c01 == 0.045);
    CHECK(schmidt.fibres->kappa == 0.0752);
    CHECK(bulk_modulus(schmidt) == Approx(450.0).epsilon(4 * eps));
}

TEST_CASE("bad material parameters are rejected with name, range and value", "[unit]") {
    CHECK_THROWS_AS(make_neo_hookean(-0.1), InputError);
    CHECK_THROWS_WITH(make_neo_hookean(-0.1),
                      Contains("c10") && Contains("> 0") && Contains("-0.1") && Contains("MPa"));
    CHECK_THROWS_WITH(make_mooney_rivlin(0.1, -0.01), Contains("c01") && Contains(">= 0"));
    CHECK_THROWS_WITH(make_hgo_fibres(1.0, 10.0, 0.4),
                      Contains("kappa") && Contains("[0, 0.333") && Contains("got 0.4"));
    CHECK_THROWS_WITH(make_hgo_fibres(1.0, -2.0, 0.1),
                      Contains("k2") && Contains(">= 0") && Contains("got -2"));
    CHECK_THROWS_WITH(make_hgo_fibres(-1.0, 2.0, 0.1), Contains("k1") && Contains("got -1"));
    CHECK_THROWS_WITH(make_volumetric(0.0),
                      Contains("bulk_modulus") && Contains("> 0") && Contains("got 0"));
    CHECK_THROWS_WITH(default_annulus(annulus_k1_outer, -1.0), Contains("k2"));
    // Aggregates built by hand are caught when validated.
    const Material bad{NeoHookean{0.1}, HgoFibres{1.0, 1.0, 0.5}, Volumetric{100.0}};
    CHECK_THROWS_WITH(validate(bad), Contains("kappa"));
    CHECK_THROWS_WITH(make_material(MooneyRivlin{0.0, 0.1}, std::nullopt, Volumetric{1.0}),
                      Contains("c10"));
    // NaN is never in range.
    CHECK_THROWS_AS(make_volumetric(std::numeric_limits<double>::quiet_NaN()), InputError);

    // The table lists every parameter once, with a unit.
    const auto specs = material_parameter_specs();
    CHECK(specs.size() == 6);
    for (const auto& spec : specs)
        CHECK_FALSE(spec.unit.empty());
    CHECK(material_parameter_spec("kappa").max == 1.0 / 3.0);
    CHECK_THROWS_WITH(material_parameter_spec("kapa"), Contains("did you mean 'kappa'"));
}

TEST_CASE("without the tangent a material gives the same energy and stress, and no elasticity "
          "tensor", "[unit]") {
    // evaluate_deviatoric(..., tangent = false) is what a residual assembly calls: the same
    // operations for psi and S, only D left out (zero), except a coupled ground model's, which
    // is its own whole response.
    std::mt19937 rng(77);
    for (const auto& [name, material] : all_materials()) {
        INFO(name);
        const bool coupled = std::visit([](const auto& g) { return std::decay_t<decltype(g)>::coupled; },
                                        material.ground);
        for (int trial = 0; trial < 6; ++trial) {
            const Mat3 F = random_deformation(rng);
            const Mat3 C = F.transpose() * F;
            const Vec3 a1 = random_unit(rng), a2 = random_unit(rng);
            const Response with = evaluate_deviatoric(material, C, a1, a2, true);
            const Response without = evaluate_deviatoric(material, C, a1, a2, false);
            CHECK(without.psi == with.psi);
            CHECK((without.S - with.S).cwiseAbs().maxCoeff() == 0.0);
            if (!coupled) CHECK(without.D.cwiseAbs().maxCoeff() == 0.0);
            CHECK(with.D.cwiseAbs().maxCoeff() > 0.0);
        }
    }
}
