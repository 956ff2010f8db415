// Every shipped scenario runs end to end (coarse mesh) and leaves readable results: the
// ParaView collection, the last field file through VTK's own reader, results.csv, the resolved
// scenario and status. The issue "Scenario files": "every shipped file runs in the tests".
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"

#include <catch2/catch.hpp>

#include <vtkCellData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkUnstructuredGrid.h>
#include <vtkInformation.h>
#include <vtkInformationStringKey.h>
#include <vtkXMLUnstructuredGridReader.h>

#include <cstdlib>
#include <filesystem>

using namespace discsim;
namespace fs = std::filesystem;

namespace {

// The long runs (a day, a night, bed rest, 100 lifts, traction sessions) are the files that
// name `formulation: biphasic` (tests/CMakeLists.txt gives each its own ctest entry); the others
// are activities of seconds, on the default (biphasic) disc too.
bool long_file(const fs::path& file) {
    return test::file_bytes(file).find("formulation: biphasic") != std::string::npos;
}

// Runs one shipped file end to end on the coarse mesh and checks what it leaves.
void check_shipped_run(const fs::path& file) {
    INFO(file.filename().string());
    const scenarios::Scenario scenario = test::shipped_scenario(file.stem().string());
    test::TempFolder folder;
    const auto report = test::run_into(scenario, folder);
    INFO(report.reason);
    // Every scenario runs to its end, except the ones written to tear the disc: they end at
    // the herniation they are there to show.
    const bool tears = file.filename().string().rfind("hyperflexion", 0) == 0;
    const auto results = test::read_results(folder / "results.csv");
    CHECK(static_cast<int>(results.rows.size()) == report.increments);
    if (tears) {
        CHECK(report.outcome == scenarios::RunOutcome::herniation);
        CHECK(test::file_bytes(folder / "status.txt").rfind("herniation at increment", 0) == 0);
    } else {
        CHECK(report.completed);
        CHECK(report.ruptured == 0);
        CHECK(test::file_bytes(folder / "status.txt") == "completed\n");
        // results.csv: one row per converged increment, ending at the last step's end.
        CHECK(results.column("step_fraction").back() == 1.0);
    }
    // The collection names every field file, and the last one reads back with VTK.
    const std::string pvd = test::file_bytes(folder / "disc.pvd");
    CHECK(pvd.find("disc_0000.vtu") != std::string::npos);
    fs::path last;
    for (const auto& entry : fs::directory_iterator(folder.path())) {
        if (entry.path().extension() == ".vtu" && entry.path() > last) last = entry.path();
    }
    CHECK(pvd.find(last.filename().string()) != std::string::npos);
    vtkNew<vtkXMLUnstructuredGridReader> reader;
    reader->SetFileName(last.c_str());
    reader->Update();
    vtkUnstructuredGrid* grid = reader->GetOutput();
    REQUIRE(grid->GetNumberOfCells() > 0);
    // Dimensional arrays carry their unit in the name (ParaView's legend shows it) and as
    // their UNITS_LABEL (docs/cli.md).
    for (const char* name : {"cauchy_stress_MPa", "von_mises_MPa", "principal_stress_MPa",
                             "hydrostatic_pressure_MPa", "fibre_stretch", "region", "sector",
                             "damage", "ruptured_at_step"}) {
        CHECK(grid->GetCellData()->GetArray(name) != nullptr);
    }
    vtkDataArray* stress = grid->GetCellData()->GetArray("von_mises_MPa");
    REQUIRE(stress != nullptr);
    REQUIRE(stress->GetInformation()->Has(vtkDataArray::UNITS_LABEL()));
    CHECK(std::string(stress->GetInformation()->Get(vtkDataArray::UNITS_LABEL())) == "MPa");
    CHECK(grid->GetPointData()->GetArray("displacement_mm") != nullptr);
    if (scenario.biphasic()) {
        // The fluid's fields, named with their units (docs/cli.md), and its results columns.
        for (const char* name : {"interstitial_pressure_MPa", "osmotic_pressure_MPa",
                                 "fluid_flux_mm_per_s", "fluid_fraction", "permeability_mm4_per_Ns"})
            CHECK(grid->GetCellData()->GetArray(name) != nullptr);
        CHECK(grid->GetPointData()->GetArray("fluid_pressure_MPa") != nullptr);
        CHECK_FALSE(results.column("nucleus_fluid_volume_change_mm3").empty());
        CHECK_FALSE(results.column("outflow_outer_wall_mm3_per_s").empty());
        CHECK(report.swelling.rfind("free swelling", 0) == 0);
    }
    // The resolved scenario reads back to the same scenario.
    const auto resolved = scenarios::parse_scenario(test::file_bytes(folder / "scenario.yaml"),
                                                    folder / "scenario.yaml");
    CHECK(resolved.steps.size() == scenario.steps.size());
    CHECK(resolved.name == scenario.name);
}

} // namespace

TEST_CASE("every shipped activity scenario runs and writes readable results", "[library]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(DISCSIM_SOURCE_DIR "/scenarios/library")) {
        if (entry.path().extension() == ".yaml" && !long_file(entry.path()))
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 15);
    for (const auto& file : files) {
        // The default formulation: each of them runs as the biphasic disc.
        CHECK(scenarios::load_scenario(file).biphasic());
        check_shipped_run(file);
    }
}

// The biphasic files run for minutes each: one ctest entry per file (tests/CMakeLists.txt
// passes its name in DISCSIM_LIBRARY_FILE), so that ctest -j runs them side by side.
TEST_CASE("a shipped biphasic scenario runs and writes readable results", "[.biphasic_library]") {
    const char* name = std::getenv("DISCSIM_LIBRARY_FILE");
    REQUIRE(name != nullptr);
    const fs::path file = fs::path(DISCSIM_SOURCE_DIR "/scenarios/library") / name;
    REQUIRE(fs::exists(file));
    REQUIRE(long_file(file));
    check_shipped_run(file);
}
