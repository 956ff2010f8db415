// The scenario schema's shared declarations: the declared ranges of scenario-level values,
// the anatomical direction names, and the named choices. Used by the reader
// (scenario_yaml.cpp) and the writer (scenario_yaml_writer.cpp) so both spell them the same.
#pragma once

#include "core/parameter.hpp"
#include "scenarios/scenario.hpp"

#include <span>
#include <string>
#include <string_view>

namespace discsim::scenarios::schema {

// ---- declared ranges of the scenario-level values (docs/scenarios.md) ---------------------
// The names are replaced by the key path when a value is checked; the wording of the messages
// is then that of check_parameter, the same as `discsim mesh --set`.
// clang-format off
inline constexpr ParameterSpec follower_spec{.name = "follower_compression", .unit = "N", .min = 0, .max = 10000};
inline constexpr ParameterSpec moment_spec{.name = "moment", .unit = "N m", .min = 0, .max = 100};
inline constexpr ParameterSpec force_spec{.name = "force", .unit = "N", .min = -10000, .max = 10000};
inline constexpr ParameterSpec rotation_spec{.name = "rotation", .unit = "deg", .min = 0, .max = 90};
inline constexpr ParameterSpec displacement_spec{.name = "displacement", .unit = "mm", .min = -20, .max = 20};
inline constexpr ParameterSpec load_mass_spec{.name = "load_mass", .unit = "kg", .min = 0, .max = 100};
inline constexpr ParameterSpec trunk_flexion_spec{.name = "trunk_flexion", .unit = "deg", .min = 0, .max = 120};
inline constexpr ParameterSpec load_distance_spec{.name = "load_distance", .unit = "mm", .min = 0, .max = 1000};
inline constexpr ParameterSpec body_mass_spec{.name = "body_mass", .unit = "kg", .min = 30, .max = 250,
                                       .min_inclusive = false, .max_inclusive = false};
inline constexpr ParameterSpec traction_force_spec{.name = "force", .unit = "N", .min = 0, .max = 5000};
inline constexpr ParameterSpec weight_fraction_spec{.name = "body_weight_fraction", .unit = "1", .min = 0, .max = 1};
inline constexpr ParameterSpec pull_angle_spec{.name = "angle", .unit = "deg", .min = -45, .max = 45};
inline constexpr ParameterSpec cycle_count_spec{.name = "count", .unit = "count", .min = 1, .max = 10000,
                                         .integer = true};
inline constexpr ParameterSpec cycle_time_spec{.name = "hold", .unit = "s", .min = 0, .max = 86400};
inline constexpr ParameterSpec increment_spec{.name = "initial", .unit = "1", .min = 0, .max = 1,
                                       .min_inclusive = false};
inline constexpr ParameterSpec bulk_to_shear_spec{.name = "bulk_to_shear", .unit = "1", .min = 1, .max = 10000};
inline constexpr ParameterSpec k_scale_spec{.name = "k1_scale", .unit = "1", .min = 0, .max = 10};
inline constexpr ParameterSpec vtu_every_spec{.name = "vtu_every", .unit = "count", .min = 0, .max = 10000,
                                       .integer = true};
inline constexpr ParameterSpec strain_threshold_spec{.name = "threshold", .unit = "1", .min = 0, .max = 2,
                                              .min_inclusive = false};
inline constexpr ParameterSpec stress_threshold_spec{.name = "threshold", .unit = "MPa", .min = 0, .max = 100,
                                              .min_inclusive = false};
inline constexpr ParameterSpec fixed_charge_spec{.name = "fixed_charge_density", .unit = "mEq/ml", .min = 0, .max = 1};
inline constexpr ParameterSpec fluid_fraction_spec{.name = "fluid_fraction", .unit = "1", .min = 0, .max = 1,
                                              .min_inclusive = false, .max_inclusive = false};
inline constexpr ParameterSpec k0_spec{.name = "k0", .unit = "mm^4/(N s)", .min = 0, .max = 1,
                                  .min_inclusive = false};
inline constexpr ParameterSpec permeability_M_spec{.name = "M", .unit = "1", .min = 0, .max = 100};
inline constexpr ParameterSpec permeability_alpha_spec{.name = "alpha", .unit = "1", .min = 0, .max = 10};
inline constexpr ParameterSpec bath_osmolarity_spec{.name = "osmolarity", .unit = "Osm", .min = 0, .max = 3,
                                               .min_inclusive = false};
inline constexpr ParameterSpec temperature_spec{.name = "temperature", .unit = "K", .min = 273.15, .max = 373.15};
inline constexpr ParameterSpec osmotic_coefficient_spec{.name = "osmotic_coefficient", .unit = "1", .min = 0,
                                                   .max = 1.5, .min_inclusive = false};
inline constexpr ParameterSpec cartilage_thickness_spec{.name = "thickness", .unit = "mm", .min = 0, .max = 5,
                                                   .min_inclusive = false};
using solver::residual_stiffness_spec; // solver/rupture.hpp: one range for every layer
// clang-format on

// StepSpec's increment defaults, named here because a value the user does not give is
// moved to keep min <= initial <= max (docs/scenarios.md).
inline const double default_initial_increment = StepSpec{}.initial_increment;
inline const double default_min_increment = StepSpec{}.min_increment;
inline const double default_max_increment = StepSpec{}.max_increment;

/// An anatomical direction: the signed component of StepLoads::moment / rotation it sets
/// (PHYSICS.md section 1: x = right lateral bending, y = flexion, z = left axial rotation).
struct Direction {
    std::string_view name;
    int axis;
    double sign;
};
inline constexpr Direction directions[] = {
    {"flexion", 1, +1.0},
    {"extension", 1, -1.0},
    {"right_lateral_bending", 0, +1.0},
    {"left_lateral_bending", 0, -1.0},
    {"left_axial_rotation", 2, +1.0},
    {"right_axial_rotation", 2, -1.0},
};
inline constexpr std::string_view axis_names[] = {"x", "y", "z"};

template <class T> struct Choice {
    std::string_view name;
    T value;
};
inline constexpr Choice<mesh::Resolution> resolutions[] = {{"coarse", mesh::Resolution::coarse},
                                                           {"medium", mesh::Resolution::medium},
                                                           {"fine", mesh::Resolution::fine}};
inline constexpr Choice<solver::AnnulusGround> annulus_grounds[] = {
    {"gruber2024", solver::AnnulusGround::neo_hookean_gruber2024},
    {"schmidt2007", solver::AnnulusGround::mooney_rivlin_schmidt2007}};
inline constexpr Choice<materials::FibreInvariant> fibre_invariants[] = {
    {"isochoric", materials::FibreInvariant::isochoric}, {"full", materials::FibreInvariant::full}};
inline constexpr Choice<materials::VolumetricForm> volumetric_forms[] = {
    {"log_squared", materials::VolumetricForm::log_squared},
    {"quadratic", materials::VolumetricForm::quadratic},
    {"simo_taylor", materials::VolumetricForm::simo_taylor}};
inline constexpr Choice<Formulation> formulations[] = {{"elastic", Formulation::elastic},
                                                      {"biphasic", Formulation::biphasic}};
inline constexpr Choice<InitialState> initial_states[] = {
    {"free_swelling", InitialState::free_swelling}, {"reference", InitialState::reference}};
inline constexpr Choice<solver::PermeabilityLaw> permeability_laws[] = {
    {"holmes_mow", solver::PermeabilityLaw::holmes_mow},
    {"exponential", solver::PermeabilityLaw::exponential},
    {"constant", solver::PermeabilityLaw::constant}};
inline constexpr Choice<solver::Drainage> endplate_drainages[] = {
    {"cartilage", solver::Drainage::cartilage},
    {"drained", solver::Drainage::drained},
    {"sealed", solver::Drainage::sealed}};
inline constexpr Choice<solver::Drainage> wall_drainages[] = {{"drained", solver::Drainage::drained},
                                                              {"sealed", solver::Drainage::sealed}};
inline constexpr Choice<RuptureCriterion> criteria[] = {
    {"fibre_strain", RuptureCriterion::fibre_strain},
    {"max_principal_stress", RuptureCriterion::max_principal_stress}};

template <class T, std::size_t N> std::string_view name_of(const Choice<T> (&choices)[N], T value) {
    for (const auto& c : choices) {
        if (c.value == value) return c.name;
    }
    return choices[0].name;
}

inline std::string join(std::span<const std::string_view> words, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += separator;
        out += words[i];
    }
    return out;
}

/// A YAML double-quoted string: safe for any text (colons, '#', leading spaces, "yes", ...).
inline std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

} // namespace discsim::scenarios::schema
