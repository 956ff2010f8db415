// The biphasic hex8 element (solver/hex8_biphasic.hpp): its tangent against finite differences
// of its residual, and each term against what it must be on states where the answer is known
// in closed form (a uniform pore pressure, a uniform dilatation, a uniform pressure gradient).
#include "materials/hyperelastic.hpp"
#include "materials/osmotic.hpp"
#include "materials/permeability.hpp"
#include "mesh/hex_shape.hpp"
#include "solver/hex8_biphasic.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <random>

using namespace discsim;
using namespace discsim::solver;

namespace {

// The unit cube [0, 1]^3 in the node order of mesh/hex_shape.hpp (signs of hex_corner_sign).
Hex8Geometry unit_cube() {
    std::array<Vec3, 8> x = {Vec3(0, 0, 0), Vec3(1, 0, 0), Vec3(1, 1, 0), Vec3(0, 1, 0),
                             Vec3(0, 0, 1), Vec3(1, 0, 1), Vec3(1, 1, 1), Vec3(0, 1, 1)};
    Hex8Geometry geometry;
    REQUIRE(hex8_geometry(x, geometry));
    return geometry;
}

// A distorted element, so that no term vanishes by symmetry.
Hex8Geometry distorted() {
    std::array<Vec3, 8> x = {Vec3(0, 0, 0),       Vec3(1.1, 0.1, 0),  Vec3(1.2, 1.0, 0.1),
                             Vec3(-0.1, 0.9, 0),  Vec3(0.1, 0, 1.0),  Vec3(1.0, 0.1, 1.2),
                             Vec3(1.1, 1.1, 0.9), Vec3(0, 1.0, 1.1)};
    Hex8Geometry geometry;
    REQUIRE(hex8_geometry(x, geometry));
    return geometry;
}

materials::Material skeleton() {
    // A compressible skeleton (drained Poisson's ratio about 0.2, as in disc models).
    return materials::make_material(materials::make_neo_hookean(0.2), std::nullopt,
                                    materials::make_volumetric(0.5));
}

} // namespace

TEST_CASE("the biphasic element's tangent equals finite differences of its residual",
          "[unit]") {
    const Hex8Geometry geometry = distorted();
    const materials::Material material = skeleton();
    ElementMaterial solid{&material};
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> d(-1.0, 1.0);
    // Each permeability law (the Holmes-Mow one with a strong J dependence), with and without
    // the stabilisation.
    const std::array<materials::Permeability, 3> laws = {
        materials::make_constant_permeability(2e-3),
        materials::make_holmes_mow_permeability(2e-3, 0.2, 2.0, 3.0),
        materials::make_exponential_permeability(2e-3, 0.2, 4.0)};
    // A charged solid too: the Donnan osmotic pressure and its dependence on J.
    const std::array<std::optional<materials::DonnanOsmotic>, 2> charges = {
        std::nullopt, materials::make_donnan_osmotic(200.0, 0.8, 300.0)};
    for (const auto& law : laws) {
      for (const auto& charge : charges) {
        for (const double beta : {0.0, 0.05}) {
            // An anisotropic, full tensor (a distorted element's J_c J_c^T / H).
            Mat3 B;
            B << 1.0, 0.3, -0.2, 0.3, 0.6, 0.1, -0.2, 0.1, 1.4;
            const BiphasicElement fluid{law, beta * B, charge};
            ElementVector u, u_previous;
            NodalPressures p, p_previous;
            for (int i = 0; i < 24; ++i) {
                u[i] = 0.08 * d(rng);
                u_previous[i] = 0.05 * d(rng);
            }
            for (int a = 0; a < 8; ++a) {
                p[a] = 0.3 * d(rng);
                p_previous[a] = 0.2 * d(rng);
            }
            const double dt = 7.0;
            double energy = 0.0;
            BiphasicVector r;
            BiphasicMatrix K;
            REQUIRE(hex8_biphasic_evaluate(geometry, solid, fluid, dt, u, p, u_previous,
                                           p_previous, energy, r, &K) == ElementStatus::ok);
            // Central differences: truncation O(h^2 |R'''|) ~ 1e-12 and round-off
            // eps |R| / h ~ 1e-10 at h = 1e-6, far below the 1e-6 relative tolerance.
            const double h = 1e-6;
            BiphasicMatrix numeric;
            for (int j = 0; j < 32; ++j) {
                ElementVector up = u, um = u;
                NodalPressures pp = p, pm = p;
                if (j % 4 < 3) {
                    up[3 * (j / 4) + j % 4] += h;
                    um[3 * (j / 4) + j % 4] -= h;
                } else {
                    pp[j / 4] += h;
                    pm[j / 4] -= h;
                }
                BiphasicVector rp, rm;
                double e = 0.0;
                REQUIRE(hex8_biphasic_evaluate(geometry, solid, fluid, dt, up, pp, u_previous,
                                               p_previous, e, rp, nullptr) == ElementStatus::ok);
                REQUIRE(hex8_biphasic_evaluate(geometry, solid, fluid, dt, um, pm, u_previous,
                                               p_previous, e, rm, nullptr) == ElementStatus::ok);
                numeric.col(j) = (rp - rm) / (2 * h);
            }
            INFO("beta " << beta);
            CHECK((K - numeric).norm() <= 1e-6 * K.norm());
            // The coupling blocks: d R_u / d p = (d R_p / d u)^T in their leading terms, exact
            // when the Darcy term vanishes (dt -> 0): checked on the assembled matrix.
            BiphasicMatrix K0;
            BiphasicVector r0;
            REQUIRE(hex8_biphasic_evaluate(geometry, solid, fluid, 1e-300, u, p, u_previous,
                                           p_previous, energy, r0, &K0) == ElementStatus::ok);
            double asymmetry = 0.0, size = 0.0;
            for (int a = 0; a < 8; ++a)
                for (int b = 0; b < 8; ++b)
                    for (int i = 0; i < 3; ++i) {
                        asymmetry = std::max(
                            asymmetry, std::abs(K0(4 * a + i, 4 * b + 3) - K0(4 * b + 3, 4 * a + i)));
                        size = std::max(size, std::abs(K0(4 * a + i, 4 * b + 3)));
                    }
            CHECK(asymmetry <= 1e-12 * size);
        }
      }
    }
}

TEST_CASE("a uniform pore pressure loads each face of the element by p times its area",
          "[unit]") {
    // The undeformed unit cube at rest with p = P everywhere: no flow and no volume change, so
    // the mass residual is zero; the momentum residual of a corner node is -P times the integral
    // of Grad N_a, and that integral is minus a quarter of each adjacent face's outward normal
    // (the divergence theorem), so R_u = +P/4 per component at node 0, pointing into the cube.
    const Hex8Geometry geometry = unit_cube();
    const materials::Material material = skeleton();
    const BiphasicElement fluid{materials::make_constant_permeability(1e-3), 0.01 * Mat3::Identity()};
    const double P = 0.25;
    const ElementVector zero = ElementVector::Zero();
    const NodalPressures p = NodalPressures::Constant(P);
    double energy = 0.0;
    BiphasicVector r;
    REQUIRE(hex8_biphasic_evaluate(geometry, ElementMaterial{&material}, fluid, 1.0, zero, p, zero,
                                   p, energy, r, nullptr) == ElementStatus::ok);
    for (int a = 0; a < 8; ++a) {
        CHECK(r[4 * a + 3] == Approx(0.0).margin(1e-15));
        for (int i = 0; i < 3; ++i) {
            const double expected = -mesh::hex_corner_sign[a][i] * P / 4.0;
            CHECK(r[4 * a + i] == Approx(expected).epsilon(1e-12));
        }
    }
}

TEST_CASE("the mass residual is the volume change plus the Darcy outflow", "[unit]") {
    const Hex8Geometry geometry = unit_cube();
    const materials::Material material = skeleton();
    const double k = 2e-3, dt = 5.0;
    const BiphasicElement fluid{materials::make_constant_permeability(k), Mat3::Zero()};
    const ElementVector zero = ElementVector::Zero();
    const NodalPressures no_pressure = NodalPressures::Zero();
    double energy = 0.0;
    BiphasicVector r;
    SECTION("a uniform dilatation: the residuals sum to -(J - 1) V") {
        const double stretch = 1.05;
        ElementVector u;
        for (int a = 0; a < 8; ++a)
            for (int i = 0; i < 3; ++i)
                u[3 * a + i] = (stretch - 1.0) * (mesh::hex_corner_sign[a][i] > 0 ? 1.0 : 0.0);
        REQUIRE(hex8_biphasic_evaluate(geometry, ElementMaterial{&material}, fluid, dt, u,
                                       no_pressure, zero, no_pressure, energy, r,
                                       nullptr) == ElementStatus::ok);
        double total = 0.0;
        for (int a = 0; a < 8; ++a)
            total += r[4 * a + 3];
        CHECK(total == Approx(-(std::pow(stretch, 3) - 1.0)).epsilon(1e-12));
    }
    SECTION("a uniform gradient G along x: dt k G flows in at x = 0 and out at x = 1") {
        const double G = 0.1; // MPa/mm
        NodalPressures p;
        for (int a = 0; a < 8; ++a)
            p[a] = G * (mesh::hex_corner_sign[a][0] > 0 ? 1.0 : 0.0);
        REQUIRE(hex8_biphasic_evaluate(geometry, ElementMaterial{&material}, fluid, dt, zero, p,
                                       zero, p, energy, r, nullptr) == ElementStatus::ok);
        // R_p[a] = -dt k integral Grad N_a . grad p = -dt k G (+-1/4) (face area 1 over 4 nodes).
        for (int a = 0; a < 8; ++a) {
            const double expected = -dt * k * G * mesh::hex_corner_sign[a][0] / 4.0;
            CHECK(r[4 * a + 3] == Approx(expected).epsilon(1e-12));
        }
        const Vec3 w = hex8_fluid_flux(geometry, fluid, zero, p);
        CHECK(w.x() == Approx(-k * G).epsilon(1e-12));
        CHECK(w.tail<2>().norm() <= 1e-15);
    }
}

TEST_CASE("the stabilisation tensor is h^2 / (4 H) along each of a box's edges", "[unit]") {
    // A box of sides 2, 0.1 and 3 mm (a thin element of the outer-wall ring), turned about z by
    // 30 degrees: B = R diag(h_i^2) R^T / (4 H), so across its 0.1 mm the stabilisation's
    // length sqrt(4 H B) is 0.1 mm, not the mean size (0.84 mm) the scalar form used.
    const double H = 0.8;
    const Vec3 sides(2.0, 0.1, 3.0);
    const Eigen::Matrix3d R = Eigen::AngleAxisd(0.5236, Vec3::UnitZ()).toRotationMatrix();
    std::array<Vec3, 8> x;
    for (int a = 0; a < 8; ++a) {
        Vec3 corner;
        for (int i = 0; i < 3; ++i)
            corner[i] = 0.5 * (1 + mesh::hex_corner_sign[a][i]) * sides[i];
        x[a] = R * corner + Vec3(1.0, -2.0, 0.5);
    }
    const Mat3 B = biphasic_stabilisation(x, H);
    const Mat3 expected = R * Vec3(sides.array().square() / (4.0 * H)).asDiagonal() * R.transpose();
    CHECK((B - expected).norm() < 1e-14 * expected.norm());
    // A cube's is the scalar beta = h^2 / (4 H) of Aguilar et al. 2008.
    for (auto& p : x) p = Vec3::Zero();
    for (int a = 0; a < 8; ++a)
        for (int i = 0; i < 3; ++i)
            x[a][i] = 0.5 * (1 + mesh::hex_corner_sign[a][i]) * 1.5;
    CHECK((biphasic_stabilisation(x, H) - cube_stabilisation(1.5, H)).norm() < 1e-15);
    CHECK(cube_stabilisation(1.5, H)(0, 0) == Approx(1.5 * 1.5 / (4.0 * H)).epsilon(1e-15));
}
