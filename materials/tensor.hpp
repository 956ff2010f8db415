// Second- and fourth-order tensors in the Voigt form every layer of discsim shares.
//
// Voigt order: 11, 22, 33, 12, 23, 13 (the output order XX YY ZZ XY YZ XZ).
//   Stress-like 2nd-order tensors map without factors: to_voigt(S) = (S11, S22, S33, S12, S23,
//   S13). Strain-like tensors carry engineering shear: engineering(E) = (E11, E22, E33, 2E12, 2E23,
//   2E13). A 4th-order tensor with minor symmetries maps to D(I, J) = CC_ijkl, I = (ij), J = (kl),
//   so that to_voigt(CC : E) = D * engineering(E) for symmetric E.
// The material tangent is CC = 2 dS/dC = dS/dE (E = (C - I)/2), hence for a small symmetric dC
//   to_voigt(dS) = D * engineering(dC / 2).
//
// All functions are inline and allocation-free: element kernels call them per quadrature point.
#pragma once

#include <Eigen/Dense>
#include <array>

namespace discsim::materials {

using Mat3 = Eigen::Matrix3d;
using Vec3 = Eigen::Vector3d;
using Vec6 = Eigen::Matrix<double, 6, 1>;
using Mat6 = Eigen::Matrix<double, 6, 6>;

/// Row and column of the 3x3 tensor behind each Voigt slot.
inline constexpr std::array<int, 6> voigt_row{0, 1, 2, 0, 1, 0};
inline constexpr std::array<int, 6> voigt_col{0, 1, 2, 1, 2, 2};

/// Stress-like Voigt vector of a symmetric tensor (no factor 2 on the shear slots).
inline Vec6 to_voigt(const Mat3& symmetric) {
    Vec6 v;
    for (int I = 0; I < 6; ++I)
        v(I) = symmetric(voigt_row[I], voigt_col[I]);
    return v;
}

/// Symmetric tensor from its stress-like Voigt vector.
inline Mat3 from_voigt(const Vec6& v) {
    Mat3 m;
    for (int I = 0; I < 6; ++I) {
        m(voigt_row[I], voigt_col[I]) = v(I);
        m(voigt_col[I], voigt_row[I]) = v(I);
    }
    return m;
}

/// Strain-like Voigt vector: shear slots doubled, so that D * engineering(E) = to_voigt(CC : E).
inline Vec6 engineering(const Mat3& strain) {
    Vec6 v = to_voigt(strain);
    v.tail<3>() *= 2.0;
    return v;
}

/// Inverse of engineering(): the symmetric strain tensor from engineering Voigt components.
inline Mat3 from_engineering(const Vec6& v) {
    Vec6 w = v;
    w.tail<3>() *= 0.5;
    return from_voigt(w);
}

/// (A ⊗ B)_ijkl = A_ij B_kl.
inline Mat6 outer(const Mat3& A, const Mat3& B) {
    Mat6 D;
    for (int I = 0; I < 6; ++I) {
        const double a = A(voigt_row[I], voigt_col[I]);
        for (int J = 0; J < 6; ++J)
            D(I, J) = a * B(voigt_row[J], voigt_col[J]);
    }
    return D;
}

/// (A ⊙ B)_ijkl = ½(A_ik B_jl + A_il B_jk). For symmetric C, dC⁻¹/dC = −C⁻¹ ⊙ C⁻¹, and
/// I ⊙ I is the symmetric identity. Symmetric in (kl) for any A, B; also in (ij) (minor
/// symmetry) when A = B is symmetric, the only use in the models.
inline Mat6 odot(const Mat3& A, const Mat3& B) {
    Mat6 D;
    for (int I = 0; I < 6; ++I) {
        const int i = voigt_row[I];
        const int j = voigt_col[I];
        for (int J = 0; J < 6; ++J) {
            const int k = voigt_row[J];
            const int l = voigt_col[J];
            D(I, J) = 0.5 * (A(i, k) * B(j, l) + A(i, l) * B(j, k));
        }
    }
    return D;
}

/// The 4th-order symmetric identity 𝕀_ijkl = ½(δ_ik δ_jl + δ_il δ_jk): diag(1, 1, 1, ½, ½, ½),
/// so that symmetric_identity() * engineering(E) = to_voigt(E).
inline Mat6 symmetric_identity() {
    Mat6 D = Mat6::Zero();
    D.diagonal() << 1.0, 1.0, 1.0, 0.5, 0.5, 0.5;
    return D;
}

/// The isotropic linear-elastic matrix λ I⊗I + 2μ 𝕀 (stress from engineering strain).
inline Mat6 isotropic_elasticity(double lambda, double mu) {
    const Mat3 I = Mat3::Identity();
    return lambda * outer(I, I) + 2.0 * mu * symmetric_identity();
}

} // namespace discsim::materials
