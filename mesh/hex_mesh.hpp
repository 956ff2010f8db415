// The disc mesh as plain data: nodes, 8-node hexahedra, regions, sectors, fibre frames and
// named node and face sets. Every producer (the generator, the .vtu reader) fills the same
// struct, and every consumer (solver, writer) reads only this.
//
// Conventions
// - Frame (PHYSICS.md section 1): millimetres, origin at the centre of the inferior endplate,
//   x anterior, y left, z cranial.
// - Node order of a hexahedron is VTK's VTK_HEXAHEDRON: 0-1-2-3 the bottom face counter-
//   clockwise seen from above (+z), 4-5-6-7 the nodes above them. A valid element has a
//   positive Jacobian everywhere.
// - region: 0 = nucleus pulposus, k = 1..R = annulus ring k (1 innermost, R at the outer wall).
// - fibre directions are unit vectors in annulus cells and zero vectors in the nucleus.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry> // cross products of Vec3 wherever meshes are used

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace discsim::mesh {

using Vec3 = Eigen::Vector3d;
using HexConnectivity = std::array<int, 8>;

/// Circumferential sector of an annulus element, named from the patient's point of view.
enum class Sector : std::int8_t {
    none = -1, ///< nucleus cells
    anterior = 0,
    left_lateral = 1,
    left_posterolateral = 2,
    posterior = 3,
    right_posterolateral = 4,
    right_lateral = 5,
};
inline constexpr int sector_count = 6;

/// "anterior", "left_posterolateral", ... ("none" for the nucleus): one spelling in every
/// output (.vtu sector_names, events.csv, events.vtp, the console).
std::string_view sector_name(Sector sector);

/// Sector of a direction in the transverse plane, given as the angle in degrees from +x
/// (anterior) towards +y (left). Boundaries: anterior |a| <= 45, lateral 45 < |a| <= 110,
/// posterolateral 110 < |a| <= 160, posterior |a| > 160 (docs/mesh.md).
Sector sector_from_angle(double angle_deg);

/// One face of one hexahedron; `local_face` indexes hex_faces().
struct CellFace {
    int cell = 0;
    int local_face = 0;
    friend bool operator==(const CellFace&, const CellFace&) = default;
    friend auto operator<=>(const CellFace&, const CellFace&) = default;
};

/// Local node indices of the six faces of a VTK hexahedron, each ordered so that its normal
/// (right-hand rule) points out of a positively oriented element.
const std::array<std::array<int, 4>, 6>& hex_faces();

/// The named surfaces of a disc (PHYSICS.md section 2).
enum class Surface : int {
    inferior_endplate = 0,
    superior_endplate = 1,
    nucleus_boundary = 2,
    outer_wall = 3,
};
inline constexpr int surface_count = 4;
std::string_view surface_name(Surface surface);

struct HexMesh {
    std::vector<Vec3> nodes;
    std::vector<HexConnectivity> cells;
    std::vector<int> region;
    std::vector<Sector> sector;
    std::vector<Vec3> fibre_direction_1;
    std::vector<Vec3> fibre_direction_2;

    /// Node sets, sorted ascending, indexed by Surface.
    std::array<std::vector<int>, surface_count> node_sets;
    /// Face sets, sorted, indexed by Surface. For the nucleus boundary the face belongs to
    /// the nucleus cell (its normal points from nucleus into annulus).
    std::array<std::vector<CellFace>, surface_count> face_sets;

    /// Free-form provenance written into the .vtu field data (segment, parameters, version).
    std::map<std::string, std::string> metadata;

    int node_count() const { return static_cast<int>(nodes.size()); }
    int cell_count() const { return static_cast<int>(cells.size()); }
    int annulus_ring_count() const;
    const std::vector<int>& node_set(Surface s) const { return node_sets[static_cast<int>(s)]; }
    const std::vector<CellFace>& face_set(Surface s) const {
        return face_sets[static_cast<int>(s)];
    }
};

} // namespace discsim::mesh
