#include "solver/rotation.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace discsim::solver {

Eigen::Matrix3d skew(const Eigen::Vector3d& v) {
    Eigen::Matrix3d m;
    m << 0, -v.z(), v.y(), v.z(), 0, -v.x(), -v.y(), v.x(), 0;
    return m;
}

Eigen::Matrix3d rotation_from_vector(const Eigen::Vector3d& theta) {
    const double angle = theta.norm();
    const Eigen::Matrix3d K = skew(theta);
    if (angle < 1e-8) return Eigen::Matrix3d::Identity() + K + 0.5 * K * K;
    return Eigen::Matrix3d::Identity() + std::sin(angle) / angle * K +
           (1.0 - std::cos(angle)) / (angle * angle) * K * K;
}

Eigen::Vector3d rotation_vector(const Eigen::Matrix3d& R) {
    const double cosine = std::clamp(0.5 * (R.trace() - 1.0), -1.0, 1.0);
    const double angle = std::acos(cosine);
    const Eigen::Vector3d axial(R(2, 1) - R(1, 2), R(0, 2) - R(2, 0), R(1, 0) - R(0, 1));
    if (angle < 1e-6) return 0.5 * axial; // sin(a)/a -> 1
    if (angle > M_PI - 1e-6) {
        // Near a half turn: the axis from the symmetric part.
        const Eigen::Matrix3d B = 0.5 * (R + Eigen::Matrix3d::Identity());
        int k = 0;
        B.diagonal().maxCoeff(&k);
        Eigen::Vector3d axis = B.col(k) / std::sqrt(B(k, k));
        if (axis.dot(axial) < 0) axis = -axis;
        return angle * axis.normalized();
    }
    return angle / (2.0 * std::sin(angle)) * axial;
}

Eigen::Matrix3d inverse_left_jacobian(const Eigen::Vector3d& theta) {
    const double angle = theta.norm();
    const Eigen::Matrix3d K = skew(theta);
    if (angle < 1e-6) return Eigen::Matrix3d::Identity() - 0.5 * K + K * K / 12.0;
    const double coefficient =
        1.0 / (angle * angle) - (1.0 + std::cos(angle)) / (2.0 * angle * std::sin(angle));
    return Eigen::Matrix3d::Identity() - 0.5 * K + coefficient * K * K;
}

} // namespace discsim::solver
