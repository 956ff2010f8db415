// The peer problem (scenarios/peers/, docs/performance.md): a 29k-DOF disc mesh made outside
// discsim, with CalculiX decks and CalculiX's answers for it in the project's shared/peers/.
//  - `discsim export --format inp` writes the same deck as the reference one
//    (tests/data/peers/disc30k_compression_500N.inp, a copy): the same nodes, elements, sets,
//    materials, rigid body, supports and load. Only the increment controls and output requests
//    are discsim's own.
//  - What the deck cannot say is refused before anything is written.
//  - discsim's answers on the problem agree with CalculiX's (C3D8R) within the difference
//    between the two discretisations (see the validation test).
#include "core/error.hpp"
#include "mesh/vtk_io.hpp"
#include "scenarios/inp_export.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"
#include "support/runs.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

using namespace discsim;

namespace {

const std::string peers = DISCSIM_SOURCE_DIR "/scenarios/peers/";

// The parts of an Abaqus/CalculiX deck the exporter writes, keyed as the deck keys them.
struct Deck {
    std::map<int, std::array<double, 3>> nodes;
    std::map<std::string, std::map<int, std::array<int, 8>>> elements; // by ELSET
    std::map<std::string, std::vector<int>> node_sets;
    std::map<std::string, std::vector<double>> materials;            // constants by name
    std::map<std::string, std::vector<int>> element_sets;            // *ELSET members
    std::map<std::string, std::string> section_material;             // ELSET -> MATERIAL
    std::string rigid_body;                                          // the keyword line
    std::vector<std::string> boundary;
    std::vector<std::tuple<int, int, double>> loads;                 // nonzero CLOADs
    std::vector<std::string> element_types;
};

std::string upper_param(const std::string& line, const std::string& name) {
    const auto at = line.find(name + "=");
    if (at == std::string::npos) return "";
    const auto start = at + name.size() + 1;
    const auto end = line.find(',', start);
    std::string v = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!v.empty() && v.back() == ' ')
        v.pop_back();
    return v;
}

std::vector<double> numbers(const std::string& line) {
    std::vector<double> out;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ','))
        out.push_back(std::stod(f));
    return out;
}

Deck parse_deck(std::istream& in) {
    Deck d;
    std::string line, keyword, set, material;
    while (std::getline(in, line)) {
        if (line.rfind("**", 0) == 0 || line.empty()) continue;
        if (line[0] == '*') {
            keyword = line.substr(0, line.find(','));
            if (keyword == "*ELEMENT") {
                set = upper_param(line, "ELSET");
                d.element_types.push_back(upper_param(line, "TYPE"));
            }
            if (keyword == "*NSET") set = upper_param(line, "NSET");
            if (keyword == "*ELSET") set = upper_param(line, "ELSET");
            if (keyword == "*MATERIAL") material = upper_param(line, "NAME");
            if (keyword == "*SOLID SECTION")
                d.section_material[upper_param(line, "ELSET")] = upper_param(line, "MATERIAL");
            if (keyword == "*RIGID BODY") d.rigid_body = line;
            continue;
        }
        if (keyword == "*NODE") {
            const auto v = numbers(line);
            d.nodes[static_cast<int>(v[0])] = {v[1], v[2], v[3]};
        } else if (keyword == "*ELEMENT") {
            const auto v = numbers(line);
            std::array<int, 8> c{};
            for (int i = 0; i < 8; ++i)
                c[i] = static_cast<int>(v[i + 1]);
            d.elements[set][static_cast<int>(v[0])] = c;
        } else if (keyword == "*NSET") {
            for (double v : numbers(line))
                d.node_sets[set].push_back(static_cast<int>(v));
        } else if (keyword == "*ELSET") {
            for (double v : numbers(line))
                d.element_sets[set].push_back(static_cast<int>(v));
        } else if (keyword == "*HYPERELASTIC") {
            d.materials[material] = numbers(line);
        } else if (keyword == "*USER MATERIAL") { // constants over several lines
            for (double v : numbers(line))
                d.materials[material].push_back(v);
        } else if (keyword == "*BOUNDARY") {
            d.boundary.push_back(line);
        } else if (keyword == "*CLOAD") {
            const auto v = numbers(line);
            if (v[2] != 0.0) d.loads.emplace_back(static_cast<int>(v[0]), static_cast<int>(v[1]), v[2]);
        }
    }
    return d;
}

Deck exported(const std::string& scenario_file) {
    std::istringstream text(scenarios::inp_deck(scenarios::load_scenario(scenario_file)));
    return parse_deck(text);
}

// Runs a shipped peer problem into a temporary folder; it must complete.
scenarios::RunReport run_peer(const std::string& file) {
    test::TempFolder folder;
    const auto report = test::run_into(scenarios::load_scenario(peers + file), folder);
    REQUIRE(report.completed);
    return report;
}

} // namespace

TEST_CASE("discsim export --format inp writes the reference CalculiX deck of the peer disc",
          "[unit]") {
    std::ifstream reference_file(DISCSIM_SOURCE_DIR "/tests/data/peers/disc30k_compression_500N.inp");
    REQUIRE(reference_file);
    const Deck reference = parse_deck(reference_file);
    const Deck ours = exported(peers + "disc30k_compression_500N.yaml");

    // Nodes: the same ids; coordinates to the 10 digits both write (the reference node's x and
    // y are round-off about 0 in both: 1e-16 mm).
    REQUIRE(ours.nodes.size() == reference.nodes.size());
    REQUIRE(reference.nodes.size() == 9685 + 2);
    for (const auto& [id, x] : reference.nodes) {
        REQUIRE(ours.nodes.count(id) == 1);
        for (int i = 0; i < 3; ++i)
            CHECK(std::abs(ours.nodes.at(id)[i] - x[i]) <= 1e-8 * (1.0 + std::abs(x[i])));
    }
    // Elements: the same ids, connectivity and sets; the same type.
    CHECK(ours.element_types == reference.element_types);
    CHECK(ours.elements == reference.elements);
    CHECK(ours.elements.at("NUCLEUS").size() == 5184);
    CHECK(ours.elements.at("ANNULUS").size() == 3456);
    CHECK(ours.node_sets == reference.node_sets);
    CHECK(ours.section_material == reference.section_material);
    // Materials: C10, C01, D1 = 2/K.
    REQUIRE(ours.materials.size() == reference.materials.size());
    for (const auto& [name, constants] : reference.materials) {
        REQUIRE(ours.materials.at(name).size() == constants.size());
        for (std::size_t i = 0; i < constants.size(); ++i)
            CHECK(ours.materials.at(name)[i] == Approx(constants[i]).epsilon(1e-9));
    }
    CHECK(ours.rigid_body == reference.rigid_body);
    CHECK(ours.boundary == reference.boundary);
    CHECK(ours.loads == reference.loads);

    // The flexion deck differs only in its load: 2500 N mm about y on the rotation node.
    const Deck flexion = exported(peers + "disc30k_flexion_2.5Nm.yaml");
    REQUIRE(flexion.loads.size() == 1);
    CHECK(std::get<0>(flexion.loads[0]) == 9687);
    CHECK(std::get<1>(flexion.loads[0]) == 2);
    CHECK(std::get<2>(flexion.loads[0]) == Approx(2500.0).epsilon(1e-12));
}

TEST_CASE("discsim export refuses what a CalculiX deck cannot hold, before writing", "[unit]") {
    test::TempFolder folder;
    const std::string base = test::file_bytes(peers + "disc30k_compression_500N.yaml");
    auto refused = [&](const std::string& text, const std::string& expected) {
        const auto file = folder / "s.yaml";
        std::ofstream(file) << text;
        // The mesh file is named relative to the scenario: point it at the shipped one.
        const auto scenario = scenarios::load_scenario(file);
        const auto deck = folder / "s.inp";
        REQUIRE_THROWS_WITH(scenarios::write_inp(scenario, deck),
                            Catch::Matchers::Contains(expected));
        CHECK_FALSE(std::filesystem::exists(deck));
    };
    auto with = [&](std::vector<std::pair<std::string, std::string>> changes) {
        std::string text = base;
        for (const auto& [from, to] : changes) {
            const auto at = text.find(from);
            REQUIRE(at != std::string::npos);
            text.replace(at, from.size(), to);
        }
        const auto mesh = text.find("file: disc30k.vtu");
        text.replace(mesh, 17, "file: " + peers + "disc30k.vtu");
        return text;
    };
    refused(with({{"formulation: elastic", "formulation: biphasic"},
                  {"  - name: compression", "  - name: compression\n    duration: 2 s"}}),
            "biphasic");
    refused(with({{"volumetric: quadratic  # K/2", "volumetric: log_squared  # K/2"}}),
            "expected quadratic");
    refused(with({{"force: {z: -500}", "follower_compression: 500"}}), "follower compression");
    refused(with({{"model: mooney_rivlin   # no fibres: an isotropic continuum",
                   "model: hgo\n    k1: 2.5\n    k2: 60\n    kappa: 0.1\n    fibre_angle: 30"},
                  {"    c01: 0.045", ""}}),
            "annulus.kappa: expected 0");
    refused(with({{"model: mooney_rivlin   # no fibres: an isotropic continuum",
                   "model: hgo_mooney_rivlin\n    k1: 2.5\n    k2: 60\n    kappa: 0"}}),
            "expected hgo (a neo-Hookean ground substance)");
    refused(with({{"model: mooney_rivlin   # no fibres: an isotropic continuum",
                   "model: hgo\n    k1: 2.5\n    k2: 60\n    kappa: 0\n    fibre_invariant: full"},
                  {"    c01: 0.045", ""}}),
            "fibre_invariant: expected isochoric");
}

// CalculiX's ELASTIC_FIBER (umat_elastic_fiber.f in CalculiX 2.20) is discsim's hgo model with
// kappa = 0: psi = C10 (I1b - 3) + (J - 1)^2 / D1 + sum k1/(2 k2) (exp(k2 (I4b - 1)^2) - 1) over
// the families in tension, each direction given by its x and y (z = +sqrt(1 - x^2 - y^2)).
// The deck must give every annulus cell its own material with the cell's own two directions.
TEST_CASE("discsim export --format inp writes an HGO annulus as CalculiX's ELASTIC_FIBER, cell by cell",
          "[unit]") {
    const Deck deck = exported(peers + "disc5k_compression_500N_hgo.yaml");
    const mesh::HexMesh disc = mesh::read_vtu(peers + "disc5k.vtu");
    int annulus = 0;
    for (int c = 0; c < disc.cell_count(); ++c) {
        if (disc.region[c] == 0) continue;
        ++annulus;
        const std::string id = std::to_string(c + 1);
        INFO("cell " << id);
        REQUIRE(deck.element_sets.count("FIBRE" + id) == 1);
        CHECK(deck.element_sets.at("FIBRE" + id) == std::vector<int>{c + 1});
        CHECK(deck.section_material.at("FIBRE" + id) == "ELASTIC_FIBER" + id);
        const auto& k = deck.materials.at("ELASTIC_FIBER" + id);
        REQUIRE(k.size() == 10);
        CHECK(k[0] == Approx(0.18).epsilon(1e-9));       // C10
        CHECK(k[1] == Approx(2.0 / 17.9).epsilon(1e-9)); // D1 = 2/K
        const solver::Vec3* fibres[2] = {&disc.fibre_direction_1[c], &disc.fibre_direction_2[c]};
        for (int f = 0; f < 2; ++f) {
            const double x = k[2 + 4 * f], y = k[3 + 4 * f];
            REQUIRE(x * x + y * y <= 1.0); // CalculiX stops otherwise
            const solver::Vec3 a(x, y, std::sqrt(1.0 - x * x - y * y));
            // The same family up to its sign (psi depends on a (x) a), to the 10 digits written.
            CHECK(std::abs(a.dot(fibres[f]->normalized())) == Approx(1.0).epsilon(1e-9));
            CHECK(k[4 + 4 * f] == Approx(2.5).epsilon(1e-12)); // k1
            CHECK(k[5 + 4 * f] == Approx(60.0).epsilon(1e-12)); // k2
        }
    }
    CHECK(annulus > 0);
    // One section per cell: the nucleus set's, and one per annulus cell (none for ANNULUS).
    CHECK(deck.section_material.size() == 1 + static_cast<std::size_t>(annulus));
    CHECK(deck.section_material.at("NUCLEUS") == "NUCLEUS");
}

// CalculiX 2.20's answers on the peer decks (shared/peers/README.md): C3D8R, SPOOLES, full
// Newton. The tolerance is the difference between two discretisations of the same continuum
// problem: C3D8R's own axial displacement moves by 1.5 % from this mesh to one of 100k DOFs
// (-1.1320 to -1.1491 mm), and discsim's mean-dilatation hexahedron converges from its own side,
// so the two can differ by about twice that: 3 %.
TEST_CASE("on the peer disc discsim agrees with CalculiX within the C3D8R / Q1-P0 difference",
          "[validation]") {
    const double tolerance = 0.03;
    {
        const auto report = run_peer("disc30k_compression_500N.yaml");
        const double axial = report.last.translation.z();
        const double pressure = report.last.idp_mean;
        INFO("500 N compression: axial " << axial << " mm (CalculiX -1.1320), nucleus pressure "
                                         << pressure << " MPa (CalculiX 0.3874)");
        CHECK(std::abs(axial / -1.1320 - 1.0) <= tolerance);
        CHECK(std::abs(pressure / 0.3874 - 1.0) <= tolerance);
        CHECK(std::abs(report.last.rotation_deg.y()) < 1e-6);
    }
    {
        const auto report = run_peer("disc30k_flexion_2.5Nm.yaml");
        const double rotation = report.last.rotation_deg.y();
        INFO("2.5 N m flexion: rotation " << rotation << " deg (CalculiX 7.776), axial "
                                          << report.last.translation.z() << " mm (CalculiX +0.1242)");
        CHECK(std::abs(rotation / 7.776 - 1.0) <= tolerance);
        // The axial motion in flexion is a second-order coupling (0.12 mm against 0.9 mm for the
        // flexion's own displacement at the anterior rim); only its sign and size are asserted:
        // the disc rises, by 0.1-0.2 mm (measured: +0.140, CalculiX +0.124).
        CHECK(report.last.translation.z() > 0.1);
        CHECK(report.last.translation.z() < 0.2);
    }
}

// The same with a fibre-reinforced annulus (scenarios/peers/*_hgo.yaml): an HGO annulus with
// kappa = 0, which CalculiX 2.20 solves with its ELASTIC_FIBER user material on the deck that
// `discsim export --format inp` writes (one material per cell with the cell's fibre directions).
// CalculiX's answers were measured by `discsim bench --peer ccx --problems ...` (2026-12-03,
// docs/performance.md): the peer code's output, not discsim's. The tolerance is the validation
// test's above, 3 %: the fibres do not change the two discretisations, and an error in the
// deck's directions or constants, or in either code's fibre term, moves the answers by far more
// (the fibres take the disc's axial compliance from 1.14 to 0.92 mm at 500 N).
TEST_CASE("with HGO fibres discsim agrees with CalculiX's ELASTIC_FIBER within the C3D8R / Q1-P0 difference",
          "[validation]") {
    const double tolerance = 0.03;
    {
        const auto report = run_peer("disc30k_compression_500N_hgo.yaml");
        const double axial = report.last.translation.z();
        const double pressure = report.last.idp_mean;
        INFO("500 N compression: axial " << axial << " mm (CalculiX -0.9261), nucleus pressure "
                                         << pressure << " MPa (CalculiX 0.4706)");
        CHECK(std::abs(axial / -0.9261 - 1.0) <= tolerance);
        CHECK(std::abs(pressure / 0.4706 - 1.0) <= tolerance);
    }
    {
        const auto report = run_peer("disc30k_flexion_2.5Nm_hgo.yaml");
        const double rotation = report.last.rotation_deg.y();
        INFO("2.5 N m flexion: rotation " << rotation << " deg (CalculiX 6.917)");
        CHECK(std::abs(rotation / 6.917 - 1.0) <= tolerance);
    }
}

TEST_CASE("the three-field tangent keeps the nearly incompressible nucleus's Newton on Cholesky",
          "[verification]") {
    // The 500 N compression of the 5.6k-DOF peer disc: a nucleus with K = 1000 MPa, 3300 times
    // its shear modulus. A linear step changes an element's volume at second order, and with
    // the exact tangent of the condensed element that error times K enters the geometric
    // stiffness as a pressure two orders above the true one, which makes the tangent
    // indefinite (measured: 2 of 8 factorisations by MUMPS' LDL^T). Taking the tangent at the
    // linearised dilatation (solver/hex8.hpp) keeps the pressure of the three-field element
    // there: every factorisation positive definite. Both tangents solve the same residual, so
    // the answers agree to the convergence tolerance: the force balance to 1e-4 of 500 N on a
    // disc of ~450 N/mm axial stiffness is ~1e-7 mm; 1e-6 relative is the bound.
    scenarios::RunReport reports[2];
    for (int linearised = 0; linearised < 2; ++linearised) {
        test::TempFolder folder;
        scenarios::RunOptions options;
        options.output = folder.path();
        options.program_version = "test";
        options.linearised_tangent = linearised == 1;
        reports[linearised] = scenarios::run_scenario(
            scenarios::load_scenario(peers + "disc5k_compression_500N.yaml"), options);
        REQUIRE(reports[linearised].completed);
    }
    const auto& exact = reports[0];
    const auto& three_field = reports[1];
    INFO("exact tangent: " << exact.solver_times.factorisations << " factorisations ("
                           << exact.solver_times.indefinite << " indefinite), "
                           << exact.iterations << " iterations; three-field: "
                           << three_field.solver_times.factorisations << " ("
                           << three_field.solver_times.indefinite << "), "
                           << three_field.iterations);
    CHECK(exact.solver_times.indefinite > 0); // the premise: the exact tangent goes indefinite
    CHECK(three_field.solver_times.indefinite == 0);
    CHECK(three_field.iterations < exact.iterations);
    const double axial = exact.last.translation.z();
    CHECK(std::abs(three_field.last.translation.z() - axial) <= 1e-6 * std::abs(axial));
    CHECK(std::abs(three_field.last.idp_mean - exact.last.idp_mean) <=
          1e-6 * std::abs(exact.last.idp_mean));
}
