// .vtu and .pvd input/output (mesh/vtk_io.hpp): files checked with VTK's own reader, the
// round trip through read_vtu, derivation of what an imported file leaves out, and the
// errors a user's file or folder can cause.
#include "core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "mesh/vtk_io.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>

#include <vtkAbstractArray.h>
#include <vtkCellData.h>
#include <vtkCellType.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkSmartPointer.h>
#include <vtkStringArray.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLUnstructuredGridReader.h>
#include <vtkXMLUnstructuredGridWriter.h>
#include <vtkPolyData.h>
#include <vtkXMLPolyDataReader.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace discsim::mesh;
using discsim::test::file_bytes;
using discsim::test::folder_entries;
using discsim::test::TempFolder;
using Catch::Matchers::Contains;

// The coarse L4-5 mesh, generated once: every test here only reads it.
const HexMesh& coarse_mesh() {
    static const HexMesh mesh = generate_disc_mesh(preset(Segment::L4_L5, Resolution::coarse));
    return mesh;
}

// Reads a .vtu with VTK's own reader (independent of discsim's read_vtu).
vtkSmartPointer<vtkUnstructuredGrid> vtk_read(const fs::path& path) {
    vtkNew<vtkXMLUnstructuredGridReader> reader;
    reader->SetFileName(path.c_str());
    reader->Update();
    auto grid = vtkSmartPointer<vtkUnstructuredGrid>::New();
    grid->DeepCopy(reader->GetOutput());
    return grid;
}

void vtk_write(const fs::path& path, vtkUnstructuredGrid* grid) {
    vtkNew<vtkXMLUnstructuredGridWriter> writer;
    writer->SetFileName(path.c_str());
    writer->SetInputData(grid);
    REQUIRE(writer->Write() == 1);
}

// Writes the coarse mesh with write_vtu, lets `edit` change it through VTK, and writes the
// result as `name` in `folder`: a "user's file" with one defect.
fs::path edited_file(const TempFolder& folder, const std::string& name,
                     const std::function<void(vtkUnstructuredGrid&)>& edit) {
    const fs::path good = folder / ("good_for_" + name);
    write_vtu(good, coarse_mesh());
    auto grid = vtk_read(good);
    edit(*grid);
    const fs::path bad = folder / name;
    vtk_write(bad, grid);
    return bad;
}

// read_vtu must refuse `path` with an InputError whose message names the file and contains
// `problem`.
void check_rejected(const fs::path& path, const std::string& problem) {
    INFO("file " << path);
    bool thrown = false;
    try {
        read_vtu(path);
    } catch (const discsim::InputError& e) {
        thrown = true;
        CHECK_THAT(e.what(), Contains(path.string()));
        CHECK_THAT(e.what(), Contains(problem));
    }
    CHECK(thrown);
}

// Node ids whose 0/1 flag in the point array `name` is set.
std::vector<int> flagged_nodes(vtkUnstructuredGrid& grid, const char* name) {
    vtkDataArray* array = grid.GetPointData()->GetArray(name);
    REQUIRE(array != nullptr);
    REQUIRE(array->GetNumberOfComponents() == 1);
    std::vector<int> nodes;
    bool only_0_or_1 = true;
    for (vtkIdType n = 0; n < array->GetNumberOfTuples(); ++n) {
        const double flag = array->GetComponent(n, 0);
        only_0_or_1 = only_0_or_1 && (flag == 0.0 || flag == 1.0);
        if (flag == 1.0) nodes.push_back(static_cast<int>(n));
    }
    CHECK(only_0_or_1);
    return nodes;
}

void check_same_vectors(vtkUnstructuredGrid& grid, const char* name,
                        const std::vector<Vec3>& expected) {
    INFO("cell array " << name);
    vtkDataArray* array = grid.GetCellData()->GetArray(name);
    REQUIRE(array != nullptr);
    REQUIRE(array->GetNumberOfComponents() == 3);
    REQUIRE(array->GetNumberOfTuples() == static_cast<vtkIdType>(expected.size()));
    bool equal = true;
    for (vtkIdType c = 0; c < array->GetNumberOfTuples(); ++c) {
        for (int k = 0; k < 3; ++k) equal = equal && array->GetComponent(c, k) == expected[c][k];
    }
    CHECK(equal);
}

// Every field of the two meshes that read_vtu reconstructs (metadata aside).
void check_same_mesh(const HexMesh& read, const HexMesh& original) {
    CHECK(read.nodes == original.nodes);
    CHECK(read.cells == original.cells);
    CHECK(read.region == original.region);
    CHECK(read.sector == original.sector);
    CHECK(read.fibre_direction_1 == original.fibre_direction_1);
    CHECK(read.fibre_direction_2 == original.fibre_direction_2);
    for (int s = 0; s < surface_count; ++s) {
        INFO("surface " << surface_name(static_cast<Surface>(s)));
        CHECK(read.node_sets[s] == original.node_sets[s]);
        CHECK(read.face_sets[s] == original.face_sets[s]);
    }
}

int first_annulus_cell(const HexMesh& mesh) {
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] > 0) return c;
    }
    return -1;
}

} // namespace

TEST_CASE("write_vtu writes a file VTK's own reader reads back exactly", "[unit]") {
    const HexMesh& mesh = coarse_mesh();
    REQUIRE(mesh.cell_count() > 0);
    TempFolder folder;
    const fs::path path = folder / "disc.vtu";
    write_vtu(path, mesh);
    // Written atomically: only the target remains, no temporary beside it.
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"disc.vtu"});

    SECTION("the file is VTK XML, appended raw binary, zlib-compressed, 64-bit headers") {
        const std::string text = file_bytes(path);
        CHECK_THAT(text, Contains("type=\"UnstructuredGrid\""));
        CHECK_THAT(text, Contains("format=\"appended\""));
        CHECK_THAT(text, Contains("encoding=\"raw\""));
        CHECK_THAT(text, Contains("compressor=\"vtkZLibDataCompressor\""));
        CHECK_THAT(text, Contains("header_type=\"UInt64\""));
    }

    auto grid = vtk_read(path);
    REQUIRE(grid->GetNumberOfPoints() == mesh.node_count());
    REQUIRE(grid->GetNumberOfCells() == mesh.cell_count());

    SECTION("points and hexahedra") {
        bool points_equal = true;
        for (int n = 0; n < mesh.node_count(); ++n) {
            double x[3];
            grid->GetPoint(n, x);
            points_equal = points_equal && x[0] == mesh.nodes[n].x() &&
                           x[1] == mesh.nodes[n].y() && x[2] == mesh.nodes[n].z();
        }
        CHECK(points_equal);
        bool all_hexahedra = true, same_nodes = true;
        for (int c = 0; c < mesh.cell_count(); ++c) {
            all_hexahedra = all_hexahedra && grid->GetCellType(c) == VTK_HEXAHEDRON;
            vtkIdType count = 0;
            const vtkIdType* ids = nullptr;
            grid->GetCellPoints(c, count, ids);
            same_nodes = same_nodes && count == 8;
            for (int k = 0; k < 8 && count == 8; ++k) {
                same_nodes = same_nodes && ids[k] == mesh.cells[c][k];
            }
        }
        CHECK(all_hexahedra);
        CHECK(same_nodes);
    }

    SECTION("cell data: region, sector, fibre directions, scaled Jacobian") {
        vtkDataArray* region = grid->GetCellData()->GetArray("region");
        vtkDataArray* sector = grid->GetCellData()->GetArray("sector");
        vtkDataArray* quality = grid->GetCellData()->GetArray("scaled_jacobian");
        REQUIRE(region != nullptr);
        REQUIRE(sector != nullptr);
        REQUIRE(quality != nullptr);
        CHECK(region->GetNumberOfComponents() == 1);
        CHECK(sector->GetNumberOfComponents() == 1);
        CHECK(quality->GetNumberOfComponents() == 1);
        bool regions_equal = true, sectors_equal = true, quality_equal = true;
        for (int c = 0; c < mesh.cell_count(); ++c) {
            regions_equal = regions_equal && region->GetComponent(c, 0) == mesh.region[c];
            sectors_equal = sectors_equal &&
                            sector->GetComponent(c, 0) == static_cast<int>(mesh.sector[c]);
            // The quality measure the reader will check, per cell; a valid mesh has it in
            // (0, 1].
            const double expected = scaled_jacobian(cell_nodes(mesh, c));
            quality_equal = quality_equal && quality->GetComponent(c, 0) == expected &&
                            expected > 0.0 && expected <= 1.0;
        }
        CHECK(regions_equal);
        CHECK(sectors_equal);
        CHECK(quality_equal);
        check_same_vectors(*grid, "fibre_direction_1", mesh.fibre_direction_1);
        check_same_vectors(*grid, "fibre_direction_2", mesh.fibre_direction_2);
    }

    SECTION("point data: the four node sets as 0/1 flags") {
        for (int s = 0; s < surface_count; ++s) {
            const std::string name(surface_name(static_cast<Surface>(s)));
            INFO("point array " << name);
            CHECK(flagged_nodes(*grid, name.c_str()) == mesh.node_sets[s]);
        }
    }

    SECTION("field data: the sector legend in the order of the Sector values") {
        auto* names =
            vtkStringArray::SafeDownCast(grid->GetFieldData()->GetAbstractArray("sector_names"));
        REQUIRE(names != nullptr);
        REQUIRE(names->GetNumberOfValues() == sector_count);
        CHECK(names->GetValue(static_cast<int>(Sector::anterior)) == "anterior");
        CHECK(names->GetValue(static_cast<int>(Sector::left_lateral)) == "left_lateral");
        CHECK(names->GetValue(static_cast<int>(Sector::left_posterolateral)) ==
              "left_posterolateral");
        CHECK(names->GetValue(static_cast<int>(Sector::posterior)) == "posterior");
        CHECK(names->GetValue(static_cast<int>(Sector::right_posterolateral)) ==
              "right_posterolateral");
        CHECK(names->GetValue(static_cast<int>(Sector::right_lateral)) == "right_lateral");
    }
}

TEST_CASE("extra fields: a symmetric tensor array is written as XX YY ZZ XY YZ XZ", "[unit]") {
    const HexMesh& mesh = coarse_mesh();
    // One tensor per cell, its six independent entries distinct: entry (i, j) = 10 (i+1) +
    // (j+1) for i <= j, mirrored, plus 1000 per cell so every cell differs too.
    std::vector<Eigen::Matrix3d> tensors;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        Eigen::Matrix3d t;
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) {
                t(i, j) = 10.0 * (std::min(i, j) + 1) + (std::max(i, j) + 1) + 1000.0 * c;
            }
        }
        tensors.push_back(t);
    }
    const DataArray stress = symmetric_tensor_array("stress", tensors);
    CHECK(stress.components == 6);
    CHECK(stress.component_names == std::vector<std::string>{"XX", "YY", "ZZ", "XY", "YZ", "XZ"});

    // A point array too, so both kinds of extra data are exercised.
    std::vector<std::int32_t> ids(mesh.node_count());
    for (int n = 0; n < mesh.node_count(); ++n) ids[n] = 7 * n;
    ExtraFields extra;
    extra.cell_data.push_back(stress);
    extra.point_data.push_back({"node_label", 1, {}, ids});

    TempFolder folder;
    const fs::path path = folder / "with_stress.vtu";
    write_vtu(path, mesh, extra);
    auto grid = vtk_read(path);

    vtkDataArray* array = grid->GetCellData()->GetArray("stress");
    REQUIRE(array != nullptr);
    REQUIRE(array->GetNumberOfComponents() == 6);
    REQUIRE(array->GetNumberOfTuples() == mesh.cell_count());
    const std::array<const char*, 6> names{"XX", "YY", "ZZ", "XY", "YZ", "XZ"};
    for (int k = 0; k < 6; ++k) {
        REQUIRE(array->GetComponentName(k) != nullptr);
        CHECK(std::string(array->GetComponentName(k)) == names[k]);
    }
    bool values_in_order = true;
    for (int c = 0; c < mesh.cell_count(); ++c) {
        const double base = 1000.0 * c;
        const std::array<double, 6> expected{base + 11, base + 22, base + 33,  // XX YY ZZ
                                             base + 12, base + 23, base + 13}; // XY YZ XZ
        for (int k = 0; k < 6; ++k) {
            values_in_order = values_in_order && array->GetComponent(c, k) == expected[k];
        }
    }
    CHECK(values_in_order);

    vtkDataArray* labels = grid->GetPointData()->GetArray("node_label");
    REQUIRE(labels != nullptr);
    REQUIRE(labels->GetNumberOfTuples() == mesh.node_count());
    bool labels_equal = true;
    for (int n = 0; n < mesh.node_count(); ++n) {
        labels_equal = labels_equal && labels->GetComponent(n, 0) == 7.0 * n;
    }
    CHECK(labels_equal);
    // The mesh's own arrays are still there beside the extras.
    CHECK(grid->GetCellData()->GetArray("region") != nullptr);
    CHECK(grid->GetPointData()->GetArray("outer_wall") != nullptr);
}

TEST_CASE("read_vtu returns the mesh that was written, and rewriting is byte-identical",
          "[unit]") {
    HexMesh mesh = coarse_mesh();
    mesh.metadata["segment"] = "L4-5";
    mesh.metadata["note"] = "written by test_vtk_io";
    TempFolder folder;
    const fs::path first = folder / "first.vtu";
    const fs::path second = folder / "second.vtu";
    write_vtu(first, mesh);

    const HexMesh read = read_vtu(first);
    check_same_mesh(read, mesh);
    CHECK(read.metadata == mesh.metadata);

    write_vtu(second, read);
    const std::string first_bytes = file_bytes(first);
    CHECK_FALSE(first_bytes.empty());
    CHECK((first_bytes == file_bytes(second)));
}

TEST_CASE("read_vtu derives sectors, nucleus boundary and outer wall when they are absent",
          "[unit]") {
    const HexMesh& mesh = coarse_mesh();
    TempFolder folder;
    const fs::path path = edited_file(folder, "bare.vtu", [](vtkUnstructuredGrid& grid) {
        grid.GetCellData()->RemoveArray("sector");
        grid.GetPointData()->RemoveArray("nucleus_boundary");
        grid.GetPointData()->RemoveArray("outer_wall");
    });
    // The edited file really lacks them, so read_vtu has to derive them.
    auto bare = vtk_read(path);
    REQUIRE(bare->GetCellData()->GetArray("sector") == nullptr);
    REQUIRE(bare->GetPointData()->GetArray("nucleus_boundary") == nullptr);
    REQUIRE(bare->GetPointData()->GetArray("outer_wall") == nullptr);

    const HexMesh read = read_vtu(path);
    CHECK(read.sector == mesh.sector);
    CHECK(read.node_set(Surface::nucleus_boundary) == mesh.node_set(Surface::nucleus_boundary));
    CHECK(read.node_set(Surface::outer_wall) == mesh.node_set(Surface::outer_wall));
    check_same_mesh(read, mesh);
}

TEST_CASE("read_vtu rejects defective files with an InputError naming file and problem",
          "[unit]") {
    const HexMesh& mesh = coarse_mesh();
    TempFolder folder;

    SECTION("missing region array") {
        const auto path = edited_file(folder, "no_region.vtu", [](vtkUnstructuredGrid& grid) {
            grid.GetCellData()->RemoveArray("region");
        });
        check_rejected(path, "missing cell data array 'region'");
    }
    SECTION("no nucleus: every cell in region 1") {
        const auto path = edited_file(folder, "no_nucleus.vtu", [](vtkUnstructuredGrid& grid) {
            vtkDataArray* region = grid.GetCellData()->GetArray("region");
            for (vtkIdType c = 0; c < region->GetNumberOfTuples(); ++c) {
                region->SetComponent(c, 0, 1.0);
            }
        });
        check_rejected(path, "no cell has region 0");
    }
    SECTION("an annulus cell without a first fibre direction") {
        const int cell = first_annulus_cell(mesh);
        REQUIRE(cell >= 0);
        const auto path = edited_file(folder, "zero_fibre.vtu", [&](vtkUnstructuredGrid& grid) {
            grid.GetCellData()->GetArray("fibre_direction_1")->SetTuple3(cell, 0.0, 0.0, 0.0);
        });
        check_rejected(path, "fibre_direction_1 of annulus cell " + std::to_string(cell));
    }
    SECTION("inferior endplate flags all zero") {
        const auto path = edited_file(folder, "no_inferior.vtu", [](vtkUnstructuredGrid& grid) {
            grid.GetPointData()->GetArray("inferior_endplate")->Fill(0.0);
        });
        check_rejected(path, "'inferior_endplate' flags are all 0");
    }
    SECTION("missing superior endplate array") {
        const auto path = edited_file(folder, "no_superior.vtu", [](vtkUnstructuredGrid& grid) {
            grid.GetPointData()->RemoveArray("superior_endplate");
        });
        check_rejected(path, "missing point data array 'superior_endplate'");
    }
    SECTION("outer wall flags that disagree with the regions") {
        // Flag one nucleus-boundary node, which lies inside the disc, as outer wall too.
        const int node = mesh.node_set(Surface::nucleus_boundary).front();
        REQUIRE_FALSE(std::binary_search(mesh.node_set(Surface::outer_wall).begin(),
                                         mesh.node_set(Surface::outer_wall).end(), node));
        const auto path = edited_file(folder, "bad_wall.vtu", [&](vtkUnstructuredGrid& grid) {
            grid.GetPointData()->GetArray("outer_wall")->SetComponent(node, 0, 1.0);
        });
        check_rejected(path, "'outer_wall' flags disagree");
    }
    SECTION("a nucleus cell with an annulus sector") {
        int nucleus_cell = -1;
        for (int c = 0; c < mesh.cell_count() && nucleus_cell < 0; ++c) {
            if (mesh.region[c] == 0) nucleus_cell = c;
        }
        REQUIRE(nucleus_cell >= 0);
        const auto path = edited_file(folder, "bad_sector.vtu", [&](vtkUnstructuredGrid& grid) {
            grid.GetCellData()->GetArray("sector")->SetComponent(nucleus_cell, 0, 0.0);
        });
        check_rejected(path, "sector of cell " + std::to_string(nucleus_cell));
    }
    SECTION("an inverted cell: top and bottom nodes swapped") {
        const int cell = mesh.cell_count() / 2;
        const auto path = edited_file(folder, "inverted.vtu", [&](vtkUnstructuredGrid& grid) {
            const auto& n = mesh.cells[cell];
            const vtkIdType swapped[8] = {n[4], n[5], n[6], n[7], n[0], n[1], n[2], n[3]};
            grid.ReplaceCell(cell, 8, swapped);
        });
        // The edit reached the file.
        auto edited = vtk_read(path);
        vtkIdType count = 0;
        const vtkIdType* ids = nullptr;
        edited->GetCellPoints(cell, count, ids);
        REQUIRE(count == 8);
        REQUIRE(ids[0] == mesh.cells[cell][4]);
        check_rejected(path, "cell " + std::to_string(cell) + " is inverted");
    }
    SECTION("a text file is not a .vtu") {
        const fs::path path = folder / "notes.vtu";
        std::ofstream(path) << "this is not a VTK file\n";
        check_rejected(path, "not a VTK XML unstructured grid");
    }
    SECTION("a path that does not exist") {
        check_rejected(folder / "missing.vtu", "no such file");
    }
}

TEST_CASE("write_vtu into a folder that cannot exist throws IoError and leaves nothing",
          "[unit]") {
    TempFolder folder;
    // A regular file where a folder is needed: refused even for root.
    const fs::path blocker = folder / "afile.txt";
    std::ofstream(blocker) << "in the way\n";
    const fs::path target = blocker / "sub" / "x.vtu";

    bool thrown = false;
    try {
        write_vtu(target, coarse_mesh());
    } catch (const discsim::IoError& e) {
        thrown = true;
        CHECK_THAT(e.what(), Contains((blocker / "sub").string()));
    }
    CHECK(thrown);
    CHECK_FALSE(fs::exists(target));
    CHECK(fs::is_regular_file(blocker));
    CHECK(file_bytes(blocker) == "in the way\n");
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"afile.txt"});
}

TEST_CASE("write_pvd lists the datasets in order with their times and files", "[unit]") {
    TempFolder folder;
    const fs::path path = folder / "series.pvd";
    const std::vector<PvdEntry> entries{
        {0.0, "step_000.vtu", 0, ""},
        {0.1, "steps/step_001.vtu", 0, "loaded"},
        {1.25, "steps/step_002.vtu", 1, ""},
    };
    write_pvd(path, entries);
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"series.pvd"});

    const std::string text = file_bytes(path);
    CHECK(text.rfind("<?xml", 0) == 0);
    CHECK_THAT(text, Contains("<VTKFile type=\"Collection\""));
    // Opened and closed once each, in nesting order.
    const auto open_file = text.find("<VTKFile"), open_collection = text.find("<Collection>");
    const auto close_collection = text.find("</Collection>"), close_file = text.find("</VTKFile>");
    REQUIRE(open_file != std::string::npos);
    REQUIRE(open_collection != std::string::npos);
    REQUIRE(close_collection != std::string::npos);
    REQUIRE(close_file != std::string::npos);
    CHECK(open_file < open_collection);
    CHECK(open_collection < close_collection);
    CHECK(close_collection < close_file);

    // Attribute value of `name` inside the element text `element`.
    auto attribute = [](const std::string& element, const std::string& name) -> std::string {
        const std::string key = " " + name + "=\"";
        const auto start = element.find(key);
        if (start == std::string::npos) return "<absent>";
        const auto begin = start + key.size();
        return element.substr(begin, element.find('"', begin) - begin);
    };
    std::vector<std::string> datasets;
    for (auto at = text.find("<DataSet"); at != std::string::npos;
         at = text.find("<DataSet", at + 1)) {
        const auto end = text.find("/>", at);
        REQUIRE(end != std::string::npos);
        REQUIRE(end < close_collection);
        REQUIRE(at > open_collection);
        datasets.push_back(text.substr(at, end - at));
    }
    REQUIRE(datasets.size() == entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO("entry " << i << ": " << datasets[i]);
        // The time reads back as the same double.
        CHECK(std::stod(attribute(datasets[i], "timestep")) == entries[i].time);
        CHECK(attribute(datasets[i], "file") == entries[i].file.generic_string());
        CHECK(attribute(datasets[i], "part") == std::to_string(entries[i].part));
        CHECK(attribute(datasets[i], "name") ==
              (entries[i].name.empty() ? "<absent>" : entries[i].name));
    }

    // Rewriting replaces the collection and still leaves no temporary behind.
    write_pvd(path, {{2.0, "only.vtu", 0, ""}});
    const std::string rewritten = file_bytes(path);
    CHECK_THAT(rewritten, Contains("file=\"only.vtu\""));
    CHECK_THAT(rewritten, !Contains("step_000.vtu"));
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"series.pvd"});
}

TEST_CASE("write_vtp_points writes an event point set VTK's reader reads back", "[unit]") {
    TempFolder folder;
    const std::vector<Vec3> points{{-12.0, 3.0, 5.5}, {-14.5, -6.0, 4.0}, {0.0, 0.0, 0.0}};
    std::vector<DataArray> data;
    data.push_back({"load_factor", 1, {}, std::vector<double>{0.25, 0.5, 1.75}});
    data.push_back({"step", 1, {}, std::vector<std::int32_t>{1, 1, 2}});
    const std::vector<PointStrings> strings{
        {"type", {"initiation", "growth", "herniation"}},
        {"sector", {"posterior", "right posterolateral", "posterior"}}};
    const fs::path path = folder / "events.vtp";
    write_vtp_points(path, points, data, strings);
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"events.vtp"});

    vtkNew<vtkXMLPolyDataReader> reader;
    reader->SetFileName(path.c_str());
    reader->Update();
    vtkPolyData* poly = reader->GetOutput();
    REQUIRE(poly->GetNumberOfPoints() == 3);
    CHECK(poly->GetNumberOfVerts() == 3); // one vertex cell per event: visible in ParaView
    for (vtkIdType i = 0; i < 3; ++i) {
        double x[3];
        poly->GetPoint(i, x);
        CHECK(Vec3(x[0], x[1], x[2]) == points[i]);
    }
    vtkDataArray* load = poly->GetPointData()->GetArray("load_factor");
    REQUIRE(load != nullptr);
    CHECK(load->GetComponent(2, 0) == 1.75);
    vtkDataArray* step = poly->GetPointData()->GetArray("step");
    REQUIRE(step != nullptr);
    CHECK(step->GetComponent(2, 0) == 2.0);
    auto* type = vtkStringArray::SafeDownCast(poly->GetPointData()->GetAbstractArray("type"));
    REQUIRE(type != nullptr);
    CHECK(type->GetValue(2) == "herniation");
    auto* sector = vtkStringArray::SafeDownCast(poly->GetPointData()->GetAbstractArray("sector"));
    REQUIRE(sector != nullptr);
    CHECK(sector->GetValue(1) == "right posterolateral");

    // No events yet is a valid, empty point set.
    write_vtp_points(folder / "none.vtp", {}, {}, {});
    vtkNew<vtkXMLPolyDataReader> empty;
    empty->SetFileName((folder / "none.vtp").c_str());
    empty->Update();
    CHECK(empty->GetOutput()->GetNumberOfPoints() == 0);
}
