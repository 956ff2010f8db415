#include "solver/linear_solver.hpp"

#include "solver/blas_one_column.hpp"

#include <Eigen/CholmodSupport>
#include <Eigen/UmfPackSupport>

#include <dmumps_c.h>
#include <smumps_c.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <unistd.h>
#include <string>
#include <vector>

namespace discsim::solver {

namespace {

// MUMPS (Amestoy et al. 2001, SIAM J Matrix Anal Appl 23:15; 2019, ACM TOMS 45:2), sequential
// build: a symmetric-indefinite LDL^T (SYM = 2: 1x1 and 2x2 pivots within the fronts) of one
// triangle, or an LU with partial pivoting (SYM = 0) of a whole unsymmetric matrix. The pattern
// is fixed after the first factorisation; the values are copied in each time.
//
// Debian 12's sequential MUMPS 5.5 is not safe to call from two threads at once, even on two
// instances: a sweep running two biphasic cases on threads crashed in DMUMPS_LOAD_INIT ("PB
// allocation", then a segmentation fault). Every call goes through one process-wide lock, so
// concurrent cases wait for each other's MUMPS calls (tests/test_linear_solver.cpp runs two
// instances on two threads).
std::mutex& mumps_lock() {
    static std::mutex lock;
    return lock;
}

void call_mumps(DMUMPS_STRUC_C& id) {
    const std::lock_guard<std::mutex> guard(mumps_lock());
    dmumps_c(&id);
}
void call_mumps(SMUMPS_STRUC_C& id) {
    const std::lock_guard<std::mutex> guard(mumps_lock());
    smumps_c(&id);
}

template <class Struc, class Real>
class MumpsOf {
public:
    enum class Kind { ldlt, lu };
    explicit MumpsOf(Kind kind) : kind_(kind) {
        // MUMPS' solves call DGEMM and DTRSM on one column: discsim's forwarding to DGEMV and
        // DTRSV (blas_one_column.cpp) makes them a third as long. Referenced here so that every
        // program with a MUMPS solver links it.
        static const bool forwarded = blas_one_column_forwarded();
        (void)forwarded;
        initialise();
    }
    ~MumpsOf() {
        id_.job = -2;
        call_mumps(id_);
    }
    MumpsOf(const MumpsOf&) = delete;
    MumpsOf& operator=(const MumpsOf&) = delete;

private:
    void initialise() {
        id_ = Struc{};
        id_.comm_fortran = -987654; // MUMPS' USE_COMM_WORLD; the sequential library ignores it
        id_.par = 1;
        id_.sym = kind_ == Kind::ldlt ? 2 : 0;
        id_.job = -1;
        call_mumps(id_);
        // No output: a failure is reported through INFOG and then to the caller.
        id_.icntl[0] = -1;
        id_.icntl[1] = -1;
        id_.icntl[2] = -1;
        id_.icntl[3] = 0;
        // ICNTL(7) = 5: METIS nested dissection. Measured on the 29k-DOF peer disc's indefinite
        // tangent (24,585 equations): 1.0 s per factorisation, the same as SCOTCH, against 1.4 s
        // with PORD and 2.4 s for UMFPACK's LU of the whole matrix.
        id_.icntl[6] = 5;
    }

public:
    /// Factorises the matrix: for Kind::ldlt the symmetric one whose lower triangle is `lower`,
    /// for Kind::lu `lower` itself (the whole matrix). False when singular.
    bool factorise(const Eigen::SparseMatrix<double>& lower) {
        const auto n = static_cast<MUMPS_INT>(lower.rows());
        if (!analysed_ || n != id_.n) {
            rows_.clear();
            cols_.clear();
            for (int j = 0; j < lower.outerSize(); ++j) {
                for (Eigen::SparseMatrix<double>::InnerIterator it(lower, j); it; ++it) {
                    rows_.push_back(static_cast<MUMPS_INT>(it.row() + 1));
                    cols_.push_back(static_cast<MUMPS_INT>(j + 1));
                }
            }
            values_.resize(rows_.size());
            id_.n = n;
            id_.nnz = static_cast<MUMPS_INT8>(rows_.size());
            id_.irn = rows_.data();
            id_.jcn = cols_.data();
            id_.a = values_.data();
            id_.job = 1;
            call_mumps(id_);
            if (id_.infog[0] < 0) return false;
            analysed_ = true;
        }
        std::size_t k = 0;
        for (int j = 0; j < lower.outerSize(); ++j) {
            for (Eigen::SparseMatrix<double>::InnerIterator it(lower, j); it; ++it)
                values_[k++] = static_cast<Real>(it.value());
        }
        // INFOG(1) = -9 or -8: the workspace estimate was short (delayed pivots); grow the
        // relaxation (ICNTL(14), percent) and factorise again.
        for (int attempt = 0; attempt < 4; ++attempt) {
            id_.job = 2;
            call_mumps(id_);
            if (id_.infog[0] != -9 && id_.infog[0] != -8) break;
            id_.icntl[13] = std::max(id_.icntl[13], 20) * 2;
        }
        factorised_ = id_.infog[0] >= 0;
        return factorised_;
    }

    /// Frees the factors, so that only one factorisation of the tangent is held at a time.
    /// Debian 12's MUMPS 5.5 has no JOB = -4 (free all but the analysis), so the instance is
    /// ended and started again; the next factorisation analyses again (0.13 s on the 29k-DOF
    /// peer disc, against 1.0 s for the factorisation).
    void release() {
        if (!factorised_ && !analysed_) return;
        id_.job = -2;
        call_mumps(id_);
        initialise();
        analysed_ = false;
        factorised_ = false;
    }

    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) {
        Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic> x = rhs.cast<Real>();
        if (!factorised_) throw std::logic_error("MUMPS solve without a factorisation");
        id_.rhs = x.data();
        id_.nrhs = static_cast<MUMPS_INT>(x.cols());
        id_.lrhs = static_cast<MUMPS_INT>(x.rows());
        id_.job = 3;
        call_mumps(id_);
        if (id_.infog[0] < 0)
            throw std::runtime_error("MUMPS solve failed, INFOG(1) = " +
                                     std::to_string(id_.infog[0]));
        return x.template cast<double>();
    }

private:
    Kind kind_;
    Struc id_{};
    std::vector<MUMPS_INT> rows_, cols_;
    std::vector<Real> values_;
    bool analysed_ = false;
    bool factorised_ = false;
};

using Mumps = MumpsOf<DMUMPS_STRUC_C, double>;
using SingleMumps = MumpsOf<SMUMPS_STRUC_C, float>;

// CHOLMOD's supernodal LL^T with a way to free the numeric factor while keeping the symbolic
// analysis (cholmod_change_factor to a symbolic factor), for when the MUMPS fallback takes over.
class SupernodalLlt : public Eigen::CholmodSupernodalLLT<Eigen::SparseMatrix<double>, Eigen::Lower> {
public:
    void release_numeric() {
        if (m_cholmodFactor == nullptr || m_cholmodFactor->xtype == CHOLMOD_PATTERN) return;
        cholmod_change_factor(CHOLMOD_PATTERN, m_cholmodFactor->is_ll, m_cholmodFactor->is_super,
                              true, true, m_cholmodFactor, &cholmod());
        m_factorizationIsOk = false;
    }
    /// The numeric factor (null before the first factorisation).
    const cholmod_factor* factor() const {
        return m_factorizationIsOk && m_cholmodFactor != nullptr &&
                       m_cholmodFactor->xtype != CHOLMOD_PATTERN
                   ? m_cholmodFactor
                   : nullptr;
    }
    /// Replaces the factor by a copy of `factor` (from factor() of this solver's analysis).
    void restore(const cholmod_factor* factor) {
        cholmod_factor* copy = cholmod_copy_factor(const_cast<cholmod_factor*>(factor), &cholmod());
        if (copy == nullptr) throw std::runtime_error("CHOLMOD could not copy a factor");
        if (m_cholmodFactor != nullptr) cholmod_free_factor(&m_cholmodFactor, &cholmod());
        m_cholmodFactor = copy;
        m_factorizationIsOk = true;
        m_info = Eigen::Success;
    }
};

// A CHOLMOD factor kept apart, with its own CHOLMOD workspace to free it.
struct CholmodCopy final : LinearSolver::FactorCopy {
    cholmod_common common;
    cholmod_factor* factor = nullptr;
    explicit CholmodCopy(const cholmod_factor* of) {
        cholmod_start(&common);
        factor = cholmod_copy_factor(const_cast<cholmod_factor*>(of), &common);
        if (factor == nullptr) throw std::runtime_error("CHOLMOD could not copy a factor");
    }
    ~CholmodCopy() override {
        cholmod_free_factor(&factor, &common);
        cholmod_finish(&common);
    }
    CholmodCopy(const CholmodCopy&) = delete;
    CholmodCopy& operator=(const CholmodCopy&) = delete;
};

class CholmodSolver final : public LinearSolver {
public:
    CholmodSolver() {
        // An indefinite tangent is an expected event (handled by the MUMPS LDL^T fallback and
        // reported in the Newton report), not something for CHOLMOD to print on the terminal.
        cholesky_.cholmod().print = 0;
        // Nested dissection (METIS) only: on the disc meshes it halves the factorisation flops
        // of CHOLMOD's default (AMD first, METIS only when AMD fills badly): medium disc 4.3e8
        // against 8.0e8 flops, 0.056 s against 0.068 s per factorisation on this 2-core machine.
        cholesky_.cholmod().nmethods = 1;
        cholesky_.cholmod().method[0].ordering = CHOLMOD_METIS;
    }

    Status factorise(const Eigen::SparseMatrix<double>& lower) override {
        if (!analysed_) {
            cholesky_.analyzePattern(lower);
            analysed_ = true;
        }
        cholesky_.factorize(lower);
        using_fallback_ = cholesky_.info() != Eigen::Success;
        // One set of factors held at a time: the peak memory is the larger of the two, not
        // their sum (29k-DOF peer disc: 165 MB for CHOLMOD's, 170-260 MB for MUMPS').
        if (!using_fallback_) {
            fallback_.release();
            return Status::ok;
        }
        cholesky_.release_numeric();
        // Not positive definite: a symmetric-indefinite LDL^T of the same triangle. Measured on
        // the 29k-DOF peer disc (24,585 equations, an indefinite Newton iterate with 33 negative
        // pivots): MUMPS 1.0 s and 0.02 s a solve, against 2.4 s and 0.25 s a solve for
        // UMFPACK's LU of the whole matrix, the fallback before, which also needed the whole
        // matrix copied (CHOLMOD's own LL^T: 0.48 s). A Cholesky of the tangent shifted by
        // 1e-3 diag(K) as a GMRES preconditioner needed 125-206 iterations: no cheaper.
        return fallback_.factorise(lower) ? Status::fallback : Status::singular;
    }

    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) override {
        if (using_fallback_) return fallback_.solve(rhs);
        return cholesky_.solve(rhs);
    }

    std::string_view name() const override {
        return "CHOLMOD supernodal LL^T, MUMPS LDL^T fallback";
    }

    // The Cholesky factor can be copied; the fallback's LDL^T (inside MUMPS) cannot.
    std::shared_ptr<const FactorCopy> copy_factors() const override {
        if (using_fallback_ || cholesky_.factor() == nullptr) return nullptr;
        return std::make_shared<CholmodCopy>(cholesky_.factor());
    }
    void restore_factors(const FactorCopy& copy) override {
        cholesky_.restore(dynamic_cast<const CholmodCopy&>(copy).factor);
        using_fallback_ = false;
        fallback_.release();
    }

private:
    SupernodalLlt cholesky_;
    Mumps fallback_{Mumps::Kind::ldlt};
    bool analysed_ = false;
    bool using_fallback_ = false;
};

class MumpsSolver final : public LinearSolver {
public:
    Status factorise(const Eigen::SparseMatrix<double>& lower) override {
        return ldlt_.factorise(lower) ? Status::ok : Status::singular;
    }
    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) override { return ldlt_.solve(rhs); }
    std::string_view name() const override { return "MUMPS LDL^T"; }

private:
    Mumps ldlt_{Mumps::Kind::ldlt};
};

class MumpsLuSolver final : public LinearSolver {
public:
    Status factorise(const Eigen::SparseMatrix<double>& full) override {
        return lu_.factorise(full) ? Status::ok : Status::singular;
    }
    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) override { return lu_.solve(rhs); }
    bool symmetric() const override { return false; }
    std::string_view name() const override { return "MUMPS LU (whole matrix)"; }

private:
    Mumps lu_{Mumps::Kind::lu};
};

class SingleMumpsLuSolver final : public LinearSolver {
public:
    Status factorise(const Eigen::SparseMatrix<double>& full) override {
        return lu_.factorise(full) ? Status::ok : Status::singular;
    }
    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) override { return lu_.solve(rhs); }
    bool symmetric() const override { return false; }
    bool exact() const override { return false; }
    std::string_view name() const override { return "MUMPS LU in single precision (whole matrix)"; }

private:
    SingleMumps lu_{SingleMumps::Kind::lu};
};

// Eigen's UMFPACK LU with its numeric object saved to and loaded from a file: UMFPACK 5.7
// (Debian 12) copies a factorisation only that way (umfpack_di_save_numeric, load_numeric:
// the object's arrays written and read back as they are, so the copy is the same bit for bit).
class UmfpackLu : public Eigen::UmfPackLU<Eigen::SparseMatrix<double>> {
public:
    bool factorised() const { return m_factorizationIsOk && m_numeric != nullptr; }
    void save(const std::string& file) const {
        if (umfpack_di_save_numeric(m_numeric, const_cast<char*>(file.c_str())) != UMFPACK_OK)
            throw std::runtime_error("UMFPACK could not save a factorisation to " + file);
    }
    void load(const std::string& file) {
        void* numeric = nullptr;
        if (umfpack_di_load_numeric(&numeric, const_cast<char*>(file.c_str())) != UMFPACK_OK)
            throw std::runtime_error("UMFPACK could not load a factorisation from " + file);
        if (m_numeric != nullptr) umfpack_di_free_numeric(&m_numeric);
        m_numeric = numeric;
        m_factorizationIsOk = true;
        m_info = Eigen::Success;
    }
};

// A UMFPACK factorisation kept in a file of the temporary folder, removed with the copy.
struct UmfpackCopy final : LinearSolver::FactorCopy {
    std::string file;
    explicit UmfpackCopy(const UmfpackLu& lu) {
        static std::atomic<long> count{0};
        file = (std::filesystem::temp_directory_path() /
                ("discsim-lu-" + std::to_string(::getpid()) + "-" + std::to_string(count++) +
                 ".umf"))
                   .string();
        lu.save(file);
    }
    ~UmfpackCopy() override { std::remove(file.c_str()); }
    UmfpackCopy(const UmfpackCopy&) = delete;
    UmfpackCopy& operator=(const UmfpackCopy&) = delete;
};

class UmfpackSolver final : public LinearSolver {
public:
    UmfpackSolver() {
        lu_.umfpackControl()(UMFPACK_IRSTEP) = 0;
        // The symmetric strategy (the u-p tangent's pattern is symmetric and its diagonal
        // nonzero) with METIS nested dissection on A + A^T. Measured on the biphasic disc, the
        // same 69 factorisations of a 10-minute creep in one session: medium 32.6 s against
        // 52.7 s with AMD/COLAMD (0.47 s against 0.76 s each), coarse 8.3 s against 8.8 s.
        lu_.umfpackControl()(UMFPACK_STRATEGY) = UMFPACK_STRATEGY_SYMMETRIC;
        lu_.umfpackControl()(UMFPACK_ORDERING) = UMFPACK_ORDERING_METIS;
    }
    Status factorise(const Eigen::SparseMatrix<double>& full) override {
        if (!analysed_) {
            lu_.analyzePattern(full);
            analysed_ = true;
        }
        lu_.factorize(full);
        return lu_.info() == Eigen::Success ? Status::ok : Status::singular;
    }
    Eigen::MatrixXd solve(const Eigen::MatrixXd& rhs) override { return lu_.solve(rhs); }
    bool symmetric() const override { return false; }
    std::string_view name() const override { return "UMFPACK LU (whole matrix)"; }
    std::shared_ptr<const FactorCopy> copy_factors() const override {
        if (!lu_.factorised()) return nullptr;
        return std::make_shared<UmfpackCopy>(lu_);
    }
    void restore_factors(const FactorCopy& copy) override {
        lu_.load(dynamic_cast<const UmfpackCopy&>(copy).file);
    }

private:
    UmfpackLu lu_;
    bool analysed_ = false;
};

} // namespace

std::unique_ptr<LinearSolver> make_umfpack_solver() {
    return std::make_unique<UmfpackSolver>();
}

std::unique_ptr<LinearSolver> make_mumps_lu_solver() {
    return std::make_unique<MumpsLuSolver>();
}

std::unique_ptr<LinearSolver> make_mumps_single_lu_solver() {
    return std::make_unique<SingleMumpsLuSolver>();
}

std::unique_ptr<LinearSolver> make_mumps_solver() {
    return std::make_unique<MumpsSolver>();
}

std::unique_ptr<LinearSolver> make_cholmod_solver() {
    return std::make_unique<CholmodSolver>();
}

} // namespace discsim::solver
