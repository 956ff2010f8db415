// `discsim run` as a user runs it: results written and readable, bad scenarios rejected before
// anything is solved or written, and a solve that cannot finish exits 4 with every converged
// increment kept.
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/results_csv.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using discsim::test::quoted;
using discsim::test::Run;
using discsim::test::run_discsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

void write(const fs::path& file, const std::string& text) {
    std::ofstream out(file);
    out << text;
}

} // namespace

TEST_CASE("discsim run writes results a user can open", "[cli]") {
    discsim::test::TempFolder folder;
    write(folder / "standing.yaml", "name: standing\nmesh: {resolution: coarse}\n"
                                    "steps:\n  - name: stand\n    duration: 2 s\n    loads: {follower_compression: 500}\n");
    const Run run = run_discsim("run " + quoted(folder / "standing.yaml") + " -o " + quoted(folder / "out"));
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK_THAT(run.output, Contains("completed"));
    for (const char* name : {"results.csv", "disc.pvd", "disc_0000.vtu", "scenario.yaml", "status.txt"}) {
        CHECK(fs::exists(folder / "out" / name));
    }
    // No temporary file is left behind.
    for (const auto& name : discsim::test::folder_entries(folder / "out")) CHECK(name.find(".tmp") == std::string::npos);
    const auto results = discsim::test::read_results(folder / "out" / "results.csv");
    REQUIRE_FALSE(results.rows.empty());
    // The load reached is the requested one, and it compresses the disc.
    CHECK(results.column("follower_compression_N").back() == Approx(500.0));
    CHECK(results.column("height_change_mm").back() < 0.0);
    CHECK(results.column("idp_mean_MPa").back() > 0.0);
}

TEST_CASE("discsim run --formulation runs a scenario as the other disc", "[cli]") {
    // The default is the biphasic disc; --formulation elastic runs the same file as the dry
    // elastic disc (the regression label's runs), whose results carry no fluid columns.
    discsim::test::TempFolder folder;
    write(folder / "standing.yaml", "name: standing\nmesh: {resolution: coarse}\n"
                                    "output: {vtu_every: 0}\n"
                                    "steps:\n  - name: stand\n    duration: 2 s\n"
                                    "    loads: {follower_compression: 500}\n");
    const Run elastic = run_discsim("run --formulation elastic " + quoted(folder / "standing.yaml") +
                                    " -o " + quoted(folder / "elastic") + " -q");
    INFO(elastic.output);
    REQUIRE(elastic.status == 0);
    const Run biphasic = run_discsim("run " + quoted(folder / "standing.yaml") + " -o " +
                                     quoted(folder / "biphasic") + " -q");
    INFO(biphasic.output);
    REQUIRE(biphasic.status == 0);
    const auto e = discsim::test::read_results(folder / "elastic" / "results.csv");
    const auto b = discsim::test::read_results(folder / "biphasic" / "results.csv");
    const auto has = [](const discsim::test::ResultsTable& t, const std::string& name) {
        return std::find(t.header.begin(), t.header.end(), name) != t.header.end();
    };
    CHECK_FALSE(has(e, "nucleus_fluid_pressure_MPa"));
    CHECK(has(b, "nucleus_fluid_pressure_MPa"));
    CHECK_THAT(discsim::test::file_bytes(folder / "elastic" / "scenario.yaml"),
               Contains("formulation: elastic"));
    const Run bad = run_discsim("run --formulation dry " + quoted(folder / "standing.yaml") +
                                " -o " + quoted(folder / "bad"));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.output, Contains("--formulation: expected one of elastic, biphasic, got 'dry'"));
    CHECK_FALSE(fs::exists(folder / "bad"));
}

TEST_CASE("discsim run --tangent exact gives the three-field tangent's answer", "[cli]") {
    // Both tangents solve the same residual: the elastic standing disc's height change agrees
    // to the convergence tolerance (force balance to 1e-4 of 500 N on ~1 kN/mm: ~1e-7 mm,
    // results.csv's six digits are the bound). A bad kind is refused before anything is written.
    discsim::test::TempFolder folder;
    write(folder / "standing.yaml", "name: standing\nmesh: {resolution: coarse}\n"
                                    "materials: {formulation: elastic}\noutput: {vtu_every: 0}\n"
                                    "steps:\n  - name: stand\n    loads: {follower_compression: 500}\n");
    double height[2];
    int k = 0;
    for (const char* tangent : {"three-field", "exact"}) {
        const Run run = run_discsim("run --tangent " + std::string(tangent) + " " +
                                    quoted(folder / "standing.yaml") + " -o " +
                                    quoted(folder / tangent) + " -q");
        INFO(run.output);
        REQUIRE(run.status == 0);
        height[k++] = discsim::test::read_results(folder / tangent / "results.csv")
                          .column("height_change_mm")
                          .back();
    }
    CHECK(height[0] < 0.0);
    CHECK(height[1] == Approx(height[0]).epsilon(1e-5));
    const Run bad = run_discsim("run --tangent secant " + quoted(folder / "standing.yaml") +
                                " -o " + quoted(folder / "bad"));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.output, Contains("--tangent: expected three-field or exact, got 'secant'"));
    CHECK_FALSE(fs::exists(folder / "bad"));
}

TEST_CASE("discsim run rejects a bad scenario before solving or writing", "[cli]") {
    discsim::test::TempFolder folder;
    write(folder / "bad.yaml", "name: bad\nsteps:\n  - name: flex\n    loads:\n"
                               "      moment: {flexon: 7.5}\n");
    const Run run = run_discsim("run " + quoted(folder / "bad.yaml") + " -o " + quoted(folder / "out"));
    CHECK(run.status == 2);
    CHECK_THAT(run.output, StartsWith("discsim: error: "));
    CHECK_THAT(run.output, Contains("bad.yaml:5:") && Contains("flexion"));
    CHECK_FALSE(fs::exists(folder / "out"));
    CHECK(run_discsim("run").status == 2);
    CHECK(run_discsim("run " + quoted(folder / "missing.yaml")).status == 2);
}

TEST_CASE("discsim run that cannot finish exits 4 and keeps every converged increment", "[cli]") {
    // Pressing the vertebra down 15 mm into an 11 mm disc: no equilibrium exists past a point.
    discsim::test::TempFolder folder;
    write(folder / "crush.yaml",
          "name: crush\nmesh: {resolution: coarse}\nmaterials: {formulation: elastic}\n"
          "steps:\n  - name: crush\n"
          "    increments: {initial: 0.25, min: 0.01, max: 0.25}\n"
          "    loads: {displacement: {x: 0, y: 0, z: -15}}\n");
    const Run run = run_discsim("run " + quoted(folder / "crush.yaml") + " -o " + quoted(folder / "out"));
    INFO(run.output);
    CHECK(run.status == 4);
    CHECK_THAT(run.output, Contains("stopped"));
    const std::string status = discsim::test::file_bytes(folder / "out" / "status.txt");
    CHECK_THAT(status, StartsWith("not converged: step 'crush' stopped at"));
    // Every converged increment is in results.csv, and the collection lists only files that exist.
    const auto results = discsim::test::read_results(folder / "out" / "results.csv");
    REQUIRE_FALSE(results.rows.empty());
    const std::string pvd = discsim::test::file_bytes(folder / "out" / "disc.pvd");
    CHECK_THAT(pvd, Contains("</VTKFile>"));
    for (const auto& name : discsim::test::folder_entries(folder / "out")) {
        if (name.size() > 4 && name.substr(name.size() - 4) == ".vtu") {
            CHECK(pvd.find(name) != std::string::npos);
        }
    }
}

TEST_CASE("discsim run on a disc mesh from a file (a user's own mesh)", "[cli]") {
    // A mesh written by `discsim mesh` stands in for a patient-specific one: the scenario names
    // it relative to its own folder.
    discsim::test::TempFolder folder;
    REQUIRE(run_discsim("mesh --segment L5-S1 --resolution coarse --set annulus_rings=3 -o " +
                        quoted(folder / "meshes") + " --name patient -q")
                .status == 0);
    write(folder / "own.yaml", "name: own mesh\nmesh: {file: meshes/patient.vtu}\n"
                               "steps:\n  - name: stand\n    duration: 2 s\n    loads: {follower_compression: 300}\n");
    const Run run = run_discsim("run " + quoted(folder / "own.yaml") + " -o " + quoted(folder / "out"));
    INFO(run.output);
    REQUIRE(run.status == 0);
    const auto results = discsim::test::read_results(folder / "out" / "results.csv");
    CHECK(results.column("follower_compression_N").back() == Approx(300.0));
    // The field files carry the file's mesh (3 annulus rings).
    CHECK(discsim::test::file_bytes(folder / "out" / "scenario.yaml").find("patient.vtu") !=
          std::string::npos);
}
