#include "scenarios/step_plan.hpp"

#include "core/error.hpp"
#include "scenarios/activity_loads.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

namespace discsim::scenarios {

namespace {

constexpr double deg = std::numbers::pi / 180.0;
constexpr const char* axis_name[3] = {"x", "y", "z"};

/// Everything a step's targets are made of, in user units, carried from step to step.
struct LoadBook {
    std::array<double, 3> moment{};                    ///< N m, explicit
    double follower = 0.0;                             ///< N, explicit follower compression
    std::array<double, 3> force{};                     ///< N, explicit
    std::array<std::optional<double>, 3> rotation;     ///< deg, prescribed
    std::array<std::optional<double>, 3> displacement; ///< mm, prescribed
    DiscLoads lifting;                                 ///< the current lifting contribution
    TractionLoads traction;                            ///< the current traction contribution
    double pressure = 0.0;                             ///< MPa, on the scenario's surface
};

std::string step_context(const StepSpec& spec) {
    std::string where;
    if (!spec.where.file.empty()) {
        where = spec.where.file + ":" + std::to_string(spec.where.line) + ":" +
                std::to_string(spec.where.column) + ": ";
    }
    return where + "step '" + spec.name + "'";
}

void apply(LoadBook& book, const StepSpec& spec) {
    const StepLoads& loads = spec.loads;
    for (int i = 0; i < 3; ++i) {
        if (loads.moment[i]) book.moment[i] = *loads.moment[i];
        if (loads.force[i]) book.force[i] = *loads.force[i];
        if (loads.rotation[i]) {
            if (!(std::abs(*loads.rotation[i]) < 180.0)) {
                throw InputError(step_context(spec) + ": rotation about " + axis_name[i] +
                                 ": expected less than 180 deg in magnitude, got " +
                                 std::to_string(*loads.rotation[i]));
            }
            book.rotation[i] = *loads.rotation[i];
        }
        if (loads.displacement[i]) book.displacement[i] = *loads.displacement[i];
    }
    if (loads.follower_compression) book.follower = *loads.follower_compression;
    if (loads.pressure) book.pressure = loads.pressure->value;
    try {
        if (loads.lifting) book.lifting = lifting_loads(*loads.lifting);
        if (loads.traction) book.traction = traction_loads(*loads.traction);
    } catch (const InputError& e) {
        throw InputError(step_context(spec) + ": " + e.what());
    }
}

solver::LoadState target_of(const LoadBook& book) {
    solver::LoadState s;
    for (int i = 0; i < 3; ++i) {
        s.moment[i] = 1000.0 * book.moment[i];
        s.force[i] = book.force[i];
        if (book.rotation[i]) s.rp_rotation[i] = *book.rotation[i] * deg;
        if (book.displacement[i]) s.rp_displacement[i] = *book.displacement[i];
    }
    s.follower_force = solver::Vec3(0.0, 0.0, -(book.follower + book.lifting.compression));
    s.moment.y() += 1000.0 * book.lifting.flexion_moment;
    s.force.x() += book.traction.anterior;
    s.force.z() += book.traction.axial;
    s.pressure = book.pressure;
    return s;
}

solver::Step solver_step(const StepSpec& spec, std::string name, const solver::LoadState& target) {
    solver::Step step;
    step.name = std::move(name);
    step.target = target;
    step.initial_increment = spec.initial_increment;
    step.min_increment = spec.min_increment;
    step.max_increment = spec.max_increment;
    return step;
}

// The biphasic disc steps in time: the step's time-step settings as fractions of its length.
void time_steps(const StepSpec& spec, solver::Step& step) {
    if (!(step.duration > 0.0)) return; // an instantaneous phase steps by increments
    const double D = step.duration;
    const double initial = spec.time_step_initial.value_or(default_initial_time_step);
    const double min = spec.time_step_min.value_or(std::min(default_min_time_step, initial));
    const double max = spec.time_step_max.value_or(D);
    step.max_increment = std::min(1.0, max / D);
    step.initial_increment = std::min(step.max_increment, initial / D);
    step.min_increment = std::min(step.initial_increment, min / D);
}

void check_cycles(const StepSpec& spec, const LoadBook& before, const LoadBook& after) {
    const Cycles& c = *spec.cycles;
    if (c.count < 1) {
        throw InputError(step_context(spec) + ": cycles.count: expected at least 1, got " +
                         std::to_string(c.count));
    }
    if (!(c.hold >= 0) || !(c.rest >= 0)) {
        throw InputError(step_context(spec) + ": cycles: expected hold and rest >= 0 s, got " +
                         std::to_string(c.hold) + " and " + std::to_string(c.rest));
    }
    for (int i = 0; i < 3; ++i) {
        const char* kind = nullptr;
        if (after.rotation[i] && !before.rotation[i]) kind = "rotation";
        if (after.displacement[i] && !before.displacement[i]) kind = "displacement";
        if (kind) {
            throw InputError(step_context(spec) + ": a cycled step cannot start prescribing " +
                             kind + " " + axis_name[i] +
                             " (its rest would have to release it); prescribe it in an earlier "
                             "step, or load with a force or moment");
        }
    }
}

} // namespace

std::vector<PlannedStep> plan_steps(const Scenario& scenario) {
    std::vector<PlannedStep> plan;
    LoadBook book;
    solver::LoadState previous = target_of(book); // unloaded, nothing prescribed
    const bool timed = scenario.timed();
    const bool biphasic = scenario.biphasic();
    double clock = 0.0; // s
    // One phase towards `target` lasting `seconds` (0 when untimed): the ramp, and in a timed
    // scenario with a shorter ramp the hold at constant loads.
    auto phase = [&](const StepSpec& spec, const std::string& name, const solver::LoadState& target,
                     int index, int cycle, const std::string& kind, double hold_time,
                     double seconds) {
        const double ramp = timed && spec.ramp ? std::min(*spec.ramp, seconds) : seconds;
        PlannedStep p{solver_step(spec, name, target), index, cycle, kind, hold_time, clock, ramp};
        p.step.duration = ramp;
        if (biphasic) time_steps(spec, p.step);
        plan.push_back(p);
        clock += ramp;
        if (timed && seconds - ramp > 0.0) {
            PlannedStep hold{solver_step(spec, name + " (held)", target), index, cycle,
                             kind.empty() ? "hold" : kind, hold_time, clock, seconds - ramp};
            hold.step.duration = seconds - ramp;
            // The elastic disc does not change at constant load: one increment. The biphasic
            // one creeps or relaxes, in time steps growing from the initial one.
            if (biphasic)
                time_steps(spec, hold.step);
            else
                hold.step.initial_increment = hold.step.min_increment = hold.step.max_increment = 1.0;
            plan.push_back(hold);
            clock += seconds - ramp;
        }
    };
    for (std::size_t n = 0; n < scenario.steps.size(); ++n) {
        const StepSpec& spec = scenario.steps[n];
        LoadBook next = book;
        apply(next, spec);
        const solver::LoadState target = target_of(next);
        const int index = static_cast<int>(n);
        if (!spec.cycles) {
            phase(spec, spec.name, target, index, 0, "", 0.0, timed ? spec.duration.value_or(0.0) : 0.0);
            book = next;
            previous = target;
            continue;
        }
        check_cycles(spec, book, next);
        for (int k = 1; k <= spec.cycles->count; ++k) {
            const std::string cycle = spec.name + " cycle " + std::to_string(k);
            phase(spec, cycle + " hold", target, index, k, "hold", spec.cycles->hold,
                  timed ? spec.cycles->hold : 0.0);
            phase(spec, cycle + " rest", previous, index, k, "rest", spec.cycles->rest,
                  timed ? spec.cycles->rest : 0.0);
        }
        // The loads end where they started: `book` and `previous` stay as they were.
    }
    return plan;
}

} // namespace discsim::scenarios
