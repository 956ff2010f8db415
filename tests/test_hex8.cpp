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
