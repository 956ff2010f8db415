// BLAS-3 calls with a single right-hand side, forwarded to their BLAS-2 forms.
//
// MUMPS' solve phase (JOB = 3) works front by front with DTRSM and DGEMM on the block of
// right-hand sides. A GMRES solve has one right-hand side, so each call is a matrix times one
// column. OpenBLAS 0.3.21 (Debian 12) runs such a DGEMM or DTRSM as it runs any other: it first
// packs (copies) the whole panel of the factor into its blocked layout, then multiplies. For a
// single column that copy moves the panel through memory once more than the product itself,
// and it was the largest item of the biphasic traction session at medium: 21 % of the run's
// samples in dgemm_incopy alone, 35 % with the DTRSM copies. The same products done as DGEMV
// and DTRSV read the panel once. (OpenBLAS 0.3.28 added the same forwarding for GEMM, its
// GEMM_GEMV_FORWARD option, pull request 4814, enabled at first on ARM64 only; Debian 12's
// 0.3.21 predates it.)
//
// The forwarding is done by defining dgemm_ and dtrsm_ in discsim: a symbol of the executable
// comes first in the dynamic linker's search, so MUMPS, CHOLMOD and UMFPACK call these. Every
// call that is not a single column goes on to the BLAS library's own routine, found with
// dlsym(RTLD_NEXT). The result is the same product, summed in another order (round-off).
#include "solver/blas_one_column.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

extern "C" {
void dgemv_(const char* trans, const int* m, const int* n, const double* alpha, const double* a,
            const int* lda, const double* x, const int* incx, const double* beta, double* y,
            const int* incy);
void dtrsv_(const char* uplo, const char* trans, const char* diag, const int* n, const double* a,
            const int* lda, double* x, const int* incx);
void sgemv_(const char* trans, const int* m, const int* n, const float* alpha, const float* a,
            const int* lda, const float* x, const int* incx, const float* beta, float* y,
            const int* incy);
void strsv_(const char* uplo, const char* trans, const char* diag, const int* n, const float* a,
            const int* lda, float* x, const int* incx);
}

namespace {

// The Fortran BLAS signatures, for T = double (d...) and float (s...).
template <class T>
using Gemv = void (*)(const char*, const int*, const int*, const T*, const T*, const int*,
                      const T*, const int*, const T*, T*, const int*);
template <class T>
using Trsv = void (*)(const char*, const char*, const char*, const int*, const T*, const int*, T*,
                      const int*);
template <class T>
using Gemm = void (*)(const char*, const char*, const int*, const int*, const int*, const T*,
                      const T*, const int*, const T*, const int*, const T*, T*, const int*);
template <class T>
using Trsm = void (*)(const char*, const char*, const char*, const char*, const int*, const int*,
                      const T*, const T*, const int*, T*, const int*);

template <class F>
F next_definition(const char* name) {
    void* symbol = dlsym(RTLD_NEXT, name);
    if (symbol == nullptr) {
        std::fprintf(stderr, "discsim: no BLAS routine %s after discsim's own\n", name);
        std::abort();
    }
    return reinterpret_cast<F>(symbol);
}

bool is(const char* c, char upper) { return *c == upper || *c == upper - 'A' + 'a'; }

// C = alpha op(A) op(B) + beta C, C m x n. With n = 1, op(B) is one column of k values: B's
// first column (contiguous) or, transposed, B's first row (stride ldb). `blas`: the library's
// own GEMM, for every other shape.
template <class T>
void gemm(Gemv<T> gemv, Gemm<T> blas, const char* transa, const char* transb, const int* m,
          const int* n, const int* k, const T* alpha, const T* a, const int* lda, const T* b,
          const int* ldb, const T* beta, T* c, const int* ldc) {
    if (*n != 1) {
        blas(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    const int one = 1;
    const int incx = is(transb, 'N') ? 1 : *ldb;
    // op(A) = A (m x k) or A^T with A k x m.
    if (is(transa, 'N'))
        gemv("N", m, k, alpha, a, lda, b, &incx, beta, c, &one);
    else
        gemv("T", k, m, alpha, a, lda, b, &incx, beta, c, &one);
}

// op(A) X = alpha B (side L) or X op(A) = alpha B (side R), X overwriting B (m x n). From the
// left with n = 1, X is one column: alpha B, then a triangular solve. `blas`: the library's own
// TRSM, for every other shape.
template <class T>
void trsm(Trsv<T> trsv, Trsm<T> blas, const char* side, const char* uplo, const char* transa,
          const char* diag, const int* m, const int* n, const T* alpha, const T* a,
          const int* lda, T* b, const int* ldb) {
    if (!is(side, 'L') || *n != 1) {
        blas(side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb);
        return;
    }
    if (*alpha == T(0)) {
        for (int i = 0; i < *m; ++i)
            b[i] = T(0);
        return;
    }
    if (*alpha != T(1)) {
        for (int i = 0; i < *m; ++i)
            b[i] *= *alpha;
    }
    const int one = 1;
    trsv(uplo, transa, diag, m, a, lda, b, &one);
}

} // namespace

extern "C" {

void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const double* alpha, const double* a, const int* lda, const double* b, const int* ldb,
            const double* beta, double* c, const int* ldc) {
    static const auto blas = next_definition<Gemm<double>>("dgemm_");
    gemm<double>(dgemv_, blas, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void dtrsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const double* alpha, const double* a, const int* lda, double* b,
            const int* ldb) {
    static const auto blas = next_definition<Trsm<double>>("dtrsm_");
    trsm<double>(dtrsv_, blas, side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb);
}

void sgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
            const float* beta, float* c, const int* ldc) {
    static const auto blas = next_definition<Gemm<float>>("sgemm_");
    gemm<float>(sgemv_, blas, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void strsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const float* alpha, const float* a, const int* lda, float* b,
            const int* ldb) {
    static const auto blas = next_definition<Trsm<float>>("strsm_");
    trsm<float>(strsv_, blas, side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb);
}

} // extern "C"

namespace discsim::solver {

bool blas_one_column_forwarded() {
    // The routine the libraries bind to is the one the dynamic linker finds first.
    return dlsym(RTLD_DEFAULT, "dgemm_") == reinterpret_cast<void*>(&dgemm_) &&
           dlsym(RTLD_DEFAULT, "dtrsm_") == reinterpret_cast<void*>(&dtrsm_);
}

namespace {

struct OpenBlasThreads {
    int (*get)() = nullptr;
    void (*set)(int) = nullptr;
};

const OpenBlasThreads& openblas_threads() {
    static const OpenBlasThreads found = [] {
        OpenBlasThreads t;
        t.get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        t.set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        if (!t.get || !t.set) t = OpenBlasThreads{};
        return t;
    }();
    return found;
}

} // namespace

SingleBlasThread::SingleBlasThread() {
    const OpenBlasThreads& t = openblas_threads();
    if (!t.get) return;
    previous_ = t.get();
    if (previous_ > 1) t.set(1);
}

SingleBlasThread::~SingleBlasThread() {
    if (previous_ > 1) openblas_threads().set(previous_);
}

} // namespace discsim::solver
