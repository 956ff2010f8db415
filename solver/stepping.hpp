// Automatic load stepping over named steps (PHYSICS.md section 4): each step ramps the loads
// linearly from the previous step's end to its own target; increments are cut on
// non-convergence or an inverted element and grown after easy increments.
#pragma once

#include "solver/newton.hpp"
#include "solver/system.hpp"

#include <functional>
#include <string>
#include <vector>

namespace discsim::solver {

struct Step {
    std::string name;
    LoadState target;
    double initial_increment = 0.25; ///< fraction of the step
    double min_increment = 1e-4;
    double max_increment = 0.5;
};

struct SteppingSettings {
    NewtonSettings newton;
    int easy_iterations = 4; ///< grow the increment after converging in at most this many
    double growth = 1.5;
    double cutback = 0.5;
};

struct Increment {
    int step = 0;                ///< index into the steps
    double step_fraction = 0.0;  ///< in (0, 1]
    double time = 0.0;           ///< step + step_fraction: the load history coordinate
    LoadState load;
    NewtonReport newton;
    int cutbacks = 0;            ///< failed attempts before this increment converged
};

struct PathResult {
    bool completed = false;
    std::string reason;      ///< why it stopped, when not completed
    double time_reached = 0; ///< last converged time
    int increments = 0;
    int iterations = 0;
    int cutbacks = 0;
};

/// Solves the steps in order from `state` (updated to the last converged increment).
/// `on_converged` is called after every converged increment with the accepted state.
PathResult solve_steps(System& system, State& state, const std::vector<Step>& steps,
                       const SteppingSettings& settings,
                       const std::function<void(const Increment&, const State&)>& on_converged = {});

/// One Newton solve at fixed loads from `state` (updated when it converges).
NewtonReport solve_increment(System& system, State& state, const LoadState& load,
                             const NewtonSettings& settings);

} // namespace discsim::solver
