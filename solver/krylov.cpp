#include "solver/krylov.hpp"

#include <cmath>
#include <vector>

namespace discsim::solver {

GmresResult gmres(const LinearMap& A, const LinearMap& M, const Eigen::VectorXd& b,
                  Eigen::VectorXd& x, const GmresSettings& settings) {
    GmresResult result;
    const Eigen::Index n = b.size();
    x = Eigen::VectorXd::Zero(n);
    const double beta = b.norm();
    if (beta == 0.0) {
        result.converged = true;
        result.relative_residual = 0.0;
        return result;
    }
    const int m = settings.max_iterations;
    Eigen::MatrixXd V(n, m + 1);           // Arnoldi basis
    // The preconditioned basis vectors z_k = M v_k, kept (flexible GMRES, Saad 1993): the
    // solution is then Z y, where plain GMRES would apply M once more to V y. The same
    // iterates in exact arithmetic, one preconditioner solve fewer per call.
    Eigen::MatrixXd Z(n, m);
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(m + 1, m); // Hessenberg, rotated to triangular
    Eigen::VectorXd cs(m), sn(m), g = Eigen::VectorXd::Zero(m + 1);
    V.col(0) = b / beta;
    g[0] = beta;
    Eigen::VectorXd z(n), w(n);
    int k = 0;
    double relative = 1.0;
    for (; k < m; ++k) {
        M(V.col(k), z);
        A(z, w);
        Z.col(k) = z;
        // Modified Gram-Schmidt, then one re-orthogonalisation pass (Giraud et al. 2005: the
        // second pass keeps the basis orthogonal to round-off at no risk).
        for (int pass = 0; pass < 2; ++pass) {
            for (int j = 0; j <= k; ++j) {
                const double h = V.col(j).dot(w);
                H(j, k) += h;
                w -= h * V.col(j);
            }
        }
        const double h_next = w.norm();
        H(k + 1, k) = h_next;
        // Apply the earlier Givens rotations to the new column, then make the next one.
        for (int j = 0; j < k; ++j) {
            const double a = H(j, k), c = H(j + 1, k);
            H(j, k) = cs[j] * a + sn[j] * c;
            H(j + 1, k) = -sn[j] * a + cs[j] * c;
        }
        const double a = H(k, k), c = H(k + 1, k);
        const double r = std::hypot(a, c);
        cs[k] = r == 0.0 ? 1.0 : a / r;
        sn[k] = r == 0.0 ? 0.0 : c / r;
        H(k, k) = r;
        H(k + 1, k) = 0.0;
        g[k + 1] = -sn[k] * g[k];
        g[k] = cs[k] * g[k];
        relative = std::abs(g[k + 1]) / beta;
        const int done = k + 1;
        if (relative <= settings.tolerance || h_next == 0.0 || !std::isfinite(relative)) {
            k = done;
            break;
        }
        if (done >= settings.rate_check_after) {
            // Mean reduction per iteration so far; the iterations still needed at that rate.
            const double rate = std::pow(relative, 1.0 / done);
            if (rate >= 1.0 ||
                done + std::log(settings.tolerance / relative) / std::log(rate) > m) {
                result.iterations = done;
                result.relative_residual = relative;
                return result; // not converging fast enough: the caller refactorises
            }
        }
        V.col(k + 1) = w / h_next;
    }
    result.iterations = k;
    result.relative_residual = relative;
    if (!std::isfinite(relative)) return result;
    // y = R^-1 g, x = Z y (= M V y).
    const Eigen::VectorXd y =
        H.topLeftCorner(k, k).triangularView<Eigen::Upper>().solve(g.head(k));
    x = Z.leftCols(k) * y;
    result.converged = relative <= settings.tolerance;
    return result;
}

} // namespace discsim::solver
