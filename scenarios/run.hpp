// Running a scenario end to end: build the disc and its model, plan the load history, solve it
// increment by increment, and write the results (PHYSICS.md section 7) into one folder:
//   results.csv     one row per converged increment: loads, range of motion by anatomical
//                   name, translations, IDP, disc height change, posterior bulge, maximum
//                   fibre strain, Newton iterations, wall time
//   disc.pvd        ParaView collection of the field files below (time = load history
//                   coordinate: planned step index + fraction of that step)
//   disc_NNNN.vtu   mesh and stress fields at increment NNNN (0 = unloaded)
//   scenario.yaml   the scenario with every default filled in, and the program version
//   status.txt      the outcome: completed, herniation, unstable failure, or where and why
//                   the run stopped
//   events.csv      rupture events (initiation, fissure growth, herniation, unstable failure):
//                   when (increment, step, load factor, loads, rotations), where (centroid,
//                   sector, elements), the IDP and the fissure depth
//   events.vtp      the same events as a point set (one vertex each), for scripts
//   disc_NNNN_events.vtp  beside every field file: the events up to then, with the disc's
//                   displacement at each; disc.pvd lists one at every time step (block "events")
// Every file is written under a temporary name and renamed, and the .pvd and .csv are
// rewritten after every converged increment, so a run that fails or is killed leaves every
// converged increment readable.
#pragma once

#include "scenarios/scenario.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/results.hpp"
#include "solver/rupture_progression.hpp"
#include "solver/system.hpp"

#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>

namespace discsim::scenarios {

struct Progress {
    int planned_step = 0; ///< 0-based index into the planned steps
    int planned_steps = 0;
    std::string step_name;
    double step_fraction = 0.0;
    int increments = 0;        ///< converged so far
    int newton_iterations = 0; ///< of the last increment
    double elapsed = 0.0;      ///< s
    double remaining = 0.0;    ///< s, estimated from the load history covered so far
};

/// A rupture event with the loads and global results at the moment it happened.
struct EventRecord {
    int index = 0; ///< 1-based, in order of occurrence
    solver::RuptureEvent event;
    std::string step_name;
    solver::LoadState load;
    solver::Vec3 rotation_deg = solver::Vec3::Zero(); ///< x right lateral bending, y flexion, z left axial rotation
    double idp_mean = 0.0;            ///< MPa
    /// Physical time (s) of a scenario with durations; NaN otherwise.
    double time_s = std::numeric_limits<double>::quiet_NaN();
    /// Every sector the event's elements lie in, space-separated (both sides of the midline
    /// when it spans it).
    std::string sectors;
};

struct RunOptions {
    std::filesystem::path output;
    std::string program_version; ///< written into scenario.yaml and the .vtu files
    std::function<void(const Progress&)> on_progress;
    /// Asked after every converged increment (its files already written); true stops the run
    /// there, as an interruption (e.g. Ctrl-C), with status.txt saying where.
    std::function<bool()> should_stop;
    /// Told of every rupture event as it happens (its files already written).
    std::function<void(const EventRecord&)> on_event;
    /// How the linear solves factorise (solver/system.hpp); `discsim bench` measures the
    /// default against a factorisation every Newton iteration.
    solver::FactorisationReuse factorisation_reuse;
    /// Newton's tangent of the mean-dilatation elements at their linearised dilatation (the
    /// three-field tangent, solver/hex8.hpp); false: the exact tangent of the condensed
    /// element, which `discsim bench` compares against.
    bool linearised_tangent = true;
    /// The LU of the biphasic tangent (solver/system.hpp). Alone in its process a run takes
    /// MUMPS from mumps_from equations up (measured: MUMPS solves a medium disc's 9,138
    /// equations about a fifth faster than UMFPACK, a coarse disc's a tenth slower); a sweep
    /// running cases at once on threads keeps UMFPACK (MUMPS' process-wide lock).
    solver::UnsymmetricSolver unsymmetric_solver = solver::UnsymmetricSolver::mumps_single;
    int mumps_from = 6000;
};

enum class RunOutcome { completed, herniation, unstable_failure, not_converged, interrupted };
/// "completed", "herniation", "unstable failure", "not converged", "interrupted".
const char* outcome_name(RunOutcome outcome);

struct RunReport {
    /// The load history ran to its end. A herniation or an unstable failure ends it early as a
    /// result, not as an error: the outcome says which.
    bool completed = false;
    RunOutcome outcome = RunOutcome::not_converged;
    std::string reason; ///< where (step, fraction of its load) and why it stopped
    int increments = 0;
    int iterations = 0;
    int cutbacks = 0;
    int limited = 0;           ///< increments retried smaller to land on the rupture threshold
    int re_equilibrations = 0; ///< Newton solves at constant load after rupture
    int ruptured = 0;          ///< ruptured annulus elements at the end
    std::vector<EventRecord> events;
    /// Global results at the end of the first step (the preload of most scenarios) and at the
    /// last converged increment; the largest fibre strain over the run.
    std::optional<solver::GlobalResults> first_step;
    solver::GlobalResults last;
    /// Global results at the end of every planned step reached (full precision; results.csv
    /// prints 6 significant digits), with the ruptured element count then.
    struct StepEnd {
        int step = 0; ///< 0-based planned step
        int scenario_step = 0; ///< 0-based index into Scenario::steps
        solver::GlobalResults results;
        int ruptured = 0;
    };
    std::vector<StepEnd> step_ends;
    double max_fibre_strain = 0.0;
    double wall_time = 0.0;
    double output_time = 0.0; ///< s spent writing files
    /// The biphasic disc's free-swelling initial state: how it was obtained ("" for none).
    std::string swelling;
    double swelling_time = 0.0; ///< s
    solver::PhaseTimes solver_times;
    std::string linear_solver; ///< the tangent's factorisation, e.g. "UMFPACK LU (whole matrix)"
};

/// The disc mesh of a scenario: generated from the preset and overrides, or read from its file.
mesh::HexMesh build_mesh(const Scenario& scenario);

/// Runs `scenario`, writing into options.output. Throws InputError for an invalid scenario or
/// mesh (before anything is solved) and IoError when the output cannot be written; a solve that
/// stops early is reported in the RunReport, not thrown.
RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

/// What shared_steps compares of a scenario, computed once for it (a sweep compares each case
/// with the first case of every group).
struct StepSharing {
    /// Everything but the name, description and steps (mesh, materials, rupture, outputs, the
    /// file it came from, and what the steps decide for the whole run: physical time, the
    /// pressure surface), as text.
    std::string setting;
    std::vector<PlannedStep> plan;
};
StepSharing step_sharing(const Scenario& scenario);

/// How many leading planned steps (step_plan.hpp) `a` and `b` solve alike: 0 unless their
/// settings are equal, else the number of leading planned steps equal in every field. The
/// cases of a sweep that vary only a later step share the steps before it.
int shared_steps(const StepSharing& a, const StepSharing& b);
int shared_steps(const Scenario& a, const Scenario& b);

/// The leading steps that scenarios share (shared_steps), solved once, and each scenario run on
/// from there into its own folder. Each run is the one run_scenario would make, bit for bit:
/// the same results.csv (but its wall times), field files, events and status, because it
/// starts from a copy of everything the shared steps left (the state, the element history and
/// rupture, the System's factorisation, copied by the linear solver) and the outputs those
/// steps would have written are written into its folder first. Its wall time counts the
/// shared steps' time. A sweep runs its cases this way (docs/sweeps.md).
///
/// When the shared steps do not complete, or the factorisation they end with cannot be copied
/// (MUMPS'), run() runs each scenario alone with run_scenario: the same answers, no saving.
class SharedRun {
public:
    /// Builds the disc of `scenario` and solves its first `steps` planned steps (no files are
    /// written). Throws as run_scenario does for an invalid scenario.
    SharedRun(const Scenario& scenario, int steps, const RunOptions& options);
    ~SharedRun();
    SharedRun(const SharedRun&) = delete;
    SharedRun& operator=(const SharedRun&) = delete;

    /// Whether runs go on from the shared steps; else reason() says why not.
    bool ready() const;
    const std::string& reason() const;

    /// Runs `scenario`, which must share the steps (shared_steps(first, scenario) >= steps(),
    /// else std::invalid_argument), into options.output, as run_scenario(scenario, options)
    /// would. The options must solve as the first's did (factorisation and tangent settings,
    /// unsymmetric solver, program version); the folder and callbacks are its own.
    RunReport run(const Scenario& scenario, const RunOptions& options);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace discsim::scenarios
