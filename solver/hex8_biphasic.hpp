// Total Lagrangian 8-node hexahedron of a biphasic mixture (issue 11): a hyperelastic porous
// solid saturated by an incompressible fluid, both constituents intrinsically incompressible,
// at finite strain (Mow et al. 1980; Ateshian et al. 2009 for the finite-strain form used by
// FEBio). Unknowns per node: the solid displacement u (3) and the fluid pressure p (1), stored
// node-major as in DofLayout{displacement, pore_pressure}: local index 4a + i, pressure 4a + 3.
//
// Balance of mixture momentum (quasi-static), with the total stress sigma = sigma_e - p I
// (sigma_e - (p + pi(J)) I for a charged solid, BiphasicElement::osmotic):
//     R_u[a] = integral (P_e - p J F^-T) Grad N_a dV - f_ext,
// and of mass, div v_s + div w = 0 with Darcy's law w = -k(J) grad p in the current
// configuration, integrated in time by backward Euler over dt and multiplied by -dt so that the
// coupling blocks are each other's transposes (K_pu = K_up^T in the leading terms):
//     R_p[a] = -integral [ N_a (J - J_n) + dt Grad N_a . (J k C^-1 Grad p)
//                          + Grad N_a . B Grad (p - p_n) ] dV.
// Its tangent is exact (the permeability's dependence on J and C^-1's on u included): Newton
// stays quadratic, tests/test_hex8_biphasic.cpp checks it against finite differences.
//
// Equal-order Q1-Q1 interpolation of u and p fails the inf-sup condition in the undrained limit
// (small dt, low k): the pressure oscillates near drained boundaries. The last term is the
// stabilisation of Aguilar, Gaspar, Lisbona & Rodrigo 2008 (Int J Numer Meth Eng 75:1282) for
// equal-order elements, a perturbation of the mass balance by beta times the Laplacian of the
// pressure rate, beta = h^2 / (4 H) with h the element size and H the solid's drained aggregate
// modulus (lambda + 2 mu), here with h taken along each of the element's directions (a tensor B,
// biphasic_stabilisation below); Rodrigo et al. 2016 (Comput Methods Appl Mech Eng 298:183) show it
// gives monotone pressures for any dt. It acts on p - p_n only, so it vanishes at equilibrium
// and in steady flow: it changes no converged equilibrium state.
//
// The solid part (P_e and its tangent) is hex8_evaluate with pointwise volumetric treatment:
// the skeleton is compressible (its drained bulk modulus); the mixture's incompressibility is
// carried by p.
#pragma once

#include "materials/osmotic.hpp"
#include "materials/permeability.hpp"
#include "solver/hex8.hpp"

#include <Eigen/Core>

#include <optional>

namespace discsim::solver {

using BiphasicVector = Eigen::Matrix<double, 32, 1>;
using BiphasicMatrix = Eigen::Matrix<double, 32, 32>;
using NodalPressures = Eigen::Matrix<double, 8, 1>;

/// What the fluid part of one element needs beyond the solid's material.
struct BiphasicElement {
    materials::Permeability permeability; ///< k(J), mm^4/(N s)
    /// The stabilisation's tensor B (reference configuration, mm^4/N; 0 = none): the scalar
    /// beta = h^2 / (4 H) of Aguilar et al. 2008 with h taken along each of the element's own
    /// directions, B = J_c J_c^T / H (J_c = dX/dxi at the centre), h^2 / (4 H) I for a cube.
    Mat3 stabilisation = Mat3::Zero();
    /// A charged solid: the Donnan osmotic pressure pi(J) (materials/osmotic.hpp). The nodal
    /// unknown p is then the effective fluid pressure, the one that drives Darcy flow and equals
    /// the bath's (0) on a drained surface; the interstitial pressure, what a needle reads, is
    /// p + pi, and the total stress sigma_e - (p + pi) I (FEBio's biphasic-Donnan form;
    /// Ateshian et al. 2004).
    std::optional<materials::DonnanOsmotic> osmotic = {};
};

/// The stabilisation tensor B = J_c J_c^T / H of the element with reference nodes `x` and a solid
/// of drained aggregate modulus H (MPa). Along each of the element's parametric directions it is
/// beta = h^2 / (4 H) with h the element's size in that direction: a thin element (the outer-wall
/// ring) is stabilised across its thickness by its thickness, not by its mean size, which would
/// let the stabilisation's flux drain a boundary layer h / 2 deep whatever the ring's thickness.
Mat3 biphasic_stabilisation(const std::array<Vec3, 8>& x, double aggregate_modulus);
/// The same for a cube of side h: h^2 / (4 H) I.
Mat3 cube_stabilisation(double h, double aggregate_modulus);

/// Residual (and tangent when `stiffness` is not null) of one element over a time step dt > 0
/// from the accepted state (u_n, p_n) to (u, p). Node-major: [u_a (3), p_a] per node.
/// `energy` is the solid's stored energy. No allocation, no exceptions; an inverted element (at
/// either state) returns ElementStatus::inverted. `osmotic_scale` multiplies the osmotic
/// pressure (and its derivative): the continuation parameter of the free-swelling solve.
ElementStatus hex8_biphasic_evaluate(const Hex8Geometry& geometry, const ElementMaterial& solid,
                                     const BiphasicElement& fluid, double dt,
                                     const ElementVector& u, const NodalPressures& p,
                                     const ElementVector& u_previous,
                                     const NodalPressures& p_previous, double& energy,
                                     BiphasicVector& residual, BiphasicMatrix* stiffness,
                                     double osmotic_scale = 1.0);

/// The fluid state at the element centre, for output.
struct FluidState {
    double pressure = 0.0;        ///< effective fluid pressure p, MPa (mean of the nodes)
    double osmotic_pressure = 0.0; ///< pi(J), MPa
    double permeability = 0.0;    ///< k(J), mm^4/(N s)
    double fluid_fraction = 0.0;  ///< phi_w = 1 - (1 - phi_w0) / J (phi_w0: the osmotic's, or
                                  ///< 1 - phi_s0 of the permeability law)
    Vec3 flux = Vec3::Zero();     ///< w = -k grad p, mm/s, current configuration
};
/// `with_flux` false leaves the flux at 0 (it costs a pass over the Gauss points).
FluidState hex8_fluid_state(const Hex8Geometry& geometry, const BiphasicElement& fluid,
                            const ElementVector& u, const NodalPressures& p, bool with_flux = true);

/// The fluid flux w = -k grad p (mm/s, current configuration) at the element centre, for output.
Vec3 hex8_fluid_flux(const Hex8Geometry& geometry, const BiphasicElement& fluid,
                     const ElementVector& u, const NodalPressures& p);

} // namespace discsim::solver
