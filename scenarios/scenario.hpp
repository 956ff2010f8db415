// A scenario: what a researcher writes in a YAML file (docs/scenarios.md) to run discsim: the
// disc (segment and mesh, or a mesh file), materials, named load steps, rupture threshold and
// output requests. Plain data in the units users quote (N, N m, mm, degrees, kg, seconds);
// `plan_steps` turns it into the solver's load history in internal units (N, N mm, rad).
//
// Load semantics: a step lists the loads it ends at; each is ramped linearly from its value at
// the end of the previous step. A load a step does not mention keeps its previous value (so a
// preload persists into the activity); set it to 0 to release it.
#pragma once

#include "materials/hyperelastic.hpp"
#include "mesh/disc_geometry.hpp"
#include "solver/disc_biphasic.hpp"
#include "solver/disc_model.hpp"
#include "solver/rupture.hpp"
#include "solver/stepping.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace discsim::scenarios {

/// Where something was written in the scenario file (1-based), for error messages.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

struct MeshSpec {
    mesh::Segment segment = mesh::Segment::L4_L5;
    mesh::Resolution resolution = mesh::Resolution::medium;
    /// Disc parameter overrides (keys of mesh::disc_parameter_specs()), in file order.
    std::vector<std::pair<std::string, double>> geometry;
    /// A disc mesh file (.vtu, docs/mesh.md) instead of the generated one; a relative path is
    /// relative to the scenario file's folder.
    std::optional<std::filesystem::path> file;
};

/// Region keys of the `materials` block beyond the named set's overrides (docs/scenarios.md).
struct RegionSpec {
    /// An explicit definition (the region block names a `model`): replaces the set's.
    std::optional<solver::RegionMaterial> definition;
    // Without a model: changes to the set's definition.
    std::optional<solver::Distribution> bulk_modulus; ///< MPa
    std::optional<materials::VolumetricForm> volumetric;
    std::optional<solver::Distribution> fibre_angle; ///< deg (annulus)
};

/// The model of the disc: a dry hyperelastic solid, or a charged, fluid-saturated one
/// (PHYSICS.md section 8, solver/disc_biphasic.hpp).
enum class Formulation { elastic, biphasic };

/// What the biphasic disc starts from: its free-swelling equilibrium, or the unswollen mesh.
enum class InitialState { free_swelling, reference };

/// K / mu of the drained skeleton of the biphasic disc when the scenario gives none: a drained
/// Poisson's ratio of 0.2 (K / mu = 2 (1 + nu) / (3 (1 - 2 nu)) = 4/3). A choice within the
/// 0.1-0.3 reported for disc tissue, not a calibration (docs/model.md section 9).
inline constexpr double drained_bulk_to_shear = 4.0 / 3.0;

/// The fibre invariant of the biphasic disc's annulus when the scenario gives none: the full
/// one. Isochoric fibres carry no mean stress, so a compressible drained skeleton can hold at
/// most 3K/e along them (0.40 MPa here) and the annulus in fibre tension imbibes without bound
/// (PHYSICS.md section 3, Nolan et al. 2014; tests/test_materials.cpp, docs/model.md section 9).
inline constexpr materials::FibreInvariant drained_fibre_invariant = materials::FibreInvariant::full;

/// The biphasic disc's annulus fibres when the scenario gives no k1_scale / k2_scale: Gruber et
/// al. 2024's regional k1 and k2 (calibrated on Heuer 2007 with a dry disc, no pre-stress)
/// scaled so that the swollen, pre-stressed disc meets the same Heuer 2007 ranges of motion
/// (docs/model.md section 9 records the fit and the published range it stays in).
inline constexpr double drained_k1_scale = 0.3;
inline constexpr double drained_k2_scale = 0.7;

/// The default formulation of a scenario that names none: the biphasic disc (issue 11). An
/// equilibrium study names `formulation: elastic`.
inline constexpr Formulation default_formulation = Formulation::biphasic;

struct MaterialSpec {
    // The defaults below that depend on the formulation are the biphasic disc's; set_formulation
    // gives the elastic disc's.
    Formulation formulation = default_formulation;
    InitialState initial_state = InitialState::free_swelling;
    /// The fluid phase of the biphasic formulation: permeabilities, fixed charges, the bath (and
    /// the boundaries, read from the `boundaries` block).
    solver::DiscFluid fluid;
    solver::AnnulusGround annulus_ground = solver::AnnulusGround::neo_hookean_gruber2024;
    materials::FibreInvariant fibre_invariant = drained_fibre_invariant;
    double bulk_to_shear = drained_bulk_to_shear; ///< K / mu, both regions
    // Overrides of the defaults (docs/solver.md); absent = default.
    std::optional<double> nucleus_c10, nucleus_c01; ///< MPa
    std::optional<double> annulus_c10, annulus_c01; ///< MPa (c01 only with Mooney-Rivlin ground)
    std::optional<double> annulus_kappa;
    double annulus_k1_scale = drained_k1_scale; ///< multiplies the regional k1 of Gruber et al. 2024
    double annulus_k2_scale = drained_k2_scale; ///< multiplies the regional k2
    RegionSpec nucleus, annulus;
};

/// The defaults that depend on the formulation: K / mu, the fibre invariant and the fibre scales
/// (the elastic disc's: 1000, isochoric, 1 and 1, Gruber et al. 2024's calibration; the biphasic
/// disc's: the drained skeleton's above), on either set of options that carries them
/// (MaterialSpec, solver::DiscMaterialOptions: the same member names).
template <class Options> void set_formulation_defaults(Options& o, Formulation formulation) {
    const bool biphasic = formulation == Formulation::biphasic;
    o.bulk_to_shear = biphasic ? drained_bulk_to_shear : materials::default_bulk_to_shear;
    o.fibre_invariant = biphasic ? drained_fibre_invariant : materials::FibreInvariant::isochoric;
    o.annulus_k1_scale = biphasic ? drained_k1_scale : 1.0;
    o.annulus_k2_scale = biphasic ? drained_k2_scale : 1.0;
}

/// Sets the formulation and its defaults. Call it before reading the overrides.
inline void set_formulation(MaterialSpec& spec, Formulation formulation) {
    spec.formulation = formulation;
    set_formulation_defaults(spec, formulation);
}

/// The materials that run: the named set with its overrides, or the explicit definitions.
solver::DiscMaterials resolve_materials(const MaterialSpec& spec);

using RuptureCriterion = solver::RuptureCriterion;

/// The annulus rupture model (PHYSICS.md section 6, solver/rupture_progression.hpp).
struct RuptureSpec {
    bool enabled = true;
    RuptureCriterion criterion = RuptureCriterion::fibre_strain;
    std::optional<double> threshold; ///< fibre strain (1) or stress (MPa); absent = default
    double residual_stiffness = 0.01; ///< stiffness fraction a ruptured element keeps
    bool stop_at_herniation = true;   ///< end the run at the first herniation event
    /// The threshold in force: the given one or the criterion's default.
    double threshold_value() const {
        return threshold ? *threshold : solver::default_threshold(criterion);
    }
};

struct OutputSpec {
    /// Write the stress fields (.vtu) every this many converged increments; 0 = only at the
    /// end of each step. results.csv always gets every converged increment.
    int vtu_every = 1;
};

/// A lift described by the person (issue "Scenario files": lifting). Converted into disc
/// compression and flexion moment by the static trunk model of scenarios/activity_loads.hpp.
struct Lifting {
    double load_mass = 0.0;      ///< kg held in the hands
    double trunk_flexion = 0.0;  ///< degrees of forward trunk inclination from upright
    double load_distance = 0.0;  ///< mm, horizontal distance of the load from the disc
    double body_mass = 75.0;     ///< kg
};

/// Axial traction at a pull angle in the sagittal plane.
struct Traction {
    std::optional<double> force;               ///< N
    std::optional<double> body_weight_fraction; ///< of body_mass * g, instead of force
    double body_mass = 75.0;                   ///< kg
    double angle = 0.0; ///< degrees in the sagittal plane from the spine's axis, + anterior
};

/// Intermittent application of a step's loads: ramp up, hold, ramp down to the previous
/// step's loads, rest; `count` times. The biphasic disc integrates hold and rest in time; the
/// elastic one is quasi-static and only records them.
struct Cycles {
    int count = 1;
    double hold = 0.0; ///< s
    double rest = 0.0; ///< s
};

/// A uniform pressure on a named surface of the disc: a dead load on the surface's faces in the
/// reference configuration, positive pushing against the outward normal of each face's element
/// (so a positive pressure on the outer wall squeezes the disc, one on the superior endplate
/// pushes the vertebra down). One surface per scenario.
struct SurfacePressure {
    mesh::Surface surface = mesh::Surface::outer_wall;
    double value = 0.0; ///< MPa
};

/// The loads a step ends at. Components are optional: absent = carried over.
/// Anatomical axes (PHYSICS.md section 1): x anterior, y left, z cranial; flexion = +y,
/// right lateral bending = +x, left axial rotation = +z.
struct StepLoads {
    std::array<std::optional<double>, 3> moment;       ///< N m about x, y, z
    std::optional<double> follower_compression;        ///< N, >= 0, along the body axis
    std::array<std::optional<double>, 3> force;        ///< N, global x, y, z
    std::array<std::optional<double>, 3> rotation;     ///< degrees, prescribed, about x, y, z
    std::array<std::optional<double>, 3> displacement; ///< mm, prescribed, x, y, z
    std::optional<Lifting> lifting;
    std::optional<Traction> traction;
    std::optional<SurfacePressure> pressure;
};

/// The biphasic disc's default time steps (s): the first after every change of load, and the
/// smallest a cut back may reach. Steps grow by 1.5 after easy increments up to the step's length.
inline constexpr double default_initial_time_step = 1.0;
inline constexpr double default_min_time_step = 1e-3;

struct StepSpec {
    std::string name;
    StepLoads loads;
    // Fractions of the step; the solver's defaults (solver/stepping.hpp).
    double initial_increment = solver::Step{}.initial_increment;
    double min_increment = solver::Step{}.min_increment;
    double max_increment = solver::Step{}.max_increment;
    std::optional<Cycles> cycles;
    /// Physical time (s): the step lasts `duration`; its loads ramp over `ramp` (default: the
    /// whole duration) and then hold. The elastic model is time-independent, so time changes
    /// nothing it computes; results and the .pvd then carry time in seconds.
    std::optional<double> duration;
    std::optional<double> ramp;
    /// s: the time steps of a biphasic model (absent: the defaults of the time_step keys);
    /// elastic models step by `increments`.
    std::optional<double> time_step_initial, time_step_min, time_step_max;
    SourceLocation where;
};

struct Scenario {
    std::string name;
    std::string description;
    std::filesystem::path source; ///< the file it was read from (empty if built in code)
    MeshSpec mesh;
    MaterialSpec materials;
    RuptureSpec rupture;
    OutputSpec output;
    std::vector<StepSpec> steps;
    /// The surface the steps' pressure acts on, if any step gives one.
    std::optional<mesh::Surface> pressure_surface() const {
        for (const auto& s : steps)
            if (s.loads.pressure) return s.loads.pressure->surface;
        return std::nullopt;
    }
    /// Whether the steps have physical durations (then every step has one, or is cycled).
    bool timed() const {
        for (const auto& s : steps)
            if (s.duration || (biphasic() && s.cycles && s.cycles->hold > 0 && s.cycles->rest > 0))
                return true;
        return false;
    }
    bool biphasic() const { return materials.formulation == Formulation::biphasic; }
};

} // namespace discsim::scenarios
