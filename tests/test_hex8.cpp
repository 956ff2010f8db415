// The mixed hexahedron: residual against finite differences of the energy and tangent against
// finite differences of the residual, at random distorted, deformed states.
#include "materials/hyperelastic.hpp"
#include "mesh/hex_shape.hpp"
#include "solver/hex8.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace discsim;
using namespace discsim::solver;

namespace {

std::array<Vec3, 8> distorted_cube(std::mt19937& rng) {
    std::uniform_real_distribution<double> jitter(-0.15, 0.15);
    const auto& sign = mesh::hex_corner_sign;
    std::array<Vec3, 8> x;
    for (int a = 0; a < 8; ++a) {
        x[a] = Vec3(sign[a][0] * 1.0 + jitter(rng), sign[a][1] * 0.8 + jitter(rng),
                    sign[a][2] * 0.6 + jitter(rng));
    }
    return x;
}

ElementVector random_displacement(std::mt19937& rng, double amplitude) {
    std::uniform_real_distribution<double> d(-amplitude, amplitude);
    ElementVector u;
    for (int i = 0; i < 24; ++i) u[i] = d(rng);
    return u;
}

} // namespace

TEST_CASE("hex8: residual is the energy gradient and the tangent the residual's Jacobian",
          "[unit]") {
    std::mt19937 rng(7);
    const materials::Material nucleus = materials::default_nucleus();
    materials::Material soft_nucleus = nucleus;
    soft_nucleus.volumetric.bulk_modulus = 3.0; // keeps volumetric terms the same size as the rest
    materials::Material annulus = materials::default_annulus(3.0, 50.0);
    annulus.volumetric.bulk_modulus = 3.0;
    materials::Material full = annulus;
    full.fibres->invariant = materials::FibreInvariant::full;
    const Vec3 f1 = Vec3(1, 0.5, 0.6).normalized(), f2 = Vec3(1, -0.5, -0.6).normalized();

    for (auto treatment : {VolumetricTreatment::mean_dilatation, VolumetricTreatment::pointwise}) {
        for (const auto* material : {&soft_nucleus, &annulus, &full}) {
            for (int trial = 0; trial < 3; ++trial) {
                Hex8Geometry geometry;
                REQUIRE(hex8_geometry(distorted_cube(rng), geometry));
                const ElementMaterial em{material, material->fibres ? f1 : Vec3::Zero(),
                                         material->fibres ? f2 : Vec3::Zero()};
                const ElementVector u = random_displacement(rng, 0.25);
                double energy = 0;
                ElementVector force;
                ElementMatrix K;
                REQUIRE(hex8_evaluate(geometry, em, treatment, u, energy, force, &K) ==
                        ElementStatus::ok);
                // Central differences: truncation O(h^2) ~ 1e-12 relative for h = 1e-6,
                // round-off ~ eps * |value| / h ~ 1e-10 relative: 1e-6 is a safe bound.
                const double h = 1e-6;
                ElementVector fd_force;
                ElementMatrix fd_K;
                for (int j = 0; j < 24; ++j) {
                    ElementVector up = u, down = u;
                    up[j] += h;
                    down[j] -= h;
                    double ep = 0, em_ = 0;
                    ElementVector fp, fm;
                    hex8_evaluate(geometry, em, treatment, up, ep, fp, nullptr);
                    hex8_evaluate(geometry, em, treatment, down, em_, fm, nullptr);
                    fd_force[j] = (ep - em_) / (2 * h);
                    fd_K.col(j) = (fp - fm) / (2 * h);
                }
                INFO("treatment " << static_cast<int>(treatment) << " trial " << trial);
                CHECK((fd_force - force).norm() <= 1e-6 * force.norm());
                CHECK((fd_K - K).norm() <= 1e-6 * K.norm());
                CHECK((K - K.transpose()).norm() <= 1e-12 * K.norm());
            }
        }
    }
}

TEST_CASE("hex8: the dilatation's gradient, and the tangent at a linearised dilatation",
          "[unit]") {
    // hex8_dilatation against central differences (truncation O(h^2), round-off eps/h: 1e-7
    // relative bounds both at h = 1e-6), and hex8_evaluate's tangent_dilatation: the residual
    // does not depend on it; at the element's own dilatation the tangent is the exact one; and
    // with the quadratic U (p linear in theta, U'' constant) the tangent moves linearly with
    // it, so a doubled offset doubles the change.
    std::mt19937 rng(11);
    materials::Material nucleus = materials::default_nucleus();
    nucleus.volumetric.form = materials::VolumetricForm::quadratic;
    const ElementMaterial em{&nucleus, Vec3::Zero(), Vec3::Zero()};
    for (int trial = 0; trial < 3; ++trial) {
        Hex8Geometry geometry;
        REQUIRE(hex8_geometry(distorted_cube(rng), geometry));
        const ElementVector u = random_displacement(rng, 0.2);
        double theta = 0;
        ElementVector gradient;
        REQUIRE(hex8_dilatation(geometry, u, theta, gradient) == ElementStatus::ok);
        ElementStress stress;
        REQUIRE(hex8_stress(geometry, em, VolumetricTreatment::mean_dilatation, u, stress) ==
                ElementStatus::ok);
        CHECK(theta == Approx(stress.dilatation).epsilon(1e-14));
        const double h = 1e-6;
        ElementVector fd;
        for (int j = 0; j < 24; ++j) {
            ElementVector up = u, down = u;
            up[j] += h;
            down[j] -= h;
            double tp = 0, tm = 0;
            ElementVector unused;
            hex8_dilatation(geometry, up, tp, unused);
            hex8_dilatation(geometry, down, tm, unused);
            fd[j] = (tp - tm) / (2 * h);
        }
        CHECK((fd - gradient).norm() <= 1e-7 * gradient.norm());

        auto evaluate = [&](const double* tangent_theta, ElementVector& force, ElementMatrix& K) {
            double energy = 0;
            REQUIRE(hex8_evaluate(geometry, em, VolumetricTreatment::mean_dilatation, u, energy,
                                  force, &K, tangent_theta) == ElementStatus::ok);
        };
        ElementVector f_exact, f_same, f_1, f_2;
        ElementMatrix K_exact, K_same, K_1, K_2;
        evaluate(nullptr, f_exact, K_exact);
        evaluate(&theta, f_same, K_same);
        const double theta_1 = theta + 0.01, theta_2 = theta + 0.02;
        evaluate(&theta_1, f_1, K_1);
        evaluate(&theta_2, f_2, K_2);
        CHECK((K_same - K_exact).norm() <= 1e-14 * K_exact.norm());
        CHECK(f_1 == f_exact);
        CHECK(f_2 == f_exact);
        const ElementMatrix change = K_1 - K_exact;
        CHECK(change.norm() > 1e-6 * K_exact.norm()); // it does move the tangent
        CHECK((K_2 - K_exact - 2 * change).norm() <= 1e-9 * change.norm());
        CHECK((K_1 - K_1.transpose()).norm() <= 1e-12 * K_1.norm());
    }
}
