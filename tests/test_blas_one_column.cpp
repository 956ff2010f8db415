// discsim's dgemm_ and dtrsm_ (solver/blas_one_column.cpp): the single-column calls done as
// DGEMV and DTRSV, the rest passed on to the BLAS library. Each product and triangular solve is
// compared with Eigen's on the same random operands: the sums differ only in their order, so
// the results agree to a few units of round-off (1e-12 relative for these sizes and values of
// order one, against an eps of 1.1e-16 times a few hundred terms). The single-precision forms
// (sgemm_, strsm_) are exercised through the single-precision MUMPS LU at the end.
#include "solver/blas_one_column.hpp"
#include "solver/krylov.hpp"
#include "solver/linear_solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <vector>

extern "C" {
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const double* alpha, const double* a, const int* lda, const double* b, const int* ldb,
            const double* beta, double* c, const int* ldc);
void dtrsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const double* alpha, const double* a, const int* lda, double* b,
            const int* ldb);
}

using namespace discsim::solver;

namespace {

double relative(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return (a - b).norm() / b.norm();
}

} // namespace

TEST_CASE("discsim's DGEMM and DTRSM are the ones the solver libraries call", "[unit]") {
    CHECK(blas_one_column_forwarded());
}

TEST_CASE("DGEMM with one column, either operand transposed, is the matrix product", "[unit]") {
    const int m = 37, k = 29;
    const Eigen::MatrixXd A = Eigen::MatrixXd::Random(m, k);
    const Eigen::MatrixXd At = A.transpose();
    const Eigen::VectorXd x = Eigen::VectorXd::Random(k);
    // B given as a column (k x 1) and as a row of a wider array (ldb = 3), transposed.
    Eigen::MatrixXd row_storage = Eigen::MatrixXd::Random(3, k);
    row_storage.row(0) = x.transpose();
    const Eigen::VectorXd c0 = Eigen::VectorXd::Random(m);
    for (const double beta : {0.0, 1.0, -0.5}) {
        for (const char ta : {'N', 'T'}) {
            for (const char tb : {'N', 'T'}) {
                Eigen::VectorXd c = c0;
                const double alpha = 1.75;
                const int n = 1, lda = ta == 'N' ? m : k, ldb = tb == 'N' ? k : 3, ldc = m;
                const double* a = ta == 'N' ? A.data() : At.data();
                const double* b = tb == 'N' ? x.data() : row_storage.data();
                dgemm_(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c.data(), &ldc);
                const Eigen::VectorXd expected = alpha * (A * x) + beta * c0;
                INFO("transa " << ta << ", transb " << tb << ", beta " << beta);
                CHECK(relative(c, expected) < 1e-12);
            }
        }
    }
    // More than one column goes to the library's own DGEMM: the same product.
    const int n = 4;
    const Eigen::MatrixXd B = Eigen::MatrixXd::Random(k, n);
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(m, n);
    const double one = 1.0, zero = 0.0;
    dgemm_("N", "N", &m, &n, &k, &one, A.data(), &m, B.data(), &k, &zero, C.data(), &m);
    CHECK(relative(C, A * B) < 1e-12);
}

TEST_CASE("DTRSM from the left with one column is the triangular solve, scaled by alpha",
          "[unit]") {
    const int m = 41;
    // Well conditioned: unit-sized off-diagonal entries over a dominant diagonal.
    Eigen::MatrixXd T = Eigen::MatrixXd::Random(m, m) * 0.1;
    T.diagonal().array() += 3.0;
    const Eigen::VectorXd b0 = Eigen::VectorXd::Random(m);
    for (const char uplo : {'L', 'U'}) {
        for (const char trans : {'N', 'T'}) {
            for (const char diag : {'N', 'U'}) {
                for (const double alpha : {1.0, -2.5, 0.0}) {
                    Eigen::MatrixXd op = uplo == 'L' ? Eigen::MatrixXd(T.triangularView<Eigen::Lower>())
                                                     : Eigen::MatrixXd(T.triangularView<Eigen::Upper>());
                    if (diag == 'U') op.diagonal().setOnes();
                    if (trans == 'T') op.transposeInPlace();
                    const Eigen::VectorXd expected = op.lu().solve(alpha * b0);
                    Eigen::VectorXd b = b0;
                    const int n = 1;
                    dtrsm_("L", &uplo, &trans, &diag, &m, &n, &alpha, T.data(), &m, b.data(), &m);
                    INFO("uplo " << uplo << ", trans " << trans << ", diag " << diag
                                 << ", alpha " << alpha);
                    if (alpha == 0.0)
                        CHECK(b.norm() == 0.0);
                    else
                        CHECK(relative(b, expected) < 1e-12);
                }
            }
        }
    }
    // Two columns: the library's own DTRSM.
    const int n = 2;
    const Eigen::MatrixXd L = T.triangularView<Eigen::Lower>();
    Eigen::MatrixXd B = Eigen::MatrixXd::Random(m, n);
    const Eigen::MatrixXd expected = L.lu().solve(B);
    const double one = 1.0;
    dtrsm_("L", "L", "N", "N", &m, &n, &one, T.data(), &m, B.data(), &m);
    CHECK(relative(B, expected) < 1e-12);
}

TEST_CASE("MUMPS' LU solves one right-hand side through the single-column forwarding as it "
          "solves several", "[unit]") {
    // An unsymmetric convection-diffusion operator on a 16 x 16 x 16 grid (4,096 unknowns):
    // nested dissection gives fronts of a few hundred rows, whose solves call DGEMM and DTRSM on
    // the right-hand side block. Diagonally dominant, so well conditioned: |A x - b| <= 1e-10 |b|.
    const int s = 16, n = s * s * s;
    auto index = [&](int i, int j, int k) { return (k * s + j) * s + i; };
    std::vector<Eigen::Triplet<double>> t;
    for (int k = 0; k < s; ++k)
        for (int j = 0; j < s; ++j)
            for (int i = 0; i < s; ++i) {
                const int r = index(i, j, k);
                t.emplace_back(r, r, 6.5);
                const int d[3] = {i, j, k};
                for (int axis = 0; axis < 3; ++axis) {
                    for (const int side : {-1, 1}) {
                        int e[3] = {d[0], d[1], d[2]};
                        e[axis] += side;
                        if (e[axis] < 0 || e[axis] >= s) continue;
                        // Upwinded convection along the first axis makes it unsymmetric.
                        const double value = axis == 0 ? (side < 0 ? -1.4 : -0.6) : -1.0;
                        t.emplace_back(r, index(e[0], e[1], e[2]), value);
                    }
                }
            }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(t.begin(), t.end());
    A.makeCompressed();
    auto lu = make_mumps_lu_solver();
    REQUIRE(lu->factorise(A) == LinearSolver::Status::ok);
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 3);
    const Eigen::MatrixXd together = lu->solve(b);
    CHECK((A * together - b).norm() / b.norm() < 1e-10);
    for (int c = 0; c < 3; ++c) {
        const Eigen::MatrixXd alone = lu->solve(b.col(c));
        CHECK((A * alone - b.col(c)).norm() / b.col(c).norm() < 1e-10);
        CHECK(relative(alone, together.col(c)) < 1e-12);
    }
}

TEST_CASE("MUMPS' LU in single precision is a preconditioner: its answers good to float, GMRES's "
          "to the tolerance asked", "[unit]") {
    // The same well-conditioned operator: a float LU leaves a residual of order its unit
    // round-off (6e-8) times the growth of a few hundred eliminations, far above double's and
    // far below 1e-3; GMRES preconditioned by it reaches 1e-12 in a few iterations.
    const int s = 12, n = s * s * s;
    std::vector<Eigen::Triplet<double>> t;
    for (int r = 0; r < n; ++r) {
        t.emplace_back(r, r, 6.5);
        if (r % s + 1 < s) {
            t.emplace_back(r, r + 1, -0.6);
            t.emplace_back(r + 1, r, -1.4);
        }
        if ((r / s) % s + 1 < s) {
            t.emplace_back(r, r + s, -1.0);
            t.emplace_back(r + s, r, -1.0);
        }
        if (r + s * s < n) {
            t.emplace_back(r, r + s * s, -1.0);
            t.emplace_back(r + s * s, r, -1.0);
        }
    }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(t.begin(), t.end());
    A.makeCompressed();
    auto single = make_mumps_single_lu_solver();
    CHECK_FALSE(single->exact());
    CHECK_FALSE(single->symmetric());
    CHECK(make_mumps_lu_solver()->exact());
    REQUIRE(single->factorise(A) == LinearSolver::Status::ok);
    const Eigen::VectorXd b = Eigen::VectorXd::Random(n);
    const Eigen::VectorXd x = single->solve(b);
    const double direct = (A * x - b).norm() / b.norm();
    CHECK(direct < 1e-4);
    CHECK(direct > 1e-13); // not double precision
    GmresSettings settings;
    settings.tolerance = 1e-12;
    Eigen::VectorXd y;
    const GmresResult result = gmres(
        [&](const Eigen::VectorXd& v, Eigen::VectorXd& out) { out = A * v; },
        [&](const Eigen::VectorXd& v, Eigen::VectorXd& out) { out = single->solve(v).col(0); }, b,
        y, settings);
    CHECK(result.converged);
    CHECK(result.iterations <= 4);
    CHECK((A * y - b).norm() / b.norm() < 1e-11);
}

TEST_CASE("SingleBlasThread runs OpenBLAS on one thread while it lives and puts the count back",
          "[unit]") {
    using Get = int (*)();
    using Set = void (*)(int);
    const auto get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    const auto set = reinterpret_cast<Set>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    REQUIRE(get != nullptr); // Debian's libblas.so.3 is OpenBLAS (tools/setup.sh)
    REQUIRE(set != nullptr);
    const int before = get();
    set(2);
    {
        const SingleBlasThread guard;
        CHECK(get() == 1);
    }
    CHECK(get() == 2);
    set(before);
}
