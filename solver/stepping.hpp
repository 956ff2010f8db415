// Automatic load stepping over named steps (PHYSICS.md section 4): each step ramps the loads
// linearly from the previous step's end to its own target; increments are cut on
// non-convergence or an inverted element and grown after easy increments.
#pragma once

#include "solver/newton.hpp"
#include "solver/system.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace discsim::solver {

struct Step {
    std::string name;
    LoadState target;
    double initial_increment = 0.25; ///< fraction of the step
    double min_increment = 1e-4;
    double max_increment = 0.5;
    /// s: the step's physical length; an increment of fraction f lasts f x duration (the time
    /// step of a biphasic model). 0: no physical time.
    double duration = 0.0;
};

struct SteppingSettings {
    NewtonSettings newton;
    int easy_iterations = 4; ///< grow the increment after converging in at most this many
    double growth = 1.5;
    double cutback = 0.5;
    /// An increment that would leave less than (stretch - 1) of itself to the step's end takes
    /// that rest too, instead of leaving a sliver for one more increment (at most `stretch`
    /// times the planned increment). 1: off.
    double stretch = 1.0;
};

struct Increment {
    int step = 0;                ///< index into the steps
    double step_fraction = 0.0;  ///< in (0, 1]
    double time = 0.0;           ///< step + step_fraction: the load history coordinate
    LoadState load;
    NewtonReport newton;
    int cutbacks = 0;            ///< failed attempts before this increment converged
    int limited = 0;             ///< converged attempts retried smaller (IncrementHooks::limit)
    /// Newton solves at this increment's load after it converged (IncrementHooks::settle, e.g.
    /// re-equilibration after rupture), and their iterations; set by the hook.
    int re_equilibrations = 0;
    int re_equilibration_iterations = 0;
};

struct PathResult {
    bool completed = false;
    std::string reason;      ///< why it stopped, when not completed
    double time_reached = 0; ///< last converged time
    int increments = 0;
    int iterations = 0;
    int cutbacks = 0;
    int limited = 0;           ///< increments retried smaller on IncrementHooks::limit's request
    bool stopped_by_hook = false; ///< IncrementHooks::settle asked to stop; reason says why
};

/// Optional decisions around each converged increment; the rupture model uses them.
struct IncrementHooks {
    /// Called when Newton has converged at an increment, before it is accepted, with the states
    /// before and after it: returns a factor in (0, 1) to retry the increment that much smaller
    /// (honoured while the increment is above the step's min_increment), or 1 to accept it.
    std::function<double(const Increment&, const State& before, const State& after)> limit;
    /// Called after the increment is accepted, before on_converged: may change the materials
    /// and re-equilibrate `state` at the same load. Returns a reason to stop the path after this
    /// increment (its state is still passed to on_converged), or nothing to go on.
    std::function<std::optional<std::string>(Increment&, State&)> settle;
    /// Called after every accepted (and settled) increment with its state.
    std::function<void(const Increment&, const State&)> on_converged;
};

/// Solves the steps in order from `state` (updated to the last converged increment).
/// `on_converged` is called after every converged increment with the accepted state.
PathResult solve_steps(System& system, State& state, const std::vector<Step>& steps,
                       const SteppingSettings& settings,
                       const std::function<void(const Increment&, const State&)>& on_converged = {});

/// The loads before the first step of a path: nothing applied and nothing prescribed
/// (prescribed_scale 0).
LoadState unloaded();

/// The same with hooks around each increment. The first step ramps from `start` (a path that
/// ramps another parameter, e.g. the free swelling's osmotic_scale from 0, starts elsewhere).
///
/// `first_step` > 0 goes on with a path whose steps before it were solved by an earlier call
/// (with those steps only) on this system and state, as if it had not stopped: it starts from
/// the end of steps[first_step - 1], without committing `state` again (Increment::step stays the
/// index into `steps`). A run that shares its
/// leading steps with others solves them once this way (scenarios/run.hpp, SharedRun).
PathResult solve_steps(System& system, State& state, const std::vector<Step>& steps,
                       const SteppingSettings& settings, const IncrementHooks& hooks,
                       const LoadState& start = unloaded(), int first_step = 0);

/// One Newton solve at fixed loads from `state` (updated when it converges).
NewtonReport solve_increment(System& system, State& state, const LoadState& load,
                             const NewtonSettings& settings);

} // namespace discsim::solver
