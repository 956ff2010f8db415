#include "scenarios/run.hpp"

#include "materials/core/atomic_file.hpp"
#include "materials/core/error.hpp"
#include "mesh/disc_mesher.hpp"
#include "mesh/vtk_io.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/disc_model.hpp"
#include "solver/results.hpp"
#include "solver/stepping.hpp"

#include <chrono>
#include <cstdio>
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

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

const char* csv_header =
    "increment,step,step_name,cycle,phase,phase_time_s,step_fraction,time,"
    "force_x_N,force_y_N,force_z_N,follower_compression_N,"
    "right_lateral_bending_moment_Nm,flexion_moment_Nm,left_axial_rotation_moment_Nm,"
    "right_lateral_bending_deg,flexion_deg,left_axial_rotation_deg,"
    "translation_x_mm,translation_y_mm,translation_z_mm,"
    "idp_mean_MPa,idp_centre_MPa,height_change_mm,posterior_bulge_mm,max_fibre_strain,"
    "newton_iterations,wall_time_s\n";

solver::DiscMaterialOptions material_options(const MaterialSpec& m) {
    solver::DiscMaterialOptions o;
    o.annulus_ground = m.annulus_ground;
    o.fibre_invariant = m.fibre_invariant;
    o.bulk_to_shear = m.bulk_to_shear;
    o.nucleus_c10 = m.nucleus_c10;
    o.nucleus_c01 = m.nucleus_c01;
    o.annulus_c10 = m.annulus_c10;
    o.annulus_c01 = m.annulus_c01;
    o.annulus_kappa = m.annulus_kappa;
    o.annulus_k1_scale = m.annulus_k1_scale;
    o.annulus_k2_scale = m.annulus_k2_scale;
    return o;
}

} // namespace

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
    const solver::Model model = solver::disc_model(disc, material_options(scenario.materials));
    const std::vector<PlannedStep> plan = plan_steps(scenario);
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
    auto write_fields = [&](int index, double time, const solver::State& s,
                            const std::vector<solver::ElementStress>& stresses) {
        char name[32];
        std::snprintf(name, sizeof name, "disc_%04d.vtu", index);
        mesh::write_vtu(out / name, disc, evaluator.fields(s, stresses));
        series.push_back({time, name, 0, ""});
        mesh::write_pvd(out / "disc.pvd", series);
    };
    write_fields(0, 0.0, state, system.element_stresses(state));
    write_text_atomically(out / "results.csv", csv);
    report.output_time += since(output_start);

    int increment = 0;
    int converged_iterations = 0; // for the report of an interrupted run
    const int vtu_every = scenario.output.vtu_every;
    solver::SteppingSettings settings;
    solver::PathResult result;
    try {
        result = solver::solve_steps(
        system, state, steps, settings, [&](const solver::Increment& inc, const solver::State& s) {
            const auto t0 = Clock::now();
            ++increment;
            converged_iterations += inc.newton.iterations;
            const auto stresses = system.element_stresses(s);
            // Loads carried at the vertebra need the last assembly at this state.
            system.assemble(s, inc.load, false);
            const auto g = evaluator.evaluate(system, s, stresses);
            const auto& load = inc.load;
            std::ostringstream row;
            const PlannedStep& planned = plan[inc.step];
            row << increment << ',' << inc.step + 1 << ',' << csv_field(steps[inc.step].name) << ','
                << planned.cycle << ',' << planned.phase << ',' << number(planned.hold_time) << ','
                << number(inc.step_fraction) << ',' << number(inc.time) << ','
                << number(load.force.x()) << ',' << number(load.force.y()) << ','
                << number(load.force.z()) << ',' << number(-load.follower_force.z()) << ','
                << number(load.moment.x() / 1000) << ',' << number(load.moment.y() / 1000) << ','
                << number(load.moment.z() / 1000) << ',' << number(g.rotation_deg.x()) << ','
                << number(g.rotation_deg.y()) << ',' << number(g.rotation_deg.z()) << ','
                << number(g.translation.x()) << ',' << number(g.translation.y()) << ','
                << number(g.translation.z()) << ',' << number(g.idp_mean) << ','
                << number(g.idp_centre) << ',' << number(g.height_change) << ','
                << number(g.posterior_bulge) << ',' << number(g.max_fibre_strain) << ','
                << inc.newton.iterations << ',' << number(since(start)) << '\n';
            csv += row.str();
            write_text_atomically(out / "results.csv", csv);
            const bool step_end = inc.step_fraction >= 1.0 - 1e-12;
            if ((vtu_every > 0 && increment % vtu_every == 0) || step_end) {
                write_fields(increment, inc.time, s, stresses);
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
        });
    } catch (const Interrupted& stop) {
        result.completed = false;
        result.reason = stop.where;
        result.increments = increment;
        result.iterations = converged_iterations;
    }
    report.completed = result.completed;
    report.reason = result.reason;
    report.increments = result.increments;
    report.iterations = result.iterations;
    report.cutbacks = result.cutbacks;
    report.solver_times = system.times();
    write_text_atomically(out / "status.txt",
                          report.completed ? "completed\n" : "stopped: " + report.reason + "\n");
    report.wall_time = since(start);
    return report;
}

} // namespace discsim::scenarios
