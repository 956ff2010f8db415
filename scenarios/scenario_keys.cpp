#include "scenarios/scenario_keys.hpp"

#include "materials/hyperelastic.hpp"
#include "mesh/disc_geometry.hpp"
#include "mesh/hex_mesh.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/scenario_yaml_schema.hpp"
#include "solver/disc_materials.hpp"
#include "solver/rupture.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace discsim::scenarios::keys {

namespace {

using namespace schema;

template <class T, std::size_t N> std::vector<std::string> names_of(const Choice<T> (&choices)[N]) {
    std::vector<std::string> out;
    for (const auto& c : choices)
        out.emplace_back(c.name);
    return out;
}

std::vector<std::string> surface_names() {
    std::vector<std::string> out;
    for (int s = 0; s < mesh::surface_count; ++s)
        out.emplace_back(mesh::surface_name(static_cast<mesh::Surface>(s)));
    return out;
}

std::vector<std::string> model_names() {
    std::vector<std::string> out;
    for (const auto& info : solver::solid_models())
        out.emplace_back(info.name);
    return out;
}

constexpr ParameterSpec fibre_angle_range{
    .name = "fibre_angle", .unit = "deg", .min = 0, .max = 90, .max_inclusive = false};
constexpr ParameterSpec pressure_range{.name = "value", .unit = "MPa", .min = -10, .max = 10};
constexpr ParameterSpec duration_range{
    .name = "duration", .unit = "s", .min = 0, .max = 1e9, .min_inclusive = false};

// The fluid keys of a region block (short form, or `annulus` unset for the explicit form).
void add_fluid_keys(std::vector<Key>& k, const std::string& s, std::optional<bool> annulus) {
    const solver::DiscFluid fluid;
    const auto words = [&](double nucleus, double annulus_value) {
        if (!annulus) return format_number(nucleus) + " (nucleus), " + format_number(annulus_value) + " (annulus)";
        return format_number(*annulus ? annulus_value : nucleus);
    };
    k.push_back({.section = s, .name = "permeability", .kind = Kind::mapping,
                 .default_words = "Holmes-Mow, k0 5e-4 mm^4/(N s), M 8.5",
                 .rule = "[permeability](#the-biphasic-disc); biphasic only",
                 .meaning = "the region's strain-dependent permeability"});
    k.push_back({.section = s, .name = "fixed_charge_density", .kind = Kind::number,
                 .range = schema::fixed_charge_spec,
                 .default_words = words(fluid.nucleus.fixed_charge, fluid.annulus.fixed_charge),
                 .rule = "biphasic only",
                 .meaning = "the fixed charge per fluid volume in the reference state (Donnan "
                            "osmotic pressure)"});
    k.push_back({.section = s, .name = "fluid_fraction", .kind = Kind::number,
                 .range = schema::fluid_fraction_spec,
                 .default_words = words(fluid.nucleus.fluid_fraction, fluid.annulus.fluid_fraction),
                 .rule = "biphasic only", .meaning = "the fluid volume fraction in the reference state"});
}

std::vector<Key> declare() {
    const StepSpec step;
    const Lifting lifting;
    const Traction traction;
    const Cycles cycles;
    const RuptureSpec rupture;
    const OutputSpec output;
    const MaterialSpec materials;
    const auto volumetric_names = names_of(volumetric_forms);
    const std::string mesh_ref = "the segment's preset";
    std::string direction_names;
    for (const auto& d : directions)
        direction_names += (direction_names.empty() ? "" : ", ") + ("`" + std::string(d.name) + "`");
    const std::string each_direction = "each of " + direction_names;
    std::vector<Key> k;
    // clang-format off
    // ---- top level ----
    k.push_back({.section = "", .name = "name", .kind = Kind::text, .required = true,
                 .rule = "not empty", .meaning = "the scenario's name, in results and messages"});
    k.push_back({.section = "", .name = "description", .kind = Kind::text, .default_words = "empty",
                 .meaning = "free text, copied to the results"});
    k.push_back({.section = "", .name = "segment", .kind = Kind::choice, .choices = {"L4-5", "L5-S1"},
                 .default_words = "`L4-5`", .rule = "also written `L4-L5`; any letter case",
                 .meaning = "the lumbar segment: its disc geometry and preset"});
    k.push_back({.section = "", .name = "mesh", .kind = Kind::mapping, .default_words = "generated, medium",
                 .rule = "[mesh](#mesh)", .meaning = "a generated disc mesh or a mesh file"});
    k.push_back({.section = "", .name = "materials", .kind = Kind::mapping,
                 .default_words = "the `gruber2024` set", .rule = "[materials](#materials)",
                 .meaning = "the nucleus and annulus materials"});
    k.push_back({.section = "", .name = "boundaries", .kind = Kind::mapping,
                 .default_words = "wall drained, endplates through cartilage",
                 .rule = "[boundaries](#boundaries); biphasic only",
                 .meaning = "how fluid leaves the biphasic disc"});
    k.push_back({.section = "", .name = "rupture", .kind = Kind::mapping,
                 .default_words = "on, fibre strain 0.12", .rule = "[rupture](#rupture)",
                 .meaning = "the annulus rupture model"});
    k.push_back({.section = "", .name = "output", .kind = Kind::mapping, .rule = "[output](#output)",
                 .meaning = "what is written besides the results table"});
    k.push_back({.section = "", .name = "steps", .kind = Kind::list, .required = true,
                 .rule = "at least one step, [steps](#steps)", .meaning = "the load steps, run in order"});
    // ---- mesh ----
    k.push_back({.section = "mesh", .name = "resolution", .kind = Kind::choice,
                 .choices = names_of(resolutions), .default_words = "`medium`",
                 .rule = "the mesh counts of docs/mesh.md", .meaning = "the generated mesh's density"});
    k.push_back({.section = "mesh", .name = "geometry", .kind = Kind::mapping, .default_words = mesh_ref,
                 .rule = "[the disc parameters](#the-disc-parameters)",
                 .meaning = "overrides of the segment's disc parameters"});
    k.push_back({.section = "mesh", .name = "file", .kind = Kind::path,
                 .rule = "an existing `.vtu`; relative to the scenario file's folder; not with "
                         "`resolution` or `geometry`",
                 .meaning = "your own disc mesh (docs/mesh.md)"});
    for (const auto& spec : mesh::disc_parameter_specs()) {
        k.push_back({.section = "mesh.geometry", .name = std::string(spec.name), .kind = Kind::number,
                     .range = spec, .default_words = mesh_ref,
                     .meaning = std::string(spec.description)});
    }
    // ---- materials: the short form ----
    k.push_back({.section = "materials", .name = "formulation", .kind = Kind::choice,
                 .choices = names_of(formulations), .default_words = "`biphasic`",
                 .meaning = "the charged, fluid-saturated disc ([biphasic](#the-biphasic-disc), "
                            "PHYSICS.md section 8; time-dependent, every step has a duration), "
                            "or the dry hyperelastic one for equilibrium studies"});
    k.push_back({.section = "materials", .name = "initial_state", .kind = Kind::choice,
                 .choices = names_of(initial_states), .default_words = "`free_swelling`",
                 .rule = "biphasic only",
                 .meaning = "start from the free-swelling equilibrium (cached), or from the "
                            "unswollen mesh"});
    k.push_back({.section = "materials", .name = "bath", .kind = Kind::mapping,
                 .default_words = "0.15 M NaCl at 310 K", .rule = "[bath](#bath); biphasic only",
                 .meaning = "the salt solution the disc's fluid is in equilibrium with"});
    k.push_back({.section = "materials", .name = "annulus_ground", .kind = Kind::choice,
                 .choices = names_of(annulus_grounds), .default_words = "`gruber2024`",
                 .meaning = "the named set: neo-Hookean annulus ground substance (Gruber et al. "
                            "2024) or Mooney-Rivlin (Schmidt et al. 2007)"});
    k.push_back({.section = "materials", .name = "fibre_invariant", .kind = Kind::choice,
                 .choices = names_of(fibre_invariants),
                 .default_words = "`full`; `isochoric` when elastic",
                 .meaning = "the invariant of the fibre term (docs/model.md; a compressible drained "
                            "skeleton needs `full`)"});
    k.push_back({.section = "materials", .name = "bulk_to_shear", .kind = Kind::number,
                 .range = bulk_to_shear_spec, .default_words = "4/3; 1000 when elastic",
                 .default_value = materials.bulk_to_shear,
                 .meaning = "K / mu of both regions, unless a region gives `bulk_modulus`: the "
                            "biphasic disc's drained skeleton, Poisson's ratio 0.2; 1000 is "
                            "nearly incompressible (Poisson's ratio 0.4995)"});
    k.push_back({.section = "materials", .name = "nucleus", .kind = Kind::mapping,
                 .rule = "[short form](#the-short-form) or [explicit](#explicit-definitions)",
                 .meaning = "overrides of the set's nucleus, or its explicit definition"});
    k.push_back({.section = "materials", .name = "annulus", .kind = Kind::mapping,
                 .rule = "[short form](#the-short-form) or [explicit](#explicit-definitions)",
                 .meaning = "overrides of the set's annulus, or its explicit definition"});
    const auto coefficient = [](std::string_view name) {
        return solver::coefficient_spec(name);
    };
    // The named sets' values, as the short form's defaults.
    const auto gruber = solver::named_material_set(solver::AnnulusGround::neo_hookean_gruber2024);
    const auto schmidt = solver::named_material_set(solver::AnnulusGround::mooney_rivlin_schmidt2007);
    const auto value = [](const solver::RegionMaterial& region, const std::string& name) {
        const auto it = region.coefficients.find(name);
        return it == region.coefficients.end() ? std::string("none")
                                               : format_number(it->second.values.front());
    };
    const std::string set_c10 = value(gruber.annulus, "c10") + " (gruber2024), " +
                                value(schmidt.annulus, "c10") + " (schmidt2007)";
    for (const char* region : {"nucleus", "annulus"}) {
        const bool annulus = std::string_view(region) == "annulus";
        const std::string s = std::string("materials.") + region;
        k.push_back({.section = s, .name = "c10", .kind = Kind::number, .range = coefficient("c10"),
                     .default_words = annulus ? set_c10 : value(gruber.nucleus, "c10"),
                     .meaning = "ground substance c10"});
        k.push_back({.section = s, .name = "c01", .kind = Kind::number, .range = coefficient("c01"),
                     .default_words = annulus ? value(schmidt.annulus, "c01") + " (schmidt2007)"
                                              : value(gruber.nucleus, "c01"),
                     .rule = annulus ? "only with `annulus_ground: schmidt2007`" : "",
                     .meaning = "Mooney-Rivlin ground substance c01"});
        if (annulus) {
            k.push_back({.section = s, .name = "kappa", .kind = Kind::number, .range = coefficient("kappa"),
                         .default_words = value(gruber.annulus, "kappa"), .meaning = "fibre dispersion: 0 aligned, 1/3 isotropic"});
            k.push_back({.section = s, .name = "k1_scale", .kind = Kind::number, .range = k_scale_spec,
                         .default_words = format_number(drained_k1_scale) + "; 1 when elastic",
                         .default_value = materials.annulus_k1_scale,
                         .meaning = "multiplies the regional fibre stiffness k1"});
            ParameterSpec k2 = k_scale_spec;
            k2.name = "k2_scale";
            k.push_back({.section = s, .name = "k2_scale", .kind = Kind::number, .range = k2,
                         .default_words = format_number(drained_k2_scale) + "; 1 when elastic",
                         .default_value = materials.annulus_k2_scale,
                         .meaning = "multiplies the regional fibre stiffening k2"});
        }
        k.push_back({.section = s, .name = "bulk_modulus", .kind = annulus ? Kind::distribution : Kind::number,
                     .range = coefficient("bulk_modulus"), .default_words = "`bulk_to_shear` x mu",
                     .rule = annulus ? "a [distribution](#distributions)" : "",
                     .meaning = "the bulk modulus K of the volumetric function"});
        k.push_back({.section = s, .name = "volumetric", .kind = Kind::choice, .choices = volumetric_names,
                     .default_words = "`log_squared`",
                     .rule = "[volumetric functions](#volumetric-functions)",
                     .meaning = "the volumetric function U(J)"});
        if (annulus) {
            k.push_back({.section = s, .name = "fibre_angle", .kind = Kind::distribution,
                         .range = fibre_angle_range, .default_words = "`mesh`",
                         .rule = "`mesh` (the mesh's fibre directions), one angle, or one per ring",
                         .meaning = "the fibre angle to the transverse plane"});
        }
        k.push_back({.section = s, .name = "model", .kind = Kind::choice, .choices = model_names(),
                     .rule = "[explicit definitions](#explicit-definitions)",
                     .meaning = "makes the block an explicit definition of the region"});
        add_fluid_keys(k, s, annulus);
    }
    // ---- materials: explicit definitions (a region block with `model`) ----
    {
        const std::string s = "materials.REGION (model)";
        k.push_back({.section = s, .name = "model", .kind = Kind::choice, .choices = model_names(),
                     .required = true, .rule = "[the models](#explicit-definitions)",
                     .meaning = "the solid model"});
        std::vector<std::string_view> seen;
        for (const auto& info : solver::solid_models()) {
            for (const auto name : info.coefficients) {
                if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
                seen.push_back(name);
                const auto& spec = coefficient(name);
                k.push_back({.section = s, .name = std::string(name), .kind = Kind::distribution,
                             .range = spec, .default_words = "required by the model",
                             .rule = "a [distribution](#distributions) in the annulus",
                             .meaning = std::string(spec.description)});
            }
        }
        k.push_back({.section = s, .name = "bulk_modulus", .kind = Kind::distribution,
                     .range = coefficient("bulk_modulus"), .default_words = "`bulk_to_shear` x mu",
                     .rule = "not with `bulk_to_shear`; none for a coupled model",
                     .meaning = "the bulk modulus K of the volumetric function"});
        k.push_back({.section = s, .name = "bulk_to_shear", .kind = Kind::number, .range = bulk_to_shear_spec,
                     .default_words = "the block's value", .rule = "none for a coupled model",
                     .meaning = "K / mu of this region"});
        k.push_back({.section = s, .name = "volumetric", .kind = Kind::choice, .choices = volumetric_names,
                     .default_words = "`log_squared`", .rule = "none for a coupled model",
                     .meaning = "the volumetric function U(J)"});
        k.push_back({.section = s, .name = "fibre_invariant", .kind = Kind::choice,
                     .choices = names_of(fibre_invariants), .default_words = "the block's value",
                     .rule = "annulus only", .meaning = "the invariant of the fibre term"});
        k.push_back({.section = s, .name = "fibre_angle", .kind = Kind::distribution,
                     .range = fibre_angle_range, .default_words = "`mesh`",
                     .rule = "annulus, models with fibres; `mesh`, one angle, or one per ring",
                     .meaning = "the fibre angle to the transverse plane"});
        add_fluid_keys(k, s, std::nullopt);
    }
    // ---- materials: the fluid phase ----
    {
        const solver::DiscFluid fluid;
        const std::string s = "materials.REGION.permeability";
        k.push_back({.section = s, .name = "law", .kind = Kind::choice, .choices = names_of(permeability_laws),
                     .default_words = "`holmes_mow`",
                     .meaning = "Holmes & Mow 1990: k0 ((J - phi_s0) / (1 - phi_s0))^alpha exp(M (J^2 - 1) "
                                "/ 2); exponential (Lai & Mow 1980): k0 exp(M (J - 1) / (J - phi_s0)); "
                                "or constant k0"});
        k.push_back({.section = s, .name = "k0", .kind = Kind::number, .range = k0_spec,
                     .default_value = fluid.nucleus.k0, .meaning = "the permeability in the reference state"});
        k.push_back({.section = s, .name = "M", .kind = Kind::number, .range = permeability_M_spec,
                     .default_value = fluid.nucleus.M, .rule = "not with `constant`",
                     .meaning = "the strain-dependence coefficient (its meaning depends on the law)"});
        k.push_back({.section = s, .name = "alpha", .kind = Kind::number, .range = permeability_alpha_spec,
                     .default_value = fluid.nucleus.alpha, .rule = "`holmes_mow` only",
                     .meaning = "the Holmes-Mow power-law exponent"});
        const std::string b = "materials.bath";
        k.push_back({.section = b, .name = "osmolarity", .kind = Kind::number, .range = bath_osmolarity_spec,
                     .default_value = fluid.bath_osmolarity,
                     .meaning = "the bath's osmolarity (0.30 Osm for 0.15 M NaCl)"});
        k.push_back({.section = b, .name = "temperature", .kind = Kind::number, .range = temperature_spec,
                     .default_value = fluid.temperature, .meaning = "the absolute temperature"});
        k.push_back({.section = b, .name = "osmotic_coefficient", .kind = Kind::number,
                     .range = osmotic_coefficient_spec, .default_value = fluid.osmotic_coefficient,
                     .meaning = "Phi of the Donnan pressure (1: ideal)"});
        // ---- boundaries ----
        k.push_back({.section = "boundaries", .name = "outer_wall", .kind = Kind::choice,
                     .choices = names_of(wall_drainages), .default_words = "`drained`",
                     .meaning = "the annulus's outer wall: open to the bath (p = 0) or sealed"});
        for (const char* name : {"superior_endplate", "inferior_endplate"}) {
            k.push_back({.section = "boundaries", .name = name, .kind = Kind::choice,
                         .choices = names_of(endplate_drainages), .default_words = "`cartilage`",
                         .meaning = "through the cartilage endplate to the draining bone, straight "
                                    "to it, or sealed"});
        }
        k.push_back({.section = "boundaries", .name = "cartilage", .kind = Kind::mapping,
                     .default_words = "0.6 mm, 7.5e-3 mm^4/(N s)", .rule = "[cartilage](#boundaries)",
                     .meaning = "the cartilage endplate of `cartilage` endplates"});
        k.push_back({.section = "boundaries.cartilage", .name = "thickness", .kind = Kind::number,
                     .range = cartilage_thickness_spec, .default_value = fluid.cartilage_thickness,
                     .meaning = "the layer's thickness (0.5-1 mm, PHYSICS.md section 8)"});
        ParameterSpec cep = k0_spec;
        cep.name = "permeability";
        k.push_back({.section = "boundaries.cartilage", .name = "permeability", .kind = Kind::number,
                     .range = cep, .default_value = fluid.cartilage_permeability,
                     .meaning = "its permeability (Castro et al. 2014)"});
    }
    // ---- rupture ----
    k.push_back({.section = "rupture", .name = "enabled", .kind = Kind::flag, .default_words = "`true`",
                 .meaning = "`false` switches rupture off (no events; `damage` stays 0)"});
    k.push_back({.section = "rupture", .name = "criterion", .kind = Kind::choice, .choices = names_of(criteria),
                 .default_words = "`fibre_strain`",
                 .meaning = "annulus fibre strain (stretch - 1 along the fibre) or maximum principal "
                            "Cauchy stress"});
    k.push_back({.section = "rupture", .name = "threshold", .kind = Kind::number, .range = strain_threshold_spec,
                 .default_value = solver::default_threshold(RuptureCriterion::fibre_strain),
                 .meaning = "the fibre strain at which an element ruptures",
                 .variant = "criterion fibre_strain"});
    k.push_back({.section = "rupture", .name = "threshold", .kind = Kind::number, .range = stress_threshold_spec,
                 .default_value = solver::default_threshold(RuptureCriterion::max_principal_stress),
                 .meaning = "the maximum principal stress at which an element ruptures",
                 .variant = "criterion max_principal_stress"});
    k.push_back({.section = "rupture", .name = "residual_stiffness", .kind = Kind::number,
                 .range = residual_stiffness_spec, .default_value = rupture.residual_stiffness,
                 .meaning = "the fraction of its ground substance stiffness a ruptured element keeps"});
    k.push_back({.section = "rupture", .name = "stop_at_herniation", .kind = Kind::flag, .default_words = "`true`",
                 .meaning = "end the run at the first herniation event (status `herniation`, exit "
                            "status 0)"});
    // ---- output ----
    k.push_back({.section = "output", .name = "vtu_every", .kind = Kind::number, .range = vtu_every_spec,
                 .default_value = output.vtu_every,
                 .meaning = "write the stress fields (.vtu) every this many converged increments; 0 "
                            "= only at the end of each step (results.csv gets every increment)"});
    // ---- steps ----
    k.push_back({.section = "steps[]", .name = "name", .kind = Kind::text, .required = true,
                 .rule = "one line, not empty, not used by another step", .meaning = "the step's name"});
    k.push_back({.section = "steps[]", .name = "duration", .kind = Kind::duration, .range = duration_range,
                 .rule = "with its unit: `30 s`, `20 min`, `8 h`, `21 d`; not on a cycled step",
                 .meaning = "the step's length in [physical time](#physical-time)"});
    ParameterSpec ramp = duration_range;
    ramp.name = "ramp";
    k.push_back({.section = "steps[]", .name = "ramp", .kind = Kind::duration, .range = ramp,
                 .default_words = "the whole duration",
                 .rule = "at most the duration (or the shorter of a cycle's hold and rest)",
                 .meaning = "the loads ramp over this time, then hold"});
    k.push_back({.section = "steps[]", .name = "increments", .kind = Kind::mapping,
                 .default_words = "`{initial: " + format_number(step.initial_increment) +
                                  ", min: " + format_number(step.min_increment) +
                                  ", max: " + format_number(step.max_increment) + "}`",
                 .rule = "[increments](#increments)", .meaning = "the load stepping"});
    k.push_back({.section = "steps[]", .name = "time_step", .kind = Kind::mapping,
                 .default_words = "`{initial: 1 s, min: 0.001 s}`",
                 .rule = "[time steps](#time-steps); biphasic only",
                 .meaning = "the time stepping of the biphasic disc"});
    k.push_back({.section = "steps[]", .name = "loads", .kind = Kind::mapping, .default_words = "no new loads",
                 .rule = "[loads](#loads)", .meaning = "the loads the step ends at"});
    k.push_back({.section = "steps[]", .name = "cycles", .kind = Kind::mapping, .default_words = "none",
                 .rule = "[cycles](#cycles)", .meaning = "repeat the step's loads intermittently"});
    const std::pair<const char*, double> increments[] = {
        {"initial", step.initial_increment}, {"min", step.min_increment}, {"max", step.max_increment}};
    for (const auto& [name, value] : increments) {
        ParameterSpec spec = increment_spec;
        spec.name = name;
        k.push_back({.section = "steps[].increments", .name = name, .kind = Kind::number, .range = spec,
                     .default_value = value, .rule = "min <= initial <= max",
                     .meaning = std::string(name) + " fraction of the step per increment"});
    }
    for (const auto& [name, words, meaning] :
         {std::tuple{"initial", "`1 s`", "the first time step, after every change of load"},
          std::tuple{"min", "`0.001 s`", "the smallest time step a cut back may reach"},
          std::tuple{"max", "the step's length", "the largest time step growth may reach"}}) {
        ParameterSpec spec = duration_range;
        spec.name = name;
        k.push_back({.section = "steps[].time_step", .name = name, .kind = Kind::duration, .range = spec,
                     .default_words = words,
                     .rule = "with its unit; min <= initial <= max, none longer than the step",
                     .meaning = meaning});
    }
    // ---- loads ----
    const std::string l = "steps[].loads";
    k.push_back({.section = l, .name = "follower_compression", .kind = Kind::number, .range = follower_spec,
                 .meaning = "compressive follower load along the body axis (turns with the vertebra)"});
    k.push_back({.section = l, .name = "moment", .kind = Kind::anatomical, .range = moment_spec,
                 .rule = each_direction, .meaning = "pure moments by anatomical name"});
    k.push_back({.section = l, .name = "force", .kind = Kind::vector, .range = force_spec,
                 .meaning = "force on the upper vertebra, global axes"});
    k.push_back({.section = l, .name = "rotation", .kind = Kind::anatomical, .range = rotation_spec,
                 .rule = each_direction, .meaning = "prescribed rotation of the upper vertebra"});
    k.push_back({.section = l, .name = "displacement", .kind = Kind::vector, .range = displacement_spec,
                 .meaning = "prescribed displacement of the upper vertebra"});
    k.push_back({.section = l, .name = "lifting", .kind = Kind::mapping, .rule = "[lifting](#lifting)",
                 .meaning = "a lift described by the person"});
    k.push_back({.section = l, .name = "traction", .kind = Kind::mapping, .rule = "[traction](#traction)",
                 .meaning = "an axial traction pull"});
    k.push_back({.section = l, .name = "pressure", .kind = Kind::mapping, .rule = "[pressure](#pressure)",
                 .meaning = "a uniform pressure on one of the disc's surfaces"});
    k.push_back({.section = l + ".pressure", .name = "surface", .kind = Kind::choice, .choices = surface_names(),
                 .required = true, .rule = "one surface per scenario",
                 .meaning = "the loaded surface"});
    k.push_back({.section = l + ".pressure", .name = "value", .kind = Kind::number, .range = pressure_range,
                 .required = true, .meaning = "the pressure, positive pushing against the outward normal"});
    const std::string li = l + ".lifting";
    k.push_back({.section = li, .name = "load_mass", .kind = Kind::number, .range = load_mass_spec,
                 .default_value = lifting.load_mass, .meaning = "the mass held in the hands"});
    k.push_back({.section = li, .name = "trunk_flexion", .kind = Kind::number, .range = trunk_flexion_spec,
                 .default_value = lifting.trunk_flexion,
                 .meaning = "forward inclination of the trunk from upright"});
    k.push_back({.section = li, .name = "load_distance", .kind = Kind::number, .range = load_distance_spec,
                 .default_value = lifting.load_distance,
                 .meaning = "horizontal distance of the load from the disc"});
    k.push_back({.section = li, .name = "body_mass", .kind = Kind::number, .range = body_mass_spec,
                 .default_value = lifting.body_mass,
                 .rule = "or 0 with `load_mass: 0`, which releases the lifting load of earlier steps",
                 .meaning = "the person's mass"});
    const std::string tr = l + ".traction";
    k.push_back({.section = tr, .name = "force", .kind = Kind::number, .range = traction_force_spec,
                 .rule = "exactly one of `force` and `body_weight_fraction`", .meaning = "the pull"});
    k.push_back({.section = tr, .name = "body_weight_fraction", .kind = Kind::number,
                 .range = weight_fraction_spec, .rule = "instead of `force`",
                 .meaning = "the pull as a fraction of body_mass x 9.81 m/s^2"});
    k.push_back({.section = tr, .name = "angle", .kind = Kind::number, .range = pull_angle_spec,
                 .default_value = traction.angle,
                 .meaning = "pull angle from the spine's axis in the sagittal plane, + anterior"});
    k.push_back({.section = tr, .name = "body_mass", .kind = Kind::number, .range = body_mass_spec,
                 .default_value = traction.body_mass, .meaning = "the person's mass"});
    // ---- cycles ----
    const std::string c = "steps[].cycles";
    k.push_back({.section = c, .name = "count", .kind = Kind::number, .range = cycle_count_spec,
                 .default_value = cycles.count, .meaning = "how many times the loads are applied"});
    ParameterSpec hold = cycle_time_spec, rest = cycle_time_spec;
    hold.name = "hold";
    rest.name = "rest";
    k.push_back({.section = c, .name = "hold", .kind = Kind::number, .range = hold,
                 .default_value = cycles.hold, .meaning = "time at the step's loads"});
    k.push_back({.section = c, .name = "rest", .kind = Kind::number, .range = rest,
                 .default_value = cycles.rest, .meaning = "time at the previous step's loads"});
    // clang-format on
    return k;
}

std::string code(std::string_view word) {
    return "`" + std::string(word) + "`";
}

std::string type_words(const Key& key) {
    switch (key.kind) {
    case Kind::text:
        return "text";
    case Kind::flag:
        return "`true` or `false`";
    case Kind::choice: {
        std::string out;
        for (std::size_t i = 0; i < key.choices.size(); ++i)
            out += (i ? (i + 1 == key.choices.size() ? " or " : ", ") : "") + code(key.choices[i]);
        return out;
    }
    case Kind::number:
        return key.range.integer ? "whole number" : "number";
    case Kind::duration:
        return "time";
    case Kind::path:
        return "path";
    case Kind::mapping:
        return "mapping";
    case Kind::list:
        return "list";
    case Kind::anatomical:
        return "direction: number";
    case Kind::vector:
        return "`x`, `y`, `z`: number";
    case Kind::distribution:
        return "distribution";
    }
    return "";
}

bool numeric(const Key& key) {
    return key.kind == Kind::number || key.kind == Kind::duration || key.kind == Kind::anatomical ||
           key.kind == Kind::vector || key.kind == Kind::distribution;
}

std::string default_text(const Key& key) {
    if (key.required) return "**required**";
    if (!key.default_words.empty()) return key.default_words;
    if (key.default_value) return format_number(*key.default_value);
    return "";
}

std::string allowed_text(const Key& key) {
    std::string out;
    if (numeric(key) && !(key.range.min == -std::numeric_limits<double>::infinity() &&
                          key.range.max == std::numeric_limits<double>::infinity()))
        out = describe_range(key.range);
    if (!key.rule.empty()) out += (out.empty() ? "" : "; ") + key.rule;
    return out;
}

const std::string begin_marker = "<!-- keys: ";
const std::string end_marker = "<!-- /keys -->";
// The generated table of the solid models (solver/disc_materials.cpp's model table).
const std::string models_block = "solid models";
std::string models_table() {
    std::ostringstream out;
    out << "| model | coefficients | strain energy | fibres | volume response |\n"
        << "|---|---|---|---|---|\n";
    for (const auto& info : solver::solid_models()) {
        std::string list;
        for (const auto key : info.coefficients)
            list += (list.empty() ? "" : ", ") + code(key);
        out << "| " << code(info.name) << " | " << list << " | " << info.energy << " | "
            << (info.fibres ? "HGO (`k1`, `k2`, `kappa`)" : "none") << " | "
            << (info.coupled ? "its own (coupled)" : "U(J) with `bulk_modulus`, `volumetric`")
            << " |\n";
    }
    return out.str();
}
std::string generated(const std::string& block) {
    return block == models_block ? models_table() : markdown_table(block);
}
// The top-level section's name in the docs' markers.
const std::string top_level = "top level";
std::string marker_name(const std::string& section) {
    return section.empty() ? top_level : section;
}

} // namespace

ParameterSpec Key::spec(std::string_view path) const {
    ParameterSpec out = range;
    out.name = path;
    return out;
}

const std::vector<Key>& all() {
    static const std::vector<Key> table = declare();
    return table;
}

std::vector<std::string> sections() {
    std::vector<std::string> out;
    for (const auto& key : all())
        if (std::find(out.begin(), out.end(), key.section) == out.end()) out.push_back(key.section);
    return out;
}

std::vector<std::string_view> names(std::string_view section) {
    std::vector<std::string_view> out;
    for (const auto& key : all()) {
        if (key.section == section &&
            std::find(out.begin(), out.end(), key.name) == out.end())
            out.push_back(key.name);
    }
    if (out.empty()) throw std::logic_error("no keys declared for section '" + std::string(section) + "'");
    return out;
}

const Key& key(std::string_view section, std::string_view name, std::string_view variant) {
    for (const auto& k : all()) {
        if (k.section == section && k.name == name && (variant.empty() || k.variant == variant))
            return k;
    }
    throw std::logic_error("undeclared scenario key '" + std::string(section) + "." +
                           std::string(name) + "'");
}

std::string markdown_table(std::string_view section) {
    std::ostringstream out;
    out << "| key | type | unit | default | allowed | meaning |\n"
        << "|---|---|---|---|---|---|\n";
    for (const auto& k : all()) {
        if (k.section != section) continue;
        std::string name = code(k.name);
        if (!k.variant.empty()) name += " (" + k.variant + ")";
        out << "| " << name << " | " << type_words(k) << " | " << k.range.unit << " | "
            << default_text(k) << " | " << allowed_text(k) << " | " << k.meaning << " |\n";
    }
    return out.str();
}

std::string describe(std::string_view prefix) {
    std::ostringstream out;
    const auto plain = [](std::string text) {
        text.erase(std::remove(text.begin(), text.end(), '`'), text.end());
        // "[label](#anchor)" -> "label"
        for (auto open = text.find('['); open != std::string::npos; open = text.find('[', open)) {
            const auto close = text.find("](", open);
            const auto end = close == std::string::npos ? close : text.find(')', close);
            if (end == std::string::npos) break;
            text = text.substr(0, open) + "see " + text.substr(open + 1, close - open - 1) +
                   text.substr(end + 1);
        }
        const std::string bold = "**";
        for (auto at = text.find(bold); at != std::string::npos; at = text.find(bold))
            text.erase(at, 2);
        return text;
    };
    int count = 0;
    for (const auto& k : all()) {
        const std::string path = k.path();
        const bool under = prefix.empty() || path == prefix ||
                           path.rfind(std::string(prefix) + ".", 0) == 0;
        if (!under) continue;
        ++count;
        out << path;
        if (!k.variant.empty()) out << " (" << k.variant << ")";
        out << "\n    " << plain(type_words(k));
        if (!k.range.unit.empty() && k.range.unit != "1" && k.range.unit != "count")
            out << ", " << k.range.unit;
        if (const auto allowed = plain(allowed_text(k)); !allowed.empty()) out << ", " << allowed;
        if (const auto d = plain(default_text(k)); !d.empty())
            out << (k.required ? "; " : "; default ") << d;
        out << "\n    " << plain(k.meaning) << "\n";
    }
    if (count == 0) return "";
    return out.str();
}

std::string update_tables(const std::string& text) {
    std::string out;
    std::size_t at = 0;
    const auto known = sections();
    while (true) {
        const auto begin = text.find(begin_marker, at);
        if (begin == std::string::npos) break;
        const auto name_end = text.find(" -->", begin);
        const auto end = text.find(end_marker, name_end);
        if (name_end == std::string::npos || end == std::string::npos) break;
        std::string section =
            text.substr(begin + begin_marker.size(), name_end - begin - begin_marker.size());
        if (section == top_level) section.clear();
        const auto body_start = name_end + 4;
        out += text.substr(at, body_start - at);
        if (section == models_block || std::find(known.begin(), known.end(), section) != known.end())
            out += "\n" + generated(section);
        else
            out += text.substr(body_start, end - body_start);
        out += end_marker;
        at = end + end_marker.size();
    }
    return out + text.substr(at);
}

std::vector<std::string> stale_tables(const std::string& text) {
    std::vector<std::string> out;
    auto blocks = sections();
    blocks.push_back(models_block);
    for (const auto& section : blocks) {
        const std::string block =
            begin_marker + marker_name(section) + " -->\n" + generated(section) + end_marker;
        if (text.find(block) == std::string::npos) out.push_back(marker_name(section));
    }
    return out;
}

} // namespace discsim::scenarios::keys
