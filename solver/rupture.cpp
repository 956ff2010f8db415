#include "solver/rupture.hpp"

#include "materials/core/error.hpp"
#include "solver/results.hpp"

#include <algorithm>
#include <variant>

namespace discsim::solver {

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

materials::Material ruptured_material(const materials::Material& intact, double residual) {
    if (!(residual > 0.0 && residual <= 1.0)) {
        throw InputError("rupture residual stiffness: expected a value in (0, 1], got " +
                         format_number(residual));
    }
    materials::Material damaged = intact;
    damaged.fibres.reset();
    std::visit(
        [&](auto& ground) {
            ground.c10 *= residual;
            if constexpr (requires { ground.c01; }) ground.c01 *= residual;
        },
        damaged.ground);
    damaged.volumetric.bulk_modulus *= residual;
    return damaged;
}

} // namespace discsim::solver
