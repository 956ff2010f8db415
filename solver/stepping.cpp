#include "solver/stepping.hpp"

#include "solver/rotation.hpp"

#include <algorithm>
#include <cmath>

namespace discsim::solver {

NewtonReport solve_increment(System& system, State& state, const LoadState& load,
                             const NewtonSettings& settings) {
    State accepted = state;
    system.apply_constraints(accepted, load);
    State trial = accepted;
    NewtonProblem problem;
    // The tangent of the mean-dilatation elements at their dilatation linearised from the
    // iterate the step started at (System::assemble's base).
    //
    // When that tangent does not depend on the iterate it came from (the biphasic disc), it is
    // formed only where Newton solves with it: the increment's first assembly forms it, the
    // later ones (after each step and in the line search) only the residual, and solve forms
    // the tangent at the accepted iterate if the last assembly did not. This saves the tangent
    // of the converged iterate, never used, and those of rejected line-search points.
    const bool lazy = !system.tangent_depends_on_base();
    bool tangent_current = false;
    bool first = true;
    problem.assemble = [&] {
        const bool with_tangent = !lazy || first;
        first = false;
        tangent_current = with_tangent;
        return system.assemble(trial, load, with_tangent,
                               system.linearised_tangent() ? &accepted : nullptr)
            .ok;
    };
    problem.solve = [&](Eigen::VectorXd& direction, bool& fallback) -> std::optional<std::string> {
        if (!tangent_current) {
            // trial == accepted here: the state the last assembly was at.
            if (!system.assemble(trial, load, true, nullptr).ok)
                return std::string("an element is inverted at the Newton iterate");
            tangent_current = true;
        }
        const auto result = system.solve(trial, load, direction);
        fallback = result.used_fallback;
        if (!result.ok) return result.message;
        return std::nullopt;
    };
    problem.residual_norm = [&] { return system.balance_residual(trial, load).norm(); };
    problem.force_scale = [&] { return system.force_scale(load); };
    problem.constraint_violation = [&] { return system.constraint_violation(trial, load); };
    problem.work = [&](const Eigen::VectorXd& direction) {
        return system.directional_work(trial, load, direction);
    };
    problem.move = [&](const Eigen::VectorXd& direction, double step) {
        system.update(accepted, direction, step, trial);
    };
    problem.accept = [&] { accepted = trial; };
    NewtonReport report = newton_solve(problem, settings);
    if (report.converged) state = accepted;
    return report;
}

PathResult solve_steps(System& system, State& state, const std::vector<Step>& steps,
                       const SteppingSettings& settings,
                       const std::function<void(const Increment&, const State&)>& on_converged) {
    IncrementHooks hooks;
    hooks.on_converged = on_converged;
    return solve_steps(system, state, steps, settings, hooks);
}

LoadState unloaded() {
    LoadState load;
    load.prescribed_scale = 0.0;
    return load;
}

PathResult solve_steps(System& system, State& state, const std::vector<Step>& steps,
                       const SteppingSettings& settings, const IncrementHooks& hooks,
                       const LoadState& start, int first_step) {
    PathResult result;
    // The state the path starts from starts its first time step; a path that goes on from an
    // earlier call had its last increment committed there.
    if (first_step == 0) system.commit(state);
    LoadState previous_target = first_step == 0 ? start : steps.at(first_step - 1).target;
    for (int s = first_step; s < static_cast<int>(steps.size()); ++s) {
        const Step& step = steps[s];
        const Vec3 start_displacement = state.rp_displacement;
        const Vec3 start_rotation = rotation_vector(state.rp_rotation);
        double fraction = 0.0;
        double increment = std::clamp(step.initial_increment, step.min_increment, step.max_increment);
        int cutbacks = 0;
        int limited = 0;
        while (fraction < 1.0 - 1e-12) {
            double next = std::min(1.0, fraction + increment);
            if (1.0 - next < (settings.stretch - 1.0) * increment) next = 1.0;
            Increment record;
            record.step = s;
            record.step_fraction = next;
            record.time = s + next;
            record.load = interpolate(previous_target, step.target, next, start_displacement,
                                      start_rotation);
            record.load.time_step = (next - fraction) * step.duration;
            const State before = state;
            record.newton = solve_increment(system, state, record.load, settings.newton);
            result.iterations += record.newton.iterations;
            if (!record.newton.converged) {
                system.history().revert(); // the increment starts again from the accepted state
                ++cutbacks;
                ++result.cutbacks;
                increment *= settings.cutback;
                if (increment < step.min_increment) {
                    result.reason = "step '" + step.name + "' stopped at " +
                                    std::to_string(fraction) + " of its load: " +
                                    record.newton.reason + "; the increment fell below " +
                                    std::to_string(step.min_increment);
                    result.time_reached = s + fraction;
                    return result;
                }
                continue;
            }
            if (hooks.limit && increment > step.min_increment * (1 + 1e-9)) {
                const double factor = hooks.limit(record, before, state);
                if (factor < 1.0) {
                    state = before;
                    system.history().revert();
                    ++limited;
                    ++result.limited;
                    increment = std::max(step.min_increment, increment * std::max(factor, 1e-3));
                    continue;
                }
            }
            record.cutbacks = cutbacks;
            record.limited = limited;
            cutbacks = 0;
            limited = 0;
            fraction = next;
            ++result.increments;
            result.time_reached = record.time;
            std::optional<std::string> stop;
            if (hooks.settle) {
                stop = hooks.settle(record, state);
                result.iterations += record.re_equilibration_iterations;
            }
            system.commit(state); // the accepted increment: element state and time-step start
            if (hooks.on_converged) hooks.on_converged(record, state);
            if (stop) {
                result.reason = *stop;
                result.stopped_by_hook = true;
                return result;
            }
            if (record.newton.iterations <= settings.easy_iterations) {
                increment = std::min(step.max_increment, increment * settings.growth);
            }
        }
        previous_target = step.target;
    }
    result.completed = true;
    return result;
}

} // namespace discsim::solver
