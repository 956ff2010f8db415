// Finite rotations of the rigid upper vertebra: the exponential and logarithmic maps of SO(3)
// (Rodrigues' formula) and the inverse of the left Jacobian, used to linearise a prescribed
// rotation vector (e.g. Sola, Deray & Atchuthan 2018, "A micro Lie theory for state
// estimation in robotics", eqs. 143-146).
#pragma once

#include <Eigen/Core>

namespace discsim::solver {

Eigen::Matrix3d skew(const Eigen::Vector3d& v);
/// R = exp([theta]x).
Eigen::Matrix3d rotation_from_vector(const Eigen::Vector3d& theta);
/// The rotation vector theta with exp([theta]x) = R, |theta| <= pi.
Eigen::Vector3d rotation_vector(const Eigen::Matrix3d& R);
/// J_l^-1(theta): for a small spatial increment d applied as exp([d]x) R, the rotation vector
/// changes by J_l^-1(theta) d to first order.
Eigen::Matrix3d inverse_left_jacobian(const Eigen::Vector3d& theta);

} // namespace discsim::solver
