// Element geometry and quality measures of trilinear hexahedra.
//
// - Jacobian at a corner: for the trilinear map the three derivative columns at a corner
//   are half the three edges leaving it, so det J(corner) = det[e_xi e_eta e_zeta] / 8.
// - Scaled Jacobian (Knupp 2000; the Verdict library's definition): the smallest over the
//   eight corners and the centre of det[a b c] / (|a| |b| |c|) for the three derivative
//   columns; 1 for a cube, <= 0 for an inverted or degenerate element.
// - Edge ratio: longest over shortest of the 12 edges (Verdict's hex "edge ratio"); this is
//   the "aspect ratio" discsim reports.
// - Volume: 2x2x2 Gauss quadrature of det J, exact for the trilinear map (det J is of degree
//   at most 2 in each parametric coordinate).
#pragma once

#include "mesh/hex_mesh.hpp"

#include <array>

namespace discsim::mesh {

using HexNodes = std::array<Vec3, 8>;

HexNodes cell_nodes(const HexMesh& mesh, int cell);

/// The Jacobian matrix of the trilinear map at parametric point (xi, eta, zeta).
Eigen::Matrix3d hex_jacobian(const HexNodes& x, double xi, double eta, double zeta);
double scaled_jacobian(const HexNodes& x);
double edge_ratio(const HexNodes& x);
double hex_volume(const HexNodes& x);
/// Area of a bilinear quadrilateral (2x2 Gauss; exact when the four corners are coplanar).
double quad_area(const std::array<Vec3, 4>& x);

struct MeshStatistics {
    int nodes = 0;
    int cells = 0;
    int nucleus_cells = 0;
    int annulus_cells = 0;
    int dofs = 0; ///< three displacement components per node
    double cross_section_area = 0; ///< area of the inferior endplate, mm^2
    double nucleus_area = 0;       ///< its nucleus part, mm^2
    double volume = 0;             ///< mm^3
    double min_scaled_jacobian = 0;
    double max_edge_ratio = 0;
};

MeshStatistics mesh_statistics(const HexMesh& mesh);

} // namespace discsim::mesh
