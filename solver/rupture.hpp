// Annulus rupture (PHYSICS.md section 6): the criteria evaluated per element, and the material
// of a ruptured element. The progression loop (re-equilibration at constant load) and the
// events build on these.
//
// Criteria, element averages:
// - fibre strain: the larger of the two families' stretch - 1 (Holzapfel et al. 2005 load single
//   lamellae along their fibres; the criterion is the fibre-direction strain);
// - maximum principal stress: the largest eigenvalue of the Cauchy stress (MPa).
// A ruptured element loses its fibres and keeps `residual` of its ground substance (shear)
// stiffness, so that the solve stays well posed, and its bulk stiffness.
#pragma once

#include "core/parameter.hpp"
#include "materials/hyperelastic.hpp"
#include "mesh/hex_mesh.hpp"
#include "solver/hex8.hpp"

#include <vector>

namespace discsim::solver {

enum class RuptureCriterion { fibre_strain, max_principal_stress };

/// The default threshold of a criterion (docs/rupture.md gives the sources).
double default_threshold(RuptureCriterion criterion);

/// The stiffness fraction a ruptured element keeps: (0, 0.5]. Above 0 so the solve stays well
/// posed; at most a half, beyond which an element would hardly have ruptured. The one range the
/// scenario key, the damaged material and the progression all check.
inline constexpr ParameterSpec residual_stiffness_spec{.name = "residual_stiffness", .unit = "1",
                                                       .min = 0, .max = 0.5, .min_inclusive = false};

/// The criterion's value for one element (1 for strain, MPa for stress).
double criterion_value(RuptureCriterion criterion, const ElementStress& stress);

/// Annulus cells not ruptured yet (`ruptured[c] == 0`) whose criterion reaches `threshold`,
/// ascending.
std::vector<int> cells_reaching(const mesh::HexMesh& mesh,
                                const std::vector<ElementStress>& stresses,
                                RuptureCriterion criterion, double threshold,
                                const std::vector<char>& ruptured);

/// The material of an element at `damage` d in [0, 1] on its way to rupture: fibre stiffness k1
/// and ground substance coefficients scaled by residual^d (fibres removed at d = 1); the bulk
/// modulus is kept (the fissure stays filled, it does not lose volume).
/// d = 0 is the intact material, d = 1 the ruptured one (fibres removed). The progression loop
/// ramps d when rupturing a whole batch at once is too abrupt for Newton.
materials::Material damaged_material(const materials::Material& intact, double damage,
                                     double residual);
/// damaged_material without checking its arguments: for the assembly loop, which reads damage
/// from the element history (solver/element_history.hpp) and the residual checked once.
materials::Material apply_damage(const materials::Material& intact, double damage,
                                 double residual);

/// The material of a ruptured element: no fibres; ground substance coefficients scaled by
/// `residual` (0 < residual <= 1); bulk modulus kept. Same as damaged_material(intact, 1, residual).
materials::Material ruptured_material(const materials::Material& intact, double residual);

} // namespace discsim::solver
