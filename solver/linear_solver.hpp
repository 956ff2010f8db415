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
    /// A^-1 rhs for the last factorisation (each column a right-hand side).
    virtual Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) = 0;
    virtual std::string_view name() const = 0;
};

/// CHOLMOD supernodal LL^T, with MUMPS' symmetric-indefinite LDL^T as the fallback for an
/// indefinite matrix.
std::unique_ptr<LinearSolver> make_cholmod_solver();
/// MUMPS' symmetric-indefinite LDL^T alone (sequential MUMPS, lower triangle).
std::unique_ptr<LinearSolver> make_mumps_solver();
/// UMFPACK LU of the whole matrix: the biphasic u-p tangent, indefinite and (through the
/// permeability's dependence on the deformation) not exactly symmetric.
std::unique_ptr<LinearSolver> make_umfpack_solver();

} // namespace discsim::solver
