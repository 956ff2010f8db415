// A scenario as an Abaqus/CalculiX input deck (`discsim export --format inp`): the same
// continuum problem for a peer solver, to cross-check discsim's answers or benchmark against it
// (`discsim bench --peer ccx`, docs/performance.md).
//
// What the deck holds, in Abaqus keywords that CalculiX 2.20 reads:
//   *NODE        the mesh's nodes (id = index + 1), then the rigid body's reference node at
//                discsim's reference point and its rotation node at the same place;
//   *ELEMENT     the hexahedra (id = cell index + 1, the same node order as VTK's hexahedron),
//                in element sets NUCLEUS and ANNULUS (ANNULUS_2, _3, ... when the annulus
//                coefficients vary between cells: one set per distinct material);
//   *NSET        INFERIOR and SUPERIOR, the endplate nodes;
//   *MATERIAL    *HYPERELASTIC, MOONEY-RIVLIN (or NEO HOOKE): C10, C01, D1 = 2/K, the
//                uncoupled form with U = (J - 1)^2 / D1 (discsim's `volumetric: quadratic`);
//                an annulus with HGO fibres (model hgo, kappa = 0) as CalculiX's ELASTIC_FIBER
//                user material, one per cell (*ELSET FIBRE<id>) with the cell's two fibre
//                directions: C10, D1 and per family its direction, k1, k2 (*USER MATERIAL);
//   *RIGID BODY  the superior endplate nodes tied to the reference node, free in 6 DOF;
//   *BOUNDARY    the inferior endplate fixed;
//   *STEP        one per planned step, NLGEOM, *STATIC with the step's own increment
//                controls (initial, 1, min, max as fractions of the step), *CLOAD with the total
//                force (reference node, DOF 1-3, N) and moment (rotation node, DOF 1-3, N mm)
//                at the end of the step, ramped from the previous step's as discsim ramps them;
//                *NODE PRINT of both nodes and *EL PRINT of the nucleus stresses (and volumes).
// The deck is a static solve of the dry solid: the elastic formulation. Anything a CalculiX
// deck cannot say the same way is refused with an InputError before anything is written:
// the biphasic disc; fibres with dispersion (kappa > 0), on the full invariant or on a
// Mooney-Rivlin ground substance (ELASTIC_FIBER is neo-Hookean with undispersed fibres on the
// isochoric invariant; Abaqus' *ANISOTROPIC HYPERELASTIC, HOLZAPFEL would hold kappa, but
// ELASTIC_FIBER is CalculiX's own and Abaqus does not read it); a volumetric form other than
// quadratic; follower and surface loads; and prescribed motions of the vertebra.
#pragma once

#include "scenarios/scenario.hpp"

#include <filesystem>
#include <string>

namespace discsim::scenarios {

enum class InpElement {
    c3d8r, ///< reduced integration with hourglass control: no locking, nearest to Q1/P0
    c3d8,  ///< full integration (locks on a nearly incompressible nucleus)
    c3d8i, ///< incompatible modes
};

struct InpOptions {
    InpElement element = InpElement::c3d8r;
    std::string heading; ///< the *HEADING line (default: the scenario's name)
};

/// The deck's text. Throws InputError for what a deck cannot represent (see above).
std::string inp_deck(const Scenario& scenario, const InpOptions& options = {});

/// Writes inp_deck(scenario) to `path` atomically (IoError when it cannot).
void write_inp(const Scenario& scenario, const std::filesystem::path& path,
               const InpOptions& options = {});

} // namespace discsim::scenarios
