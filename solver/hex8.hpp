// Total Lagrangian 8-node hexahedron with a mixed treatment of the volumetric response.
//
// Potential of one element (Simo, Taylor & Pister 1985; the "mean dilatation" form of the
// Q1/P0 element, e.g. Bonet & Wood 2008 section 8.6):
//     Pi_e(u) = integral_Ve psi_dev(C) dV + V_e U(theta_e),   theta_e = v_e / V_e,
// where psi_dev is the isochoric ground substance plus fibres (materials/hyperelastic.hpp),
// U the volumetric energy, V_e and v_e = integral J dV the reference and current volumes. The
// pressure p = U'(theta_e) is constant per element, which removes volumetric locking of the
// nearly incompressible nucleus; eliminating p and theta in advance leaves u as the only
// unknown. Residual and tangent are the exact first and second derivatives of Pi_e:
//     f_a = integral B_a^T (S_dev + p J C^-1) dV
//     K   = integral B^T (D_dev + p J (C^-1 x C^-1 - 2 C^-1 . C^-1)) B dV
//           + geometric (grad N_a . S grad N_b) I + U''(theta) / V_e * g g^T,
//     g   = integral B^T J C^-1 dV.
// `VolumetricTreatment::pointwise` evaluates U(J) at each Gauss point instead (plain Q1, which
// locks; kept for the locking test and for comparison).
//
// Kernel contract (ARCHITECTURE.md): free functions, caller-provided buffers, no heap
// allocation, no exceptions; an inverted element is reported as a status.
#pragma once

#include "materials/hyperelastic.hpp"

#include <Eigen/Core>

#include <array>

namespace discsim::solver {

using Mat3 = Eigen::Matrix3d;
using Vec3 = Eigen::Vector3d;
using ElementVector = Eigen::Matrix<double, 24, 1>;
using ElementMatrix = Eigen::Matrix<double, 24, 24>;

enum class VolumetricTreatment { mean_dilatation, pointwise };

/// Reference-configuration data of one element, computed once per mesh.
struct Hex8Geometry {
    std::array<Eigen::Matrix<double, 8, 3>, 8> shape_gradients; ///< dN_a/dX at each Gauss point
    std::array<double, 8> weights;                             ///< Gauss weight * det J0
    double volume = 0.0;                                       ///< V_e
};

/// Returns false when the reference element is degenerate or inverted (det J0 <= 0).
bool hex8_geometry(const std::array<Vec3, 8>& reference_nodes, Hex8Geometry& geometry);

enum class ElementStatus { ok, inverted };

/// Material point input of one element: the material and its two fibre directions in the
/// reference configuration (zero vectors where there are none).
struct ElementMaterial {
    const materials::Material* material = nullptr;
    Vec3 fibre_1 = Vec3::Zero();
    Vec3 fibre_2 = Vec3::Zero();
};

/// Element energy, internal force and (if `stiffness` is not null) tangent at nodal
/// displacements `u` (node-major: u[3a + i]).
///
/// `tangent_dilatation` (mean dilatation only; null: theta_e itself) is the dilatation at which
/// the tangent evaluates the pressure p and U'': the three-field element's own dilatation
/// variable (Simo, Taylor & Pister 1985), which a Newton iteration updates by the linearised
/// change of v_e / V_e rather than recomputing it. The residual always uses theta_e, so the
/// solution is the mean-dilatation one; the tangent differs from the exact one by
/// O(|du|^2), which keeps Newton quadratic, and it keeps the spurious pressure that a linear
/// step gives a nearly incompressible element (its volume changes at second order, times K)
/// out of the geometric stiffness, where it makes the tangent indefinite.
///
/// `point_pressures` (pointwise treatment only; null: none) adds, at each Gauss point g, a
/// pressure q_g(J) to the material's volumetric one, S += q_g J C^-1, with its derivative
/// dq_g/dJ in the tangent: the pore pressure of a biphasic mixture (hex8_biphasic.hpp), which
/// acts on the solid exactly as a volumetric pressure does. Its energy is not in `energy`.
struct PointPressures {
    std::array<double, 8> value{};      ///< q_g, MPa (positive in tension, as U'(J))
    std::array<double, 8> derivative{}; ///< dq_g/dJ at the point's J, MPa
};
ElementStatus hex8_evaluate(const Hex8Geometry& geometry, const ElementMaterial& material,
                            VolumetricTreatment treatment, const ElementVector& u,
                            double& energy, ElementVector& force, ElementMatrix* stiffness,
                            const double* tangent_dilatation = nullptr,
                            const PointPressures* point_pressures = nullptr);

/// theta_e = v_e / V_e at `u` and its gradient d theta_e / du (node-major).
ElementStatus hex8_dilatation(const Hex8Geometry& geometry, const ElementVector& u, double& theta,
                              ElementVector& gradient);

/// Element results for output: volume-averaged Cauchy stress and dilatation.
struct ElementStress {
    Mat3 cauchy = Mat3::Zero();
    double dilatation = 1.0; ///< v_e / V_e
    std::array<double, 2> fibre_stretch{1.0, 1.0};
};
ElementStatus hex8_stress(const Hex8Geometry& geometry, const ElementMaterial& material,
                          VolumetricTreatment treatment, const ElementVector& u,
                          ElementStress& result);

} // namespace discsim::solver
