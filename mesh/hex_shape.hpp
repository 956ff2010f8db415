// The trilinear 8-node hexahedron in VTK's node order: the parametric corner signs, the shape
// functions and their gradients, shared by the mesh quality measures (mesh/quality.cpp) and the
// solver's elements (solver/hex8.cpp, solver/hex8_biphasic.cpp).
//     N_a(p) = prod_k (1 + s_ak p_k) / 8,   p in [-1, 1]^3,   s_a = hex_corner_sign[a].
#pragma once

#include <Eigen/Core>

namespace discsim::mesh {

inline constexpr int hex_corner_sign[8][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1},
                                              {-1, -1, 1},  {1, -1, 1},  {1, 1, 1},  {-1, 1, 1}};

/// N_a at the parametric point p.
inline Eigen::Matrix<double, 8, 1> hex_shape_values(const double (&p)[3]) {
    Eigen::Matrix<double, 8, 1> out;
    for (int a = 0; a < 8; ++a) {
        double value = 0.125;
        for (int k = 0; k < 3; ++k)
            value *= 1.0 + hex_corner_sign[a][k] * p[k];
        out[a] = value;
    }
    return out;
}

/// dN_a/dp_d at the parametric point p: row a, column d.
inline Eigen::Matrix<double, 8, 3> hex_shape_gradients(const double (&p)[3]) {
    Eigen::Matrix<double, 8, 3> out;
    for (int a = 0; a < 8; ++a) {
        for (int d = 0; d < 3; ++d) {
            double value = hex_corner_sign[a][d] / 8.0;
            for (int k = 0; k < 3; ++k) {
                if (k != d) value *= 1.0 + hex_corner_sign[a][k] * p[k];
            }
            out(a, d) = value;
        }
    }
    return out;
}

} // namespace discsim::mesh
