// The pure-moment calibration protocol of Heuer et al. 2007 (J Biomech 40:271): isolated L4-5
// discs (posterior elements and anterior longitudinal ligament removed), pure moments of 1,
// 2.5, 5 and 7.5 N m in flexion, extension, right lateral bending and left axial rotation, no
// preload. The measured medians of 8 specimens, as tabulated by Gruber et al. 2024, ship in
// scenarios/validation/heuer2007_L45_isolated_disc_rom.csv (a copy of shared/validation).
#pragma once

#include "mesh/disc_geometry.hpp"
#include "solver/disc_model.hpp"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace discsim::scenarios {

inline constexpr std::array<const char*, 4> heuer_directions{
    "flexion", "extension", "right_lateral_bending", "left_axial_rotation"};

/// Range of motion (degrees) by moment level and direction.
struct RomTable {
    std::vector<double> moments;            ///< N m
    std::vector<std::array<double, 4>> rom; ///< per moment, in heuer_directions order
};

/// Reads the measured table (comment lines start with '#'). Throws InputError with the file,
/// line and what is wrong.
RomTable read_rom_table(const std::filesystem::path& file);

/// The shipped copy of the measured data.
std::filesystem::path default_heuer_table();

/// Runs the protocol on a disc built from the preset at `resolution` with `materials`, at the
/// moment levels of `reference` (0 skipped). Each direction loads one model in steps through
/// the levels, reusing the symbolic factorisation. Throws if a direction does not converge.
RomTable run_heuer_protocol(mesh::Resolution resolution, const RomTable& reference,
                            const solver::DiscMaterialOptions& materials = {});

} // namespace discsim::scenarios
