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

namespace {

using Gemm = void (*)(const char*, const char*, const int*, const int*, const int*, const double*,
                      const double*, const int*, const double*, const int*, const double*, double*,
                      const int*);
using Trsm = void (*)(const char*, const char*, const char*, const char*, const int*, const int*,
                      const double*, const double*, const int*, double*, const int*);

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

} // namespace

extern "C" {

void dgemv_(const char* trans, const int* m, const int* n, const double* alpha, const double* a,
            const int* lda, const double* x, const int* incx, const double* beta, double* y,
            const int* incy);
void dtrsv_(const char* uplo, const char* trans, const char* diag, const int* n, const double* a,
            const int* lda, double* x, const int* incx);

// C = alpha op(A) op(B) + beta C, C m x n. With n = 1, op(B) is one column of k values: B's
// first column (contiguous) or, transposed, B's first row (stride ldb).
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const double* alpha, const double* a, const int* lda, const double* b, const int* ldb,
            const double* beta, double* c, const int* ldc) {
    if (*n == 1) {
        const int one = 1;
        const int incx = is(transb, 'N') ? 1 : *ldb;
        // op(A) = A (m x k) or A^T with A k x m.
        if (is(transa, 'N'))
            dgemv_("N", m, k, alpha, a, lda, b, &incx, beta, c, &one);
        else
            dgemv_("T", k, m, alpha, a, lda, b, &incx, beta, c, &one);
        return;
    }
    static const Gemm blas = next_definition<Gemm>("dgemm_");
    blas(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// op(A) X = alpha B (side L) or X op(A) = alpha B (side R), X overwriting B (m x n). From the
// left with n = 1, X is one column: alpha B, then a triangular solve.
void dtrsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const double* alpha, const double* a, const int* lda, double* b,
            const int* ldb) {
    if (is(side, 'L') && *n == 1) {
        if (*alpha == 0.0) {
            for (int i = 0; i < *m; ++i)
                b[i] = 0.0;
            return;
        }
        if (*alpha != 1.0) {
            for (int i = 0; i < *m; ++i)
                b[i] *= *alpha;
        }
        const int one = 1;
        dtrsv_(uplo, transa, diag, m, a, lda, b, &one);
        return;
    }
    static const Trsm blas = next_definition<Trsm>("dtrsm_");
    blas(side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb);
}

void sgemv_(const char* trans, const int* m, const int* n, const float* alpha, const float* a,
            const int* lda, const float* x, const int* incx, const float* beta, float* y,
            const int* incy);
void strsv_(const char* uplo, const char* trans, const char* diag, const int* n, const float* a,
            const int* lda, float* x, const int* incx);

void sgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
            const float* beta, float* c, const int* ldc) {
    if (*n == 1) {
        const int one = 1;
        const int incx = is(transb, 'N') ? 1 : *ldb;
        if (is(transa, 'N'))
            sgemv_("N", m, k, alpha, a, lda, b, &incx, beta, c, &one);
        else
            sgemv_("T", k, m, alpha, a, lda, b, &incx, beta, c, &one);
        return;
    }
    using F = void (*)(const char*, const char*, const int*, const int*, const int*, const float*,
                       const float*, const int*, const float*, const int*, const float*, float*,
                       const int*);
    static const F blas = next_definition<F>("sgemm_");
    blas(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void strsm_(const char* side, const char* uplo, const char* transa, const char* diag, const int* m,
            const int* n, const float* alpha, const float* a, const int* lda, float* b,
            const int* ldb) {
    if (is(side, 'L') && *n == 1) {
        for (int i = 0; i < *m; ++i)
            b[i] = *alpha == 0.0f ? 0.0f : b[i] * *alpha;
        if (*alpha == 0.0f) return;
        const int one = 1;
        strsv_(uplo, transa, diag, m, a, lda, b, &one);
        return;
    }
    using F = void (*)(const char*, const char*, const char*, const char*, const int*, const int*,
                       const float*, const float*, const int*, float*, const int*);
    static const F blas = next_definition<F>("strsm_");
    blas(side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb);
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
