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
#include <stdexcept>

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

// The load history: the planned steps and the solver's steps they hold.
void set_plan(RunModel& m, std::vector<PlannedStep> plan) {
    m.plan = std::move(plan);
    m.steps.clear();
    for (const auto& planned : m.plan)
        m.steps.push_back(planned.step);
}

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
    set_plan(m, plan_steps(scenario));
    if (m.plan.empty()) throw InputError("scenario '" + scenario.name + "' has no steps");
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

namespace {

// Stages 1 and 2 of a run: the model, its system, the initial state and the stepping settings.
// What runs that share their leading steps (SharedRun) share. Built in place: the Model points
// at the mesh, the System at the Model.
struct Disc {
    RunModel m;
    std::unique_ptr<solver::System> system;
    std::unique_ptr<solver::ResultEvaluator> evaluator;
    solver::SteppingSettings settings;
    solver::State initial;
    std::vector<solver::ElementStress> initial_stresses;
    bool timed = false;
    std::string swelling;
    double swelling_time = 0.0;
};

void build_disc(const Scenario& scenario, const RunOptions& options, Disc& d) {
    prepare(scenario, options, d.m);
    d.timed = scenario.timed();
    d.system = std::make_unique<solver::System>(d.m.model);
    solver::System& system = *d.system;
    system.set_factorisation_reuse(options.factorisation_reuse);
    system.set_linearised_tangent(options.linearised_tangent);
    system.set_unsymmetric_solver(system.free_dof_count() >= options.mumps_from
                                      ? options.unsymmetric_solver
                                      : solver::UnsymmetricSolver::umfpack);
    d.evaluator = std::make_unique<solver::ResultEvaluator>(d.m.disc);
    d.initial = system.initial_state();
    solver::SteppingSettings& settings = d.settings;
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
            const std::string key = swelling_key(d.m.disc, materials.str(), options.program_version);
            if (auto cached = load_swelling(key, d.initial)) {
                d.initial = *cached;
                d.swelling = "free swelling: from the cache (" + key + ")";
            } else {
                const auto swelling = solver::free_swelling(d.m.model, d.initial, settings.newton);
                if (!swelling.converged)
                    throw InputError("scenario '" + scenario.name + "': " + swelling.reason +
                                     " (materials: the osmotic pressure is too large for the "
                                     "solid to balance)");
                const bool stored = store_swelling(key, d.initial);
                d.swelling = "free swelling: " + std::to_string(swelling.increments) +
                             " increments, " + std::to_string(swelling.iterations) +
                             " Newton iterations" + (stored ? ", cached (" + key + ")" : "");
            }
            d.swelling_time = since(t0);
        }
    }
    // The initial state's stresses: the reference of the biphasic disc's fluid volumes and
    // fibre strains (its free-swelling state; the elastic disc's is the mesh).
    d.initial_stresses = system.element_stresses(d.initial);
    if (scenario.biphasic()) d.evaluator->set_fluid_reference(d.initial_stresses);
}

// Everything the increments of a run change, apart from its System and its files: a value,
// copied where runs that shared their leading steps part.
struct Path {
    solver::State state;
    RunReport report;
    std::optional<solver::RuptureProgression> progression;
    int increment = 0;
    int converged_iterations = 0; // for the report of an interrupted run
    solver::Increment last;
    solver::LoadState current_load; // of the increment being settled, for the events
    solver::PathResult result;      // counts summed over the parts of the path solved
    bool interrupted = false;
};

Path start_path(const Scenario& scenario, Disc& d) {
    Path p;
    p.state = d.initial;
    p.report.swelling = d.swelling;
    p.report.swelling_time = d.swelling_time;
    if (auto rs = rupture_settings(scenario.rupture)) {
        // The biphasic disc's fibre strains count from its initial (swollen) state.
        if (scenario.biphasic())
            for (const auto& s : d.initial_stresses)
                rs->initial_stretch.push_back(s.fibre_stretch);
        p.progression.emplace(*d.system, *rs, d.settings.newton, solver::RuptureEventSink{});
    }
    return p;
}

// Stages 3 to 5 of a run: the increments of some of its steps, solved from a Path into outputs.
class Runner {
public:
    Runner(Disc& d, const Scenario& scenario, const RunModel& plan, const RunOptions& options,
           RunOutputs& outputs, Path& path, Clock::time_point start)
        : d_(d), system_(*d.system), scenario_(scenario), plan_(plan), options_(options),
          outputs_(outputs), p_(path), start_(start), no_damage_(d.m.disc.cells.size(), 0.0),
          never_(d.m.disc.cells.size(), -1) {
        if (p_.progression) {
            p_.progression->set_sink([this](solver::RuptureEvent& event, const solver::State& s) {
                EventRecord record;
                record.index = static_cast<int>(outputs_.events().size()) + 1;
                record.step_name = plan_.steps[event.step].name;
                const auto g = d_.evaluator->evaluate(system_, s, system_.element_stresses(s));
                record.rotation_deg = g.rotation_deg;
                record.idp_mean = g.idp_mean;
                record.event = event;
                record.load = p_.current_load;
                if (d_.timed) record.time_s = plan_.plan[event.step].time_at(event.step_fraction);
                outputs_.add_event(record, s);
                if (options_.on_event) options_.on_event(outputs_.events().back());
            });
        }
    }

    void write_fields(int index, double time, const solver::State& s,
                      const std::vector<solver::ElementStress>& stresses) {
        outputs_.write_fields(index, time, s, stresses,
                              p_.progression ? p_.progression->damage() : no_damage_,
                              p_.progression ? p_.progression->ruptured_at() : never_);
    }

    /// Solves planned steps [first, end); true when they all completed.
    bool solve(int first, int end) {
        const int vtu_every = scenario_.output.vtu_every;
        solver::IncrementHooks hooks;
        auto& progression = p_.progression;
        if (progression) {
            hooks.limit = [&](const solver::Increment&, const solver::State& before,
                              const solver::State& after) {
                return progression->limit(before, after);
            };
            hooks.settle = [&](solver::Increment& inc, solver::State& s) {
                p_.current_load = inc.load;
                return progression->settle(inc, s, p_.increment + 1);
            };
        }
        hooks.on_converged = [&](const solver::Increment& inc, const solver::State& s) {
            RunReport& report = p_.report;
            ++p_.increment;
            p_.last = inc;
            p_.converged_iterations += inc.newton.iterations + inc.re_equilibration_iterations;
            report.re_equilibrations += inc.re_equilibrations;
            const auto stresses = system_.element_stresses(s);
            // Loads carried at the vertebra need the last assembly at this state.
            system_.assemble(s, inc.load, false);
            const auto g = d_.evaluator->evaluate(system_, s, stresses, inc.load.time_step);
            const bool step_end = inc.step_fraction >= 1.0 - 1e-12;
            const int ruptured = progression ? progression->ruptured_count() : 0;
            if (inc.step == 0 && step_end) report.first_step = g;
            if (step_end)
                report.step_ends.push_back(
                    {inc.step, plan_.plan[inc.step].scenario_step, g, ruptured});
            report.last = g;
            report.max_fibre_strain = p_.increment == 1
                                          ? g.max_fibre_strain
                                          : std::max(report.max_fibre_strain, g.max_fibre_strain);
            const PlannedStep& planned = plan_.plan[inc.step];
            const double time_s = d_.timed ? planned.time_at(inc.step_fraction)
                                           : std::numeric_limits<double>::quiet_NaN();
            outputs_.add_row({p_.increment, &inc, &planned, time_s, &g, ruptured,
                              progression ? progression->deepest() : 0.0, since(start_)});
            const bool eventful = inc.re_equilibrations > 0;
            if ((vtu_every > 0 && p_.increment % vtu_every == 0) || step_end || eventful) {
                // ParaView's time: seconds with durations, the load history coordinate otherwise.
                write_fields(p_.increment, d_.timed ? time_s : inc.time, s, stresses);
            }
            if (options_.on_progress) {
                Progress pr;
                pr.planned_step = inc.step;
                pr.planned_steps = static_cast<int>(plan_.steps.size());
                pr.step_name = plan_.steps[inc.step].name;
                pr.step_fraction = inc.step_fraction;
                pr.increments = p_.increment;
                pr.newton_iterations = inc.newton.iterations;
                pr.elapsed = since(start_);
                const double covered = inc.time / plan_.steps.size();
                pr.remaining = covered > 0 ? pr.elapsed * (1 - covered) / covered : 0.0;
                options_.on_progress(pr);
            }
            if (options_.should_stop && options_.should_stop()) {
                char where[256];
                std::snprintf(where, sizeof where,
                              "interrupted after increment %d (step '%s' at %.3g of its load)",
                              p_.increment, plan_.steps[inc.step].name.c_str(), inc.step_fraction);
                throw Interrupted{where};
            }
        };
        solver::PathResult part;
        try {
            const std::vector<solver::Step> steps(plan_.steps.begin(), plan_.steps.begin() + end);
            part = solver::solve_steps(system_, p_.state, steps, d_.settings, hooks,
                                       solver::unloaded(), first);
            p_.result.increments += part.increments;
            p_.result.iterations += part.iterations;
        } catch (const Interrupted& stop) {
            p_.interrupted = true;
            part.reason = stop.where;
            p_.result.increments = p_.increment;
            p_.result.iterations = p_.converged_iterations;
        }
        p_.result.cutbacks += part.cutbacks;
        p_.result.limited += part.limited;
        p_.result.completed = part.completed;
        p_.result.reason = part.reason;
        p_.result.time_reached = part.time_reached;
        p_.result.stopped_by_hook = part.stopped_by_hook;
        return part.completed;
    }

    /// Stage 5, the outcome.
    RunReport finish() {
        RunReport& report = p_.report;
        const solver::PathResult& result = p_.result;
        report.outcome = outcome_of(result, p_.interrupted, p_.progression);
        if (report.outcome == RunOutcome::unstable_failure && !result.stopped_by_hook) {
            p_.current_load = p_.last.load;
            p_.progression->unstable_failure(p_.last, p_.increment, p_.state, result.reason);
        }
        outputs_.close_events();
        report.events = outputs_.events();
        if (p_.progression) report.ruptured = p_.progression->ruptured_count();
        report.limited = result.limited;
        report.completed = result.completed;
        report.reason = result.reason;
        report.increments = result.increments;
        report.iterations = result.iterations;
        report.cutbacks = result.cutbacks;
        report.solver_times = system_.times();
        report.linear_solver = std::string(system_.linear_solver_name());
        outputs_.status(status_text(report));
        report.output_time = outputs_.seconds();
        report.wall_time = since(start_);
        return report;
    }

private:
    Disc& d_;
    solver::System& system_;
    const Scenario& scenario_;
    const RunModel& plan_; // the steps: of this run's own scenario
    const RunOptions& options_;
    RunOutputs& outputs_;
    Path& p_;
    Clock::time_point start_;
    const std::vector<double> no_damage_;
    const std::vector<int> never_;
};

std::string resolved_yaml(const Scenario& scenario, const RunOptions& options) {
    return "# resolved by " + options.program_version + "\n" + to_yaml(scenario);
}

// Two planned steps that run the same: every field the stepping or the outputs read.
bool same_load(const solver::LoadState& a, const solver::LoadState& b) {
    return a.force == b.force && a.moment == b.moment && a.follower_force == b.follower_force &&
           a.rp_displacement == b.rp_displacement && a.rp_rotation == b.rp_rotation &&
           a.prescribed_scale == b.prescribed_scale && a.pressure == b.pressure &&
           a.time_step == b.time_step && a.osmotic_scale == b.osmotic_scale;
}
bool same_step(const PlannedStep& a, const PlannedStep& b) {
    const solver::Step &x = a.step, &y = b.step;
    return x.name == y.name && same_load(x.target, y.target) &&
           x.initial_increment == y.initial_increment && x.min_increment == y.min_increment &&
           x.max_increment == y.max_increment && x.duration == y.duration &&
           a.scenario_step == b.scenario_step && a.cycle == b.cycle && a.phase == b.phase &&
           a.hold_time == b.hold_time && a.start_time == b.start_time && a.duration == b.duration;
}


} // namespace

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
    const auto start = Clock::now();
    Disc d;
    build_disc(scenario, options, d);
    // Stage 2, the outputs.
    RunOutputs outputs(options.output, d.m.disc, *d.evaluator, d.timed,
                       resolved_yaml(scenario, options),
                       scenario.biphasic() ? d.system.get() : nullptr);
    Path path = start_path(scenario, d);
    Runner runner(d, scenario, d.m, options, outputs, path, start);
    runner.write_fields(0, 0.0, path.state, d.initial_stresses);
    runner.solve(0, static_cast<int>(d.m.steps.size()));
    return runner.finish();
}

StepSharing step_sharing(const Scenario& scenario) {
    StepSharing sharing;
    // The scenario without what does not change how it solves: its name, description and
    // steps; with what the steps decide for the whole run.
    Scenario setting = scenario;
    setting.name.clear();
    setting.description.clear();
    setting.steps.clear();
    const auto surface = scenario.pressure_surface();
    sharing.setting = to_yaml(setting) + "# source: " + scenario.source.string() +
                      "\n# timed: " + (scenario.timed() ? "yes" : "no") + "\n# pressure surface: " +
                      (surface ? std::to_string(static_cast<int>(*surface)) : "none") + "\n";
    sharing.plan = plan_steps(scenario);
    return sharing;
}

int shared_steps(const StepSharing& a, const StepSharing& b) {
    if (a.setting != b.setting) return 0;
    int k = 0;
    while (k < static_cast<int>(std::min(a.plan.size(), b.plan.size())) &&
           same_step(a.plan[k], b.plan[k]))
        ++k;
    return k;
}

int shared_steps(const Scenario& a, const Scenario& b) {
    return shared_steps(step_sharing(a), step_sharing(b));
}

struct SharedRun::Impl {
    Scenario scenario;
    StepSharing sharing; // of the scenario
    RunOptions options;
    int steps = 0;
    Disc disc;
    std::optional<RunOutputs> kept;
    std::optional<Path> path; // where the shared steps ended
    std::optional<solver::System::Snapshot> snapshot;
    double elapsed = 0.0; // s to solve the shared steps
    std::string reason;   // why runs cannot go on from them
};

SharedRun::SharedRun(const Scenario& scenario, int steps, const RunOptions& options)
    : impl_(std::make_unique<Impl>()) {
    const auto start = Clock::now();
    Impl& s = *impl_;
    s.scenario = scenario;
    s.sharing = step_sharing(scenario);
    s.options = options;
    // Told of nothing: each run that goes on from these steps is told of their events.
    s.options.output.clear();
    s.options.on_progress = {};
    s.options.on_event = {};
    s.options.should_stop = {};
    s.steps = steps;
    build_disc(scenario, options, s.disc);
    if (steps < 1 || steps > static_cast<int>(s.disc.m.steps.size()))
        throw std::invalid_argument("SharedRun: " + std::to_string(steps) +
                                    " shared steps of a scenario of " +
                                    std::to_string(s.disc.m.steps.size()));
    s.kept.emplace(s.disc.m.disc, *s.disc.evaluator, s.disc.timed,
                   scenario.biphasic() ? s.disc.system.get() : nullptr);
    s.path.emplace(start_path(scenario, s.disc));
    {
        Runner runner(s.disc, scenario, s.disc.m, s.options, *s.kept, *s.path, start);
        runner.write_fields(0, 0.0, s.path->state, s.disc.initial_stresses);
        if (!runner.solve(0, steps)) {
            s.reason = "the shared steps did not complete: " + s.path->result.reason;
        }
    }
    if (s.reason.empty()) {
        s.snapshot = s.disc.system->snapshot();
        if (!s.snapshot) s.reason = "the factorisation held (" +
                                    std::string(s.disc.system->linear_solver_name()) +
                                    ") cannot be copied";
    }
    s.elapsed = since(start);
}

SharedRun::~SharedRun() = default;

bool SharedRun::ready() const { return impl_->snapshot.has_value(); }
const std::string& SharedRun::reason() const { return impl_->reason; }

RunReport SharedRun::run(const Scenario& scenario, const RunOptions& options) {
    Impl& s = *impl_;
    if (!ready()) return run_scenario(scenario, options);
    StepSharing sharing = step_sharing(scenario);
    if (shared_steps(s.sharing, sharing) < s.steps)
        throw std::invalid_argument("SharedRun::run: scenario '" + scenario.name +
                                    "' does not share the first " + std::to_string(s.steps) +
                                    " steps of '" + s.scenario.name + "'");
    // This run's own steps (all after the shared ones) and the mesh with its own metadata.
    RunModel own;
    set_plan(own, std::move(sharing.plan));
    mesh::HexMesh disc = s.disc.m.disc;
    disc.metadata["scenario"] = scenario.name;
    disc.metadata["generator"] = options.program_version;
    // Its clock starts as if it had solved the shared steps itself.
    const auto start =
        Clock::now() - std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(s.elapsed));
    RunOutputs outputs = s.kept->branch(options.output, disc, resolved_yaml(scenario, options));
    Path path = *s.path;
    s.disc.system->restore(*s.snapshot);
    Runner runner(s.disc, scenario, own, options, outputs, path, start);
    if (options.on_event)
        for (const auto& e : outputs.events())
            options.on_event(e);
    runner.solve(s.steps, static_cast<int>(own.steps.size()));
    return runner.finish();
}

} // namespace discsim::scenarios
