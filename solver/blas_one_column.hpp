// DGEMM and DTRSM with a single right-hand side done as DGEMV and DTRSV, for the sparse direct
// solvers' solve phase (solver/blas_one_column.cpp says why).
#pragma once

namespace discsim::solver {

/// Whether the libraries' dgemm_ and dtrsm_ are discsim's forwarding ones (the dynamic linker
/// finds them first). linear_solver.cpp calls it, which also links them into every program.
bool blas_one_column_forwarded();

/// OpenBLAS on one thread while it lives, its earlier thread count put back after (nothing when
/// the BLAS loaded is not OpenBLAS). For the single-column solves of GMRES: their products
/// with a front of a few hundred rows are too small to share, and the waiting BLAS thread
/// spins on the second core that the assembly's threads need next (medium traction session,
/// the whole run on one BLAS thread: 21.1 and 22.4 s against 22.6 and 24.3 s, and a quarter
/// less CPU time).
class SingleBlasThread {
public:
    SingleBlasThread();
    ~SingleBlasThread();
    SingleBlasThread(const SingleBlasThread&) = delete;
    SingleBlasThread& operator=(const SingleBlasThread&) = delete;

private:
    int previous_ = 0;
};

} // namespace discsim::solver
