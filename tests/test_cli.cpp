// The `discsim` executable run as a user would (docs/cli.md): help and version, the one-line
// errors and exit statuses for bad input, and what `discsim mesh` writes and prints.
#include "core/parameter.hpp"
#include "mesh/disc_geometry.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "mesh/vtk_io.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#ifndef DISCSIM_EXECUTABLE
#error "DISCSIM_EXECUTABLE must name the discsim executable (tests/CMakeLists.txt)"
#endif

namespace {

namespace fs = std::filesystem;
using namespace discsim::mesh;
using discsim::test::file_bytes;
using discsim::test::folder_entries;
using discsim::test::TempFolder;
using discsim::test::quoted;
using discsim::test::Run;
using discsim::test::run_discsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// Exit statuses of docs/cli.md.
constexpr int exit_ok = 0;
constexpr int exit_bad_input = 2;
constexpr int exit_io_error = 3;

// The way the summary prints numbers: thousands separators, fixed decimals.
std::string thousands(long long n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
    return digits;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

// One error line on the terminal: "discsim: error: ...\n" and nothing else.
void check_single_error_line(const Run& run) {
    INFO("output: " << run.output);
    CHECK_THAT(run.output, StartsWith("discsim: error: "));
    CHECK(std::count(run.output.begin(), run.output.end(), '\n') == 1);
    CHECK(run.output.back() == '\n');
}

} // namespace

TEST_CASE("discsim --help, --version and mesh --help", "[cli]") {
    SECTION("--help lists the mesh command") {
        const Run run = run_discsim("--help");
        CHECK(run.status == exit_ok);
        CHECK_THAT(run.output, Contains("Usage: discsim <command>"));
        CHECK_THAT(run.output, Contains("\n  mesh "));
    }
    SECTION("--version names the program and version") {
        const Run run = run_discsim("--version");
        CHECK(run.status == exit_ok);
        CHECK_THAT(run.output, StartsWith("discsim 0.1.0"));
    }
    SECTION("mesh --help lists the options and every disc parameter") {
        const Run run = run_discsim("mesh --help");
        CHECK(run.status == exit_ok);
        for (const char* option :
             {"--segment", "--resolution", "--set", "--input", "--output", "--name", "--quiet"}) {
            CHECK_THAT(run.output, Contains(option));
        }
        for (const auto& spec : disc_parameter_specs()) {
            CHECK_THAT(run.output, Contains("  " + std::string(spec.name) + " "));
        }
    }
}

TEST_CASE("discsim without arguments shows the usage and exits with status 2", "[cli]") {
    const Run run = run_discsim("");
    CHECK(run.status == exit_bad_input);
    CHECK_THAT(run.output, Contains("Usage: discsim <command>"));
}

TEST_CASE("bad input exits with status 2, one error line and nothing written", "[cli]") {
    struct Case {
        std::string arguments;
        std::vector<std::string> expected; ///< substrings of the error line
    };
    const std::vector<Case> cases{
        {"mesk", {"unknown command 'mesk'", "did you mean 'mesh'"}},
        {"mesh --segmnt L4-5", {"'--segmnt'", "did you mean '--segment'"}},
        {"mesh --segment L3-4", {"segment", "L4-5", "L5-S1", "'L3-4'"}},
        {"mesh --set nucleus_share=1.2", {"nucleus_share", "(0, 1)", "1.2"}},
        {"mesh --set depth=-3", {"depth", "(0, 100]", "-3"}},
        {"mesh --set annulus_rings=0", {"annulus_rings", "[1, 64]", "got 0"}},
        {"mesh --set circumferential_divisions=30",
         {"circumferential_divisions", "multiple of 4", "30"}},
        // In range [-20, 20] on its own, but pushes the nucleus through the outer wall.
        {"mesh --set nucleus_offset_posterior=15", {"nucleus_offset_posterior", "15"}},
        {"mesh --set unknown_key=1", {"unknown disc parameter 'unknown_key'", "mesh --help"}},
        {"mesh --set nucleus_shre=0.4", {"'nucleus_shre'", "did you mean 'nucleus_share'"}},
        {"mesh --set depth=abc", {"depth", "expected a number", "'abc'"}},
        {"mesh --set depth", {"KEY=VALUE", "'depth'"}},
    };
    TempFolder folder;
    const fs::path output = folder / "out";
    for (const auto& c : cases) {
        INFO("discsim " << c.arguments);
        const Run run = run_discsim(c.arguments + " -o " + quoted(output));
        CHECK(run.status == exit_bad_input);
        check_single_error_line(run);
        for (const auto& text : c.expected) CHECK_THAT(run.output, Contains(text));
        CHECK_FALSE(fs::exists(output));
    }
}

TEST_CASE("discsim mesh writes the mesh and a summary of it", "[cli]") {
    TempFolder folder;
    const fs::path output = folder / "out";
    const DiscParameters parameters = preset(Segment::L5_S1, Resolution::coarse);
    // The same mesh in-process: the expected counts and measures of the summary.
    const HexMesh expected = generate_disc_mesh(parameters);
    const MeshStatistics statistics = mesh_statistics(expected);
    const DiscOutline outline(parameters);

    const Run run = run_discsim("mesh --segment L5-S1 --resolution coarse -o " + quoted(output));
    INFO("output: " << run.output);
    REQUIRE(run.status == exit_ok);
    const fs::path written = output / "L5-S1_coarse.vtu";
    REQUIRE(fs::is_regular_file(written));
    CHECK(folder_entries(output) == std::vector<std::string>{"L5-S1_coarse.vtu"});

    SECTION("the summary") {
        CHECK_THAT(run.output, Contains("L5-S1, coarse resolution"));
        CHECK_THAT(run.output,
                   Contains("nodes                 " + thousands(expected.node_count())));
        CHECK_THAT(run.output, Contains("elements              " +
                                        thousands(expected.cell_count()) + " hexahedra"));
        CHECK_THAT(run.output,
                   Contains("in " + std::to_string(parameters.annulus_rings) + " rings"));
        CHECK_THAT(run.output, Contains("degrees of freedom    " +
                                        thousands(3LL * expected.node_count())));
        CHECK_THAT(run.output,
                   Contains("cross-section area    " + fixed(statistics.cross_section_area, 1) +
                            " mm^2 (analytic " + fixed(outline.area(), 1)));
        CHECK_THAT(run.output,
                   Contains("nucleus share         " +
                            fixed(statistics.nucleus_area / statistics.cross_section_area, 4) +
                            " (requested " + discsim::format_number(parameters.nucleus_share) +
                            ")"));
        CHECK_THAT(run.output, Contains("volume                " + fixed(statistics.volume, 0) +
                                        " mm^3 (analytic " + fixed(outline.volume(), 0)));
        CHECK_THAT(run.output, Contains("min scaled Jacobian   " +
                                        fixed(statistics.min_scaled_jacobian, 3)));
        CHECK_THAT(run.output,
                   Contains("max aspect ratio      " + fixed(statistics.max_edge_ratio, 2)));
        CHECK_THAT(run.output, Contains("time                  "));
        CHECK_THAT(run.output, Contains("wrote " + written.string()));
    }
    SECTION("the file holds the generated mesh and its provenance") {
        const HexMesh read = read_vtu(written);
        CHECK(read.nodes == expected.nodes);
        CHECK(read.cells == expected.cells);
        CHECK(read.region == expected.region);
        CHECK(read.sector == expected.sector);
        CHECK(read.metadata.at("segment") == "L5-S1");
        CHECK(read.metadata.at("resolution") == "coarse");
        for (const auto& spec : disc_parameter_specs()) {
            INFO("parameter " << spec.name);
            CHECK(read.metadata.at("disc." + std::string(spec.name)) ==
                  discsim::format_number(get_parameter(parameters, spec.name)));
        }
        CHECK_THAT(read.metadata.at("generator"), StartsWith("discsim 0.1.0"));
    }
    SECTION("--input reads it back, checks it and writes it unchanged") {
        const fs::path again = folder / "again";
        const Run input = run_discsim("mesh --input " + quoted(written) + " -o " + quoted(again));
        INFO("output: " << input.output);
        CHECK(input.status == exit_ok);
        const fs::path rewritten = again / "L5-S1_coarse.vtu";
        REQUIRE(fs::is_regular_file(rewritten));
        CHECK(folder_entries(again) == std::vector<std::string>{"L5-S1_coarse.vtu"});
        CHECK_THAT(input.output, Contains("nodes                 " +
                                          thousands(expected.node_count())));
        // A discsim file carries everything discsim writes, so it comes back byte for byte.
        CHECK((file_bytes(rewritten) == file_bytes(written)));
    }
    SECTION("--input conflicts with generator options") {
        const fs::path conflict = folder / "conflict";
        const Run input = run_discsim("mesh --input " + quoted(written) +
                                      " --segment L4-5 -o " + quoted(conflict));
        CHECK(input.status == exit_bad_input);
        check_single_error_line(input);
        CHECK_THAT(input.output, Contains("--segment"));
        CHECK_THAT(input.output, Contains("--input"));
        CHECK_FALSE(fs::exists(conflict));
    }
}

TEST_CASE("discsim mesh --name and --quiet", "[cli]") {
    TempFolder folder;
    SECTION("--name sets the file name") {
        const fs::path output = folder / "named";
        const Run run = run_discsim("mesh --segment L5-S1 --resolution coarse --name foo -o " +
                                    quoted(output));
        CHECK(run.status == exit_ok);
        CHECK(folder_entries(output) == std::vector<std::string>{"foo.vtu"});
        CHECK_THAT(run.output, Contains("wrote " + (output / "foo.vtu").string()));
    }
    SECTION("--quiet prints only the path written") {
        const fs::path output = folder / "quiet";
        const Run run =
            run_discsim("mesh --segment L5-S1 --resolution coarse --quiet -o " + quoted(output));
        CHECK(run.status == exit_ok);
        const fs::path written = output / "L5-S1_coarse.vtu";
        CHECK(run.output == written.string() + "\n");
        CHECK(fs::is_regular_file(written));
    }
}

TEST_CASE("discsim mesh --input of a file that does not exist exits with status 2", "[cli]") {
    TempFolder folder;
    const fs::path missing = folder / "nonexistent.vtu";
    const fs::path output = folder / "out";
    const Run run = run_discsim("mesh --input " + quoted(missing) + " -o " + quoted(output));
    CHECK(run.status == exit_bad_input);
    check_single_error_line(run);
    CHECK_THAT(run.output, Contains(missing.string()));
    CHECK_THAT(run.output, Contains("no such file"));
    CHECK_FALSE(fs::exists(output));
}

TEST_CASE("discsim mesh into a folder below a regular file exits with status 3", "[cli]") {
    TempFolder folder;
    // A regular file where a folder is needed: refused even for root.
    const fs::path blocker = folder / "afile.txt";
    std::ofstream(blocker) << "in the way\n";
    const fs::path output = blocker / "sub";
    const Run run =
        run_discsim("mesh --segment L5-S1 --resolution coarse -o " + quoted(output));
    CHECK(run.status == exit_io_error);
    check_single_error_line(run);
    CHECK_THAT(run.output, Contains(output.string()));
    CHECK(file_bytes(blocker) == "in the way\n");
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"afile.txt"});
}

TEST_CASE("discsim bench: help, and bad input rejected before any solve", "[cli]") {
    const Run help = run_discsim("bench --help");
    CHECK(help.status == exit_ok);
    CHECK_THAT(help.output, Contains("--resolution"));
    for (const char* arguments : {"bench --resolution ultra", "bench --segment L3-4",
                                  "bench --repeat 0", "bench --repeat x", "bench --frobnicate",
                                  "bench --sweep-cases -1", "bench --sweep-cases 1.5",
                                  "bench --peer abaqus", "bench --scaling 10"}) {
        INFO(arguments);
        const Run run = run_discsim(arguments);
        CHECK(run.status == exit_bad_input);
        check_single_error_line(run);
    }
}

TEST_CASE("discsim bench --markdown writes its tables for docs/performance.md", "[cli]") {
    TempFolder folder;
    const auto tables = folder / "bench.md";
    const Run run = run_discsim("bench --resolution coarse --biphasic none --sweep-cases 0 --markdown " +
                                quoted(tables));
    INFO(run.output);
    REQUIRE(run.status == exit_ok);
    const std::string md = file_bytes(tables);
    CHECK_THAT(md, Contains("Generated by `discsim bench --resolution coarse"));
    CHECK_THAT(md, Contains("| level | DOFs | wall |"));
    // The table's row carries the DOFs the console report gives.
    const auto at = run.output.find(" free DOFs");
    REQUIRE(at != std::string::npos);
    const auto from = run.output.rfind(' ', at - 1) + 1;
    const std::string dofs = run.output.substr(from, at - from);
    CHECK_THAT(md, Contains("| coarse | " + dofs + " | "));
    // This run measured neither the biphasic disc nor a sweep: no targets table (an empty one
    // said nothing).
    CHECK_THAT(md, !Contains("### Targets measured in this run"));
}

TEST_CASE("discsim bench measures the sweep with the shared leading steps and with every case "
          "alone",
          "[cli]") {
    TempFolder folder;
    const auto tables = folder / "bench.md";
    const Run run = run_discsim(
        "bench --resolution coarse --biphasic none --sweep-cases 4 --markdown " + quoted(tables));
    INFO(run.output);
    REQUIRE(run.status == exit_ok);
    CHECK_THAT(run.output, Contains("1 thread(s), shared:"));
    CHECK_THAT(run.output, Contains("1 thread(s), each case alone:"));
    CHECK_THAT(run.output, Contains("the shared leading steps: "));
    const std::string md = file_bytes(tables);
    CHECK_THAT(md, Contains("| cases at once x threads each | leading steps |"));
    CHECK_THAT(md, Contains("| each case alone |"));
    CHECK_THAT(md, Contains("the throughput of the same split with every case alone"));
    // The sweep was measured: its target's row is there.
    CHECK_THAT(md, Contains("| coarse traction sweep: at least 300 cases per minute |"));
}

TEST_CASE("discsim export writes a CalculiX deck, and rejects bad input before writing", "[cli]") {
    const Run help = run_discsim("export --help");
    CHECK(help.status == exit_ok);
    CHECK_THAT(help.output, Contains("--format inp"));
    TempFolder folder;
    const std::string peer = DISCSIM_SOURCE_DIR "/scenarios/peers/disc5k_compression_500N.yaml";
    const std::string library = DISCSIM_SOURCE_DIR "/scenarios/library/flexion_L4-5.yaml";
    const std::string deck = (folder / "deck.inp").string();
    for (const std::string& arguments :
         {"export " + library + " -o " + deck,                         // no --format
          "export --format frd " + library + " -o " + deck,            // not a format
          "export --format inp " + library + " -o " + deck,            // biphasic, HGO fibres
          "export --format inp --element C3D20 " + library + " -o " + deck,
          "export --format inp /nonexistent/scenario.yaml -o " + deck}) {
        INFO(arguments);
        const Run run = run_discsim(arguments);
        CHECK(run.status == exit_bad_input);
        check_single_error_line(run);
        CHECK_FALSE(std::filesystem::exists(deck));
    }
    // A shipped scenario as the elastic disc: FEBio's log-squared volumetric energy (and HGO
    // fibres, a follower preload) are not CalculiX's; refused at the first, saying why.
    const Run shipped =
        run_discsim("export --format inp --formulation elastic " + library + " -o " + deck);
    CHECK(shipped.status == exit_bad_input);
    CHECK_THAT(shipped.output, Contains("materials.nucleus.volumetric: expected quadratic"));
    const Run ok = run_discsim("export --format inp " + peer + " -o " + deck);
    REQUIRE(ok.status == exit_ok);
    const std::string text = discsim::test::file_bytes(deck);
    CHECK_THAT(text, Contains("*RIGID BODY, NSET=SUPERIOR"));
    CHECK_THAT(text, Contains("*HYPERELASTIC, MOONEY-RIVLIN"));
    CHECK_THAT(text, Contains("*STEP, NLGEOM"));
}

TEST_CASE("discsim validate: help, and bad input rejected before any solve", "[cli]") {
    const Run help = run_discsim("validate --help");
    CHECK(help.status == exit_ok);
    CHECK_THAT(help.output, Contains("--formulation"));
    for (const char* arguments : {"validate --formulation poroelastic", "validate --resolution ultra",
                                  "validate --reference /nonexistent/table.csv"}) {
        INFO(arguments);
        const Run run = run_discsim(arguments);
        CHECK(run.status == exit_bad_input);
        check_single_error_line(run);
    }
}
