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
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U(u.data());
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> U_previous(u_previous.data());
    const auto& shape_values = gauss_shape_values();
    const double closed =
        std::max(materials::minimum_volume_ratio(fluid.permeability),
                 fluid.osmotic ? materials::minimum_volume_ratio(*fluid.osmotic) : 0.0);

    // The kinematics at each Gauss point first: the pore pressure there (the nodal p
    // interpolated, plus for a charged solid the Donnan osmotic pressure at the point's J) acts
    // on the solid as a volumetric pressure does, so the solid element takes it with its own
    // (PointPressures): -(p + pi) J C^-1 in S, -(p + pi) J F^-T Grad N_a in the nodal forces,
    // and in the tangent d(-(p + pi) J F^-T Grad N_a)/du_b
    //     = -w J [(p + pi + J dpi/dJ) g_a g_b^T - (p + pi) g_b g_a^T]
    // through its material and geometric parts.
    struct Point {
        double J, J_previous;
        Mat3 F_inverse;
        materials::PermeabilityValue permeability;
    };
    std::array<Point, 8> points;
    PointPressures pore;
    for (int g = 0; g < 8; ++g) {
        const Eigen::Matrix<double, 8, 3>& dN = geometry.shape_gradients[g];
        const Mat3 F = Mat3::Identity() + U * dN;
        Point& point = points[g];
        point.J = F.determinant();
        point.J_previous = (Mat3::Identity() + U_previous * dN).determinant();
        // Compressed to pore closure (J <= phi0) is as far as the mixture can go: reported as an
        // inverted element, so the step is cut back.
        if (!(point.J > closed) || !(point.J_previous > 0.0)) return ElementStatus::inverted;
        point.F_inverse = F.inverse();
        point.permeability = materials::permeability(fluid.permeability, point.J);
        materials::OsmoticValue osmotic = fluid.osmotic
                                              ? materials::osmotic_pressure(*fluid.osmotic, point.J)
                                              : materials::OsmoticValue{0.0, 0.0};
        pore.value[g] = -(shape_values[g].dot(p) + osmotic_scale * osmotic.pi);
        pore.derivative[g] = -osmotic_scale * osmotic.dpi_dJ;
    }
    // The solid skeleton, compressible, full integration, with the pore pressure.
    ElementVector solid_force;
    ElementMatrix solid_stiffness;
    const ElementStatus status =
        hex8_evaluate(geometry, solid, VolumetricTreatment::pointwise, u, energy, solid_force,
                      stiffness ? &solid_stiffness : nullptr, nullptr, &pore);
    if (status != ElementStatus::ok) return status;

    // The mass balance and its coupling blocks, field by field (u: 3a + i, p: a), so that each
    // column is a contiguous 8- or 24-vector; interleaved node-major at the end.
    const Mat3& B = fluid.stabilisation;
    Eigen::Matrix<double, 8, 1> mass_residual = Eigen::Matrix<double, 8, 1>::Zero();
    Eigen::Matrix<double, 24, 8> K_up = Eigen::Matrix<double, 24, 8>::Zero();
    Eigen::Matrix<double, 8, 24> K_pu = Eigen::Matrix<double, 8, 24>::Zero();
    Eigen::Matrix<double, 8, 8> K_pp = Eigen::Matrix<double, 8, 8>::Zero();
    for (int g = 0; g < 8; ++g) {
        const Eigen::Matrix<double, 8, 3>& dN = geometry.shape_gradients[g]; // rows Grad N_a
        const Eigen::Matrix<double, 8, 1>& N = shape_values[g];
        const double w = geometry.weights[g];
        const Point& point = points[g];
        const double J = point.J;
        const double k = point.permeability.k;
        const Eigen::Matrix<double, 8, 3> gs = dN * point.F_inverse; // rows: spatial gradients g_a
        const Vec3 grad_p = gs.transpose() * p;                     // spatial
        const Vec3 rate_grad = dN.transpose() * (p - p_previous);   // referential, of p - p_n
        // What the node pairs share, formed once per point: g_a . grad p, g_a . g_b and
        // Grad N_a . B Grad N_b.
        const Eigen::Matrix<double, 8, 1> g_grad_p = gs * grad_p;
        mass_residual.noalias() -=
            w * (N * (J - point.J_previous) + (dt * J * k) * g_grad_p + dN * (B * rate_grad));
        if (!stiffness) continue;
        const double dJk = k + J * point.permeability.dk_dJ; // d(J k)/dJ
        const Eigen::Matrix<double, 8, 8> g_dot_g = gs.lazyProduct(gs.transpose());
        const Eigen::Matrix<double, 8, 8> stabilisation = (dN * B).lazyProduct(dN.transpose());
        const Eigen::Matrix<double, 3, 8> G = gs.transpose(); // columns g_a
        const Eigen::Map<const Eigen::Matrix<double, 24, 1>> g_all(G.data()); // g_a,i at 3a + i
        // d(-p J F^-T Grad N_a)/dp_b = -w J N_b g_a.
        K_up.noalias() -= (w * J * g_all).lazyProduct(N.transpose());
        // d(mass_a)/du_b: N_a J g_b + dt [d(Jk)/dJ J (g_a . grad p) g_b
        //                 - J k (g_b . grad p) g_a - J k (g_a . g_b) grad p], times -w.
        const double c_flux = w * dt * J * k;
        const Eigen::Matrix<double, 8, 1> c_pu_b = w * J * (N + (dt * dJk) * g_grad_p);
        for (int b = 0; b < 8; ++b) {
            for (int j = 0; j < 3; ++j) {
                K_pu.col(3 * b + j) += (c_flux * g_grad_p[b]) * gs.col(j) +
                                       (c_flux * grad_p[j]) * g_dot_g.col(b) - G(j, b) * c_pu_b;
            }
        }
        K_pp.noalias() -= c_flux * g_dot_g + w * stabilisation;
    }
    for (int a = 0; a < 8; ++a) {
        residual.segment<3>(4 * a) = solid_force.segment<3>(3 * a);
        residual[4 * a + 3] = mass_residual[a];
    }
    if (!stiffness) return ElementStatus::ok;
    BiphasicMatrix& K = *stiffness;
    for (int b = 0; b < 8; ++b) {
        for (int a = 0; a < 8; ++a) {
            K.block<3, 3>(4 * a, 4 * b) = solid_stiffness.block<3, 3>(3 * a, 3 * b);
            K.block<3, 1>(4 * a, 4 * b + 3) = K_up.block<3, 1>(3 * a, b);
            K.block<1, 3>(4 * a + 3, 4 * b) = K_pu.block<1, 3>(a, 3 * b);
            K(4 * a + 3, 4 * b + 3) = K_pp(a, b);
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
