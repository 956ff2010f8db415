#include "solver/hex8.hpp"

#include "mesh/hex_shape.hpp"

#include <Eigen/Dense>

#include <cmath>

namespace discsim::solver {

namespace {

using materials::Mat6;
using materials::Vec6;

// dN/dxi of the trilinear shape functions at the 2x2x2 Gauss points (Gauss point g sits at
// the sign pattern of node g, scaled by 1/sqrt(3)).
const std::array<Eigen::Matrix<double, 8, 3>, 8>& parametric_gradients() {
    static const auto table = [] {
        std::array<Eigen::Matrix<double, 8, 3>, 8> out;
        const double q = 1.0 / std::sqrt(3.0);
        for (int g = 0; g < 8; ++g) {
            const auto& s = mesh::hex_corner_sign[g];
            const double p[3] = {s[0] * q, s[1] * q, s[2] * q};
            out[g] = mesh::hex_shape_gradients(p);
        }
        return out;
    }();
    return table;
}

// Transposed strain-displacement matrix of the Green-Lagrange strain: engineering Voigt
// increment of E (11 22 33 2*12 2*23 2*13) = BT^T * du. Kept as 24 x 6 (column-major), so that
// the products below run down its contiguous columns in whole SIMD registers.
void strain_displacement(const Mat3& F, const Eigen::Matrix<double, 8, 3>& dN,
                         Eigen::Matrix<double, 24, 6>& BT) {
    for (int a = 0; a < 8; ++a) {
        const double n1 = dN(a, 0), n2 = dN(a, 1), n3 = dN(a, 2);
        for (int i = 0; i < 3; ++i) {
            const int c = 3 * a + i;
            BT(c, 0) = F(i, 0) * n1;
            BT(c, 1) = F(i, 1) * n2;
            BT(c, 2) = F(i, 2) * n3;
            BT(c, 3) = F(i, 0) * n2 + F(i, 1) * n1;
            BT(c, 4) = F(i, 1) * n3 + F(i, 2) * n2;
            BT(c, 5) = F(i, 0) * n3 + F(i, 2) * n1;
        }
    }
}

struct PointState {
    Mat3 F;
    Mat3 C_inverse;
    double J;
    materials::Response response;
};

// Kinematics and the deviatoric material response at every Gauss point; false if any J <= 0.
// With tangent false the material's elasticity tensor is not formed (a residual alone).
bool evaluate_points(const Hex8Geometry& geometry, const ElementMaterial& material,
                     const ElementVector& u, std::array<PointState, 8>& points,
                     double& current_volume, bool tangent) {
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> displacement(u.data());
    current_volume = 0.0;
    for (int g = 0; g < 8; ++g) {
        auto& p = points[g];
        p.F = Mat3::Identity() + displacement * geometry.shape_gradients[g];
        p.J = p.F.determinant();
        if (!(p.J > 0.0)) return false;
        const Mat3 C = p.F.transpose() * p.F;
        p.C_inverse = C.inverse();
        p.response = materials::evaluate_deviatoric(*material.material, C, material.fibre_1,
                                                    material.fibre_2, tangent);
        current_volume += p.J * geometry.weights[g];
    }
    return true;
}

} // namespace

bool hex8_geometry(const std::array<Vec3, 8>& reference_nodes, Hex8Geometry& geometry) {
    Eigen::Matrix<double, 3, 8> X;
    for (int a = 0; a < 8; ++a) X.col(a) = reference_nodes[a];
    geometry.volume = 0.0;
    for (int g = 0; g < 8; ++g) {
        const Mat3 jacobian = X * parametric_gradients()[g]; // dX/dxi
        const double det = jacobian.determinant();
        if (!(det > 0.0)) return false;
        geometry.shape_gradients[g] = parametric_gradients()[g] * jacobian.inverse();
        geometry.weights[g] = det; // Gauss weights are 1 for the 2-point rule
        geometry.volume += det;
    }
    return true;
}

ElementStatus hex8_evaluate(const Hex8Geometry& geometry, const ElementMaterial& material,
                            VolumetricTreatment treatment, const ElementVector& u,
                            double& energy, ElementVector& force, ElementMatrix* stiffness,
                            const double* tangent_dilatation,
                            const PointPressures* point_pressures) {
    std::array<PointState, 8> points;
    double current_volume = 0.0;
    if (!evaluate_points(geometry, material, u, points, current_volume, stiffness != nullptr)) {
        return ElementStatus::inverted;
    }
    const auto& volumetric = material.material->volumetric;
    const bool mixed = treatment == VolumetricTreatment::mean_dilatation;
    const double theta = current_volume / geometry.volume;
    const double element_pressure = volumetric.pressure(theta);
    // The dilatation the tangent is taken at (the header's tangent_dilatation).
    const double tangent_theta =
        mixed && tangent_dilatation && *tangent_dilatation > 0.0 ? *tangent_dilatation : theta;
    const double tangent_pressure =
        tangent_theta == theta ? element_pressure : volumetric.pressure(tangent_theta);

    energy = mixed ? geometry.volume * volumetric.energy(theta) : 0.0;
    force.setZero();
    if (stiffness) stiffness->setZero();
    ElementVector dilatation_gradient = ElementVector::Zero(); // g of the header
    Eigen::Matrix<double, 24, 6> BT;
    for (int g = 0; g < 8; ++g) {
        const auto& p = points[g];
        const double w = geometry.weights[g];
        const double added = point_pressures && !mixed ? point_pressures->value[g] : 0.0;
        const double pressure = mixed ? element_pressure : volumetric.pressure(p.J) + added;
        const Mat3 S = p.response.S + pressure * p.J * p.C_inverse;
        energy += w * (p.response.psi + (mixed ? 0.0 : volumetric.energy(p.J)));

        strain_displacement(p.F, geometry.shape_gradients[g], BT);
        force.noalias() += w * BT * materials::to_voigt(S);
        if (!stiffness) continue;

        // Material part: deviatoric tangent plus the pressure term d(p J C^-1)/dE at fixed p.
        const double pt = mixed ? tangent_pressure : pressure;
        Mat6 D = p.response.D + pt * p.J *
                                    (materials::outer(p.C_inverse, p.C_inverse) -
                                     2.0 * materials::odot(p.C_inverse, p.C_inverse));
        if (mixed) {
            dilatation_gradient.noalias() +=
                w * BT * materials::to_voigt(p.J * p.C_inverse);
        } else {
            // Plain Q1: the pressure varies with the local J.
            const double slope = volumetric.pressure_derivative(p.J) +
                                 (point_pressures ? point_pressures->derivative[g] : 0.0);
            D += slope * p.J * p.J * materials::outer(p.C_inverse, p.C_inverse);
        }
        // Fixed-size products evaluated lazily: at these sizes Eigen's blocked GEMM path costs
        // more than the arithmetic (measured: 16 % of assembly time before this change). The
        // whole 24 x 24 is formed, column by column in SIMD registers (BT's columns are
        // contiguous): twice the arithmetic of the lower triangle alone, in a quarter of the
        // instructions. The lower triangle is mirrored at the end, so the tangent is exactly
        // symmetric.
        const Eigen::Matrix<double, 24, 6> DBT = BT.lazyProduct(w * D); // (D B)^T, D symmetric
        stiffness->noalias() += BT.lazyProduct(DBT.transpose());
        // Geometric part.
        const Mat3 S_tangent = pt == pressure ? S : Mat3(p.response.S + pt * p.J * p.C_inverse);
        const Eigen::Matrix<double, 8, 3> SdN = geometry.shape_gradients[g] * S_tangent;
        const Eigen::Matrix<double, 8, 8> G = w * SdN * geometry.shape_gradients[g].transpose();
        for (int b = 0; b < 8; ++b) {
            for (int a = b; a < 8; ++a) {
                for (int i = 0; i < 3; ++i) (*stiffness)(3 * a + i, 3 * b + i) += G(a, b);
            }
        }
    }
    if (stiffness) {
        if (mixed) {
            const double factor = volumetric.pressure_derivative(tangent_theta) / geometry.volume;
            stiffness->noalias() +=
                (factor * dilatation_gradient).lazyProduct(dilatation_gradient.transpose());
        }
        stiffness->triangularView<Eigen::StrictlyUpper>() = stiffness->transpose();
    }
    return ElementStatus::ok;
}

ElementStatus hex8_dilatation(const Hex8Geometry& geometry, const ElementVector& u, double& theta,
                              ElementVector& gradient) {
    const Eigen::Map<const Eigen::Matrix<double, 3, 8>> displacement(u.data());
    double volume = 0.0;
    gradient.setZero();
    Eigen::Map<Eigen::Matrix<double, 3, 8>> g(gradient.data());
    for (int q = 0; q < 8; ++q) {
        const Mat3 F = Mat3::Identity() + displacement * geometry.shape_gradients[q];
        const double J = F.determinant();
        if (!(J > 0.0)) return ElementStatus::inverted;
        const double w = geometry.weights[q];
        volume += w * J;
        // dJ/dF = J F^-T, so dv/du_a = integral J F^-T dN_a/dX dV.
        g.noalias() += (w * J) * F.inverse().transpose() * geometry.shape_gradients[q].transpose();
    }
    theta = volume / geometry.volume;
    gradient /= geometry.volume;
    return ElementStatus::ok;
}

ElementStatus hex8_stress(const Hex8Geometry& geometry, const ElementMaterial& material,
                          VolumetricTreatment treatment, const ElementVector& u,
                          ElementStress& result) {
    std::array<PointState, 8> points;
    double current_volume = 0.0;
    if (!evaluate_points(geometry, material, u, points, current_volume, false)) {
        return ElementStatus::inverted;
    }
    const auto& volumetric = material.material->volumetric;
    const double theta = current_volume / geometry.volume;
    result.cauchy.setZero();
    result.dilatation = theta;
    result.fibre_stretch = {0.0, 0.0};
    for (int g = 0; g < 8; ++g) {
        const auto& p = points[g];
        const double pressure = treatment == VolumetricTreatment::mean_dilatation
                                    ? volumetric.pressure(theta)
                                    : volumetric.pressure(p.J);
        const Mat3 S = p.response.S + pressure * p.J * p.C_inverse;
        // Cauchy stress sigma = F S F^T / J, averaged over the current volume.
        const double dv = p.J * geometry.weights[g];
        result.cauchy += dv * (p.F * S * p.F.transpose()) / p.J;
        const Vec3* fibres[2] = {&material.fibre_1, &material.fibre_2};
        for (int f = 0; f < 2; ++f) {
            result.fibre_stretch[f] += geometry.weights[g] * (p.F * *fibres[f]).norm();
        }
    }
    result.cauchy /= current_volume;
    for (double& stretch : result.fibre_stretch) stretch /= geometry.volume;
    return ElementStatus::ok;
}

} // namespace discsim::solver
