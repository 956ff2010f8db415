// A herniation run's disc.pvd read as a whole, as ParaView reads it: ParaView takes a
// collection's blocks from its first time step, so every time step must list a disc dataset
// (part 0) and an events dataset (part 1), and each events dataset must hold exactly the events
// that have happened by its time. Event points carry the disc's displacement at their place, so
// Warp By Vector moves them with the mesh.
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLUnstructuredGridReader.h>

using namespace discsim;
namespace fs = std::filesystem;

namespace {

struct Dataset {
    double time = 0.0;
    int part = -1;
    std::string file;
};

// The <DataSet .../> entries of a .pvd (the attribute order discsim writes does not matter).
std::vector<Dataset> read_pvd(const fs::path& file) {
    const std::string text = test::file_bytes(file);
    std::vector<Dataset> out;
    const std::regex entry(R"(<DataSet([^>]*)/>)");
    const std::regex attribute(R"re((\w+)="([^"]*)")re");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), entry);
         it != std::sregex_iterator(); ++it) {
        Dataset d;
        const std::string attributes = (*it)[1];
        for (auto a = std::sregex_iterator(attributes.begin(), attributes.end(), attribute);
             a != std::sregex_iterator(); ++a) {
            const std::string name = (*a)[1], value = (*a)[2];
            if (name == "timestep") d.time = std::stod(value);
            if (name == "part") d.part = std::stoi(value);
            if (name == "file") d.file = value;
        }
        out.push_back(d);
    }
    return out;
}

} // namespace

TEST_CASE("every time step of a herniation run lists the disc and the events up to its time",
          "[cli]") {
    test::TempFolder folder;
    const auto report =
        test::run_into(test::shipped_scenario("hyperflexion_compression_L4-5"), folder);
    REQUIRE(report.outcome == scenarios::RunOutcome::herniation);
    // The events' times at full precision (events.csv prints 6 digits), from the report: in
    // seconds, as the .pvd's, since the scenario has durations.
    std::vector<double> event_times;
    for (const auto& e : report.events) {
        REQUIRE(std::isfinite(e.time_s));
        event_times.push_back(e.time_s);
    }
    REQUIRE(event_times.size() >= 2);
    CHECK(test::read_results(folder / "events.csv").rows.size() == event_times.size());

    std::map<double, std::vector<Dataset>> steps;
    for (const auto& d : read_pvd(folder / "disc.pvd"))
        steps[d.time].push_back(d);
    REQUIRE(steps.size() >= 3);
    std::size_t previous_count = 0;
    for (const auto& [time, datasets] : steps) {
        INFO("time step " << time);
        REQUIRE(datasets.size() == 2);
        const Dataset* disc = nullptr;
        const Dataset* events = nullptr;
        for (const auto& d : datasets) {
            if (d.part == 0) disc = &d;
            if (d.part == 1) events = &d;
        }
        REQUIRE(disc != nullptr);
        REQUIRE(events != nullptr);
        CHECK(fs::path(disc->file).extension() == ".vtu");
        vtkNew<vtkXMLPolyDataReader> reader;
        reader->SetFileName((folder.path() / events->file).c_str());
        reader->Update();
        vtkPolyData* poly = reader->GetOutput();
        // Exactly the events whose time is not after this step's.
        std::size_t expected = 0;
        for (double t : event_times)
            if (t <= time + 1e-12) ++expected; // the .pvd prints times in full
        CHECK(static_cast<std::size_t>(poly->GetNumberOfPoints()) == expected);
        CHECK(static_cast<std::size_t>(poly->GetNumberOfPoints()) >= previous_count);
        previous_count = poly->GetNumberOfPoints();
        // The same arrays at every step, also before the first event (ParaView's block is
        // set up from the first step).
        for (const char* name : {"event", "time", "displacement_mm", "idp_mean_MPa"})
            CHECK(poly->GetPointData()->GetArray(name) != nullptr);
        for (const char* name : {"type", "sector", "sectors"})
            CHECK(poly->GetPointData()->GetAbstractArray(name) != nullptr);
        vtkDataArray* event_time = poly->GetPointData()->GetArray("time");
        for (vtkIdType i = 0; event_time && i < poly->GetNumberOfPoints(); ++i)
            CHECK(event_time->GetTuple1(i) <= time + 1e-12);

        // An event at one element's centroid (initiation, growth) moves with that element: its
        // displacement is the mean of the element's nodal displacements at this step.
        vtkNew<vtkXMLUnstructuredGridReader> grid_reader;
        grid_reader->SetFileName((folder.path() / disc->file).c_str());
        grid_reader->Update();
        vtkUnstructuredGrid* grid = grid_reader->GetOutput();
        vtkDataArray* u = grid->GetPointData()->GetArray("displacement_mm");
        vtkDataArray* event_u = poly->GetPointData()->GetArray("displacement_mm");
        REQUIRE(u != nullptr);
        REQUIRE(event_u != nullptr);
        int matched = 0;
        for (vtkIdType i = 0; i < poly->GetNumberOfPoints(); ++i) {
            double p[3];
            poly->GetPoint(i, p);
            for (vtkIdType c = 0; c < grid->GetNumberOfCells(); ++c) {
                vtkIdType n = 0;
                const vtkIdType* nodes = nullptr;
                grid->GetCellPoints(c, n, nodes);
                double centroid[3] = {0, 0, 0}, mean_u[3] = {0, 0, 0};
                for (vtkIdType k = 0; k < n; ++k) {
                    double x[3];
                    grid->GetPoint(nodes[k], x);
                    for (int d = 0; d < 3; ++d) {
                        centroid[d] += x[d] / n;
                        mean_u[d] += u->GetComponent(nodes[k], d) / n;
                    }
                }
                const double distance =
                    std::hypot(centroid[0] - p[0], centroid[1] - p[1], centroid[2] - p[2]);
                if (distance > 1e-9) continue;
                ++matched;
                for (int d = 0; d < 3; ++d)
                    CHECK(event_u->GetComponent(i, d) == Approx(mean_u[d]).margin(1e-9));
            }
        }
        if (expected > 0) CHECK(matched >= 1); // at least the initiation sits at a centroid
    }
    CHECK(previous_count == event_times.size());
}
