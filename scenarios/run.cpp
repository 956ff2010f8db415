#include "scenarios/run.hpp"

#include "core/atomic_file.hpp"
#include "scenarios/csv_text.hpp"
#include "core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/vtk_io.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/disc_model.hpp"
#include "solver/results.hpp"
#include "solver/stepping.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <cstdint>
#include <cstdio>
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

std::string number(double value) { return csv_number(value); }

/// Physical time in s, empty for a scenario without durations (NaN).
std::string seconds_field(double seconds) { return std::isnan(seconds) ? "" : csv_number(seconds); }

// The applied loads and the vertebra's rotation, in results.csv and events.csv alike.
const std::string load_columns =
    "force_x_N,force_y_N,force_z_N,follower_compression_N,"
    "right_lateral_bending_moment_Nm,flexion_moment_Nm,left_axial_rotation_moment_Nm,"
    "right_lateral_bending_deg,flexion_deg,left_axial_rotation_deg,";

/// The load_columns fields, each followed by a comma: loads in N and N m, rotations in degrees.
std::string load_fields(const solver::LoadState& load, const solver::Vec3& rotation_deg) {
    std::string out;
    for (double v : {load.force.x(), load.force.y(), load.force.z(), -load.follower_force.z(),
                     load.moment.x() / 1000, load.moment.y() / 1000, load.moment.z() / 1000,
                     rotation_deg.x(), rotation_deg.y(), rotation_deg.z()})
        out += csv_number(v) + ',';
    return out;
}

const std::string csv_header =
    "increment,step,step_name,cycle,phase,phase_time_s,step_fraction,time,time_s," + load_columns +
    "translation_x_mm,translation_y_mm,translation_z_mm,"
    "idp_mean_MPa,idp_centre_MPa,height_change_mm,posterior_bulge_mm,max_fibre_strain,"
    "max_annulus_principal_stress_MPa,ruptured_elements,deepest_fissure_fraction,re_equilibrations,"
    "newton_iterations,wall_time_s\n";

const std::string events_header =
    "event,type,increment,step,step_name,step_fraction,time,time_s," + load_columns +
    "idp_mean_MPa,"
    "centroid_x_mm,centroid_y_mm,centroid_z_mm,sector,sectors,depth_fraction,ruptured_elements,"
    "element_count,elements,detail\n";

/// Every sector an event's elements lie in, in the mesh's order, space-separated: an event
/// spanning the midline names both sides ("left_posterolateral posterior right_posterolateral").
std::string event_sectors(const mesh::HexMesh& disc, const solver::RuptureEvent& e) {
    std::array<bool, mesh::sector_count> seen{};
    for (int c : e.cells) {
        const int s = disc.sector.empty() ? -1 : static_cast<int>(disc.sector[c]);
        if (s >= 0) seen[s] = true;
    }
    std::string out;
    for (int s = 0; s < mesh::sector_count; ++s) {
        if (seen[s]) out += (out.empty() ? "" : " ") + std::string(mesh::sector_name(static_cast<mesh::Sector>(s)));
    }
    return out.empty() ? std::string(mesh::sector_name(e.sector)) : out;
}

std::string event_row(const mesh::HexMesh& disc, const EventRecord& r) {
    const auto& e = r.event;
    std::ostringstream row;
    row << r.index << ',' << solver::event_type_name(e.type) << ',' << e.increment << ','
        << e.step + 1 << ',' << csv_field(r.step_name) << ',' << number(e.step_fraction) << ','
        << number(e.time) << ',' << seconds_field(r.time_s) << ',' << load_fields(r.load, r.rotation_deg) << number(r.idp_mean) << ',' << number(e.centroid.x()) << ',' << number(e.centroid.y())
        << ',' << number(e.centroid.z()) << ',' << mesh::sector_name(e.sector) << ','
        << csv_field(event_sectors(disc, e)) << ',' << number(e.depth) << ',' << e.ruptured << ',' << e.cells.size() << ',';
    for (std::size_t k = 0; k < e.cells.size(); ++k)
        row << (k ? " " : "") << e.cells[k];
    row << ',' << csv_field(e.detail) << '\n';
    return row.str();
}

/// The displacement at an event's point in `state`: the mean over the elements it is located
/// at of their nodal mean, as the point is the mean of those elements' node means.
solver::Vec3 event_displacement(const mesh::HexMesh& disc, const solver::RuptureEvent& e,
                                const solver::State& state) {
    solver::Vec3 u = solver::Vec3::Zero();
    for (int c : e.located_at) {
        for (int n : disc.cells[c])
            u += state.u.segment<3>(3 * n);
    }
    return e.located_at.empty() ? u : u / (8.0 * e.located_at.size());
}

/// The events as a point set: one vertex per event at its centroid in the reference
/// configuration, with the `displacement` there at `state`, so that ParaView's Warp By Vector
/// moves the events with the disc.
void write_events_vtp(const fs::path& path, const mesh::HexMesh& disc,
                      const std::vector<EventRecord>& events, const solver::State& state) {
    std::vector<solver::Vec3> points;
    std::vector<std::int32_t> index, increment, ruptured, count;
    std::vector<double> time, time_s, fraction, idp, depth, follower, force, moment, rotation,
        displacement;
    mesh::PointStrings type{"type", {}}, sector{"sector", {}}, sectors{"sectors", {}},
        step{"step_name", {}}, detail{"detail", {}};
    for (const auto& r : events) {
        const auto& e = r.event;
        points.push_back(e.centroid);
        index.push_back(r.index);
        increment.push_back(e.increment);
        ruptured.push_back(e.ruptured);
        count.push_back(static_cast<std::int32_t>(e.cells.size()));
        time.push_back(e.time);
        time_s.push_back(r.time_s);
        fraction.push_back(e.step_fraction);
        idp.push_back(r.idp_mean);
        depth.push_back(e.depth);
        follower.push_back(-r.load.follower_force.z());
        const solver::Vec3 u = event_displacement(disc, e, state);
        for (int i = 0; i < 3; ++i) {
            force.push_back(r.load.force[i]);
            moment.push_back(r.load.moment[i] / 1000);
            rotation.push_back(r.rotation_deg[i]);
            displacement.push_back(u[i]);
        }
        type.values.push_back(solver::event_type_name(e.type));
        sector.values.push_back(std::string(mesh::sector_name(e.sector)));
        sectors.values.push_back(event_sectors(disc, e));
        step.values.push_back(r.step_name);
        detail.values.push_back(e.detail);
    }
    mesh::write_vtp_points(
        path, points,
        {{"event", 1, {}, std::move(index)},
         {"increment", 1, {}, std::move(increment)},
         {"time", 1, {}, std::move(time)},
         {"time_s", 1, {}, std::move(time_s)},
         {"step_fraction", 1, {}, std::move(fraction)},
         {"idp_mean_MPa", 1, {}, std::move(idp)},
         {"depth_fraction", 1, {}, std::move(depth)},
         {"ruptured_elements", 1, {}, std::move(ruptured)},
         {"element_count", 1, {}, std::move(count)},
         {"follower_compression_N", 1, {}, std::move(follower)},
         {"force_N", 3, {"X", "Y", "Z"}, std::move(force)},
         {"moment_Nm", 3, {"X", "Y", "Z"}, std::move(moment)},
         {"rotation_deg", 3, {"right_lateral_bending", "flexion", "left_axial_rotation"},
          std::move(rotation)},
         {"displacement", 3, {"X", "Y", "Z"}, std::move(displacement)}},
        {type, sector, sectors, step, detail});
}

} // namespace

const char* outcome_name(RunOutcome outcome) {
    switch (outcome) {
    case RunOutcome::completed: return "completed";
    case RunOutcome::herniation: return "herniation";
    case RunOutcome::unstable_failure: return "unstable failure";
    case RunOutcome::not_converged: return "not converged";
    case RunOutcome::interrupted: return "interrupted";
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
    // Everything that can be wrong with the input fails here, before any file is written.
    mesh::HexMesh disc = build_mesh(scenario);
    disc.metadata["scenario"] = scenario.name;
    disc.metadata["generator"] = options.program_version;
    const solver::Model model = solver::disc_model(disc, resolve_materials(scenario.materials));
    // The fibre directions that run (a scenario may set the angle), in the field files too.
    if (!model.fibre_direction_1.empty()) {
        disc.fibre_direction_1 = model.fibre_direction_1;
        disc.fibre_direction_2 = model.fibre_direction_2;
    }
    const std::vector<PlannedStep> plan = plan_steps(scenario);
    const bool timed = scenario.timed();
    if (plan.empty()) throw InputError("scenario '" + scenario.name + "' has no steps");
    std::vector<solver::Step> steps;
    for (const auto& planned : plan)
        steps.push_back(planned.step);
    solver::System system(model);
    const solver::ResultEvaluator evaluator(disc);

    RunReport report;
    const fs::path& out = options.output;
    auto output_start = Clock::now();
    write_text_atomically(out / "scenario.yaml",
                          "# resolved by " + options.program_version + "\n" + to_yaml(scenario));
    write_text_atomically(out / "status.txt", "running\n");

    std::vector<mesh::PvdEntry> series;
    std::string csv = csv_header;
    solver::State state = system.initial_state();
    solver::LoadState current_load; // of the increment being settled, for the events
    solver::SteppingSettings settings;

    // The rupture model and its events.
    const RuptureSpec& rupture = scenario.rupture;
    std::vector<EventRecord>& events = report.events;
    std::string events_csv = events_header;
    const std::vector<double> no_damage(disc.cells.size(), 0.0);
    const std::vector<int> never(disc.cells.size(), -1);
    std::optional<solver::RuptureProgression> progression;
    if (rupture.enabled) {
        solver::RuptureSettings rs;
        rs.criterion = rupture.criterion;
        rs.threshold = rupture.threshold_value();
        rs.residual = rupture.residual_stiffness;
        rs.stop_at_herniation = rupture.stop_at_herniation;
        progression.emplace(system, rs, settings.newton,
                            [&](solver::RuptureEvent& event, const solver::State& s) {
                                EventRecord record;
                                record.index = static_cast<int>(events.size()) + 1;
                                record.step_name = steps[event.step].name;
                                const auto stresses = system.element_stresses(s);
                                const auto g = evaluator.evaluate(system, s, stresses);
                                record.rotation_deg = g.rotation_deg;
                                record.idp_mean = g.idp_mean;
                                record.event = event;
                                record.load = current_load;
                                if (timed) record.time_s = plan[event.step].time_at(event.step_fraction);
                                events.push_back(record);
                                const auto t0 = Clock::now();
                                events_csv += event_row(disc, record);
                                write_text_atomically(out / "events.csv", events_csv);
                                write_events_vtp(out / "events.vtp", disc, events, s);
                                report.output_time += since(t0);
                                if (options.on_event) options.on_event(record);
                            });
    }
    // The last field file written, and how many events its events file holds.
    struct Written {
        double time = 0.0;
        std::string file;
        solver::State state;
        std::size_t events = 0;
    } last_written;
    auto write_fields = [&](int index, double time, const solver::State& s,
                            const std::vector<solver::ElementStress>& stresses) {
        char name[32];
        std::snprintf(name, sizeof name, "disc_%04d.vtu", index);
        mesh::ExtraFields fields = evaluator.fields(s, stresses);
        const auto& damage = progression ? progression->damage() : no_damage;
        const auto& at = progression ? progression->ruptured_at() : never;
        fields.cell_data.push_back({"damage", 1, {}, damage});
        fields.cell_data.push_back(
            {"ruptured_at_step", 1, {}, std::vector<std::int32_t>(at.begin(), at.end())});
        mesh::write_vtu(out / name, disc, fields);
        // Beside every field file, the events that have happened by then, with the
        // displacement at this state: ParaView takes a collection's blocks from its first time
        // step, so every step lists both (an empty point set before the first event).
        char events_name[32];
        std::snprintf(events_name, sizeof events_name, "disc_%04d_events.vtp", index);
        write_events_vtp(out / events_name, disc, events, s);
        series.push_back({time, name, 0, "disc"});
        series.push_back({time, events_name, 1, "events"});
        mesh::write_pvd(out / "disc.pvd", series);
        last_written = {time, name, s, events.size()};
    };
    write_text_atomically(out / "events.csv", events_csv);
    write_events_vtp(out / "events.vtp", disc, events, state);
    write_fields(0, 0.0, state, system.element_stresses(state));
    write_text_atomically(out / "results.csv", csv);
    report.output_time += since(output_start);

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
            const auto t0 = Clock::now();
            ++increment;
            last = inc;
            converged_iterations += inc.newton.iterations + inc.re_equilibration_iterations;
            report.re_equilibrations += inc.re_equilibrations;
            const auto stresses = system.element_stresses(s);
            // Loads carried at the vertebra need the last assembly at this state.
            system.assemble(s, inc.load, false);
            const auto g = evaluator.evaluate(system, s, stresses);
            const bool step_end = inc.step_fraction >= 1.0 - 1e-12;
            if (inc.step == 0 && step_end) report.first_step = g;
            if (step_end) {
                report.step_ends.push_back(
                    {inc.step, g, progression ? progression->ruptured_count() : 0});
            }
            report.last = g;
            report.max_fibre_strain =
                increment == 1 ? g.max_fibre_strain : std::max(report.max_fibre_strain, g.max_fibre_strain);
            std::ostringstream row;
            const PlannedStep& planned = plan[inc.step];
            const double time_s = timed ? planned.time_at(inc.step_fraction)
                                        : std::numeric_limits<double>::quiet_NaN();
            row << increment << ',' << inc.step + 1 << ',' << csv_field(steps[inc.step].name) << ','
                << planned.cycle << ',' << planned.phase << ',' << number(planned.hold_time) << ','
                << number(inc.step_fraction) << ',' << number(inc.time) << ','
                << seconds_field(time_s) << ',' << load_fields(inc.load, g.rotation_deg) << number(g.translation.x()) << ',' << number(g.translation.y()) << ','
                << number(g.translation.z()) << ',' << number(g.idp_mean) << ','
                << number(g.idp_centre) << ',' << number(g.height_change) << ','
                << number(g.posterior_bulge) << ',' << number(g.max_fibre_strain) << ','
                << number(g.max_annulus_principal_stress) << ','
                << (progression ? progression->ruptured_count() : 0) << ','
                << number(progression ? progression->deepest() : 0.0) << ','
                << inc.re_equilibrations << ','
                << inc.newton.iterations + inc.re_equilibration_iterations << ','
                << number(since(start)) << '\n';
            csv += row.str();
            write_text_atomically(out / "results.csv", csv);
            const bool eventful = inc.re_equilibrations > 0;
            if ((vtu_every > 0 && increment % vtu_every == 0) || step_end || eventful) {
                // ParaView's time: seconds with durations, the load history coordinate otherwise.
                write_fields(increment, timed ? time_s : inc.time, s, stresses);
            }
            report.output_time += since(t0);
            if (options.on_progress) {
                Progress p;
                p.planned_step = inc.step;
                p.planned_steps = static_cast<int>(steps.size());
                p.step_name = steps[inc.step].name;
                p.step_fraction = inc.step_fraction;
                p.increments = increment;
                p.newton_iterations = inc.newton.iterations;
                p.elapsed = since(start);
                const double covered = inc.time / steps.size();
                p.remaining = covered > 0 ? p.elapsed * (1 - covered) / covered : 0.0;
                options.on_progress(p);
            }
            if (options.should_stop && options.should_stop()) {
                char where[256];
                std::snprintf(where, sizeof where,
                              "interrupted after increment %d (step '%s' at %.3g of its load)",
                              increment, steps[inc.step].name.c_str(), inc.step_fraction);
                throw Interrupted{where};
            }
        };
    solver::PathResult result;
    bool interrupted = false;
    try {
        result = solver::solve_steps(system, state, steps, settings, hooks);
    } catch (const Interrupted& stop) {
        interrupted = true;
        result.completed = false;
        result.reason = stop.where;
        result.increments = increment;
        result.iterations = converged_iterations;
    }
    if (result.completed) {
        report.outcome = RunOutcome::completed;
    } else if (interrupted) {
        report.outcome = RunOutcome::interrupted;
    } else if (result.stopped_by_hook) {
        report.outcome = progression && progression->herniated() && result.reason == "herniation"
                             ? RunOutcome::herniation
                             : RunOutcome::unstable_failure;
    } else if (progression && progression->ruptured_count() > 0) {
        // The stepping could not carry the next load increment once the annulus had ruptured:
        // the disc has failed, an outcome rather than a numerical breakdown.
        report.outcome = RunOutcome::unstable_failure;
        current_load = last.load;
        progression->unstable_failure(last, increment, state, result.reason);
    } else {
        report.outcome = RunOutcome::not_converged;
    }
    if (events.size() > last_written.events) {
        // Events after the last field file (a herniation ends the run without solving the
        // breached disc; an unstable failure has no converged state of its own): one more time
        // step at the last event, showing the last state solved and every event.
        const double event_time = timed ? events.back().time_s : events.back().event.time;
        const double time = std::max(event_time, last_written.time);
        write_events_vtp(out / "disc_end_events.vtp", disc, events, last_written.state);
        if (time > last_written.time) {
            series.push_back({time, last_written.file, 0, "disc"});
            series.push_back({time, "disc_end_events.vtp", 1, "events"});
        } else {
            series.back().file = "disc_end_events.vtp";
        }
        mesh::write_pvd(out / "disc.pvd", series);
    }
    if (progression) report.ruptured = progression->ruptured_count();
    report.limited = result.limited;
    report.completed = result.completed;
    report.reason = result.reason;
    report.increments = result.increments;
    report.iterations = result.iterations;
    report.cutbacks = result.cutbacks;
    report.solver_times = system.times();
    std::string status = outcome_name(report.outcome);
    if (report.outcome == RunOutcome::herniation) {
        const auto& e = events.back();
        status += " at increment " + std::to_string(e.event.increment) + " (step '" +
                  e.step_name + "' at " + number(e.event.step_fraction) + " of its load)";
    } else if (report.outcome == RunOutcome::interrupted) {
        status = report.reason; // "interrupted after increment N (...)"
    } else if (!report.completed) {
        status += ": " + report.reason;
    }
    write_text_atomically(out / "status.txt", status + "\n");
    report.wall_time = since(start);
    return report;
}

} // namespace discsim::scenarios
