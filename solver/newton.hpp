// A thin Newton-Raphson driver: it knows nothing of meshes, only of callables that assemble,
// solve and move the trial state (ARCHITECTURE.md: "a thin Newton driver").
//
// Convergence, checked after each iteration (or at the start, if already balanced):
//   residual  |r_k| <= residual_tolerance * max(|r_0|, F)
//   energy    |s_k d_k . r_(k-1)| <= energy_tolerance * max_j |d_j . r_(j-1)|
// both, or |r_k| <= absolute_residual alone (round-off level, where the energy ratio means
// nothing); and in every case the prescribed motions of the vertebra met to
// constraint_tolerance.
// |r| is the Euclidean norm of the out-of-balance forces (moments divided by a characteristic
// length, so every entry is in N) and F the magnitude of the forces carried (applied loads and
// reactions), as Abaqus measures its residual against the average force (Abaqus criterion:
// 5e-3). Defaults 1e-4 and 1e-8: tighter than Abaqus and FEBio (energy 1e-2) by design. They
// are not tighter still because the tension-only switch of the annulus fibres makes the
// tangent jump where a fibre passes I4 = 1; with fibres sitting at the switch, Newton's
// residual stalls near 1e-5 of the load instead of falling quadratically (measured on the
// disc under compression). Smooth problems converge quadratically to round-off (tested).
//
// With contraction_estimate, the energy criterion is applied to the energy of the corrections
// still to come, (theta / (1 - theta))^2 |s_k d_k . r_(k-1)| with the contraction
// theta = sqrt(e_k / e_(k-1)) of two successive full steps (only when theta < 1/2), so a
// quadratically converging increment stops when its next correction is known to be negligible
// instead of after computing it (Hairer & Wanner 1996, IV.8).
//
// Line search (Matthies & Strang 1979; as in FEBio): along the Newton direction d, the work
// s(eta) = d . r(u + eta d) should vanish; when |s(1)| > line_search_ratio |s(0)| the step is
// shortened by secant iterations on s, kept within [0.1, 1].
#pragma once

#include <Eigen/Core>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace discsim::solver {

struct NewtonSettings {
    int max_iterations = 20;
    double residual_tolerance = 1e-4;
    /// N: below any load of interest (the smallest are ~0.01 N) by six orders, above the
    /// round-off of the internal forces of a disc (~1e-9 N measured on a rigidly rotated block).
    double absolute_residual = 1e-8;
    double energy_tolerance = 1e-8;
    bool line_search = true;
    double line_search_ratio = 0.9;
    int max_line_search_steps = 5;
    double divergence_ratio = 1e8; ///< give up when |r| exceeds this multiple of |r_0|
    /// Prescribed motions (mm, rad) must be met to this before an increment counts as
    /// converged.
    double constraint_tolerance = 1e-10;
    /// Judge the energy criterion on the correction still to come, estimated from the
    /// contraction of the last two full Newton steps, rather than on the last correction.
    /// Off by default; the scenario runner turns it on for the biphasic disc (scenarios/run.cpp).
    bool contraction_estimate = false;
};

struct NewtonReport {
    bool converged = false;
    int iterations = 0;
    std::vector<double> residual_norms; ///< |r_0|, |r_1|, ...
    std::vector<double> energy_norms;   ///< |s_k d_k . r_(k-1)|, k >= 1
    std::vector<double> step_lengths;
    bool used_fallback_solver = false;
    std::string reason; ///< why it stopped without converging
};

struct NewtonProblem {
    /// Assemble residual and tangent at the trial state; false if an element is inverted.
    std::function<bool()> assemble;
    /// Solve for the Newton direction at the trial state; an error message on failure.
    std::function<std::optional<std::string>(Eigen::VectorXd& direction, bool& fallback)> solve;
    /// |r| at the trial state (last assembly).
    std::function<double()> residual_norm;
    /// F: magnitude of the forces carried at the trial state (last assembly), N.
    std::function<double()> force_scale;
    /// Largest violation of prescribed motions at the trial state (mm or rad); may be empty.
    std::function<double()> constraint_violation;
    /// d . r at the trial state (last assembly).
    std::function<double(const Eigen::VectorXd& direction)> work;
    /// trial = accepted + step * direction.
    std::function<void(const Eigen::VectorXd& direction, double step)> move;
    /// accepted = trial.
    std::function<void()> accept;
};

NewtonReport newton_solve(const NewtonProblem& problem, const NewtonSettings& settings);

} // namespace discsim::solver
