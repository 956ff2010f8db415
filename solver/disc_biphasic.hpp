// The disc as a charged, fluid-saturated solid (PHYSICS.md section 8, issue 11): the fluid
// phase added to a disc model (solver/disc_model.hpp), and its free-swelling initial state.
//
// Per region (nucleus, annulus): a strain-dependent permeability k(J) (materials/permeability.hpp)
// and a Donnan osmotic pressure from a fixed charge density that follows the solid's volume
// (materials/osmotic.hpp). The nodal unknown is the effective fluid pressure p, continuous
// across the nucleus-annulus boundary (the fluid's chemical potential); the interstitial
// pressure, what a needle reads, is p + pi and jumps with the fixed charge.
//
// Boundaries, each selectable:
// - outer wall: drained (p = 0, the bath) or sealed;
// - superior and inferior endplates: drained, sealed, or through the cartilage endplate, a thin
//   permeable layer between the disc and the draining bone, taken as a boundary conductance
//   q = (k_cep / t_cep) p (Darcy flow across a layer of permeability k_cep and thickness t_cep,
//   its storage neglected; the layer is thin against the disc's drainage length).
//
// Defaults (PHYSICS.md section 8; docs/model.md section 9 records the calibration): Holmes-Mow
// permeability with M = 8.5, alpha = 0 (Castro et al. 2014, the FEBio models of the Heuer 2007
// discs) and k0 = 5e-4 mm^4/(N s) in both regions (calibrated: Castro's 7.5e-4 lowered within
// Argoubi & Shirazi-Adl 1996's 3e-4 to 7e-4); fixed charge 0.228 mEq/ml (nucleus) and 0.09 mEq/ml
// (annulus) (calibrated: Castro's 0.30 and 0.18 lowered to the old-disc nucleus range 0.18-0.24
// and the outer-annulus range 0.07-0.13 of Urban & Maroudas 1979, for Nachemson's ratio and
// Wilke's overnight recovery with the full-invariant skeleton); fluid fractions 0.80 and
// 0.70; cartilage endplate k = 7.5e-3 mm^4/(N s) (Castro), 0.6 mm thick (within 0.5-1 mm); the
// bath 0.15 M NaCl (0.30 Osm) at 310 K, ideal (Phi = 1).
#pragma once

#include "solver/model.hpp"
#include "solver/newton.hpp"

#include <string>

namespace discsim::solver {

enum class PermeabilityLaw { constant, holmes_mow, exponential };

struct RegionFluid {
    PermeabilityLaw law = PermeabilityLaw::holmes_mow;
    double k0 = 5e-4;              ///< mm^4/(N s), > 0
    double M = 8.5;                ///< the law's exponential coefficient (law-dependent meaning)
    double alpha = 0.0;            ///< Holmes-Mow power-law exponent
    double fixed_charge = 0.228;   ///< mEq/ml (1 mEq/ml = 1000 nmol/mm^3), >= 0
    double fluid_fraction = 0.80;  ///< referential fluid volume fraction, in (0, 1)
};

enum class Drainage { drained, sealed, cartilage };

struct DiscFluid {
    RegionFluid nucleus = {};
    RegionFluid annulus = {.fixed_charge = 0.09, .fluid_fraction = 0.70};
    double bath_osmolarity = 0.30;  ///< Osm (osmol/l); 0.30 for 0.15 M NaCl
    double temperature = 310.0;     ///< K
    double osmotic_coefficient = 1.0;
    Drainage outer_wall = Drainage::drained;
    Drainage superior_endplate = Drainage::cartilage;
    Drainage inferior_endplate = Drainage::cartilage;
    double cartilage_thickness = 0.6;     ///< mm
    double cartilage_permeability = 7.5e-3; ///< mm^4/(N s)
};

/// Makes `model` (a disc model of `mesh`, solver/disc_model.hpp) biphasic: the layout
/// {displacement, pore_pressure}, each cell's permeability, osmotic pressure and stabilisation
/// (beta = h^2 / (4 H_A) with the cell material's small-strain drained aggregate modulus), and
/// the boundaries "outer_wall", "superior_endplate", "inferior_endplate" in that order (the sealed
/// ones too, with no flux). Throws InputError naming the materials.REGION / boundaries key of a
/// value out of range.
void add_fluid(Model& model, const mesh::HexMesh& mesh, const DiscFluid& fluid);

struct SwellingReport {
    bool converged = false;
    int increments = 0;
    int iterations = 0;
    std::string reason; ///< why it did not converge
};

/// The free-swelling equilibrium of a biphasic model from `state` (updated): the disc takes up
/// fluid from the bath until the solid balances the osmotic pressure, with no external load.
/// At equilibrium the effective pressure p is 0 everywhere (the bath's chemical potential), so
/// it is solved as the drained problem, every pressure held at 0, with the osmotic pressure
/// ramped from 0 to its full value (LoadState::osmotic_scale) in adaptive increments.
SwellingReport free_swelling(const Model& model, State& state, const NewtonSettings& settings);

} // namespace discsim::solver
