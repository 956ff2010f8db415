// Small structured hexahedral meshes for the verification tests (blocks and a quarter of a
// thick-walled cylinder), in discsim's HexMesh so that the production solver runs on them.
#pragma once

#include "mesh/hex_mesh.hpp"

#include <functional>

namespace discsim::test {

/// [0, lx] x [0, ly] x [0, lz] in nx x ny x nz hexahedra, region 0, no fibres. `perturb`
/// (optional) moves interior nodes: it gets the node's position and returns the new one.
mesh::HexMesh box_mesh(double lx, double ly, double lz, int nx, int ny, int nz,
                       const std::function<mesh::Vec3(const mesh::Vec3&)>& perturb = {});

/// Quarter of a hollow cylinder: radius a..b (nr elements, uniform), angle 0..90 deg (nt),
/// height 0..h (nz). Node (i, j, k) at index (k (nt + 1) + j) (nr + 1) + i.
mesh::HexMesh quarter_cylinder_mesh(double a, double b, double h, int nr, int nt, int nz);

/// Nodes with |coordinate[axis] - value| < tolerance.
std::vector<int> nodes_on_plane(const mesh::HexMesh& mesh, int axis, double value,
                                double tolerance = 1e-9);

/// Free faces (one cell) whose nodes all satisfy `inside`.
std::vector<mesh::CellFace> faces_where(const mesh::HexMesh& mesh,
                                        const std::function<bool(const mesh::Vec3&)>& inside);

} // namespace discsim::test
