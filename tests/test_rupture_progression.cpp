// Progressive annulus rupture and herniation events (issue "Rupture threshold, progressive
// annulus failure and herniation events"): the stepping hooks, the run's events and their files
// read back with VTK's readers, the physiological scenarios against the default thresholds, a
// hyperflexion herniation checked element by element, and the monotony in the threshold.
#include "mesh/disc_mesher.hpp"
#include "mesh/topology.hpp"
#include "mesh/vtk_io.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/rupture_progression.hpp"
#include "support/files.hpp"
#include "support/meshes.hpp"
#include "support/results_csv.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLUnstructuredGridReader.h>

using namespace discsim;
namespace fs = std::filesystem;

namespace {

// The hyperflexion test case: heavy compression, then the vertebra flexed far beyond the
// physiological range under rotation control (Adams & Hutton 1982: segments flexed beyond their
// limit and loaded in compression prolapse posteriorly).
scenarios::Scenario hyperflexion(mesh::Resolution resolution) {
    scenarios::Scenario s = scenarios::load_scenario(
        DISCSIM_SOURCE_DIR "/scenarios/library/hyperflexion_compression_L4-5.yaml");
    s.mesh.resolution = resolution;
    return s;
}

struct Run {
    test::TempFolder folder;
    scenarios::RunReport report;
};

std::unique_ptr<Run> run(const scenarios::Scenario& scenario) {
    auto r = std::make_unique<Run>();
    scenarios::RunOptions options;
    options.output = r->folder.path();
    options.program_version = "test";
    r->report = scenarios::run_scenario(scenario, options);
    return r;
}

const scenarios::EventRecord* first_event(const scenarios::RunReport& report,
                                          solver::RuptureEventType type) {
    for (const auto& e : report.events)
        if (e.event.type == type) return &e;
    return nullptr;
}

bool posterior_half(mesh::Sector s) {
    return s == mesh::Sector::posterior || s == mesh::Sector::left_posterolateral ||
           s == mesh::Sector::right_posterolateral;
}

fs::path last_vtu(const fs::path& folder) {
    fs::path last;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.path().extension() == ".vtu" && entry.path() > last) last = entry.path();
    return last;
}

} // namespace

TEST_CASE("stepping hooks: a limited increment is retried smaller, settle can stop the path",
          "[unit]") {
    // A column under a growing end pressure; the hooks see every converged increment.
    const mesh::HexMesh m = test::box_mesh(1, 1, 2, 1, 1, 2);
    solver::Model model;
    model.mesh = &m;
    model.materials = {materials::make_material(materials::make_neo_hookean(0.2), std::nullopt,
                                                materials::make_volumetric(20.0))};
    model.cell_material.assign(m.cells.size(), 0);
    for (int n = 0; n < m.node_count(); ++n) {
        if (m.nodes[n].z() == 0.0)
            for (int k = 0; k < 3; ++k)
                model.prescribed.push_back({n, k, 0.0});
        else if (m.nodes[n].z() == 2.0)
            model.prescribed.push_back({n, 2, 0.4});
    }
    solver::System system(model);
    solver::Step step;
    step.name = "stretch";
    step.initial_increment = 0.5;
    step.max_increment = 0.5;

    SECTION("limit") {
        solver::State state = system.initial_state();
        std::vector<double> accepted;
        solver::IncrementHooks hooks;
        int asked = 0;
        // Refuse the first attempt at 0.5 once, asking for 0.4 of it.
        hooks.limit = [&](const solver::Increment&, const solver::State&, const solver::State&) {
            ++asked;
            return asked == 1 ? 0.4 : 1.0;
        };
        hooks.on_converged = [&](const solver::Increment& inc, const solver::State&) {
            accepted.push_back(inc.step_fraction);
        };
        const auto path = solver::solve_steps(system, state, {step}, {}, hooks);
        REQUIRE(path.completed);
        CHECK(path.limited == 1);
        REQUIRE(accepted.size() >= 2);
        CHECK(accepted.front() == Approx(0.2)); // 0.5 * 0.4
        CHECK(accepted.back() == 1.0);
    }
    SECTION("settle") {
        solver::State state = system.initial_state();
        int converged = 0;
        solver::IncrementHooks hooks;
        hooks.settle = [&](solver::Increment& inc, solver::State&) -> std::optional<std::string> {
            inc.re_equilibrations = 1;
            if (inc.step_fraction >= 0.5) return std::string("enough");
            return std::nullopt;
        };
        hooks.on_converged = [&](const solver::Increment&, const solver::State&) { ++converged; };
        const auto path = solver::solve_steps(system, state, {step}, {}, hooks);
        CHECK_FALSE(path.completed);
        CHECK(path.stopped_by_hook);
        CHECK(path.reason == "enough");
        CHECK(converged == 1); // the stopping increment is still reported
        CHECK(path.time_reached == 0.5);
    }
}

TEST_CASE("the physiological shipped scenarios cause no rupture at the default thresholds",
          "[validation]") {
    // PHYSICS.md 6: no rupture under the physiological reference load cases. As shipped
    // (medium mesh). Each is run with the default criterion (fibre strain); as nothing
    // ruptures, the path is the same under the stress criterion, which is then checked on the
    // largest annulus principal stress of every increment.
    const double stress_threshold =
        solver::default_threshold(solver::RuptureCriterion::max_principal_stress);
    for (const char* name : {"standing_L4-5", "flexion_L4-5", "extension_L4-5",
                             "lateral_bending_L4-5", "axial_rotation_L4-5",
                             "lifting_close_to_body_L4-5", "flexion_L5-S1", "extension_L5-S1"}) {
        scenarios::Scenario s = scenarios::load_scenario(
            std::string(DISCSIM_SOURCE_DIR "/scenarios/library/") + name + ".yaml");
        REQUIRE(s.rupture.enabled);
        REQUIRE(s.rupture.criterion == solver::RuptureCriterion::fibre_strain);
        REQUIRE_FALSE(s.rupture.threshold.has_value());
        s.output.vtu_every = 0;
        const auto r = run(s);
        INFO(name << ": " << r->report.reason);
        CHECK(r->report.outcome == scenarios::RunOutcome::completed);
        CHECK(r->report.ruptured == 0);
        CHECK(r->report.events.empty());
        const auto results = test::read_results(r->folder / "results.csv");
        CHECK(results.column("ruptured_elements").back() == 0);
        const auto stress = results.column("max_annulus_principal_stress_MPa");
        const double peak = *std::max_element(stress.begin(), stress.end());
        INFO("largest annulus principal stress " << peak << " MPa");
        CHECK(peak < stress_threshold);
    }
}

TEST_CASE("hyperflexion with heavy compression ruptures the posterior annulus and herniates",
          "[validation]") {
    const auto r = run(hyperflexion(mesh::Resolution::coarse));
    const auto& report = r->report;
    INFO(report.reason);
    REQUIRE(report.outcome == scenarios::RunOutcome::herniation);
    // Initiation first, in the posterior half of the annulus (Adams & Hutton 1982).
    REQUIRE_FALSE(report.events.empty());
    const auto& initiation = report.events.front();
    CHECK(initiation.event.type == solver::RuptureEventType::initiation);
    INFO("initiation sector " << mesh::sector_name(initiation.event.sector));
    CHECK(posterior_half(initiation.event.sector));
    for (int c : initiation.event.cells) {
        CHECK(initiation.event.centroid.x() < 0.0); // behind the disc centre
        (void)c;
    }
    const auto* herniation = first_event(report, solver::RuptureEventType::herniation);
    REQUIRE(herniation != nullptr);
    CHECK(herniation->event.time >= initiation.event.time);
    CHECK(posterior_half(herniation->event.sector));

    // The path, checked on the mesh as written (VTK's reader) and on the mesh's topology:
    // it starts at an annulus element sharing a face with the nucleus, ends at an element on the
    // outer wall, each element shares a face with the next, and every one has ruptured.
    const fs::path vtu = last_vtu(r->folder.path());
    vtkNew<vtkXMLUnstructuredGridReader> reader;
    reader->SetFileName(vtu.c_str());
    reader->Update();
    vtkUnstructuredGrid* grid = reader->GetOutput();
    vtkDataArray* at = grid->GetCellData()->GetArray("ruptured_at_step");
    vtkDataArray* damage = grid->GetCellData()->GetArray("damage");
    vtkDataArray* region = grid->GetCellData()->GetArray("region");
    REQUIRE(at != nullptr);
    REQUIRE(damage != nullptr);
    REQUIRE(region != nullptr);
    const mesh::HexMesh disc = mesh::read_vtu(vtu);
    const auto neighbours = mesh::face_neighbours(disc);
    std::set<int> outer;
    for (const auto& face : disc.face_set(mesh::Surface::outer_wall))
        outer.insert(face.cell);
    const auto& path = herniation->event.cells;
    REQUIRE(path.size() >= 2);
    auto touches_nucleus = [&](int c) {
        return std::any_of(neighbours[c].begin(), neighbours[c].end(),
                           [&](int o) { return o >= 0 && disc.region[o] == 0; });
    };
    CHECK(touches_nucleus(path.front()));
    CHECK(outer.count(path.back()) == 1);
    CHECK(static_cast<int>(path.size()) >= disc.annulus_ring_count());
    for (std::size_t k = 0; k < path.size(); ++k) {
        INFO("path element " << k << ": cell " << path[k]);
        CHECK(region->GetTuple1(path[k]) > 0);
        CHECK(at->GetTuple1(path[k]) >= 1);
        CHECK(at->GetTuple1(path[k]) <= herniation->event.increment);
        CHECK(damage->GetTuple1(path[k]) > 0.0);
        if (k + 1 < path.size()) {
            CHECK(std::count(neighbours[path[k]].begin(), neighbours[path[k]].end(), path[k + 1]) ==
                  1);
        }
    }
    // Damage and ruptured_at_step agree everywhere.
    int ruptured = 0;
    for (vtkIdType c = 0; c < grid->GetNumberOfCells(); ++c) {
        const bool broken = at->GetTuple1(c) >= 0;
        ruptured += broken;
        CHECK((damage->GetTuple1(c) > 0) == broken);
    }
    CHECK(ruptured == report.ruptured);
    // After an increment's re-equilibration no intact annulus element is left at or over the
    // threshold. Checked at the initiation increment: the run stops in the middle of the
    // herniation increment's passes. The criterion's fibre strain counts from the initial
    // state (the biphasic disc's free swelling, docs/model.md section 9): the file's fibre
    // stretch from the mesh over that of disc_0000.vtu, element by element, as the model
    // takes it.
    REQUIRE(initiation.event.increment < herniation->event.increment);
    char name[32];
    std::snprintf(name, sizeof name, "disc_%04d.vtu", initiation.event.increment);
    vtkNew<vtkXMLUnstructuredGridReader> settled;
    settled->SetFileName((r->folder / name).c_str());
    settled->Update();
    vtkDataArray* stretch = settled->GetOutput()->GetCellData()->GetArray("fibre_stretch");
    vtkDataArray* settled_at = settled->GetOutput()->GetCellData()->GetArray("ruptured_at_step");
    REQUIRE(stretch != nullptr);
    REQUIRE(settled_at != nullptr);
    vtkNew<vtkXMLUnstructuredGridReader> initial;
    initial->SetFileName((r->folder / "disc_0000.vtu").c_str());
    initial->Update();
    vtkDataArray* stretch0 = initial->GetOutput()->GetCellData()->GetArray("fibre_stretch");
    REQUIRE(stretch0 != nullptr);
    const double threshold = solver::default_threshold(solver::RuptureCriterion::fibre_strain);
    int over = 0;
    for (vtkIdType c = 0; c < settled->GetOutput()->GetNumberOfCells(); ++c) {
        const double strain = std::max(stretch->GetComponent(c, 0) / stretch0->GetComponent(c, 0),
                                       stretch->GetComponent(c, 1) / stretch0->GetComponent(c, 1)) -
                              1;
        if (settled_at->GetTuple1(c) < 0 && region->GetTuple1(c) > 0 && strain >= threshold) ++over;
    }
    CHECK(over == 0);

    // events.csv: one row per event, in order; the last results row has the counts.
    const auto events = test::read_results(r->folder / "events.csv");
    REQUIRE(events.rows.size() == report.events.size());
    CHECK(events.text_column("type").front() == "initiation");
    CHECK(events.text_column("type").back() == "herniation");
    const auto results = test::read_results(r->folder / "results.csv");
    CHECK(results.column("ruptured_elements").back() == report.ruptured);
    CHECK(results.column("deepest_fissure_fraction").back() == 1.0);

    // events.vtp through VTK's reader: one vertex per event with its attributes, and the
    // collection lists it.
    vtkNew<vtkXMLPolyDataReader> points;
    points->SetFileName((r->folder / "events.vtp").c_str());
    points->Update();
    vtkPolyData* poly = points->GetOutput();
    REQUIRE(poly->GetNumberOfPoints() == static_cast<vtkIdType>(report.events.size()));
    CHECK(poly->GetNumberOfVerts() == poly->GetNumberOfPoints());
    auto* types = vtkStringArray::SafeDownCast(poly->GetPointData()->GetAbstractArray("type"));
    REQUIRE(types != nullptr);
    CHECK(types->GetValue(0) == "initiation");
    auto* sectors = vtkStringArray::SafeDownCast(poly->GetPointData()->GetAbstractArray("sector"));
    REQUIRE(sectors != nullptr);
    CHECK(sectors->GetValue(0) == std::string(mesh::sector_name(initiation.event.sector)));
    vtkDataArray* idp = poly->GetPointData()->GetArray("idp_mean_MPa");
    REQUIRE(idp != nullptr);
    CHECK(idp->GetTuple1(0) == Approx(initiation.idp_mean).epsilon(1e-6));
    double p[3];
    poly->GetPoint(0, p);
    CHECK(p[0] == Approx(initiation.event.centroid.x()).epsilon(1e-6));
    CHECK(test::file_bytes(r->folder / "disc.pvd").find("events.vtp") != std::string::npos);
    CHECK(test::file_bytes(r->folder / "status.txt").rfind("herniation", 0) == 0);
}

TEST_CASE("a lower threshold never delays the first rupture", "[validation]") {
    // Monotone in the threshold: the initiation load (time) cannot come later for a lower
    // threshold. Landing on the threshold within 5 % keeps the ordering exact for thresholds
    // 10 % apart.
    double previous = -1.0;
    for (double threshold : {0.09, 0.10, 0.11, 0.12, 0.13}) {
        scenarios::Scenario s = hyperflexion(mesh::Resolution::coarse);
        s.rupture.threshold = threshold;
        s.output.vtu_every = 0;
        const auto r = run(s);
        REQUIRE_FALSE(r->report.events.empty());
        const double t = r->report.events.front().event.time;
        INFO("threshold " << threshold << ": initiation at time " << t);
        CHECK(t > previous);
        previous = t;
    }
}
