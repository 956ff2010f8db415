// Right-preconditioned GMRES (Saad & Schultz 1986; Saad 2003, algorithm 9.5), without restart:
// the Krylov solve behind the reuse of a factorisation across Newton iterations (System::solve).
// The preconditioner is the exact inverse of an earlier tangent, so a few iterations reach
// round-off when the tangent has changed little, and the early exit below gives up as soon as
// the observed rate says the iteration cap will not be enough (then the caller refactorises).
//
// Right preconditioning minimises the true residual |b - A x| (not a preconditioned one), so
// the tolerance is on the quantity Newton sees.
#pragma once

#include <Eigen/Core>

#include <functional>

namespace discsim::solver {

struct GmresSettings {
    int max_iterations = 30;
    double tolerance = 1e-10; ///< on |b - A x| / |b|
    /// After this many iterations, stop when the mean reduction per iteration so far cannot
    /// reach the tolerance within max_iterations.
    int rate_check_after = 3;
};

struct GmresResult {
    bool converged = false;
    int iterations = 0;
    double relative_residual = 1.0; ///< |b - A x| / |b| (the GMRES estimate)
};

using LinearMap = std::function<void(const Eigen::VectorXd& in, Eigen::VectorXd& out)>;

/// Solves A x = b from x = 0 with the right preconditioner M (M ~ A^-1): x = M V y.
GmresResult gmres(const LinearMap& A, const LinearMap& M, const Eigen::VectorXd& b,
                  Eigen::VectorXd& x, const GmresSettings& settings);

} // namespace discsim::solver
