// Factorise less (docs/performance.md): GMRES preconditioned by an earlier factorisation in
// place of a new factorisation every Newton iteration (solver/krylov.hpp, System::solve).
// The GMRES itself against exact answers, then the disc: the reuse must leave Newton's
// iterates, and so every result, those of the direct solve, while factorising less.
#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "solver/krylov.hpp"
#include "support/files.hpp"
#include "support/results_csv.hpp"
#include "support/runs.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>

using namespace discsim;
using namespace discsim::solver;

namespace {

// A nonsymmetric, indefinite, well-conditioned test matrix: a rotation-like skew part on a
// diagonal of both signs.
Eigen::MatrixXd test_matrix(int n, std::mt19937& random) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    Eigen::MatrixXd A(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) A(i, j) = 0.3 * u(random) / std::sqrt(n);
    for (int i = 0; i < n; ++i) A(i, i) += (i % 3 == 0 ? -1.0 : 1.0) * (2.0 + i % 5);
    return A;
}

LinearMap dense_map(const Eigen::MatrixXd& M) {
    return [&M](const Eigen::VectorXd& in, Eigen::VectorXd& out) { out = M * in; };
}

double relative_residual(const Eigen::MatrixXd& A, const Eigen::VectorXd& x, const Eigen::VectorXd& b) {
    return (b - A * x).norm() / b.norm();
}

} // namespace

TEST_CASE("GMRES reaches its tolerance on the true residual, in one iteration with the exact "
          "inverse, and gives up early when preconditioned badly",
          "[unit]") {
    std::mt19937 random(7);
    const int n = 60;
    const Eigen::MatrixXd A = test_matrix(n, random);
    Eigen::VectorXd b = Eigen::VectorXd::NullaryExpr(n, [&] { return std::uniform_real_distribution<double>(-1, 1)(random); });
    const Eigen::MatrixXd inverse = A.inverse();
    const Eigen::MatrixXd identity = Eigen::MatrixXd::Identity(n, n);
    Eigen::VectorXd x;
    GmresSettings settings;
    settings.tolerance = 1e-10;

    SECTION("the exact inverse: one iteration") {
        const auto r = gmres(dense_map(A), dense_map(inverse), b, x, settings);
        CHECK(r.converged);
        CHECK(r.iterations == 1);
        CHECK(relative_residual(A, x, b) < 1e-12);
    }
    SECTION("the inverse of a nearby matrix: a few iterations, the residual as promised") {
        // A 1 % perturbation: the preconditioned operator is I + O(1e-2), so each iteration
        // gains about two digits and 1e-10 takes about five.
        Eigen::MatrixXd near = A;
        for (int i = 0; i < n; ++i) near(i, i) *= 1.01;
        const Eigen::MatrixXd near_inverse = near.inverse();
        const auto r = gmres(dense_map(A), dense_map(near_inverse), b, x, settings);
        CHECK(r.converged);
        CHECK(r.iterations <= 7);
        CHECK(relative_residual(A, x, b) < 1e-9); // the estimate is the true residual, to round-off
    }
    SECTION("no preconditioner: converges within n iterations (exact arithmetic: n at most)") {
        settings.max_iterations = n;
        settings.rate_check_after = n; // no early exit
        const auto r = gmres(dense_map(A), dense_map(identity), b, x, settings);
        CHECK(r.converged);
        CHECK(relative_residual(A, x, b) < 1e-9);
    }
    SECTION("a preconditioner far from the operator's inverse: stops early, not converged") {
        // Eigenvalues spread over four decades and of both signs, no preconditioner: the mean
        // reduction per iteration after three cannot reach 1e-10 within 30.
        Eigen::MatrixXd hard = A;
        for (int i = 0; i < n; ++i) hard(i, i) = (i % 2 ? 1.0 : -1.0) * std::pow(10.0, 4.0 * i / n);
        settings.max_iterations = 30;
        settings.rate_check_after = 3;
        const auto r = gmres(dense_map(hard), dense_map(identity), b, x, settings);
        CHECK_FALSE(r.converged);
        CHECK(r.iterations < settings.max_iterations);
    }
    SECTION("a zero right-hand side: x = 0 at once") {
        const auto r = gmres(dense_map(A), dense_map(identity), Eigen::VectorXd::Zero(n), x, settings);
        CHECK(r.converged);
        CHECK(r.iterations == 0);
        CHECK(x.norm() == 0.0);
    }
}

namespace {

struct Compared {
    test::ResultsTable with, without;
    solver::PhaseTimes times_with, times_without;
    std::string solver_with; ///< the reuse run's factorisation
};

// With reuse, the LU of a biphasic tangent is unsymmetric_solver's from mumps_from equations
// (UMFPACK below); without, a direct solve every iteration.
Compared run_both(const scenarios::Scenario& scenario, int mumps_from = 6000) {
    Compared c;
    for (const bool reuse : {true, false}) {
        test::TempFolder folder;
        scenarios::RunOptions options;
        options.output = folder.path();
        options.program_version = "test";
        options.factorisation_reuse.enabled = reuse;
        if (reuse) options.mumps_from = mumps_from;
        const auto report = scenarios::run_scenario(scenario, options);
        REQUIRE(report.completed);
        (reuse ? c.with : c.without) = test::read_results(folder.path() / "results.csv");
        (reuse ? c.times_with : c.times_without) = report.solver_times;
        if (reuse) c.solver_with = report.linear_solver;
    }
    return c;
}

// What the reuse run did, for the failure messages.
std::string reuse_counts(const Compared& c) {
    std::ostringstream out;
    out << "factorisations " << c.times_with.factorisations << " of " << c.times_with.solves
        << " solves (" << c.times_with.krylov_iterations << " GMRES iterations)";
    return out.str();
}

// The two runs' results agree: the same Newton iteration count at every increment, and each
// column within 1e-6 of its largest magnitude (the regression label's tolerance). GMRES solves
// each elastic Newton system to 1e-10 of the out-of-balance, so the iterates differ by
// round-off carried through a few Newton steps; each biphasic one to 1e-6, so a converged
// state differs from the direct solve's by about 1e-6 of the last correction, far inside the
// Newton tolerance.
void check_same_results(const Compared& c, const std::vector<std::string>& columns) {
    REQUIRE(c.with.rows.size() == c.without.rows.size());
    CHECK(c.with.column("newton_iterations") == c.without.column("newton_iterations"));
    for (const auto& name : columns) {
        const auto a = c.with.column(name), b = c.without.column(name);
        double scale = 0, worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            scale = std::max(scale, std::abs(b[i]));
            worst = std::max(worst, std::abs(a[i] - b[i]));
        }
        INFO(name << ": largest difference " << worst << " of a largest value " << scale);
        CHECK(worst <= 1e-6 * scale);
    }
}

} // namespace

TEST_CASE("reusing factorisations leaves the disc's results those of a factorisation every "
          "iteration, with fewer factorisations (elastic flexion)",
          "[verification]") {
    const Compared c = run_both(test::shipped_scenario("flexion_L4-5"));
    check_same_results(c, {"flexion_deg", "idp_mean_MPa", "height_change_mm", "max_fibre_strain",
                           "max_annulus_principal_stress_MPa"});
    INFO(reuse_counts(c));
    CHECK(c.times_without.factorisations == c.times_without.solves);
    CHECK(c.times_with.solves == c.times_without.solves);
    CHECK(c.times_with.factorisations < 0.75 * c.times_with.solves);
}

namespace {

scenarios::Scenario coarse_creep() {
    return scenarios::parse_scenario(R"(name: creep
segment: L4-5
mesh: {resolution: coarse}
materials: {formulation: biphasic}
steps:
  - name: upright
    duration: 10 min
    ramp: 10 s
    loads: {follower_compression: 500}
output: {vtu_every: 0}
)",
                                     "creep.yaml");
}

} // namespace

TEST_CASE("reusing factorisations leaves the biphasic disc's creep that of a factorisation "
          "every iteration, with far fewer factorisations",
          "[verification]") {
    const Compared c = run_both(coarse_creep());
    check_same_results(c, {"idp_mean_MPa", "height_change_mm", "nucleus_fluid_volume_change_mm3",
                           "outflow_outer_wall_mm3_per_s"});
    INFO(reuse_counts(c));
    CHECK(c.times_without.factorisations == c.times_without.solves);
    // Through a hold the u-p tangent changes slowly (the time step grows by 1.5 at most), so one
    // factorisation serves many steps.
    CHECK(c.times_with.factorisations < 0.4 * c.times_with.solves);
}

TEST_CASE("MUMPS' single-precision LU as the preconditioner leaves the biphasic disc's creep "
          "that of a factorisation every iteration",
          "[verification]") {
    // The default LU of a large biphasic disc run alone (solver/system.hpp, mumps_single),
    // taken here on the coarse disc: GMRES finishes every solve, the first after each
    // factorisation too, to the same tolerance as with a double-precision LU.
    const Compared c = run_both(coarse_creep(), 0);
    CHECK(c.solver_with.find("MUMPS LU in single precision") != std::string::npos);
    check_same_results(c, {"idp_mean_MPa", "height_change_mm", "nucleus_fluid_volume_change_mm3",
                           "outflow_outer_wall_mm3_per_s"});
    INFO(reuse_counts(c));
    CHECK(c.times_with.factorisations < 0.4 * c.times_with.solves);
}

// A prescribed rotation puts its reaction (the flexion moment, about 1e4 N mm) on the right-hand
// side of every Newton system. GMRES's tolerance is relative to what is out of balance, not to
// that reaction: relative to the whole right-hand side, a loose biphasic tolerance let Newton
// stall at tolerance x reaction (the residual fell by only 0.93 per iteration at 0.01 N on
// hyperflexion_compression), so the reuse run took more Newton iterations than the direct one.
TEST_CASE("reusing factorisations under a prescribed flexion leaves the biphasic disc's Newton "
          "iterations and results those of a factorisation every iteration",
          "[verification]") {
    const auto scenario = scenarios::parse_scenario(R"(name: flexed under load
segment: L4-5
mesh: {resolution: coarse}
materials: {formulation: biphasic}
steps:
  - name: compression
    duration: 10 s
    loads: {follower_compression: 1000}
  - name: flexion
    duration: 10 s
    loads:
      follower_compression: 1000
      rotation: {flexion: 8}
output: {vtu_every: 0}
)",
                                                    "flexed.yaml");
    const Compared c = run_both(scenario);
    check_same_results(c, {"idp_mean_MPa", "height_change_mm", "max_fibre_strain",
                           "nucleus_fluid_volume_change_mm3", "posterior_bulge_mm"});
    INFO(reuse_counts(c));
    CHECK(c.times_with.solves == c.times_without.solves);
    CHECK(c.times_with.factorisations < c.times_with.solves);
}
