// The sparse factorisations behind System (solver/linear_solver.hpp): CHOLMOD's LL^T on a
// positive-definite matrix, the switch to MUMPS' symmetric-indefinite LDL^T when the Cholesky
// fails, the switch back, and a singular matrix reported as such. Each answer is checked
// against the residual of the linear system it solves: |A x - b| <= 1e-10 |b| for these
// well-conditioned matrices (condition numbers below 1e3, so round-off leaves ~1e-13).
#include "solver/linear_solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <catch2/catch.hpp>

#include <functional>
#include <thread>
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

TEST_CASE("MUMPS LU solves an unsymmetric indefinite matrix given whole (the biphasic u-p "
          "tangent's solver)",
          "[unit]") {
    // The shifted Laplacian made unsymmetric: tridiag(-1.05, 2 - 1.01, -0.95), a convection-like
    // skew part, whole matrix. (A stronger skew, -1.3 / -0.7, is so non-normal at n = 120 that
    // no LU solves it to round-off: Eigen's SparseLU leaves 1e-2.)
    const int n = 120;
    std::vector<Eigen::Triplet<double>> t;
    for (int i = 0; i < n; ++i) {
        t.emplace_back(i, i, 2.0 - 1.01);
        if (i + 1 < n) {
            t.emplace_back(i + 1, i, -1.05);
            t.emplace_back(i, i + 1, -0.95);
        }
    }
    Eigen::SparseMatrix<double> a(n, n);
    a.setFromTriplets(t.begin(), t.end());
    a.makeCompressed();
    const auto solver = make_mumps_lu_solver();
    CHECK_FALSE(solver->symmetric());
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 2);
    REQUIRE(solver->factorise(a) == LinearSolver::Status::ok);
    const Eigen::MatrixXd x = solver->solve(b);
    CHECK((a * x - b).norm() / b.norm() < 1e-10);
    // New values on the same pattern: factorised again, not reanalysed wrongly.
    Eigen::SparseMatrix<double> a2 = a * 2.0;
    REQUIRE(solver->factorise(a2) == LinearSolver::Status::ok);
    CHECK((a2 * solver->solve(b) - b).norm() / b.norm() < 1e-10);
}

TEST_CASE("two MUMPS factorisations on two threads at once give each its own answer", "[unit]") {
    // The cases of a sweep run on threads of one process; sequential MUMPS is not thread-safe
    // on its own (it crashed in DMUMPS_LOAD_INIT), so linear_solver.cpp serialises its calls.
    const int n = 3000;
    auto run = [&](double sigma, double& residual) {
        const auto solver = make_mumps_solver();
        const auto a = shifted_laplacian(n, sigma);
        const Eigen::MatrixXd b = Eigen::MatrixXd::Ones(n, 1);
        residual = 1.0;
        for (int repeat = 0; repeat < 5; ++repeat) {
            if (solver->factorise(a) != LinearSolver::Status::ok) return;
            residual = relative_residual(a, solver->solve(b), b);
        }
    };
    double r1 = 1.0, r2 = 1.0;
    std::thread t1(run, 0.5, std::ref(r1));
    std::thread t2(run, 2.5, std::ref(r2));
    t1.join();
    t2.join();
    CHECK(r1 < 1e-8);
    CHECK(r2 < 1e-8);
}

TEST_CASE("a factorisation copied and put back solves as the original did, bit for bit; MUMPS' "
          "cannot be copied",
          "[unit]") {
    // What a run that shares its leading steps with others relies on (System::snapshot): the
    // factors kept where the runs part are those each of them goes on with.
    const int n = 150;
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 2);
    const auto definite = shifted_laplacian(n, -0.5);
    const auto other = shifted_laplacian(n, -1.5);
    SECTION("CHOLMOD") {
        const auto solver = make_cholmod_solver();
        REQUIRE(solver->factorise(definite) == LinearSolver::Status::ok);
        const Eigen::MatrixXd x = solver->solve(b);
        const auto copy = solver->copy_factors();
        REQUIRE(copy);
        REQUIRE(solver->factorise(other) == LinearSolver::Status::ok);
        CHECK((solver->solve(b) - x).norm() > 1e-3 * x.norm()); // another matrix, another answer
        solver->restore_factors(*copy);
        CHECK(solver->solve(b) == x);
        // Put back after the MUMPS fallback held the factors (sigma = 1: indefinite).
        REQUIRE(solver->factorise(shifted_laplacian(n, 1.0)) == LinearSolver::Status::fallback);
        CHECK_FALSE(solver->copy_factors()); // the fallback's LDL^T lives inside MUMPS
        solver->restore_factors(*copy);
        CHECK(solver->solve(b) == x);
    }
    SECTION("UMFPACK") {
        const Eigen::SparseMatrix<double> a = definite.selfadjointView<Eigen::Lower>();
        const Eigen::SparseMatrix<double> a2 = other.selfadjointView<Eigen::Lower>();
        const auto solver = make_umfpack_solver();
        REQUIRE(solver->factorise(a) == LinearSolver::Status::ok);
        const Eigen::MatrixXd x = solver->solve(b);
        const auto copy = solver->copy_factors();
        REQUIRE(copy);
        REQUIRE(solver->factorise(a2) == LinearSolver::Status::ok);
        CHECK((solver->solve(b) - x).norm() > 1e-3 * x.norm());
        solver->restore_factors(*copy);
        CHECK(solver->solve(b) == x);
        solver->restore_factors(*copy); // a copy serves again
        CHECK(solver->solve(b) == x);
    }
    SECTION("MUMPS") {
        const Eigen::SparseMatrix<double> a = definite.selfadjointView<Eigen::Lower>();
        const auto lu = make_mumps_lu_solver();
        REQUIRE(lu->factorise(a) == LinearSolver::Status::ok);
        CHECK_FALSE(lu->copy_factors());
        const auto ldlt = make_mumps_solver();
        REQUIRE(ldlt->factorise(definite) == LinearSolver::Status::ok);
        CHECK_FALSE(ldlt->copy_factors());
    }
}
