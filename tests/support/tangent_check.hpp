// The assembled tangent against central finite differences of the residual, for a System with
// the rigid vertebra: K d and [r(x + e d) - r(x - e d)] / 2e along a direction d = (d_f, d_r),
// where the rotation part of d moves the vertebra as exp([e d_theta]x) R.
#pragma once

#include "solver/system.hpp"

#include <Eigen/Core>
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
    Kd.head(nf) = system.tangent_free().selfadjointView<Eigen::Lower>() * direction.head(nf) +
                  system.tangent_coupling() * direction.tail<6>();
    Kd.tail<6>() = system.tangent_coupling().transpose() * direction.head(nf) +
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

} // namespace discsim::test
