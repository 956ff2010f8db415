#include "mesh/vtk_io.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/quality.hpp"
#include "mesh/topology.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkCellType.h>
#include <vtkCommand.h>
#include <vtkDoubleArray.h>
#include <vtkInformation.h>
#include <vtkInformationStringKey.h>
#include <vtkFieldData.h>
#include <vtkIdTypeArray.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkStringArray.h>
#include <vtkUnsignedCharArray.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPolyDataWriter.h>
#include <vtkXMLUnstructuredGridReader.h>
#include <vtkXMLUnstructuredGridWriter.h>

namespace discsim::mesh {

namespace fs = std::filesystem;

std::string vtk_array_name(const DataArray& data) {
    if (data.unit.empty() || data.unit == "1") return data.name;
    // "N m" -> "Nm", "mm/s" -> "mm_per_s", "mm^4/(N s)" -> "mm4_per_Ns".
    std::string unit;
    for (const char c : data.unit) {
        if (c == '/')
            unit += "_per_";
        else if (c != ' ' && c != '^' && c != '(' && c != ')')
            unit += c;
    }
    return data.name + "_" + unit;
}

namespace {

// More annulus rings than any disc model uses; bounds the per-region bookkeeping of a file.
constexpr int max_region = 1000;

template <class VtkArray, class T>
vtkSmartPointer<vtkDataArray> make_vtk_array(const DataArray& data, const std::vector<T>& values) {
    auto array = vtkSmartPointer<VtkArray>::New();
    array->SetName(vtk_array_name(data).c_str());
    array->SetNumberOfComponents(data.components);
    array->SetNumberOfTuples(static_cast<vtkIdType>(values.size() / data.components));
    std::copy(values.begin(), values.end(), array->GetPointer(0));
    for (std::size_t c = 0; c < data.component_names.size(); ++c) {
        array->SetComponentName(static_cast<vtkIdType>(c), data.component_names[c].c_str());
    }
    if (!data.unit.empty()) array->GetInformation()->Set(vtkDataArray::UNITS_LABEL(), data.unit.c_str());
    return array;
}

vtkSmartPointer<vtkDataArray> to_vtk(const DataArray& data) {
    return std::visit(
        [&](const auto& values) -> vtkSmartPointer<vtkDataArray> {
            using T = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_same_v<T, double>) {
                return make_vtk_array<vtkDoubleArray>(data, values);
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                return make_vtk_array<vtkIntArray>(data, values);
            } else {
                return make_vtk_array<vtkUnsignedCharArray>(data, values);
            }
        },
        data.values);
}

DataArray vectors(std::string name, const std::vector<Vec3>& v) {
    std::vector<double> values;
    values.reserve(3 * v.size());
    for (const auto& x : v)
        values.insert(values.end(), {x.x(), x.y(), x.z()});
    return {std::move(name), 3, {"X", "Y", "Z"}, std::move(values), "1"};
}

// Captures VTK's error text instead of letting it go to the terminal.
class ErrorCapture : public vtkCommand {
public:
    static ErrorCapture* New() { return new ErrorCapture; }
    void Execute(vtkObject*, unsigned long, void* data) override {
        if (data && message.empty()) message = static_cast<const char*>(data);
    }
    std::string message;
};

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Every discsim XML file: appended raw binary, zlib, 64-bit headers, written atomically, VTK's
// error text turned into an IoError.
template <class Writer> void write_xml(const fs::path& path, vtkDataObject* data) {
    write_atomically(path, [&](const fs::path& temporary) {
        vtkNew<Writer> writer;
        vtkNew<ErrorCapture> errors;
        writer->AddObserver(vtkCommand::ErrorEvent, errors);
        writer->SetFileName(temporary.c_str());
        writer->SetInputData(data);
        writer->SetDataModeToAppended();
        writer->EncodeAppendedDataOff();
        writer->SetCompressorTypeToZLib();
        writer->SetHeaderTypeToUInt64();
        const bool ok = writer->Write() == 1 && errors->message.empty();
        if (!ok && !errors->message.empty()) {
            throw IoError("cannot write '" + path.string() + "': " + errors->message);
        }
        return ok;
    });
}

vtkSmartPointer<vtkStringArray> string_array(const std::string& name,
                                             const std::vector<std::string>& values) {
    auto array = vtkSmartPointer<vtkStringArray>::New();
    array->SetName(name.c_str());
    for (const auto& v : values)
        array->InsertNextValue(v.c_str());
    return array;
}

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    throw InputError(path.string() + ": " + what);
}

} // namespace

DataArray symmetric_tensor_array(std::string name, const std::vector<Eigen::Matrix3d>& tensors) {
    std::vector<double> values;
    values.reserve(6 * tensors.size());
    for (const auto& t : tensors) {
        values.insert(values.end(), {t(0, 0), t(1, 1), t(2, 2), t(0, 1), t(1, 2), t(0, 2)});
    }
    return {std::move(name), 6, symmetric_tensor_components, std::move(values)};
}

void write_vtu(const fs::path& path, const HexMesh& mesh, const ExtraFields& extra) {
    vtkNew<vtkUnstructuredGrid> grid;
    vtkNew<vtkPoints> points;
    points->SetDataTypeToDouble();
    points->SetNumberOfPoints(mesh.node_count());
    for (int n = 0; n < mesh.node_count(); ++n)
        points->SetPoint(n, mesh.nodes[n].data());
    grid->SetPoints(points);
    grid->Allocate(mesh.cell_count());
    for (const auto& cell : mesh.cells) {
        vtkIdType ids[8];
        std::copy(cell.begin(), cell.end(), ids);
        grid->InsertNextCell(VTK_HEXAHEDRON, 8, ids);
    }

    std::vector<DataArray> cell_data;
    cell_data.push_back(
        {"region", 1, {}, std::vector<std::int32_t>(mesh.region.begin(), mesh.region.end())});
    std::vector<std::int32_t> sectors(mesh.sector.size());
    std::transform(mesh.sector.begin(), mesh.sector.end(), sectors.begin(),
                   [](Sector s) { return static_cast<std::int32_t>(s); });
    cell_data.push_back({"sector", 1, {}, std::move(sectors)});
    cell_data.push_back(vectors("fibre_direction_1", mesh.fibre_direction_1));
    cell_data.push_back(vectors("fibre_direction_2", mesh.fibre_direction_2));
    std::vector<double> quality(mesh.cells.size());
    for (int c = 0; c < mesh.cell_count(); ++c)
        quality[c] = scaled_jacobian(cell_nodes(mesh, c));
    cell_data.push_back({"scaled_jacobian", 1, {}, std::move(quality), "1"});
    cell_data.insert(cell_data.end(), extra.cell_data.begin(), extra.cell_data.end());

    std::vector<DataArray> point_data;
    for (int s = 0; s < surface_count; ++s) {
        std::vector<std::uint8_t> flags(mesh.nodes.size(), 0);
        for (int n : mesh.node_sets[s])
            flags[n] = 1;
        point_data.push_back(
            {std::string(surface_name(static_cast<Surface>(s))), 1, {}, std::move(flags)});
    }
    point_data.insert(point_data.end(), extra.point_data.begin(), extra.point_data.end());

    for (const auto& data : cell_data)
        grid->GetCellData()->AddArray(to_vtk(data));
    for (const auto& data : point_data)
        grid->GetPointData()->AddArray(to_vtk(data));

    vtkFieldData* field = grid->GetFieldData();
    // The names of the `sector` cell values 0..5, spelt as everywhere else (events, CSV).
    std::vector<std::string> sector_labels;
    for (int s = 0; s < sector_count; ++s)
        sector_labels.emplace_back(sector_name(static_cast<Sector>(s)));
    field->AddArray(string_array("sector_names", sector_labels));
    for (const auto& [key, value] : mesh.metadata)
        field->AddArray(string_array(key, {value}));

    write_xml<vtkXMLUnstructuredGridWriter>(path, grid);
}

void write_vtp_points(const fs::path& path, const std::vector<Vec3>& points,
                      const std::vector<DataArray>& point_data,
                      const std::vector<PointStrings>& strings) {
    vtkNew<vtkPolyData> poly;
    vtkNew<vtkPoints> coordinates;
    coordinates->SetDataTypeToDouble();
    coordinates->SetNumberOfPoints(static_cast<vtkIdType>(points.size()));
    vtkNew<vtkCellArray> vertices;
    for (std::size_t i = 0; i < points.size(); ++i) {
        coordinates->SetPoint(static_cast<vtkIdType>(i), points[i].data());
        const vtkIdType id = static_cast<vtkIdType>(i);
        vertices->InsertNextCell(1, &id);
    }
    poly->SetPoints(coordinates);
    poly->SetVerts(vertices);
    for (const auto& data : point_data)
        poly->GetPointData()->AddArray(to_vtk(data));
    for (const auto& text : strings) {
        poly->GetPointData()->AddArray(string_array(text.name, text.values));
    }
    write_xml<vtkXMLPolyDataWriter>(path, poly);
}

HexMesh read_vtu(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) fail(path, "no such file");
    vtkNew<vtkXMLUnstructuredGridReader> reader;
    vtkNew<ErrorCapture> errors;
    reader->AddObserver(vtkCommand::ErrorEvent, errors);
    if (!reader->CanReadFile(path.c_str())) {
        fail(path, "not a VTK XML unstructured grid (.vtu) file");
    }
    reader->SetFileName(path.c_str());
    reader->Update();
    vtkUnstructuredGrid* grid = reader->GetOutput();
    if (!errors->message.empty() || grid == nullptr) {
        fail(path, "VTK could not read it: " + errors->message);
    }

    HexMesh mesh;
    const vtkIdType point_count = grid->GetNumberOfPoints();
    const vtkIdType cell_count = grid->GetNumberOfCells();
    if (point_count == 0 || cell_count == 0) fail(path, "the grid has no points or no cells");
    mesh.nodes.resize(point_count);
    for (vtkIdType n = 0; n < point_count; ++n)
        grid->GetPoint(n, mesh.nodes[n].data());
    mesh.cells.resize(cell_count);
    for (vtkIdType c = 0; c < cell_count; ++c) {
        if (grid->GetCellType(c) != VTK_HEXAHEDRON) {
            fail(path, "cell " + std::to_string(c) + " has VTK cell type " +
                           std::to_string(grid->GetCellType(c)) +
                           "; discsim needs linear hexahedra (type 12) only");
        }
        vtkIdType count = 0;
        const vtkIdType* ids = nullptr;
        grid->GetCellPoints(c, count, ids);
        for (int k = 0; k < 8; ++k)
            mesh.cells[c][k] = static_cast<int>(ids[k]);
    }

    auto cell_array = [&](const char* name, int components, bool required) -> vtkDataArray* {
        vtkDataArray* array = grid->GetCellData()->GetArray(name);
        if (!array) {
            if (required) fail(path, std::string("missing cell data array '") + name + "'");
            return nullptr;
        }
        if (array->GetNumberOfComponents() != components) {
            fail(path, std::string("cell data '") + name + "' has " +
                           std::to_string(array->GetNumberOfComponents()) +
                           " components; expected " + std::to_string(components));
        }
        return array;
    };
    auto whole_number = [&](vtkDataArray* array, vtkIdType i) {
        const double v = array->GetComponent(i, 0);
        if (v != std::round(v)) {
            fail(path, std::string("cell data '") + array->GetName() + "' of cell " +
                           std::to_string(i) + " is " + format_number(v) +
                           "; expected a whole number");
        }
        return static_cast<int>(v);
    };

    // Regions: 0 nucleus, 1..R annulus rings, every ring present.
    vtkDataArray* region = cell_array("region", 1, true);
    mesh.region.resize(cell_count);
    for (vtkIdType c = 0; c < cell_count; ++c) {
        const double value = region->GetComponent(c, 0);
        if (value < 0 || value > max_region) {
            fail(path, "region of cell " + std::to_string(c) + " is " + format_number(value) +
                           "; expected 0 (nucleus) or 1.." + std::to_string(max_region) +
                           " (annulus ring)");
        }
        mesh.region[c] = whole_number(region, c);
        if (mesh.region[c] < 0) {
            fail(path, "region of cell " + std::to_string(c) + " is " +
                           std::to_string(mesh.region[c]) +
                           "; expected 0 (nucleus) or 1..R (annulus ring)");
        }
    }
    const int rings = mesh.annulus_ring_count();
    std::vector<int> cells_per_region(rings + 1, 0);
    for (int r : mesh.region)
        cells_per_region[r]++;
    if (cells_per_region[0] == 0) fail(path, "no nucleus: no cell has region 0");
    if (rings == 0) fail(path, "no annulus: no cell has region >= 1");
    for (int r = 1; r <= rings; ++r) {
        if (cells_per_region[r] == 0) {
            fail(path, "annulus ring " + std::to_string(r) +
                           " has no cells; rings must be "
                           "numbered 1.." +
                           std::to_string(rings) + " without gaps");
        }
    }

    // Fibre directions: unit vectors in the annulus (normalised if they are not), zero in
    // the nucleus.
    for (int family = 1; family <= 2; ++family) {
        const std::string name = "fibre_direction_" + std::to_string(family);
        vtkDataArray* array = cell_array(name.c_str(), 3, true);
        auto& directions = family == 1 ? mesh.fibre_direction_1 : mesh.fibre_direction_2;
        directions.assign(cell_count, Vec3::Zero());
        for (vtkIdType c = 0; c < cell_count; ++c) {
            if (mesh.region[c] == 0) continue;
            Vec3 d(array->GetComponent(c, 0), array->GetComponent(c, 1), array->GetComponent(c, 2));
            if (!d.allFinite()) {
                fail(path, name + " of annulus cell " + std::to_string(c) +
                               " has a component that is not a finite number");
            }
            const double length = d.norm();
            if (!(length > 1e-12)) {
                fail(path, name + " of annulus cell " + std::to_string(c) +
                               " has zero length; every annulus cell needs two fibre directions");
            }
            // Keep vectors that are unit already bit for bit, so a round trip is exact.
            if (std::abs(length - 1.0) > 1e-12) d /= length;
            directions[c] = d;
        }
    }

    // Node flags.
    auto point_flags = [&](Surface s, bool required) -> std::vector<int> {
        const std::string name(surface_name(s));
        vtkDataArray* array = grid->GetPointData()->GetArray(name.c_str());
        if (!array) {
            if (required) fail(path, "missing point data array '" + name + "' (0/1 per node)");
            return {};
        }
        std::vector<int> nodes;
        for (vtkIdType n = 0; n < point_count; ++n) {
            if (array->GetComponent(n, 0) != 0.0) nodes.push_back(static_cast<int>(n));
        }
        if (nodes.empty()) fail(path, "no " + name + " nodes: the '" + name + "' flags are all 0");
        return nodes;
    };
    mesh.node_sets[static_cast<int>(Surface::inferior_endplate)] =
        point_flags(Surface::inferior_endplate, true);
    mesh.node_sets[static_cast<int>(Surface::superior_endplate)] =
        point_flags(Surface::superior_endplate, true);

    for (int c = 0; c < mesh.cell_count(); ++c) {
        const double quality = scaled_jacobian(cell_nodes(mesh, c));
        if (!(quality > 0.0)) {
            fail(path, "cell " + std::to_string(c) +
                           " is inverted or degenerate (scaled "
                           "Jacobian " +
                           format_number(quality) + "); check its node order");
        }
    }

    derive_surfaces(mesh);
    for (Surface s : {Surface::nucleus_boundary, Surface::outer_wall}) {
        auto given = point_flags(s, false);
        if (!given.empty() && given != mesh.node_set(s)) {
            fail(path, "the '" + std::string(surface_name(s)) +
                           "' flags disagree with the surface found from the regions (" +
                           std::to_string(given.size()) + " nodes flagged, " +
                           std::to_string(mesh.node_set(s).size()) + " found)");
        }
    }

    if (vtkDataArray* sector = cell_array("sector", 1, false)) {
        mesh.sector.resize(cell_count);
        for (vtkIdType c = 0; c < cell_count; ++c) {
            const int s = whole_number(sector, c);
            if (s < -1 || s >= sector_count || (mesh.region[c] > 0) != (s >= 0)) {
                fail(path, "sector of cell " + std::to_string(c) + " is " + std::to_string(s) +
                               "; expected 0..5 in the annulus and -1 in the nucleus");
            }
            mesh.sector[c] = static_cast<Sector>(s);
        }
    } else {
        derive_sectors(mesh);
    }

    // Provenance strings, except the fixed sector legend.
    vtkFieldData* field = grid->GetFieldData();
    for (int i = 0; i < field->GetNumberOfArrays(); ++i) {
        auto* strings = vtkStringArray::SafeDownCast(field->GetAbstractArray(i));
        if (!strings || !strings->GetName() || strings->GetNumberOfValues() != 1) continue;
        mesh.metadata[strings->GetName()] = strings->GetValue(0);
    }
    return mesh;
}

void write_pvd(const fs::path& path, const std::vector<PvdEntry>& entries) {
    std::ostringstream xml;
    xml << "<?xml version=\"1.0\"?>\n"
        << "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
        << "  <Collection>\n";
    for (const auto& e : entries) {
        xml << "    <DataSet timestep=\"" << format_number(e.time) << "\" group=\"\" part=\""
            << e.part << "\"";
        if (!e.name.empty()) xml << " name=\"" << xml_escape(e.name) << "\"";
        xml << " file=\"" << xml_escape(e.file.generic_string()) << "\"/>\n";
    }
    xml << "  </Collection>\n</VTKFile>\n";
    write_text_atomically(path, xml.str());
}

} // namespace discsim::mesh
