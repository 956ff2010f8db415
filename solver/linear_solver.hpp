// The sparse solve of the free-free tangent, behind one interface: the pattern analysed once,
// a numeric factorisation per Newton iteration, then solves for many right-hand sides at once.
//
// The default (make_cholmod_solver): CHOLMOD's supernodal LL^T (Chen et al. 2008), with
// MUMPS' symmetric-indefinite multifrontal LDL^T (Amestoy et al. 2001) of the same triangle when
// the tangent is not positive definite (a Newton iterate of a pressurised, nearly incompressible
// nucleus; buckling). A block solver for a u-p system is another implementation of the same
// interface.
#pragma once

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <memory>
#include <string_view>

namespace discsim::solver {

class LinearSolver {
public:
    enum class Status {
        ok,       ///< factorised as asked
        fallback, ///< factorised by the fallback (the matrix is indefinite)
        singular, ///< no factorisation: the matrix is singular
    };
    virtual ~LinearSolver() = default;
    /// Factorises the matrix: its lower triangle when symmetric(), else the whole matrix (the
    /// same pattern every call; the first call also analyses it).
    virtual Status factorise(const Eigen::SparseMatrix<double>& lower) = 0;
    /// Whether it takes the lower triangle of a symmetric matrix (true) or a whole one.
    virtual bool symmetric() const { return true; }
    /// Whether solve() is exact to double round-off (false: a single-precision factorisation,
    /// good as a preconditioner, whose direct answers are refined by GMRES).
    virtual bool exact() const { return true; }
    /// A^-1 rhs for the last factorisation (each column a right-hand side).
    virtual Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) = 0;
    virtual std::string_view name() const = 0;

    /// A copy of a factorisation, kept apart from the solver to be put back later.
    struct FactorCopy {
        virtual ~FactorCopy() = default;
    };
    /// A copy of the last factorisation, bit for bit, or null when this solver cannot copy it
    /// (MUMPS: its factors live inside the library). A run that shares its leading steps with
    /// others keeps one where they part (scenarios/run.hpp, SharedRun).
    virtual std::shared_ptr<const FactorCopy> copy_factors() const { return nullptr; }
    /// Makes a copy from copy_factors() of this solver the factorisation to solve with.
    virtual void restore_factors(const FactorCopy&) {}
};

/// CHOLMOD supernodal LL^T, with MUMPS' symmetric-indefinite LDL^T as the fallback for an
/// indefinite matrix.
std::unique_ptr<LinearSolver> make_cholmod_solver();
/// MUMPS' symmetric-indefinite LDL^T alone (sequential MUMPS, lower triangle).
std::unique_ptr<LinearSolver> make_mumps_solver();
/// MUMPS' LU of the whole matrix (SYM = 0). Measured on the medium biphasic u-p tangent (9,138
/// equations): 0.37 s a factorisation and 6.6 ms a solve, against 0.52 s and 8.5 ms for UMFPACK.
/// Not the biphasic default: MUMPS' calls are serialised process-wide (linear_solver.cpp), which
/// would make the cases of a sweep, run on threads, wait for each other.
std::unique_ptr<LinearSolver> make_mumps_lu_solver();
/// MUMPS' LU of the whole matrix in single precision (SMUMPS): a preconditioner, not a solver
/// (exact() is false). The values are rounded to float, factorised and solved in float, the
/// answers returned in double. Half the memory of the double LU, and its solves, bound by
/// reading the factors, about a third shorter (solver/system.hpp, UnsymmetricSolver).
std::unique_ptr<LinearSolver> make_mumps_single_lu_solver();
/// UMFPACK LU of the whole matrix (symmetric strategy, METIS): the biphasic u-p tangent's
/// solver until issue 12, kept as an alternative implementation of the interface.
std::unique_ptr<LinearSolver> make_umfpack_solver();

} // namespace discsim::solver
