// The sparse factorisations behind System (solver/linear_solver.hpp): CHOLMOD's LL^T on a
// positive-definite matrix, the switch to MUMPS' symmetric-indefinite LDL^T when the Cholesky
// fails, the switch back, and a singular matrix reported as such. Each answer is checked
// against the residual of the linear system it solves: |A x - b| <= 1e-10 |b| for these
// well-conditioned matrices (condition numbers below 1e3, so round-off leaves ~1e-13).
#include "solver/linear_solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <catch2/catch.hpp>

#include <vector>

using namespace discsim::solver;

namespace {

// Lower triangle of the 1-D Laplacian tridiag(-1, 2, -1) of size n shifted by -sigma I: its
// eigenvalues are 2 - 2 cos(k pi / (n + 1)) - sigma, k = 1..n, so for sigma inside (0, 4) some
// are negative (indefinite) and none is zero unless sigma hits one exactly.
Eigen::SparseMatrix<double> shifted_laplacian(int n, double sigma) {
    std::vector<Eigen::Triplet<double>> t;
    for (int i = 0; i < n; ++i) {
        t.emplace_back(i, i, 2.0 - sigma);
        if (i + 1 < n) t.emplace_back(i + 1, i, -1.0);
    }
    Eigen::SparseMatrix<double> lower(n, n);
    lower.setFromTriplets(t.begin(), t.end());
    lower.makeCompressed();
    return lower;
}

double relative_residual(const Eigen::SparseMatrix<double>& lower, const Eigen::MatrixXd& x,
                         const Eigen::MatrixXd& b) {
    const Eigen::MatrixXd ax = lower.selfadjointView<Eigen::Lower>() * x;
    return (ax - b).norm() / b.norm();
}

int negative_eigenvalues(const Eigen::SparseMatrix<double>& lower) {
    const Eigen::SparseMatrix<double> sym = lower.selfadjointView<Eigen::Lower>();
    const Eigen::MatrixXd full(sym);
    const Eigen::VectorXd ev = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(full).eigenvalues();
    return static_cast<int>((ev.array() < 0).count());
}

} // namespace

TEST_CASE("the default factorisation: CHOLMOD on a positive-definite matrix, MUMPS LDL^T on an "
          "indefinite one, and back",
          "[unit]") {
    const int n = 200;
    const auto solver = make_cholmod_solver();
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 3);

    // sigma = -0.5: every eigenvalue is above 0.5, positive definite.
    const auto definite = shifted_laplacian(n, -0.5);
    REQUIRE(solver->factorise(definite) == LinearSolver::Status::ok);
    CHECK(relative_residual(definite, solver->solve(b), b) < 1e-10);

    // sigma = 1.01: the eigenvalues below 1.01 turn negative, a third of them (sigma = 1 would hit
    // k = 67 exactly: 2 - 2 cos(pi/3) = 1).
    const auto indefinite = shifted_laplacian(n, 1.01);
    const int negative = negative_eigenvalues(indefinite);
    REQUIRE(negative > 0);
    REQUIRE(solver->factorise(indefinite) == LinearSolver::Status::fallback);
    CHECK(relative_residual(indefinite, solver->solve(b), b) < 1e-10);

    // The same pattern positive definite again: the Cholesky path is taken back (its symbolic
    // analysis kept while MUMPS held the factors).
    REQUIRE(solver->factorise(definite) == LinearSolver::Status::ok);
    CHECK(relative_residual(definite, solver->solve(b), b) < 1e-10);
    REQUIRE(solver->factorise(indefinite) == LinearSolver::Status::fallback);
    CHECK(relative_residual(indefinite, solver->solve(b.col(0)), b.col(0)) < 1e-10);
}

TEST_CASE("MUMPS LDL^T solves an indefinite matrix and reports a singular one", "[unit]") {
    const int n = 150;
    const auto solver = make_mumps_solver();
    const auto indefinite = shifted_laplacian(n, 2.5);
    REQUIRE(negative_eigenvalues(indefinite) > n / 2);
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 2);
    REQUIRE(solver->factorise(indefinite) == LinearSolver::Status::ok);
    CHECK(relative_residual(indefinite, solver->solve(b), b) < 1e-10);

    // A zero row and column (an unconstrained equation): exactly singular.
    Eigen::SparseMatrix<double> singular = indefinite;
    for (Eigen::SparseMatrix<double>::InnerIterator it(singular, 7); it; ++it)
        it.valueRef() = 0.0;
    for (Eigen::SparseMatrix<double>::InnerIterator it(singular, 6); it; ++it)
        if (it.row() == 7) it.valueRef() = 0.0;
    CHECK(make_mumps_solver()->factorise(singular) == LinearSolver::Status::singular);
}
