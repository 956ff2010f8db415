#include "mesh/quality.hpp"

#include "mesh/hex_shape.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

namespace discsim::mesh {

namespace {
constexpr int edges[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6},
                              {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
const double gauss = 1.0 / std::sqrt(3.0);

double normalised_determinant(const Eigen::Matrix3d& j) {
    const double norms = j.col(0).norm() * j.col(1).norm() * j.col(2).norm();
    return norms > 0.0 ? j.determinant() / norms : 0.0;
}
} // namespace

HexNodes cell_nodes(const HexMesh& mesh, int cell) {
    HexNodes x;
    for (int k = 0; k < 8; ++k) x[k] = mesh.nodes[mesh.cells[cell][k]];
    return x;
}

Eigen::Matrix3d hex_jacobian(const HexNodes& x, double xi, double eta, double zeta) {
    const double p[3] = {xi, eta, zeta};
    const Eigen::Matrix<double, 8, 3> dN = hex_shape_gradients(p);
    Eigen::Matrix3d j = Eigen::Matrix3d::Zero();
    for (int a = 0; a < 8; ++a) {
        for (int d = 0; d < 3; ++d)
            j.col(d) += dN(a, d) * x[a];
    }
    return j;
}

double scaled_jacobian(const HexNodes& x) {
    double worst = normalised_determinant(hex_jacobian(x, 0, 0, 0));
    for (int a = 0; a < 8; ++a) {
        worst = std::min(worst,
                         normalised_determinant(hex_jacobian(x, hex_corner_sign[a][0], hex_corner_sign[a][1], hex_corner_sign[a][2])));
    }
    return worst;
}

double edge_ratio(const HexNodes& x) {
    double shortest = std::numeric_limits<double>::infinity(), longest = 0.0;
    for (const auto& e : edges) {
        const double length = (x[e[1]] - x[e[0]]).norm();
        shortest = std::min(shortest, length);
        longest = std::max(longest, length);
    }
    return shortest > 0.0 ? longest / shortest : std::numeric_limits<double>::infinity();
}

double hex_volume(const HexNodes& x) {
    double volume = 0.0;
    for (int a = 0; a < 8; ++a) {
        volume += hex_jacobian(x, hex_corner_sign[a][0] * gauss, hex_corner_sign[a][1] * gauss, hex_corner_sign[a][2] * gauss)
                      .determinant();
    }
    return volume;
}

double quad_area(const std::array<Vec3, 4>& x) {
    double area = 0.0;
    for (double s : {-gauss, gauss}) {
        for (double t : {-gauss, gauss}) {
            const Vec3 ds = ((1 - t) * (x[1] - x[0]) + (1 + t) * (x[2] - x[3])) / 4.0;
            const Vec3 dt = ((1 - s) * (x[3] - x[0]) + (1 + s) * (x[2] - x[1])) / 4.0;
            area += ds.cross(dt).norm();
        }
    }
    return area;
}

MeshStatistics mesh_statistics(const HexMesh& mesh) {
    MeshStatistics stats;
    stats.nodes = mesh.node_count();
    stats.cells = mesh.cell_count();
    stats.dofs = 3 * stats.nodes;
    stats.min_scaled_jacobian = std::numeric_limits<double>::infinity();
    for (int c = 0; c < mesh.cell_count(); ++c) {
        const auto x = cell_nodes(mesh, c);
        (mesh.region[c] == 0 ? stats.nucleus_cells : stats.annulus_cells)++;
        stats.volume += hex_volume(x);
        stats.min_scaled_jacobian = std::min(stats.min_scaled_jacobian, scaled_jacobian(x));
        stats.max_edge_ratio = std::max(stats.max_edge_ratio, edge_ratio(x));
    }
    for (const auto& face : mesh.face_set(Surface::inferior_endplate)) {
        std::array<Vec3, 4> corners;
        for (int k = 0; k < 4; ++k) {
            corners[k] = mesh.nodes[mesh.cells[face.cell][hex_faces()[face.local_face][k]]];
        }
        const double area = quad_area(corners);
        stats.cross_section_area += area;
        if (mesh.region[face.cell] == 0) stats.nucleus_area += area;
    }
    return stats;
}

} // namespace discsim::mesh
