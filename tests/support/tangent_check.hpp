// The assembled tangent against central finite differences of the residual, for a System with
// the rigid vertebra: K d and [r(x + e d) - r(x - e d)] / 2e along a direction d = (d_f, d_r),
// where the rotation part of d moves the vertebra as exp([e d_theta]x) R.
#pragma once

#include "solver/rotation.hpp"
#include "solver/system.hpp"

#include <Eigen/Core>
#include <random>
#include <utility>

namespace discsim::test {

/// (K d, finite-difference derivative of the residual along d), both of size free + 6.
inline std::pair<Eigen::VectorXd, Eigen::VectorXd>
tangent_and_finite_difference(solver::System& system, const solver::State& state,
                              const solver::LoadState& load, const Eigen::VectorXd& direction,
                              double e = 1e-6) {
    const int nf = system.free_dof_count();
    system.assemble(state, load, true);
    Eigen::VectorXd Kd(nf + 6);
    if (system.symmetric_tangent())
        Kd.head(nf) = system.tangent_free().selfadjointView<Eigen::Lower>() * direction.head(nf);
    else
        Kd.head(nf) = system.tangent_free() * direction.head(nf);
    Kd.head(nf) += system.tangent_coupling() * direction.tail<6>();
    Kd.tail<6>() = system.tangent_rigid_rows().transpose() * direction.head(nf) +
                   system.tangent_rigid() * direction.tail<6>();
    auto residual_at = [&](double step) {
        solver::State moved;
        system.update(state, direction, step, moved);
        system.assemble(moved, load, false);
        Eigen::VectorXd r(nf + 6);
        r.head(nf) = system.residual_free();
        r.tail<6>() = system.residual_rigid();
        return r;
    };
    const Eigen::VectorXd fd = (residual_at(e) - residual_at(-e)) / (2 * e);
    return {Kd, fd};
}

/// A strained state away from the reference for such a check: the vertebra turned by the
/// rotation vector `rotation` and moved by (0.05, 0.02, -0.1) mm, nodal displacements uniform in
/// +-0.05 mm, the constraints of `load` applied; and a direction uniform in [-1, 1], both drawn
/// from `seed`.
inline std::pair<solver::State, Eigen::VectorXd>
strained_state_and_direction(const solver::System& system, const solver::LoadState& load,
                             const solver::Vec3& rotation, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> d(-1, 1);
    solver::State state = system.initial_state();
    state.rp_rotation = solver::rotation_from_vector(rotation);
    state.rp_displacement = solver::Vec3(0.05, 0.02, -0.1);
    for (int k = 0; k < state.u.size(); ++k)
        state.u[k] = 0.05 * d(rng);
    system.apply_constraints(state, load);
    Eigen::VectorXd direction(system.free_dof_count() + 6);
    for (int k = 0; k < direction.size(); ++k)
        direction[k] = d(rng);
    return {state, direction};
}

} // namespace discsim::test
