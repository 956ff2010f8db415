// Batch sweeps (issue "Batch sweeps for traction settings ..."): the sweep file, its expansion
// into checked cases, bad input rejected before any case runs, and `discsim sweep` end to end:
// summary.csv, a failing case that does not stop the sweep, resuming, shards and merging.
#include "core/error.hpp"
#include "scenarios/sweep.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/results_csv.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace discsim;
using Catch::Matchers::Contains;
using test::quoted;
using test::run_discsim;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

// A short base: lying preload, then a traction pull; coarse mesh, no field files; the elastic
// disc, whose untimed steps expand and run fastest (the expansion is the formulation's concern
// nowhere).
const char* base_yaml = "name: pull\n"
                        "segment: L4-5\n"
                        "mesh: {resolution: coarse}\n"
                        "materials: {formulation: elastic}\n"
                        "output: {vtu_every: 0}\n"
                        "steps:\n"
                        "  - name: lying\n"
                        "    loads: {follower_compression: 100}\n"
                        "  - name: traction\n"
                        "    loads:\n"
                        "      traction: {force: 200, angle: 0}\n";

std::string sweep_error(const test::TempFolder& folder, const std::string& sweep) {
    write(folder / "base.yaml", base_yaml);
    write(folder / "bad.yaml", sweep);
    try {
        scenarios::expand_sweep(scenarios::load_sweep(folder / "bad.yaml"));
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("a sweep file expands into checked cases: grid, ranges, lists, fixed keys", "[unit]") {
    test::TempFolder folder;
    write(folder / "base.yaml", base_yaml);
    SECTION("grid: every combination, the first key slowest; ranges include their stop") {
        write(folder / "s.yaml", "base: base.yaml\n"
                                 "set: {rupture.enabled: false}\n"
                                 "vary:\n"
                                 "  segment: [L4-5, L5-S1]\n"
                                 "  steps[traction].loads.traction.force: {start: 100, stop: 300, "
                                 "step: 100}\n");
        const auto spec = scenarios::load_sweep(folder / "s.yaml");
        const auto cases = scenarios::expand_sweep(spec);
        REQUIRE(cases.size() == 6);
        CHECK(cases[0].values == std::vector<std::string>{"L4-5", "100"});
        CHECK(cases[2].values == std::vector<std::string>{"L4-5", "300"});
        CHECK(cases[3].values == std::vector<std::string>{"L5-S1", "100"});
        CHECK(cases[4].name == "case_0004_segment-L5-S1_force-200");
        CHECK(cases[4].scenario.mesh.segment == mesh::Segment::L5_S1);
        CHECK_FALSE(cases[4].scenario.rupture.enabled);
        CHECK(cases[4].scenario.steps[1].loads.traction->force == 200.0);
        CHECK_THAT(cases[4].scenario.name, Contains("segment L5-S1, force 200"));
    }
    SECTION("list: zipped, steps by index; a sweep: block") {
        write(folder / "s.yaml", "sweep:\n"
                                 "  base: base.yaml\n"
                                 "  mode: list\n"
                                 "  vary:\n"
                                 "    steps[1].loads.traction.force: [150, 250]\n"
                                 "    steps[1].loads.traction.angle: [5, 15]\n");
        const auto cases = scenarios::expand_sweep(scenarios::load_sweep(folder / "s.yaml"));
        REQUIRE(cases.size() == 2);
        CHECK(cases[1].scenario.steps[1].loads.traction->force == 250.0);
        CHECK(cases[1].scenario.steps[1].loads.traction->angle == 15.0);
    }
    SECTION("a key absent from the base is added: optional keys can be varied") {
        write(folder / "s.yaml", "base: base.yaml\nvary:\n  rupture.threshold: [0.1, 0.2]\n");
        const auto cases = scenarios::expand_sweep(scenarios::load_sweep(folder / "s.yaml"));
        REQUIRE(cases.size() == 2);
        CHECK(cases[1].scenario.rupture.threshold == 0.2);
    }
}

TEST_CASE("bad sweep input is rejected before any case runs, naming the key", "[unit]") {
    test::TempFolder folder;
    const std::string f = (folder / "bad.yaml").string();
    CHECK(sweep_error(folder,
                      "base: base.yaml\nvary:\n  steps[traction].loads.traction.forse: [1]\n") ==
          f + ":3:3: case 0 (forse 1): steps[1].loads.traction.forse: unknown key 'forse' (did "
              "you mean 'force'?); expected one of force, body_weight_fraction, angle, body_mass");
    CHECK(sweep_error(folder, "base: base.yaml\nvary:\n  steps[traction].loads.traction.force: "
                              "{start: 300, stop: 100, step: 100}\n") ==
          f + ":3:41: vary.steps[traction].loads.traction.force: expected a range that holds at "
              "least one value (step of the sign of stop - start, not 0), got start 300, stop "
              "100, step 100");
    CHECK_THAT(sweep_error(folder, "base: base.yaml\nvary:\n  steps[traction].loads.traction."
                                   "angle: [0, 60]\n"),
               Contains(f + ":3:3: case 1 (angle 60): steps[1].loads.traction.angle: expected a "
                            "value in deg in [-45, 45], got 60"));
    CHECK(sweep_error(folder, "base: base.yaml\nmode: list\nvary:\n  segment: [L4-5, L5-S1]\n"
                              "  steps[1].loads.traction.force: [100]\n") ==
          f + ":5:3: vary.steps[1].loads.traction.force: expected as many values as "
              "vary.segment (2) in list mode, got 1");
    CHECK(sweep_error(folder, "base: base.yaml\nvary:\n  steps[4].name: [x]\n") ==
          f + ":3:3: vary.steps[4].name: expected a key path into the base scenario, but "
              "'steps' has 2 entries; expected an index from 0 to 1, got 4");
    CHECK(sweep_error(folder, "base: nowhere.yaml\nvary:\n  segment: [L4-5]\n") ==
          f + ":1:7: base: expected an existing scenario file, got '" +
              (folder / "nowhere.yaml").string() + "'");
    CHECK(sweep_error(folder, "base: base.yaml\nvary:\n  segment: []\n") ==
          f + ":3:12: vary.segment: expected at least one value, got an empty list");
    CHECK(sweep_error(folder, "base: base.yaml\nvarry:\n  segment: [L4-5]\n") ==
          f + ":2:1: varry: unknown key 'varry' (did you mean 'vary'?); expected one of base, "
              "mode, set, vary");

    // The command: exit 2 and nothing written.
    write(folder / "typo.yaml", "base: base.yaml\nvary:\n  segmnt: [L4-5]\n");
    const auto run =
        run_discsim("sweep " + quoted(folder / "typo.yaml") + " -o " + quoted(folder / "out"));
    CHECK(run.status == 2);
    CHECK_THAT(run.output, Contains("segmnt"));
    CHECK_FALSE(fs::exists(folder / "out"));
}

TEST_CASE("discsim sweep runs the cases, records a failing one and resumes", "[cli]") {
    test::TempFolder folder;
    // A third step presses the vertebra down; case 2 presses 15 mm into an 11 mm disc, which no
    // equilibrium allows: it fails, and the sweep goes on.
    write(folder / "base.yaml", std::string(base_yaml) + "  - name: press\n"
                                                         "    loads: {displacement: {z: -0.05}}\n");
    write(folder / "s.yaml", "base: base.yaml\nmode: list\nvary:\n"
                             "  steps[traction].loads.traction.force: [100, 300, 0]\n"
                             "  steps[press].loads.displacement.z: [-0.05, -0.05, -15]\n");
    const fs::path out = folder / "out";
    const auto first = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " + quoted(out));
    INFO(first.output);
    const auto summary = test::read_results(out / "summary.csv");
    REQUIRE(summary.rows.size() == 3);
    const auto status = summary.text_column("status");
    CHECK(status[0] == "completed");
    CHECK(status[1] == "completed");
    CHECK(status[2] == "not converged");
    CHECK_THAT(summary.text_column("reason")[2], Contains("step 'press' stopped at"));
    CHECK(first.status == 4);
    // The lying preload pressurises the nucleus (the outcome columns hold numbers).
    CHECK(summary.column("idp_preload_MPa")[0] > 0.0);
    const auto final_idp = summary.column("idp_final_MPa");
    CHECK(summary.text_column("force") == std::vector<std::string>{"100", "300", "0"});
    const fs::path second_case = out / "case_0001_force-300_z--0.05";
    CHECK(fs::exists(second_case / "results.csv"));

    // Resume: a case whose row is missing (interrupted) runs again; the others are kept, the
    // failed one included (its row says why; rerun it without --resume to try again).
    fs::remove(second_case / "case.csv");
    const auto second =
        run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " + quoted(out) + " --resume");
    INFO(second.output);
    CHECK_THAT(second.output, Contains("1 run, 2 from an earlier run"));
    const auto resumed = test::read_results(out / "summary.csv");
    REQUIRE(resumed.rows.size() == 3);
    CHECK(resumed.column("idp_final_MPa")[1] == Approx(final_idp[1]).epsilon(1e-6));
}

TEST_CASE("discsim sweep in shards, merged, gives the single run's table", "[cli]") {
    test::TempFolder folder;
    write(folder / "base.yaml", base_yaml);
    write(folder / "s.yaml", "base: base.yaml\nvary:\n"
                             "  steps[traction].loads.traction.angle: [0, 10, 20]\n");
    const fs::path out = folder / "out";
    for (const char* shard : {"1/2", "2/2"}) {
        const auto r = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " + quoted(out) +
                                   " --shard " + shard + " -q");
        INFO(r.output);
        CHECK(r.status == 0);
    }
    CHECK(test::read_results(out / "summary-shard-1-of-2.csv").rows.size() == 2);
    CHECK(test::read_results(out / "summary-shard-2-of-2.csv").rows.size() == 1);
    const auto merged = run_discsim("sweep --merge " + quoted(out));
    INFO(merged.output);
    CHECK(merged.status == 0);
    const auto summary = test::read_results(out / "summary.csv");
    REQUIRE(summary.rows.size() == 3);
    CHECK(summary.column("case") == std::vector<double>{0, 1, 2});
    // One case alone gives the same row.
    const auto single = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " +
                                    quoted(folder / "one") + " --case-index 1 -q");
    CHECK(single.status == 0);
    const auto one = test::read_results(folder / "one" / "summary-case-1.csv");
    REQUIRE(one.rows.size() == 1);
    CHECK(one.column("idp_final_MPa")[0] ==
          Approx(summary.column("idp_final_MPa")[1]).epsilon(1e-9).margin(1e-9));
    // A pull at an angle has a smaller axial component: less pressure drop.
    const auto change = summary.column("idp_change_MPa");
    CHECK(change[0] < change[1]);
    CHECK(change[1] < change[2]);
    // The plot of the table (python3-matplotlib, installed by tools/setup.sh).
    const auto plot = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " + quoted(out) +
                                  " --resume -q --plot angle --outcome idp_final_MPa");
    INFO(plot.output);
    CHECK(plot.status == 0);
    REQUIRE(fs::exists(out / "plot.png"));
    CHECK(test::file_bytes(out / "plot.png").substr(1, 3) == "PNG");
}

TEST_CASE("a sweep over rupture thresholds records the herniation and the load at it", "[cli]") {
    test::TempFolder folder;
    const std::string base = test::file_bytes(
        DISCSIM_SOURCE_DIR "/scenarios/library/hyperflexion_compression_L4-5.yaml");
    write(folder / "base.yaml", base);
    write(folder / "s.yaml",
          "base: base.yaml\nset: {mesh.resolution: coarse, output.vtu_every: 0}\n"
          "vary:\n  rupture.threshold: [0.10, 0.13]\n");
    const auto run =
        run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " + quoted(folder / "out") + " -q");
    INFO(run.output);
    CHECK(run.status == 0);
    const auto summary = test::read_results(folder / "out" / "summary.csv");
    REQUIRE(summary.rows.size() == 2);
    CHECK(summary.text_column("status") == std::vector<std::string>{"herniation", "herniation"});
    CHECK(summary.text_column("herniation") == std::vector<std::string>{"yes", "yes"});
    CHECK(summary.column("herniation_follower_compression_N") == std::vector<double>{2000, 2000});
    // A higher threshold needs more flexion before the wall gives way.
    const auto angle = summary.column("herniation_flexion_deg");
    CHECK(angle[0] < angle[1]);
    CHECK(summary.column("ruptured_elements")[0] > 0);
}

TEST_CASE("discsim sweep solves the steps its cases share once per group, with the answers "
          "of the cases run alone",
          "[cli]") {
    // The cases vary the pull only: the lying preload is solved once per worker's group and
    // each case goes on from it (scenarios/run.hpp, SharedRun); --no-sharing runs every case
    // alone. One case at a time, every summary column but the wall time must be the same
    // text: the runs are the same bit for bit (tests/test_shared_steps.cpp compares their
    // files). Two cases at once, the four cases split into two groups; there the answers agree
    // to round-off only, with or without sharing: two cases solved at once on threads differ
    // from run to run in the last bits (measured with --no-sharing: a case whose 100 N pull
    // cancels its preload ends at an IDP of 6.4e-16 MPa in one run and 9.6e-16 in the next).
    test::TempFolder folder;
    write(folder / "base.yaml", base_yaml);
    write(folder / "s.yaml", "base: base.yaml\nvary:\n"
                             "  steps[traction].loads.traction.force: [100, 200, 300, 400]\n");
    auto sweep = [&](const std::string& name, const std::string& flags) {
        const auto r = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " +
                                   quoted(folder / name) + " -q " + flags);
        INFO(r.output);
        REQUIRE(r.status == 0);
        return r;
    };
    const auto shared = sweep("shared", "-j 1");
    CHECK_THAT(shared.output,
               Contains("4 case(s) went on from leading steps solved once for their group "
                        "(1 group(s))"));
    const auto alone = sweep("alone", "-j 1 --no-sharing");
    CHECK_THAT(alone.output, !Contains("went on from"));
    const auto a = test::read_results(folder / "shared" / "summary.csv");
    const auto b = test::read_results(folder / "alone" / "summary.csv");
    REQUIRE(a.header == b.header);
    REQUIRE(a.rows.size() == 4);
    for (const auto& name : a.header) {
        if (name == "wall_time_s") continue;
        INFO(name);
        CHECK(a.text_column(name) == b.text_column(name));
    }
    const auto two = sweep("two", "-j 2");
    CHECK_THAT(two.output, Contains("(2 group(s))"));
    const auto c = test::read_results(folder / "two" / "summary.csv");
    for (const char* name : {"idp_final_MPa", "height_change_mm", "max_fibre_strain"}) {
        INFO(name);
        const auto x = c.column(name), y = a.column(name);
        REQUIRE(x.size() == 4);
        for (int k = 0; k < 4; ++k)
            CHECK(x[k] == Approx(y[k]).epsilon(1e-9).margin(1e-9));
    }
    CHECK(c.text_column("newton_iterations") == a.text_column("newton_iterations"));
    // The pulls differ: the cases are not copies of one run.
    const auto idp = a.column("idp_final_MPa");
    CHECK(idp[0] > idp[3]);
}

#ifdef DISCSIM_MPIEXEC
TEST_CASE("mpiexec -n 2 discsim sweep spreads the cases over the ranks", "[cli]") {
    test::TempFolder folder;
    write(folder / "base.yaml", base_yaml);
    write(folder / "s.yaml", "base: base.yaml\nvary:\n"
                             "  steps[traction].loads.traction.force: [100, 200, 300]\n");
    // Root (CI containers) needs OpenMPI's explicit consent; --oversubscribe allows 2 ranks
    // on a machine that reports fewer slots.
    const std::string launcher = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                                 "OMPI_MCA_btl_vader_single_copy_mechanism=none "
                                 "'" DISCSIM_MPIEXEC "' --oversubscribe -n 2";
    const auto run = run_discsim(
        "sweep " + quoted(folder / "s.yaml") + " -o " + quoted(folder / "out"), launcher);
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK_THAT(run.output, Contains("2 MPI ranks"));
    CHECK_THAT(run.output, Contains("rank 0 "));
    CHECK_THAT(run.output, Contains("rank 1 "));
    // Rank 0 joined every rank's rows; the same table as one process gives.
    const auto summary = test::read_results(folder / "out" / "summary.csv");
    REQUIRE(summary.rows.size() == 3);
    CHECK(summary.column("case") == std::vector<double>{0, 1, 2});
    const auto serial = run_discsim("sweep " + quoted(folder / "s.yaml") + " -o " +
                                    quoted(folder / "serial") + " -q");
    REQUIRE(serial.status == 0);
    const auto expected = test::read_results(folder / "serial" / "summary.csv");
    const auto a = summary.column("idp_final_MPa"), b = expected.column("idp_final_MPa");
    // Same to 1e-9 relative, or 1e-9 MPa absolute: the 100 N pull cancels the 100 N preload,
    // so that case's IDP is zero up to round-off (~1e-14 MPa), whose sign depends on the
    // summation order of the parallel assembly.
    for (int k = 0; k < 3; ++k)
        CHECK(a[k] == Approx(b[k]).epsilon(1e-9).margin(1e-9));
}
#endif

TEST_CASE("every shipped sweep file expands into valid cases", "[library]") {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(DISCSIM_SOURCE_DIR "/scenarios/sweeps")) {
        const auto& path = entry.path();
        if (path.extension() != ".yaml" ||
            path.filename().string().find("base") != std::string::npos) {
            continue;
        }
        INFO(path.string());
        const auto cases = scenarios::expand_sweep(scenarios::load_sweep(path));
        CHECK_FALSE(cases.empty());
        ++files;
    }
    CHECK(files >= 1);
}
