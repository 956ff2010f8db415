#include "solver/newton.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace discsim::solver {

NewtonReport newton_solve(const NewtonProblem& problem, const NewtonSettings& settings) {
    NewtonReport report;
    if (!problem.assemble()) {
        report.reason = "an element is inverted at the start of the increment";
        return report;
    }
    auto constraints_met = [&] {
        return !problem.constraint_violation ||
               problem.constraint_violation() <= settings.constraint_tolerance;
    };
    const double initial = problem.residual_norm();
    report.residual_norms.push_back(initial);
    if (initial <= settings.absolute_residual && constraints_met()) {
        report.converged = true;
        return report;
    }
    double energy_reference = 0.0;
    Eigen::VectorXd direction;
    for (int k = 1; k <= settings.max_iterations; ++k) {
        report.iterations = k;
        bool fallback = false;
        if (auto error = problem.solve(direction, fallback)) {
            report.reason = *error;
            return report;
        }
        report.used_fallback_solver |= fallback;
        const double s0 = problem.work(direction);
        // A direction that also meets prescribed motions must be taken whole: a shortened step
        // would leave the constraint partly unmet (and s0 says nothing about it).
        const bool constrained_step = !constraints_met();
        // Reference: the largest work seen in this increment (as FEBio does); the first one
        // alone is zero when the increment starts balanced and only prescribed motions drive it.
        energy_reference = std::max(energy_reference, std::abs(s0));

        // Full step; shorten it while an element would invert.
        double step = 1.0;
        problem.move(direction, step);
        bool valid = problem.assemble();
        for (int cut = 0; !valid && cut < 6; ++cut) {
            step *= 0.5;
            problem.move(direction, step);
            valid = problem.assemble();
        }
        if (!valid) {
            report.reason = "an element inverts along the Newton direction";
            return report;
        }
        if (settings.line_search && !constrained_step) {
            double s = problem.work(direction);
            for (int i = 0; i < settings.max_line_search_steps &&
                            std::abs(s) > settings.line_search_ratio * std::abs(s0);
                 ++i) {
                // Secant on s(eta) through (0, s0) and (step, s).
                const double next = std::clamp(step * s0 / (s0 - s), 0.1, 1.0);
                if (!std::isfinite(next) || std::abs(next - step) < 1e-3) break;
                problem.move(direction, next);
                if (!problem.assemble()) {
                    problem.move(direction, step);
                    problem.assemble();
                    break;
                }
                step = next;
                s = problem.work(direction);
            }
        }
        problem.accept();
        const double residual = problem.residual_norm();
        const double energy = std::abs(step * s0);
        report.residual_norms.push_back(residual);
        report.energy_norms.push_back(energy);
        report.step_lengths.push_back(step);
        const double reference = std::max(initial, problem.force_scale ? problem.force_scale() : 0.0);
        if (!std::isfinite(residual) ||
            (reference > 0.0 && residual > settings.divergence_ratio * reference)) {
            report.reason = "the residual diverged";
            return report;
        }
        // Below the absolute floor the residual is round-off and the energy ratio meaningless.
        const bool negligible = residual <= settings.absolute_residual;
        const bool balanced = residual <= settings.residual_tolerance * reference;
        // The energy of the correction still to come, estimated from the contraction of the
        // last two full steps (Hairer & Wanner 1996, IV.8; Deuflhard 2004, 2.1): with
        // theta = |d_k| / |d_(k-1)| ~ sqrt(e_k / e_(k-1)), what remains is at most
        // theta / (1 - theta) |d_k|, so its energy is (theta / (1 - theta))^2 e_k. A quadratic
        // iteration then stops one iteration earlier, on an estimate instead of a confirmation;
        // the residual criterion is still checked on the true residual.
        double remaining = energy;
        if (settings.contraction_estimate && k >= 2 && step == 1.0 &&
            report.step_lengths[k - 2] == 1.0 && report.energy_norms[k - 2] > 0.0) {
            const double theta = std::sqrt(energy / report.energy_norms[k - 2]);
            if (theta < 0.5) remaining = std::min(energy, energy * std::pow(theta / (1.0 - theta), 2));
        }
        const bool settled = remaining <= settings.energy_tolerance * energy_reference;
        if ((negligible || (balanced && settled)) && constraints_met()) {
            report.converged = true;
            return report;
        }
    }
    char text[256];
    std::snprintf(text, sizeof text,
                  "no convergence in %d iterations (residual %.3g N from %.3g N, energy ratio "
                  "%.3g, prescribed motion off by %.3g)",
                  settings.max_iterations, report.residual_norms.back(), initial,
                  report.energy_norms.empty() || energy_reference == 0.0
                      ? 0.0
                      : report.energy_norms.back() / energy_reference,
                  problem.constraint_violation ? problem.constraint_violation() : 0.0);
    report.reason = text;
    return report;
}

} // namespace discsim::solver
