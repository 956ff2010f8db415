#include "solver/rupture.hpp"

#include "core/error.hpp"
#include "solver/results.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

namespace discsim::solver {

double default_threshold(RuptureCriterion criterion) {
    // docs/rupture.md: tissue failure strains of 25-34 % and nominal failure stresses of
    // 1.4-3.3 MPa for annulus specimens, converted to the fibre direction and to Cauchy stress,
    // taken at the lower end for the weaker posterolateral annulus.
    return criterion == RuptureCriterion::fibre_strain ? 0.12 : 4.4;
}

double criterion_value(RuptureCriterion criterion, const ElementStress& stress) {
    if (criterion == RuptureCriterion::fibre_strain) {
        return std::max(stress.fibre_stretch[0], stress.fibre_stretch[1]) - 1.0;
    }
    return principal_values(stress.cauchy)[0];
}

std::vector<int> cells_reaching(const mesh::HexMesh& mesh,
                                const std::vector<ElementStress>& stresses,
                                RuptureCriterion criterion, double threshold,
                                const std::vector<char>& ruptured) {
    std::vector<int> cells;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] == 0 || ruptured[c]) continue;
        if (criterion_value(criterion, stresses[c]) >= threshold) cells.push_back(c);
    }
    return cells;
}

materials::Material damaged_material(const materials::Material& intact, double damage,
                                     double residual) {
    check_parameter(residual_stiffness_spec, residual);
    if (!(damage >= 0.0 && damage <= 1.0)) {
        throw InputError("damage: expected a value in [0, 1], got " + format_number(damage));
    }
    return apply_damage(intact, damage, residual);
}

materials::Material apply_damage(const materials::Material& intact, double damage,
                                 double residual) {
    // Stiffness falls geometrically with d, from 1 to `residual`: every equal step of d takes
    // out the same fraction of what is left, so a damage ramp approaches the soft ruptured
    // state in even ratios (a linear ramp ends with one jump from 1/16 to 1/100).
    const double scale = std::pow(residual, damage);
    materials::Material damaged = intact;
    if (damage >= 1.0) {
        damaged.fibres.reset();
    } else if (damaged.fibres) {
        damaged.fibres->k1 *= scale;
    }
    damaged.ground = std::visit(
        [&](const auto& ground) -> materials::GroundSubstance {
            return materials::scaled_ground(ground, scale);
        },
        damaged.ground);
    // The bulk modulus stays: a fissure is filled with water-rich tissue, not emptied, so it
    // keeps its volume; only the shear (matrix) and fibre stiffness go. Scaling K as well let
    // ruptured elements collapse and invert under the nucleus pressure.
    return damaged;
}

materials::Material ruptured_material(const materials::Material& intact, double residual) {
    return damaged_material(intact, 1.0, residual);
}

} // namespace discsim::solver
