// Annulus rupture (PHYSICS.md section 6): the criteria evaluated per element, and the material
// of a ruptured element. The progression loop (re-equilibration at constant load) and the
// events build on these.
//
// Criteria, element averages:
// - fibre strain: the larger of the two families' stretch - 1 (Holzapfel et al. 2005 load single
//   lamellae along their fibres; the criterion is the fibre-direction strain);
// - maximum principal stress: the largest eigenvalue of the Cauchy stress (MPa).
// A ruptured element loses its fibres and keeps `residual` of its ground substance and bulk
// stiffness, so that the solve stays well posed.
#pragma once

#include "materials/hyperelastic.hpp"
#include "mesh/hex_mesh.hpp"
#include "solver/hex8.hpp"

#include <vector>

namespace discsim::solver {

enum class RuptureCriterion { fibre_strain, max_principal_stress };

/// The criterion's value for one element (1 for strain, MPa for stress).
double criterion_value(RuptureCriterion criterion, const ElementStress& stress);

/// Annulus cells not ruptured yet (`ruptured[c] == 0`) whose criterion reaches `threshold`,
/// ascending.
std::vector<int> cells_reaching(const mesh::HexMesh& mesh,
                                const std::vector<ElementStress>& stresses,
                                RuptureCriterion criterion, double threshold,
                                const std::vector<char>& ruptured);

/// The material of a ruptured element: no fibres; ground substance coefficients and bulk
/// modulus scaled by `residual` (0 < residual <= 1).
materials::Material ruptured_material(const materials::Material& intact, double residual);

} // namespace discsim::solver
