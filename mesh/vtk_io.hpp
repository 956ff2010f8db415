// VTK input and output of discsim meshes and results (PHYSICS.md section 7).
//
// .vtu: VTK XML unstructured grid through vtkXMLUnstructuredGridWriter, appended raw binary,
// zlib-compressed, 64-bit headers; opens in ParaView, VisIt and meshio. Always written:
//   cell data  region (0 nucleus, k annulus ring k), sector (-1 nucleus, 0..5 as in
//              hex_mesh.hpp), fibre_direction_1, fibre_direction_2, scaled_jacobian
//   point data inferior_endplate, superior_endplate, nucleus_boundary, outer_wall (0/1)
//   field data the mesh metadata (one string each) and sector_names.
// .pvd: ParaView's collection format for a series (Debian's VTK has no writer for it; it is
// a short XML file listing the datasets with their time values).
//
// read_vtu() accepts such a file from discsim or from any other tool: linear hexahedra, a
// `region` cell array, the two fibre-direction arrays and the endplate flags are required;
// the nucleus boundary and the outer wall are derived when absent and checked against the
// derivation when present; sectors are derived when absent and, when present, taken as the
// user's own anatomical labelling (range-checked only).
#pragma once

#include "mesh/hex_mesh.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace discsim::mesh {

/// A named data array with one tuple per point or per cell.
struct DataArray {
    std::string name;
    int components = 1;
    std::vector<std::string> component_names; ///< empty, or one per component
    std::variant<std::vector<double>, std::vector<std::int32_t>, std::vector<std::uint8_t>>
        values; ///< tuple-major: values[tuple * components + component]
    /// The unit of the values ("MPa", "mm", "1" for a ratio; empty for labels and flags). A
    /// dimensional array is written as NAME_UNIT ("von_mises_MPa"), so that ParaView's colour
    /// legend, which shows the array's name, names the unit; the unit is also the array's VTK
    /// UNITS_LABEL. docs/cli.md lists every array with its unit.
    std::string unit = {};
};

/// The name an array is written under: `name`, or `name_UNIT` for a dimensional unit (spaces
/// dropped: "N m" -> "moment_Nm").
std::string vtk_array_name(const DataArray& data);

/// Order of the six independent components of a symmetric tensor in every discsim output.
inline const std::vector<std::string> symmetric_tensor_components{"XX", "YY", "ZZ",
                                                                  "XY", "YZ", "XZ"};

/// A 6-component array in the order XX YY ZZ XY YZ XZ, with component names set, from a
/// list of symmetric 3x3 tensors.
DataArray symmetric_tensor_array(std::string name, const std::vector<Eigen::Matrix3d>& tensors);

/// Results to write beside the mesh's own arrays.
struct ExtraFields {
    std::vector<DataArray> point_data;
    std::vector<DataArray> cell_data;
};

/// Writes `mesh` (and `extra`) to `path` atomically. Throws IoError when it cannot.
void write_vtu(const std::filesystem::path& path, const HexMesh& mesh,
               const ExtraFields& extra = {});

/// Reads a disc mesh. Throws InputError naming the file and what is missing or
/// inconsistent.
HexMesh read_vtu(const std::filesystem::path& path);

/// Writes a point set as a VTK XML PolyData file (.vtp): one vertex cell per point, with
/// `point_data` (one tuple per point) and `strings` as per-point text attributes (e.g. an
/// event's type and sector), atomically. For herniation and rupture events (PHYSICS.md 7).
struct PointStrings {
    std::string name;
    std::vector<std::string> values; ///< one per point
};
void write_vtp_points(const std::filesystem::path& path, const std::vector<Vec3>& points,
                      const std::vector<DataArray>& point_data,
                      const std::vector<PointStrings>& strings = {});

struct PvdEntry {
    double time = 0.0;
    std::filesystem::path file; ///< relative to the .pvd's folder
    int part = 0;
    std::string name; ///< optional dataset name (ParaView shows it in the block list)
};

/// Writes a ParaView collection atomically.
void write_pvd(const std::filesystem::path& path, const std::vector<PvdEntry>& entries);

} // namespace discsim::mesh
