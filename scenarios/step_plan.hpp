// The step plan: a Scenario's named steps (user units: N, N m, mm, degrees) turned into the
// solver's load history (solver::Step, internal units: N, N mm, mm, radians). docs/loads.md.
//
// Rules:
// - Steps run in order; each step's loads are the targets it ends at, ramped linearly from the
//   previous step's targets (solver/stepping.hpp). Before the first step everything is zero and
//   nothing is prescribed.
// - A component a step does not give keeps its previous value; 0 releases it.
// - Conversions: moment N m -> N mm (x 1000) as the global moment; follower_compression F ->
//   follower_force (0, 0, -F) in the body frame; force -> global force (N); rotation degrees ->
//   prescribed rp_rotation (rad); displacement -> prescribed rp_displacement (mm). Anatomical
//   signs are already in the components (x anterior, y left, z cranial; flexion +y, right
//   lateral bending +x, left axial rotation +z).
// - A prescribed rotation or displacement component stays prescribed in every later step, at its
//   last value unless a step changes it (a prescribed component cannot be released).
// - lifting: lifting_loads() (activity_loads.hpp) adds its compression as a follower compression
//   (0, 0, -C) and its flexion moment about +y ON TOP of the step's explicit follower_compression
//   and moment (an explicit preload plus the activity). The anterior shear is not applied.
// - traction: traction_loads() adds (anterior, 0, +axial) to the global force, on top of the
//   explicit force.
// - pressure {surface, value}: LoadState::pressure (MPa) on the scenario's one pressure surface,
//   ramped and carried over like the other loads; 0 releases it.
// - A step that gives lifting (or traction) replaces the contribution of the last lifting (or
//   traction) given; a step without it keeps it. `traction: {force: 0}` releases traction;
//   `lifting: {body_mass: 0}` (and no load) releases lifting.
// - cycles {count, hold, rest}: the step becomes 2 * count solver steps, "NAME cycle k hold"
//   ramping from the previous step's targets to this step's, and "NAME cycle k rest" ramping
//   back to the previous step's targets; phase "hold"/"rest" and hold_time = hold/rest seconds
//   (recorded by the elastic disc, integrated in time by the biphasic one, whose steps step in
//   time: time_steps() in step_plan.cpp). After the cycles the loads are back
//   at the previous step's targets, and that is what the next step carries over from: a cycled
//   step's own loads do not persist (intermittent traction ends with the traction released).
//   A cycled step may change components prescribed before it but may not start prescribing a
//   new one (its rest could not return it to an unknown free value): InputError.
// - Increments (initial/min/max) are copied to every solver step of the scenario step;
//   LoadState::prescribed_scale stays 1.
// - Physical time (a scenario whose steps have durations): a step of duration D ramps its loads
//   over `ramp` R (default D) and, when R < D, holds them for D - R in one more solver step
//   "NAME (held)" of one increment. In a cycled step each hold lasts cycles.hold and each rest
//   cycles.rest, ramping over R when given (then holding) or over the whole phase. Each planned
//   step records its start time and duration; without durations both stay 0.
#pragma once

#include "scenarios/scenario.hpp"
#include "solver/stepping.hpp"

#include <string>
#include <vector>

namespace discsim::scenarios {

struct PlannedStep {
    solver::Step step;
    int scenario_step = 0; ///< index into Scenario::steps
    int cycle = 0;         ///< 1-based when cycling, 0 otherwise
    std::string phase;     ///< "", "hold", "rest"
    double hold_time = 0;  ///< s, the cycle's hold or rest time
    // Physical time of a timed scenario (Scenario::timed), s; 0 otherwise.
    double start_time = 0.0;
    double duration = 0.0;
    /// The physical time at `fraction` of this step.
    double time_at(double fraction) const { return start_time + fraction * duration; }
};

/// The solver steps of a scenario, by the rules above. Throws InputError for an invalid lifting or
/// traction, a rotation of 180 degrees or more, a cycle count below 1, negative hold or rest
/// times, or a cycled step that starts prescribing a component.
std::vector<PlannedStep> plan_steps(const Scenario& scenario);

} // namespace discsim::scenarios
