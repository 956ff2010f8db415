// All-hexahedral O-grid mesh of a disc (PHYSICS.md section 2).
//
// In the transverse plane: a structured core block of m x m quadrilaterals in the nucleus
// (m = circumferential_divisions / 4), nucleus_radial_divisions rings from the block out to
// the nucleus rim, then annulus_rings rings out to the outer rim. In the nucleus the nodes
// lie on rays of equal polar angle about the outline's pole; the core block's grid lines are
// spaced by tan() so its boundary nodes fall on those same rays. Across the annulus they lie
// on the nucleus rim's outward normals (DiscOutline::wall_point), and ring k spans the
// fraction [(k-1)/R, k/R] of each normal line. The plane mesh is then
// extruded in axial_layers equal fractions of the local height h(x), so the superior endplate
// carries the wedge and every element keeps a positive Jacobian.
//
// Fibres: in each annulus element the lamella's tangent plane is spanned by the axial
// direction and the element's own circumferential direction (the horizontal chord between
// the midpoints of its two circumferential end faces). The two fibre families lie in that
// plane at +theta and -theta to the transverse plane, theta varying linearly from
// fibre_angle_inner (ring 1) to fibre_angle_outer (ring R). Family 1 is at +theta in odd
// rings and -theta in even rings, family 2 the mirror image, so neighbouring rings
// criss-cross (Marchand & Ahmed 1990 for the alternating lamellae).
#pragma once

#include "mesh/disc_geometry.hpp"
#include "mesh/hex_mesh.hpp"

namespace discsim::mesh {

/// Generates the mesh; validates `parameters` first (throws InputError).
HexMesh generate_disc_mesh(const DiscParameters& parameters);

} // namespace discsim::mesh
