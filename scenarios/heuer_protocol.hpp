// The pure-moment calibration protocol of Heuer et al. 2007 (J Biomech 40:271): isolated L4-5
// discs (posterior elements and anterior longitudinal ligament removed), pure moments of 1,
// 2.5, 5 and 7.5 N m in flexion, extension, right lateral bending and left axial rotation, no
// preload. The measured medians of 8 specimens, as tabulated by Gruber et al. 2024, ship in
// scenarios/validation/heuer2007_L45_isolated_disc_rom.csv (a copy of shared/validation).
#pragma once

#include "mesh/disc_geometry.hpp"
#include "solver/disc_biphasic.hpp"
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

/// The in-vitro loading rate of the protocol: 1 degree per second, the rate of the spine
/// tester of Wilke et al. 1994 used by Heuer et al. 2007 (Wilke et al. 1998 recommend 1-5
/// degrees per second for pure-moment tests).
inline constexpr double heuer_rate_deg_per_s = 1.0;

/// The protocol on the biphasic disc (issue 11): free swelling in the bath first, then each
/// moment level ramped in physical time at heuer_rate_deg_per_s, each ramp lasting the measured
/// median's increase of rotation over that level (in degrees) divided by the rate (at least
/// 0.5 s), with no hold. `materials` gets the biphasic disc's defaults of scenario.hpp, as a
/// biphasic scenario without overrides would: the drained skeleton's bulk_to_shear, the full
/// fibre invariant and the fibre scales of its Heuer calibration. Throws if the swelling or a
/// direction does not converge.
RomTable run_heuer_protocol_biphasic(mesh::Resolution resolution, const RomTable& reference,
                                     solver::DiscMaterialOptions materials,
                                     const solver::DiscFluid& fluid);

} // namespace discsim::scenarios
