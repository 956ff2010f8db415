// Connectivity-derived quantities shared by the generator and the .vtu reader: face
// adjacency, the named surfaces (from region adjacency and the endplate node sets) and the
// circumferential sectors (from the element centroids' angle). One code path serves both,
// so a user's own mesh gets exactly the sets a generated one would.
#pragma once

#include "mesh/hex_mesh.hpp"

#include <array>
#include <vector>

namespace discsim::mesh {

/// The cell across each local face (hex_faces() order), -1 on the boundary. Throws
/// InputError when a face is shared by more than two cells (a non-manifold mesh).
std::vector<std::array<int, 6>> face_neighbours(const HexMesh& mesh);

Vec3 cell_centroid(const HexMesh& mesh, int cell);

/// Fills every face set and the nucleus-boundary and outer-wall node sets from the endplate
/// node sets and the regions: free faces with all nodes on an endplate belong to that
/// endplate, other free faces to the outer wall; faces between nucleus and annulus cells to
/// the nucleus boundary. Throws InputError when the result cannot be a disc (no endplate
/// faces, a nucleus cell on the outer surface, no nucleus-annulus interface).
void derive_surfaces(HexMesh& mesh);

/// Area-weighted centroid of the inferior endplate faces: the disc's centre in the transverse
/// plane, whatever frame an imported mesh uses.
Vec3 endplate_centre(const HexMesh& mesh, Surface endplate = Surface::inferior_endplate);

/// The angle of a cell's centroid in the transverse plane seen from `centre` (the endplate
/// centre), in degrees from anterior (+x), positive to the left (+y): in (-180, 180]. The one
/// definition behind the sectors and the annulus place of distributed material coefficients.
double cell_angle_deg(const HexMesh& mesh, int cell, const Vec3& centre);

/// Labels every annulus cell with the sector of its centroid's angle about the centroid of
/// the inferior endplate (Sector::none for the nucleus). Needs the inferior face set.
void derive_sectors(HexMesh& mesh);

} // namespace discsim::mesh
