#include "scenarios/heuer_protocol.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"
#include "mesh/disc_mesher.hpp"
#include "scenarios/scenario.hpp"
#include "solver/rotation.hpp"
#include "solver/stepping.hpp"

#include <algorithm>
#include <fstream>
#include <numbers>
#include <sstream>

#ifndef DISCSIM_DATA_DIR
#define DISCSIM_DATA_DIR "."
#endif

namespace discsim::scenarios {

namespace {
// Unit axis of each direction in the frame of PHYSICS.md section 1.
const std::array<solver::Vec3, 4> direction_axes{solver::Vec3(0, 1, 0), solver::Vec3(0, -1, 0),
                                                 solver::Vec3(1, 0, 0), solver::Vec3(0, 0, 1)};
} // namespace

std::filesystem::path default_heuer_table() {
    return std::filesystem::path(DISCSIM_DATA_DIR) / "validation" /
           "heuer2007_L45_isolated_disc_rom.csv";
}

RomTable read_rom_table(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string() + ": cannot be read");
    RomTable table;
    std::string line;
    int number = 0;
    bool header = true;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');)
            cells.push_back(cell);
        const std::string where = file.string() + ":" + std::to_string(number) + ": ";
        if (header) {
            const std::vector<std::string> expected{"moment_Nm", "flexion_deg", "extension_deg",
                                                    "right_lateral_bending_deg",
                                                    "left_axial_rotation_deg"};
            if (cells != expected) {
                throw InputError(where + "expected the header moment_Nm,flexion_deg,"
                                         "extension_deg,right_lateral_bending_deg,"
                                         "left_axial_rotation_deg");
            }
            header = false;
            continue;
        }
        if (cells.size() != 5) {
            throw InputError(where + "expected 5 values, got " + std::to_string(cells.size()));
        }
        table.moments.push_back(parse_number(where + "moment_Nm", cells[0]));
        std::array<double, 4> rom{};
        for (int d = 0; d < 4; ++d)
            rom[d] = parse_number(where + heuer_directions[d], cells[d + 1]);
        table.rom.push_back(rom);
    }
    if (table.moments.empty()) throw InputError(file.string() + ": no data rows");
    return table;
}

namespace {

// The protocol on `model`: each direction from `start` on a fresh System, in steps through the
// moment levels of `reference`. Timed (a biphasic model): each level ramps in physical time at
// heuer_rate_deg_per_s over the measured median's increase of rotation (at least 0.5 s).
RomTable run_protocol(const solver::Model& model, const RomTable& reference,
                      const solver::State* start, const solver::SteppingSettings& settings,
                      bool timed, const std::string& label) {
    RomTable result;
    std::vector<int> levels;
    for (std::size_t i = 0; i < reference.moments.size(); ++i) {
        result.moments.push_back(reference.moments[i]);
        result.rom.push_back({0, 0, 0, 0});
        if (reference.moments[i] > 0) levels.push_back(static_cast<int>(i));
    }
    for (int d = 0; d < 4; ++d) {
        solver::System system(model);
        solver::State state = start ? *start : system.initial_state();
        const double start_angle = solver::rotation_vector(state.rp_rotation).dot(direction_axes[d]);
        std::vector<solver::Step> steps;
        double previous_rom = 0.0;
        for (int i : levels) {
            solver::Step step;
            step.name = std::string(heuer_directions[d]) + " " +
                        format_number(reference.moments[i]) + " N m";
            step.target.moment = direction_axes[d] * reference.moments[i] * 1000.0; // N mm
            if (timed) {
                step.duration =
                    std::max(reference.rom[i][d] - previous_rom, 0.5) / heuer_rate_deg_per_s;
                previous_rom = reference.rom[i][d];
            }
            steps.push_back(step);
        }
        const auto path = solver::solve_steps(
            system, state, steps, settings, [&](const solver::Increment& inc, const solver::State& s) {
                if (inc.step_fraction < 1.0 - 1e-12) return;
                const double angle =
                    solver::rotation_vector(s.rp_rotation).dot(direction_axes[d]) - start_angle;
                result.rom[levels[inc.step]][d] = angle * 180.0 / std::numbers::pi;
            });
        if (!path.completed) {
            throw std::runtime_error(label + ", " + std::string(heuer_directions[d]) + ": " +
                                     path.reason);
        }
    }
    return result;
}

} // namespace

RomTable run_heuer_protocol(mesh::Resolution resolution, const RomTable& reference,
                            const solver::DiscMaterialOptions& materials) {
    const mesh::HexMesh disc =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, resolution));
    const solver::Model model = solver::disc_model(disc, materials);
    return run_protocol(model, reference, nullptr, {}, false, "Heuer protocol");
}

RomTable run_heuer_protocol_biphasic(mesh::Resolution resolution, const RomTable& reference,
                                     solver::DiscMaterialOptions materials,
                                     const solver::DiscFluid& fluid) {
    const mesh::HexMesh disc =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, resolution));
    set_formulation_defaults(materials, Formulation::biphasic);
    solver::Model model = solver::disc_model(disc, materials);
    solver::add_fluid(model, disc, fluid);
    solver::SteppingSettings settings;
    settings.easy_iterations = 6; // as a biphasic scenario run (scenarios/run.cpp)
    solver::State swollen;
    {
        solver::System system(model);
        swollen = system.initial_state();
        const auto swelling = solver::free_swelling(model, swollen, settings.newton);
        if (!swelling.converged)
            throw std::runtime_error("Heuer protocol, free swelling: " + swelling.reason);
    }
    return run_protocol(model, reference, &swollen, settings, true, "Heuer protocol (biphasic)");
}

} // namespace discsim::scenarios
