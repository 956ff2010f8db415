// The Newton driver on a small smooth system with a known answer: the energy criterion judged on
// the contraction estimate (NewtonSettings::contraction_estimate) stops earlier than the one
// judged on the last correction, and the correction it skips is as small as the criterion asks.
#include "solver/newton.hpp"

#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <cstdio>
#include <string>

using discsim::solver::NewtonProblem;
using discsim::solver::NewtonReport;
using discsim::solver::NewtonSettings;
using discsim::solver::newton_solve;

namespace {

// r(u) = A u + c u^3 (component-wise) - f: the gradient of a convex energy, so Newton converges
// quadratically from anywhere near enough, with no switches (Dennis & Schnabel 1996, 5.2).
struct CubicSpring {
    Eigen::Matrix3d A;
    Eigen::Vector3d c{0.8, 1.5, 0.3};
    Eigen::Vector3d f{2.0, -1.0, 3.0};
    Eigen::Vector3d accepted = Eigen::Vector3d::Zero();
    Eigen::Vector3d trial = Eigen::Vector3d::Zero();
    int assemblies = 0;

    CubicSpring() { A << 4, 1, 0, 1, 3, 0.5, 0, 0.5, 2; }
    Eigen::Vector3d residual(const Eigen::Vector3d& u) const {
        return A * u + c.cwiseProduct(u.cwiseProduct(u.cwiseProduct(u))) - f;
    }
    Eigen::Matrix3d tangent(const Eigen::Vector3d& u) const {
        Eigen::Matrix3d K = A;
        for (int i = 0; i < 3; ++i) K(i, i) += 3 * c[i] * u[i] * u[i];
        return K;
    }
    /// The Newton correction at u, -K(u)^-1 r(u).
    Eigen::Vector3d correction(const Eigen::Vector3d& u) const {
        return -tangent(u).ldlt().solve(residual(u));
    }
    NewtonProblem problem() {
        NewtonProblem p;
        p.assemble = [this] {
            ++assemblies;
            return true;
        };
        p.solve = [this](Eigen::VectorXd& d, bool& fallback) -> std::optional<std::string> {
            fallback = false;
            d = correction(trial);
            return std::nullopt;
        };
        p.residual_norm = [this] { return residual(trial).norm(); };
        p.force_scale = [this] { return f.norm(); };
        p.work = [this](const Eigen::VectorXd& d) { return d.dot(residual(trial)); };
        p.move = [this](const Eigen::VectorXd& d, double step) { trial = accepted + step * d; };
        p.accept = [this] { accepted = trial; };
        return p;
    }
};

double max_energy(const NewtonReport& report) {
    double m = 0;
    for (double e : report.energy_norms) m = std::max(m, e);
    return m;
}

} // namespace

TEST_CASE("Newton's energy criterion on the contraction estimate skips only a negligible correction",
          "[unit]") {
    NewtonSettings settings;
    settings.line_search = false;
    // The energy criterion alone decides when to stop: the residual one is set to admit any
    // residual below the load's.
    settings.residual_tolerance = 1.0;
    settings.absolute_residual = 1e-15;
    settings.energy_tolerance = GENERATE(1e-6, 1e-8, 1e-12);
    INFO("energy tolerance " << settings.energy_tolerance);

    CubicSpring confirmed;
    settings.contraction_estimate = false;
    const NewtonReport plain = newton_solve(confirmed.problem(), settings);
    REQUIRE(plain.converged);

    CubicSpring estimated;
    settings.contraction_estimate = true;
    const NewtonReport early = newton_solve(estimated.problem(), settings);
    REQUIRE(early.converged);
    INFO("iterations " << plain.iterations << " confirmed, " << early.iterations << " estimated");
    INFO("energies " << [&] {
        std::string text;
        char number[32];
        for (double e : plain.energy_norms) {
            std::snprintf(number, sizeof number, "%.2e ", e / max_energy(plain));
            text += number;
        }
        return text;
    }());

    // Never later than the confirmed criterion, and at most one iteration earlier: it skips
    // only the correction it can predict.
    CHECK(early.iterations <= plain.iterations);
    CHECK(early.iterations >= plain.iterations - 1);
    // At 1e-8 the tolerance falls between the last two corrections of the confirmed run
    // (8e-7 and 2e-13 of the largest, the energies above), where the quadratic rate predicts
    // the last one: that iteration is saved.
    if (settings.energy_tolerance == 1e-8) CHECK(early.iterations == plain.iterations - 1);

    // The correction it did not take: its energy meets the criterion it was judged by ...
    const Eigen::Vector3d skipped = estimated.correction(estimated.accepted);
    const double skipped_energy = std::abs(skipped.dot(estimated.residual(estimated.accepted)));
    CHECK(skipped_energy <= settings.energy_tolerance * max_energy(early));
    // ... and the answer is within that correction's size (quadratic: at most twice it) of the
    // one converged to round-off.
    CubicSpring exact;
    NewtonSettings round_off = settings;
    round_off.contraction_estimate = false;
    round_off.energy_tolerance = 0;
    round_off.residual_tolerance = 0;
    round_off.absolute_residual = 1e-14;
    REQUIRE(newton_solve(exact.problem(), round_off).converged);
    CHECK((estimated.accepted - exact.accepted).norm() <= 2 * skipped.norm() + 1e-14);
}

TEST_CASE("Newton's contraction estimate is honest on a linearly converging iteration", "[unit]") {
    // Modified Newton (the tangent of the start kept): the corrections contract at a steady
    // rate theta, the remaining error is theta / (1 - theta) of the last correction, and the
    // estimate must still leave no correction above the tolerance untaken.
    CubicSpring spring;
    spring.f = Eigen::Vector3d(1.0, -0.5, 1.5);
    spring.c *= 0.5;
    const Eigen::Matrix3d K0 = spring.tangent(Eigen::Vector3d::Zero());
    NewtonProblem problem = spring.problem();
    problem.solve = [&](Eigen::VectorXd& d, bool& fallback) -> std::optional<std::string> {
        fallback = false;
        d = -K0.ldlt().solve(spring.residual(spring.trial));
        return std::nullopt;
    };
    NewtonSettings settings;
    settings.line_search = false;
    settings.residual_tolerance = 1.0;
    settings.absolute_residual = 1e-15;
    settings.max_iterations = 60;
    settings.contraction_estimate = true;
    const NewtonReport report = newton_solve(problem, settings);
    REQUIRE(report.converged);
    const auto& e = report.energy_norms;
    REQUIRE(e.size() >= 4);
    const double theta = std::sqrt(e[e.size() - 1] / e[e.size() - 2]);
    INFO(report.iterations << " iterations, contraction " << theta);
    REQUIRE(theta > 0.05); // linear, not quadratic: the case the estimate must not fool
    REQUIRE(theta < 0.5);
    // The corrections still to come, taken one by one with the same fixed tangent.
    double remaining = 0;
    Eigen::Vector3d u = spring.accepted;
    for (int j = 0; j < 60; ++j) {
        const Eigen::Vector3d d = -K0.ldlt().solve(spring.residual(u));
        remaining = std::max(remaining, std::abs(d.dot(spring.residual(u))));
        u += d;
    }
    CHECK(remaining <= settings.energy_tolerance * max_energy(report));
}
