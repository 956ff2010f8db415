#include "solver/hex8_biphasic.hpp"

#include "mesh/hex_shape.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace discsim::solver {

namespace {

// N_a at the 2x2x2 Gauss points, in the order of Hex8Geometry (Gauss point g at the sign
// pattern of node g, scaled by 1/sqrt(3)).
const std::array<Eigen::Matrix<double, 8, 1>, 8>& gauss_shape_values() {
    static const auto table = [] {
        std::array<Eigen::Matrix<double, 8, 1>, 8> out;
        const double q = 1.0 / std::sqrt(3.0);
        for (int g = 0; g < 8; ++g) {
            const auto& sign = mesh::hex_corner_sign[g];
            const double p[3] = {sign[0] * q, sign[1] * q, sign[2] * q};
            out[g] = mesh::hex_shape_values(p);
        }
        return out;
    }();
    return table;
}

} // namespace

Mat3 biphasic_stabilisation(const std::array<Vec3, 8>& x, double aggregate_modulus) {
    // dX/dxi at the centre: sum_a X_a dN_a/dxi, dN_a/dxi_i = sign_a[i] / 8 there. Its column i is
    // half the element's extent along xi_i, so B = J_c J_c^T / H is h_i^2 / (4 H) along each.
    Mat3 Jc = Mat3::Zero();
    for (int a = 0; a < 8; ++a)
        for (int i = 0; i < 3; ++i)
            Jc.col(i) += x[a] * (mesh::hex_corner_sign[a][i] / 8.0);
    return Jc * Jc.transpose() / aggregate_modulus;
}

Mat3 cube_stabilisation(double h, double aggregate_modulus) {
    return Mat3::Identity() * (h * h / (4.0 * aggregate_modulus));
}

ElementStatus hex8_biphasic_evaluate(const Hex8Geometry& geometry, const ElementMaterial& solid,
                                     const BiphasicElement& fluid, double dt,
                                     const ElementVector& u, const NodalPressures& p,
                                     const ElementVector& u_previous,
                                     const NodalPressures& p_previous, double& energy,
                                     BiphasicVector& residual, BiphasicMatrix* stiffness,
                                     double osmotic_scale) {
    residual.setZero();
    if (stiffness) stiffness->setZero();
    // The solid skeleton: compressible, full integration.
    ElementVector solid_force;
    ElementMatrix solid_stiffness;
    const ElementStatus status =
        hex8_evaluate(geometry, solid, VolumetricTreatment::pointwise, u, energy, solid_force,
                      stiffness ? &solid_stiffness : nullptr);
    if (status != ElementStatus::ok) return status;
    for (int a = 0; a < 8; ++a) {
        residual.segment<3>(4 * a) = solid_force.segment<3>(3 * a);
        if (!stiffness) continue;
        for (int b = 0; b < 8; ++b)
            stiffness->block<3, 3>(4 * a, 4 * b) = solid_stiffness.block<3, 3>(3 * a, 3 * b);
    }

    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U(u.data());
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U_previous(u_previous.data());
    const auto& shape_values = gauss_shape_values();
    const Mat3& B = fluid.stabilisation;
    const double closed =
        std::max(materials::minimum_volume_ratio(fluid.permeability),
                 fluid.osmotic ? materials::minimum_volume_ratio(*fluid.osmotic) : 0.0);
    for (int g = 0; g < 8; ++g) {
        const Eigen::Matrix<double, 8, 3>& dN = geometry.shape_gradients[g]; // rows Grad N_a
        const Eigen::Matrix<double, 8, 1>& N = shape_values[g];
        const double w = geometry.weights[g];
        const Mat3 F = Mat3::Identity() + U * dN;
        const double J = F.determinant();
        const double J_previous = (Mat3::Identity() + U_previous * dN).determinant();
        // Compressed to pore closure (J <= phi0) is as far as the mixture can go: reported as an
        // inverted element, so the step is cut back.
        if (!(J > closed) || !(J_previous > 0.0)) return ElementStatus::inverted;
        const Mat3 F_inverse = F.inverse();
        const Eigen::Matrix<double, 8, 3> gs = dN * F_inverse; // rows: spatial gradients g_a
        // The pore pressure on the solid: the effective pressure plus, for a charged solid, the
        // Donnan osmotic pressure at this point's volume.
        materials::OsmoticValue osmotic =
            fluid.osmotic ? materials::osmotic_pressure(*fluid.osmotic, J) : materials::OsmoticValue{0.0, 0.0};
        osmotic.pi *= osmotic_scale;
        osmotic.dpi_dJ *= osmotic_scale;
        const double pressure = N.dot(p) + osmotic.pi;
        const Vec3 grad_p = gs.transpose() * p;               // spatial
        const Vec3 rate_grad = dN.transpose() * (p - p_previous); // referential, of p - p_n
        const materials::PermeabilityValue perm = materials::permeability(fluid.permeability, J);
        const double k = perm.k;
        // What the node pairs share, formed once per point: g_a . grad p, g_a . g_b and
        // Grad N_a . B Grad N_b (8-vectors and 8x8 products; in the node loops they were 3-term
        // dot products repeated 64 times).
        const Eigen::Matrix<double, 3, 8> G = gs.transpose(); // columns g_a
        const Eigen::Matrix<double, 8, 1> g_grad_p = gs * grad_p;
        const Eigen::Matrix<double, 8, 1> mass =
            N * (J - J_previous) + (dt * J * k) * g_grad_p + dN * (B * rate_grad);
        for (int a = 0; a < 8; ++a) {
            residual.segment<3>(4 * a) -= (w * pressure * J) * G.col(a);
            residual[4 * a + 3] -= w * mass[a];
        }
        if (!stiffness) continue;
        BiphasicMatrix& K = *stiffness;
        const double dJk = k + J * perm.dk_dJ; // d(J k)/dJ
        const Eigen::Matrix<double, 8, 8> g_dot_g = gs * G;
        const Eigen::Matrix<double, 8, 8> stabilisation = dN * B * dN.transpose();
        // d(-p J F^-T Grad N_a)/du_b = -w J [(p + J dpi/dJ) g_a g_b^T - p g_b g_a^T].
        const double c_ab = w * J * (pressure + osmotic.dpi_dJ * J);
        const double c_ba = w * J * pressure;
        // The mass balance's coefficients: volume change, Darcy flux (J k(J) C^-1 Grad p).
        const double c_flux = w * dt * J * k;
        const Eigen::Matrix<double, 8, 1> c_pu_b = w * J * (N + (dt * dJk) * g_grad_p);
        for (int a = 0; a < 8; ++a) {
            const Vec3 ga = G.col(a);
            for (int b = 0; b < 8; ++b) {
                const Vec3 gb = G.col(b);
                K.block<3, 3>(4 * a, 4 * b).noalias() += c_ba * gb * ga.transpose() -
                                                         c_ab * ga * gb.transpose();
                // d(-p J F^-T Grad N_a)/dp_b.
                K.block<3, 1>(4 * a, 4 * b + 3) -= (w * J * N[b]) * ga;
                // d(mass_a)/du_b: N_a J g_b + dt [d(Jk)/dJ J (g_a . grad p) g_b
                //                 - J k (g_b . grad p) g_a - J k (g_a . g_b) grad p].
                K.block<1, 3>(4 * a + 3, 4 * b) -=
                    (c_pu_b[a] * gb - (c_flux * g_grad_p[b]) * ga -
                     (c_flux * g_dot_g(a, b)) * grad_p)
                        .transpose();
                K(4 * a + 3, 4 * b + 3) -= c_flux * g_dot_g(a, b) + w * stabilisation(a, b);
            }
        }
    }
    return ElementStatus::ok;
}

Vec3 hex8_fluid_flux(const Hex8Geometry& geometry, const BiphasicElement& fluid,
                     const ElementVector& u, const NodalPressures& p) {
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U(u.data());
    Vec3 flux = Vec3::Zero();
    double volume = 0.0;
    for (int g = 0; g < 8; ++g) {
        const Eigen::Matrix<double, 8, 3>& dN = geometry.shape_gradients[g];
        const Mat3 F = Mat3::Identity() + U * dN;
        const double J = F.determinant();
        if (!(J > materials::minimum_volume_ratio(fluid.permeability)))
            return Vec3::Constant(std::nan(""));
        const Vec3 grad_p = (dN * F.inverse()).transpose() * p;
        const double dv = J * geometry.weights[g];
        flux -= dv * materials::permeability(fluid.permeability, J).k * grad_p;
        volume += dv;
    }
    return flux / volume;
}

FluidState hex8_fluid_state(const Hex8Geometry& geometry, const BiphasicElement& fluid,
                            const ElementVector& u, const NodalPressures& p, bool with_flux) {
    FluidState out;
    if (with_flux) out.flux = hex8_fluid_flux(geometry, fluid, u, p);
    out.pressure = p.mean();
    // At the centre: F from the mean of the Gauss-point gradients (they average to the centre's).
    Eigen::Matrix<double, 8, 3> dN = Eigen::Matrix<double, 8, 3>::Zero();
    for (int g = 0; g < 8; ++g)
        dN += geometry.shape_gradients[g] / 8.0;
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U(u.data());
    const double J = (Mat3::Identity() + U * dN).determinant();
    if (!(J > materials::minimum_volume_ratio(fluid.permeability))) {
        out.osmotic_pressure = out.permeability = out.fluid_fraction = std::nan("");
        return out;
    }
    out.permeability = materials::permeability(fluid.permeability, J).k;
    const double solid_fraction = fluid.osmotic ? 1.0 - fluid.osmotic->phi_w0
                                                : materials::minimum_volume_ratio(fluid.permeability);
    out.fluid_fraction = 1.0 - solid_fraction / J;
    if (fluid.osmotic) out.osmotic_pressure = materials::osmotic_pressure(*fluid.osmotic, J).pi;
    return out;
}

} // namespace discsim::solver
