// Materials as data (solver/disc_materials.hpp, scenarios/materials_input.hpp): the volumetric
// functions against their closed forms, distributed coefficients, the named sets as explicit
// definitions (bit-for-bit the same run), the code-to-code example, the fibre angle, and every
// kind of bad definition reported at its place before anything runs.
#include "core/error.hpp"
#include "scenarios/materials_input.hpp"
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/disc_model.hpp"
#include "solver/stepping.hpp"
#include "support/files.hpp"
#include "support/meshes.hpp"
#include "support/runs.hpp"
#include "support/scenario_texts.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <random>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkNew.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLUnstructuredGridReader.h>

using namespace discsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

const fs::path example = DISCSIM_SOURCE_DIR "/scenarios/examples/hgo_uniform_on_mesh_file.yaml";

const auto& run = test::run_into;
using test::scenario_texts::error_of;
using test::scenario_texts::replaced;

const std::string explicit_scenario = R"(name: explicit
segment: L4-5
mesh: {resolution: coarse}
materials:
  nucleus:
    model: mooney_rivlin
    c10: 0.12
    c01: 0.03
  annulus:
    model: hgo
    c10: 0.1351
    k1: [1.7, 2.2, 2.9, 3.7]
    k2: {table: [[90, 50], [60, 37]]}
    kappa: 0.0752
steps:
  - name: flexion
    duration: 2 s
    loads: {moment: {flexion: 2.5}}
)";

} // namespace

TEST_CASE("each volumetric function has U(1) = U'(1) = 0, U''(1) = K and consistent derivatives",
          "[unit]") {
    using materials::VolumetricForm;
    const double K = 7.0;
    for (const auto form :
         {VolumetricForm::log_squared, VolumetricForm::quadratic, VolumetricForm::simo_taylor}) {
        const materials::Volumetric u{K, form};
        INFO(static_cast<int>(form));
        CHECK(u.energy(1.0) == Approx(0.0).margin(1e-15));
        CHECK(u.pressure(1.0) == Approx(0.0).margin(1e-15));
        CHECK(u.pressure_derivative(1.0) == Approx(K).epsilon(1e-14));
        // Central differences, error O(h^2) times the third derivative (of order K).
        const double h = 1e-5;
        for (const double J : {0.6, 0.9, 1.2, 1.5}) {
            CHECK((u.energy(J + h) - u.energy(J - h)) / (2 * h) ==
                  Approx(u.pressure(J)).epsilon(1e-8));
            CHECK((u.pressure(J + h) - u.pressure(J - h)) / (2 * h) ==
                  Approx(u.pressure_derivative(J)).epsilon(1e-8));
        }
    }
    // The closed forms themselves at J = 2.
    CHECK(materials::Volumetric{K, VolumetricForm::quadratic}.energy(2.0) == Approx(K / 2));
    CHECK(materials::Volumetric{K, VolumetricForm::simo_taylor}.energy(2.0) ==
          Approx(K / 4 * (3.0 - 2.0 * std::log(2.0))));
    CHECK(materials::Volumetric{K, VolumetricForm::log_squared}.energy(2.0) ==
          Approx(K / 2 * std::log(2.0) * std::log(2.0)));
}

TEST_CASE("distributed coefficients: the Gruber table reproduces its law, per-ring values",
          "[unit]") {
    const auto set = solver::named_material_set(solver::AnnulusGround::neo_hookean_gruber2024);
    const auto& k1 = set.annulus.coefficients.at("k1");
    const auto& k2 = set.annulus.coefficients.at("k2");
    REQUIRE(k1.kind == solver::Distribution::Kind::table);
    CHECK(k1.rows == 5);
    CHECK(k1.columns == 5);
    std::mt19937 random(3);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < 50; ++i) {
        solver::AnnulusPlace place;
        place.sector = unit(random);
        place.layer = unit(random);
        // The law is bilinear in (sector, layer), so interpolating its nodes is exact.
        const auto [law_k1, law_k2] =
            solver::gruber2024_fibre_parameters(1 + 4 * place.sector, 1 + 4 * place.layer);
        CHECK(k1.at(place) == Approx(law_k1).epsilon(1e-13));
        CHECK(k2.at(place) == Approx(law_k2).epsilon(1e-13));
    }
    const auto rings = solver::Distribution::per_ring({1.0, 2.0, 3.0});
    solver::AnnulusPlace place;
    place.ring = 2;
    CHECK(rings.at(place) == 2.0);
    CHECK_NOTHROW(solver::validate(set.annulus, "materials.annulus", 4));
    solver::RegionMaterial bad = set.annulus;
    bad.coefficients["k1"] = rings;
    CHECK_THROWS_WITH(solver::validate(bad, "materials.annulus", 4),
                      StartsWith("materials.annulus.k1: expected 4 values"));
}

TEST_CASE("the Gruber set written out explicitly runs bit for bit as the named set",
          "[validation]") {
    scenarios::Scenario named = scenarios::parse_scenario(
        "name: named\nmesh: {resolution: coarse}\nsteps:\n  - name: flexion\n"
        "    loads: {follower_compression: 500, moment: {flexion: 5}}\n",
        "named.yaml", scenarios::Formulation::elastic); // the elastic disc's named set
    const auto set = solver::named_material_set(solver::AnnulusGround::neo_hookean_gruber2024);
    const std::string text =
        "name: explicit\nmesh: {resolution: coarse}\nmaterials:\n  nucleus:\n" +
        scenarios::region_yaml(set.nucleus, 4) + "  annulus:\n" +
        scenarios::region_yaml(set.annulus, 4) +
        "steps:\n  - name: flexion\n"
        "    loads: {follower_compression: 500, moment: {flexion: 5}}\n";
    INFO(text);
    const scenarios::Scenario written =
        scenarios::parse_scenario(text, "explicit.yaml", scenarios::Formulation::elastic);
    REQUIRE(written.materials.annulus.definition.has_value());
    CHECK(scenarios::resolve_materials(written.materials) ==
          scenarios::resolve_materials(named.materials));
    test::TempFolder a, b;
    const auto ra = run(named, a), rb = run(written, b);
    REQUIRE(ra.completed);
    REQUIRE(rb.completed);
    REQUIRE(ra.step_ends.size() == rb.step_ends.size());
    for (std::size_t i = 0; i < ra.step_ends.size(); ++i) {
        const auto& x = ra.step_ends[i].results;
        const auto& y = rb.step_ends[i].results;
        CHECK(x.rotation_deg == y.rotation_deg);
        CHECK(x.translation == y.translation);
        CHECK(x.idp_mean == y.idp_mean);
        CHECK(x.max_fibre_strain == y.max_fibre_strain);
    }
    CHECK(ra.iterations == rb.iterations);
}

TEST_CASE("the code-to-code example runs with each volumetric function and its fibre angle",
          "[validation]") {
    const std::string text = test::file_bytes(example);
    double previous = 0.0;
    for (const char* form : {"quadratic", "log_squared", "simo_taylor"}) {
        INFO(form);
        std::string variant = text;
        for (const std::string shipped : {"volumetric: quadratic", "volumetric: simo_taylor"}) {
            for (std::size_t at; (at = variant.find(shipped)) != std::string::npos;)
                variant.replace(at, shipped.size(), std::string("volumetric:  ") + form);
        }
        const auto scenario = scenarios::parse_scenario(variant, example);
        const auto expected =
            std::string(form) == "quadratic"     ? materials::VolumetricForm::quadratic
            : std::string(form) == "log_squared" ? materials::VolumetricForm::log_squared
                                                 : materials::VolumetricForm::simo_taylor;
        CHECK(scenario.materials.annulus.definition->volumetric == expected);
        CHECK(scenario.materials.nucleus.definition->volumetric == expected);
        test::TempFolder folder;
        const auto report = run(scenario, folder);
        REQUIRE(report.completed);
        const double flexion = report.last.rotation_deg.y();
        CHECK(flexion > 0.5);
        // K = 270-300 MPa against mu of about 0.3 MPa: J stays within about 1e-3 of 1, where the
        // three forms agree to second order, so the rotations agree to well under 1 %.
        if (previous > 0) CHECK(flexion == Approx(previous).epsilon(0.01));
        previous = flexion;
        if (std::string(form) != "quadratic") continue;
        // The fibres at 30 degrees to the transverse plane in every annulus cell, in the
        // field file ParaView shows.
        vtkNew<vtkXMLUnstructuredGridReader> reader;
        reader->SetFileName((folder.path() / "disc_0000.vtu").c_str());
        reader->Update();
        vtkDataArray* fibre = reader->GetOutput()->GetCellData()->GetArray("fibre_direction_1");
        vtkDataArray* region = reader->GetOutput()->GetCellData()->GetArray("region");
        REQUIRE(fibre != nullptr);
        int annulus = 0;
        for (vtkIdType c = 0; c < reader->GetOutput()->GetNumberOfCells(); ++c) {
            if (region->GetTuple1(c) == 0) continue;
            ++annulus;
            const double* a = fibre->GetTuple3(c);
            const double norm = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
            CHECK(std::asin(std::abs(a[2]) / norm) * 180 / std::numbers::pi ==
                  Approx(30.0).margin(1e-9));
        }
        CHECK(annulus > 0);
    }
}

TEST_CASE("explicit definitions read back, and bad definitions fail at their place", "[unit]") {
    const auto s = scenarios::parse_scenario(explicit_scenario, "ok.yaml");
    REQUIRE(s.materials.annulus.definition.has_value());
    const auto& a = *s.materials.annulus.definition;
    CHECK(a.model == solver::SolidModel::hgo);
    CHECK(a.coefficients.at("k1") == solver::Distribution::per_ring({1.7, 2.2, 2.9, 3.7}));
    CHECK(a.coefficients.at("k2").kind == solver::Distribution::Kind::table);
    // Written out and read back: the same definitions.
    const auto again = scenarios::parse_scenario(scenarios::to_yaml(s), "ok.yaml");
    CHECK(scenarios::resolve_materials(again.materials) ==
          scenarios::resolve_materials(s.materials));

    CHECK_THAT(
        error_of(replaced(explicit_scenario, "model: hgo", "model: hgo2")),
        StartsWith(
            "bad.yaml:10:12: materials.annulus.model: expected one of neo_hookean, "
            "mooney_rivlin, hgo, hgo_mooney_rivlin, holmes_mow, got 'hgo2' (did you mean 'hgo'?)"));
    CHECK_THAT(
        error_of(replaced(explicit_scenario, "    kappa: 0.0752\n",
                          "    kappa: 0.0752\n    c01: 0.1\n")),
        StartsWith("bad.yaml:15:5: materials.annulus.c01: model hgo has no coefficient 'c01'; "
                   "it has c10, k1, k2, kappa"));
    CHECK_THAT(error_of(replaced(explicit_scenario, "    kappa: 0.0752\n", "")),
               StartsWith("bad.yaml:10:5: materials.annulus.kappa: expected a number in [0, "));
    CHECK_THAT(error_of(replaced(explicit_scenario, "    c01: 0.03\n",
                                 "    c01: 0.03\n    bulk_modulus: -5\n")),
               StartsWith("bad.yaml:9:19: materials.nucleus.bulk_modulus: expected a value in MPa "
                          "in > 0, got -5"));
    CHECK_THAT(error_of(replaced(explicit_scenario, "[[90, 50], [60, 37]]", "[[90, 50], [60]]")),
               StartsWith("bad.yaml:13:28: materials.annulus.k2.table[1]: expected 2 values, as "
                          "the first row, got 1"));
    CHECK_THAT(
        error_of(replaced(explicit_scenario, "[[90, 50], [60, 37]]", "[[90, 50]]")),
        StartsWith(
            "bad.yaml:13:17: materials.annulus.k2.table: expected a table of at least 2 rows"));
    CHECK_THAT(error_of(replaced(explicit_scenario, "[1.7, 2.2, 2.9, 3.7]", "[1.7, 2.2]")),
               StartsWith("bad.yaml:12:9: materials.annulus.k1: expected 4 values (one per annulus "
                          "ring of the mesh, the innermost first), got 2"));
    CHECK_THAT(error_of(replaced(explicit_scenario, "c10: 0.12", "c10: [0.12, 0.1]")),
               StartsWith("bad.yaml:7:10: materials.nucleus.c10: expected a number in MPa in > 0 "
                          "(the nucleus has "
                          "one value: no rings or sectors), got a list"));
    CHECK_THAT(
        error_of(replaced(explicit_scenario, "    kappa: 0.0752\n",
                          "    kappa: 0.0752\n    volumetric: cubic\n")),
        StartsWith("bad.yaml:15:17: materials.annulus.volumetric: expected one of log_squared, "
                   "quadratic, simo_taylor, got 'cubic'"));
    CHECK_THAT(
        error_of(replaced(explicit_scenario, "    kappa: 0.0752\n",
                          "    kappa: 0.0752\n    fibre_angle: {table: [[1, 2], [3, 4]]}\n")),
        StartsWith("bad.yaml:15:18: materials.annulus.fibre_angle: expected one angle or a list"));
}

TEST_CASE("a Holmes-Mow block in confined compression and tension matches the closed form",
          "[verification]") {
    // F = diag(1, 1, s): Q = beta (s^2 - 1 - 2 ln s) (nu drops out),
    //   sigma_zz = (lambda + 2 mu) e^Q (s^2 - 1) / (2 s),  sigma_xx = lambda e^Q (s^2 - 1) / (2 s),
    // from psi = c/2 (e^Q - 1), c = (lambda + 2 mu) / (2 beta) (Holmes & Mow 1990): with
    // I1 = 2 + s^2, I2 = 1 + 2 s^2, I3 = s^2, dQ/dC_zz = beta (1 - 1/s^2) and
    // dQ/dC_xx = beta lambda (s^2 - 1) / (lambda + 2 mu). The element runs the coupled model with
    // U = 0, i.e. as plain Q1, which a compressible solid needs.
    const double L = 1.0, E = 1.0, nu = 0.3, beta = 0.5;
    const double lambda = E * nu / ((1 + nu) * (1 - 2 * nu)), mu = E / (2 * (1 + nu));
    const mesh::HexMesh block = test::box_mesh(L, L, L, 2, 2, 2);
    for (const double s : {0.8, 1.2}) {
        INFO("stretch " << s);
        solver::Model model;
        model.mesh = &block;
        model.materials = {materials::make_material(materials::make_holmes_mow(E, nu, beta),
                                                    std::nullopt, materials::Volumetric{0.0})};
        model.cell_material.assign(block.cells.size(), 0);
        for (int axis = 0; axis < 3; ++axis) {
            for (int n : test::nodes_on_plane(block, axis, 0))
                model.prescribed.push_back({n, axis, 0});
            for (int n : test::nodes_on_plane(block, axis, L))
                model.prescribed.push_back({n, axis, axis == 2 ? (s - 1) * L : 0.0});
        }
        solver::System system(model);
        solver::State state = system.initial_state();
        solver::Step step;
        step.name = "load";
        step.initial_increment = step.max_increment = 0.25;
        solver::SteppingSettings settings;
        settings.newton.residual_tolerance = 1e-11;
        settings.newton.energy_tolerance = 1e-20;
        settings.newton.absolute_residual = 1e-13;
        REQUIRE(solver::solve_steps(system, state, {step}, settings).completed);
        const double Q = beta * (s * s - 1 - 2 * std::log(s));
        const double zz = (lambda + 2 * mu) * std::exp(Q) * (s * s - 1) / (2 * s);
        const double xx = lambda * std::exp(Q) * (s * s - 1) / (2 * s);
        for (const auto& e : system.element_stresses(state)) {
            CHECK(e.cauchy(2, 2) == Approx(zz).epsilon(1e-9));
            CHECK(e.cauchy(0, 0) == Approx(xx).epsilon(1e-9));
            CHECK(e.cauchy(1, 1) == Approx(xx).epsilon(1e-9));
        }
    }
}

TEST_CASE("a Holmes-Mow nucleus runs in a disc, and takes no bulk modulus", "[validation]") {
    const std::string text = replaced(explicit_scenario, R"(    model: mooney_rivlin
    c10: 0.12
    c01: 0.03
)",
                                      R"(    model: holmes_mow
    young: 1.0
    poisson: 0.45
    beta: 0.3
)");
    const auto scenario = scenarios::parse_scenario(text, "hm.yaml");
    test::TempFolder folder;
    const auto report = run(scenario, folder);
    REQUIRE(report.completed);
    CHECK(report.last.rotation_deg.y() > 0.5);
    CHECK(report.last.idp_mean > 0.0); // flexion compresses the nucleus
    CHECK_THAT(
        error_of(replaced(text, "    beta: 0.3\n", "    beta: 0.3\n    bulk_modulus: 100\n")),
        StartsWith("bad.yaml:10:5: materials.nucleus.bulk_modulus: expected no bulk_modulus "
                   "for model holmes_mow"));
    CHECK_THAT(error_of(replaced(text, "    beta: 0.3\n", "")),
               StartsWith("bad.yaml:6:5: materials.nucleus.beta: expected a number"));
}
