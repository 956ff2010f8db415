#include "scenarios/run.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/vtk_io.hpp"
#include "scenarios/csv_text.hpp"
#include "scenarios/run_outputs.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/materials_input.hpp"
#include "scenarios/step_plan.hpp"
#include "scenarios/swelling_cache.hpp"
#include "solver/disc_model.hpp"
#include "solver/results.hpp"
#include "solver/stepping.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>

namespace discsim::scenarios {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Thrown from the increment callback to stop a run between increments.
struct Interrupted {
    std::string where;
};
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Stage 1, the model: mesh, materials, load history. Everything that can be wrong with the
// input fails here, before any file is written. Filled in place: the Model points at the mesh.
struct RunModel {
    mesh::HexMesh disc;
    solver::Model model;
    std::vector<PlannedStep> plan;
    std::vector<solver::Step> steps;
};

void prepare(const Scenario& scenario, const RunOptions& options, RunModel& m) {
    m.disc = build_mesh(scenario);
    m.disc.metadata["scenario"] = scenario.name;
    m.disc.metadata["generator"] = options.program_version;
    m.model = solver::disc_model(m.disc, resolve_materials(scenario.materials));
    if (scenario.biphasic()) solver::add_fluid(m.model, m.disc, scenario.materials.fluid);
    // The fibre directions that run (a scenario may set the angle), in the field files too.
    if (!m.model.fibre_direction_1.empty()) {
        m.disc.fibre_direction_1 = m.model.fibre_direction_1;
        m.disc.fibre_direction_2 = m.model.fibre_direction_2;
    }
    // A surface pressure loads the faces of its surface (a dead load on the reference faces).
    if (const auto surface = scenario.pressure_surface())
        m.model.pressure_faces = m.disc.face_set(*surface);
    m.plan = plan_steps(scenario);
    if (m.plan.empty()) throw InputError("scenario '" + scenario.name + "' has no steps");
    for (const auto& planned : m.plan)
        m.steps.push_back(planned.step);
}

std::optional<solver::RuptureSettings> rupture_settings(const RuptureSpec& rupture) {
    if (!rupture.enabled) return std::nullopt;
    solver::RuptureSettings rs;
    rs.criterion = rupture.criterion;
    rs.threshold = rupture.threshold_value();
    rs.residual = rupture.residual_stiffness;
    rs.stop_at_herniation = rupture.stop_at_herniation;
    return rs;
}

// The outcome of the solve: a herniation or an unstable failure ends a run early as a result.
RunOutcome outcome_of(const solver::PathResult& result, bool interrupted,
                      const std::optional<solver::RuptureProgression>& progression) {
    if (result.completed) return RunOutcome::completed;
    if (interrupted) return RunOutcome::interrupted;
    if (result.stopped_by_hook) {
        return progression && progression->herniated() && result.reason == "herniation"
                   ? RunOutcome::herniation
                   : RunOutcome::unstable_failure;
    }
    // The stepping could not carry the next load increment once the annulus had ruptured: the
    // disc has failed, an outcome rather than a numerical breakdown.
    if (progression && progression->ruptured_count() > 0) return RunOutcome::unstable_failure;
    return RunOutcome::not_converged;
}

std::string status_text(const RunReport& report) {
    std::string status = outcome_name(report.outcome);
    if (report.outcome == RunOutcome::herniation) {
        const auto& e = report.events.back();
        status += " at increment " + std::to_string(e.event.increment) + " (step '" + e.step_name +
                  "' at " + csv_number(e.event.step_fraction) + " of its load)";
    } else if (report.outcome == RunOutcome::interrupted) {
        status = report.reason; // "interrupted after increment N (...)"
    } else if (!report.completed) {
        status += ": " + report.reason;
    }
    return status;
}

} // namespace

const char* outcome_name(RunOutcome outcome) {
    switch (outcome) {
    case RunOutcome::completed:
        return "completed";
    case RunOutcome::herniation:
        return "herniation";
    case RunOutcome::unstable_failure:
        return "unstable failure";
    case RunOutcome::not_converged:
        return "not converged";
    case RunOutcome::interrupted:
        return "interrupted";
    }
    return "?";
}

mesh::HexMesh build_mesh(const Scenario& scenario) {
    if (scenario.mesh.file) {
        fs::path file = *scenario.mesh.file;
        if (file.is_relative() && !scenario.source.empty()) {
            file = scenario.source.parent_path() / file;
        }
        return mesh::read_vtu(file);
    }
    mesh::DiscParameters parameters = mesh::preset(scenario.mesh.segment, scenario.mesh.resolution);
    for (const auto& [key, value] : scenario.mesh.geometry)
        mesh::set_parameter(parameters, key, value);
    mesh::HexMesh disc = mesh::generate_disc_mesh(parameters);
    disc.metadata["segment"] = std::string(mesh::segment_name(scenario.mesh.segment));
    disc.metadata["resolution"] = std::string(mesh::resolution_name(scenario.mesh.resolution));
    return disc;
}

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
    const auto start = Clock::now();
    RunModel m;
    prepare(scenario, options, m);
    const bool timed = scenario.timed();
    solver::System system(m.model);
    system.set_factorisation_reuse(options.factorisation_reuse);
    system.set_linearised_tangent(options.linearised_tangent);
    system.set_unsymmetric_solver(system.free_dof_count() >= options.mumps_from
                                      ? options.unsymmetric_solver
                                      : solver::UnsymmetricSolver::umfpack);
    solver::ResultEvaluator evaluator(m.disc);
    solver::State state = system.initial_state();
    solver::SteppingSettings settings;
    RunReport report;
    if (scenario.biphasic()) {
        // The biphasic Newton needs a few more iterations per increment than the elastic one
        // at the same accuracy (the pressure unknowns); growth after up to 6 keeps the time
        // steps growing through holds.
        settings.easy_iterations = 6;
        // Stop on the contraction estimate of the next correction: with the quadratic u-p
        // Newton this saves the iteration that only confirms convergence (a fifth of them on
        // the traction session; docs/solver.md). The elastic disc keeps the confirming
        // iteration: its results are pinned by the regression label at 1e-6, and its targets
        // are met without it.
        settings.newton.contraction_estimate = true;
        // A time step may stretch by up to a quarter to reach the end of its phase instead of
        // leaving a sliver (the 30 s rests of a traction cycle took 5, 7.5, 11.2 and 1.3 s).
        settings.stretch = 1.25;
        if (scenario.materials.initial_state == InitialState::free_swelling) {
            const auto t0 = Clock::now();
            std::ostringstream materials;
            write_materials(materials, scenario.materials);
            const std::string key = swelling_key(m.disc, materials.str(), options.program_version);
            if (auto cached = load_swelling(key, state)) {
                state = *cached;
                report.swelling = "free swelling: from the cache (" + key + ")";
            } else {
                const auto swelling = solver::free_swelling(m.model, state, settings.newton);
                if (!swelling.converged)
                    throw InputError("scenario '" + scenario.name + "': " + swelling.reason +
                                     " (materials: the osmotic pressure is too large for the "
                                     "solid to balance)");
                const bool stored = store_swelling(key, state);
                report.swelling = "free swelling: " + std::to_string(swelling.increments) +
                                  " increments, " + std::to_string(swelling.iterations) +
                                  " Newton iterations" + (stored ? ", cached (" + key + ")" : "");
            }
            report.swelling_time = since(t0);
        }
    }
    // The initial state's stresses: the reference of the biphasic disc's fluid volumes and
    // fibre strains (its free-swelling state; the elastic disc's is the mesh).
    const auto initial_stresses = system.element_stresses(state);
    if (scenario.biphasic()) evaluator.set_fluid_reference(initial_stresses);

    // Stage 2, the outputs.
    RunOutputs outputs(options.output, m.disc, evaluator, timed,
                       "# resolved by " + options.program_version + "\n" + to_yaml(scenario),
                       scenario.biphasic() ? &system : nullptr);

    // Stage 3, the rupture model and its events.
    solver::LoadState current_load; // of the increment being settled, for the events
    const std::vector<double> no_damage(m.disc.cells.size(), 0.0);
    const std::vector<int> never(m.disc.cells.size(), -1);
    std::optional<solver::RuptureProgression> progression;
    if (auto rs = rupture_settings(scenario.rupture)) {
        // The biphasic disc's fibre strains count from its initial (swollen) state.
        if (scenario.biphasic())
            for (const auto& s : initial_stresses)
                rs->initial_stretch.push_back(s.fibre_stretch);
        progression.emplace(
            system, *rs, settings.newton, [&](solver::RuptureEvent& event, const solver::State& s) {
                EventRecord record;
                record.index = static_cast<int>(outputs.events().size()) + 1;
                record.step_name = m.steps[event.step].name;
                const auto g = evaluator.evaluate(system, s, system.element_stresses(s));
                record.rotation_deg = g.rotation_deg;
                record.idp_mean = g.idp_mean;
                record.event = event;
                record.load = current_load;
                if (timed) record.time_s = m.plan[event.step].time_at(event.step_fraction);
                outputs.add_event(record, s);
                if (options.on_event) options.on_event(outputs.events().back());
            });
    }
    auto write_fields = [&](int index, double time, const solver::State& s,
                            const std::vector<solver::ElementStress>& stresses) {
        outputs.write_fields(index, time, s, stresses,
                             progression ? progression->damage() : no_damage,
                             progression ? progression->ruptured_at() : never);
    };
    write_fields(0, 0.0, state, initial_stresses);

    // Stage 4, the solve, increment by increment.
    int increment = 0;
    int converged_iterations = 0; // for the report of an interrupted run
    const int vtu_every = scenario.output.vtu_every;
    solver::Increment last;
    solver::IncrementHooks hooks;
    if (progression) {
        hooks.limit = [&](const solver::Increment&, const solver::State& before,
                          const solver::State& after) { return progression->limit(before, after); };
        hooks.settle = [&](solver::Increment& inc, solver::State& s) {
            current_load = inc.load;
            return progression->settle(inc, s, increment + 1);
        };
    }
    hooks.on_converged = [&](const solver::Increment& inc, const solver::State& s) {
        ++increment;
        last = inc;
        converged_iterations += inc.newton.iterations + inc.re_equilibration_iterations;
        report.re_equilibrations += inc.re_equilibrations;
        const auto stresses = system.element_stresses(s);
        // Loads carried at the vertebra need the last assembly at this state.
        system.assemble(s, inc.load, false);
        const auto g = evaluator.evaluate(system, s, stresses, inc.load.time_step);
        const bool step_end = inc.step_fraction >= 1.0 - 1e-12;
        const int ruptured = progression ? progression->ruptured_count() : 0;
        if (inc.step == 0 && step_end) report.first_step = g;
        if (step_end) report.step_ends.push_back({inc.step, m.plan[inc.step].scenario_step, g, ruptured});
        report.last = g;
        report.max_fibre_strain = increment == 1
                                      ? g.max_fibre_strain
                                      : std::max(report.max_fibre_strain, g.max_fibre_strain);
        const PlannedStep& planned = m.plan[inc.step];
        const double time_s =
            timed ? planned.time_at(inc.step_fraction) : std::numeric_limits<double>::quiet_NaN();
        outputs.add_row({increment, &inc, &planned, time_s, &g, ruptured,
                         progression ? progression->deepest() : 0.0, since(start)});
        const bool eventful = inc.re_equilibrations > 0;
        if ((vtu_every > 0 && increment % vtu_every == 0) || step_end || eventful) {
            // ParaView's time: seconds with durations, the load history coordinate otherwise.
            write_fields(increment, timed ? time_s : inc.time, s, stresses);
        }
        if (options.on_progress) {
            Progress p;
            p.planned_step = inc.step;
            p.planned_steps = static_cast<int>(m.steps.size());
            p.step_name = m.steps[inc.step].name;
            p.step_fraction = inc.step_fraction;
            p.increments = increment;
            p.newton_iterations = inc.newton.iterations;
            p.elapsed = since(start);
            const double covered = inc.time / m.steps.size();
            p.remaining = covered > 0 ? p.elapsed * (1 - covered) / covered : 0.0;
            options.on_progress(p);
        }
        if (options.should_stop && options.should_stop()) {
            char where[256];
            std::snprintf(where, sizeof where,
                          "interrupted after increment %d (step '%s' at %.3g of its load)",
                          increment, m.steps[inc.step].name.c_str(), inc.step_fraction);
            throw Interrupted{where};
        }
    };
    solver::PathResult result;
    bool interrupted = false;
    try {
        result = solver::solve_steps(system, state, m.steps, settings, hooks);
    } catch (const Interrupted& stop) {
        interrupted = true;
        result.completed = false;
        result.reason = stop.where;
        result.increments = increment;
        result.iterations = converged_iterations;
    }

    // Stage 5, the outcome.
    report.outcome = outcome_of(result, interrupted, progression);
    if (report.outcome == RunOutcome::unstable_failure && !result.stopped_by_hook) {
        current_load = last.load;
        progression->unstable_failure(last, increment, state, result.reason);
    }
    outputs.close_events();
    report.events = outputs.events();
    if (progression) report.ruptured = progression->ruptured_count();
    report.limited = result.limited;
    report.completed = result.completed;
    report.reason = result.reason;
    report.increments = result.increments;
    report.iterations = result.iterations;
    report.cutbacks = result.cutbacks;
    report.solver_times = system.times();
    report.linear_solver = std::string(system.linear_solver_name());
    outputs.status(status_text(report));
    report.output_time = outputs.seconds();
    report.wall_time = since(start);
    return report;
}

} // namespace discsim::scenarios
