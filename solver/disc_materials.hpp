// The disc's materials as data: for the nucleus and for the annulus, a named solid model with
// every coefficient, the bulk modulus and volumetric function, and the fibre angle. A
// coefficient of the annulus may be uniform, one value per ring, or a sector x layer table (the
// form in which Gruber et al. 2024 calibrated k1 and k2). The named sets of PHYSICS.md section 3
// (Gruber 2024, Schmidt 2007) are such definitions, built by named_material_set().
//
// Models and their coefficients (the conventions of the papers, of Abaqus and of FEBio;
// docs/model.md maps each):
//     neo_hookean        c10                      psi = c10 (I1bar - 3)
//     mooney_rivlin      c10, c01                 psi = c10 (I1bar - 3) + c01 (I2bar - 3)
//     hgo                c10, k1, k2, kappa       neo-Hookean ground + HGO fibres (FEBio
//                                                 "Holzapfel-Gasser-Ogden": its c = 2 c10)
//     hgo_mooney_rivlin  c10, c01, k1, k2, kappa  Mooney-Rivlin ground + HGO fibres (Schmidt
//                                                 et al. 2007)
//     holmes_mow         young, poisson, beta     coupled compressible solid (Holmes & Mow
//                                                 1990; FEBio "Holmes-Mow")
// plus, for every uncoupled model, U(J) with a bulk modulus K (MPa) and a VolumetricForm.
#pragma once

#include "materials/hyperelastic.hpp"
#include "mesh/hex_mesh.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace discsim::solver {

/// Where an annulus element sits, for coefficients that vary over the annulus.
struct AnnulusPlace {
    int ring = 1;      ///< 1 = innermost
    int rings = 1;     ///< the mesh's annulus ring count
    double sector = 0; ///< |angle from anterior| / 180 deg of the element's centroid: 0 to 1
    double layer = 0;  ///< 0 at the outermost ring, 1 at the innermost
};

/// A coefficient over a region: one value, one value per annulus ring (ring 1, the innermost,
/// first), or a table with rows from the outer to the inner layer and columns from anterior to
/// posterior, interpolated bilinearly at the element's (layer, sector) place.
struct Distribution {
    enum class Kind { uniform, per_ring, table };
    Kind kind = Kind::uniform;
    std::vector<double> values; ///< 1, rings, or rows x columns (row-major)
    int rows = 0, columns = 0;  ///< of a table

    static Distribution uniform(double value);
    static Distribution per_ring(std::vector<double> values);
    static Distribution table(std::vector<std::vector<double>> rows);

    /// Throws InputError "PATH: expected ..." when a per-ring list does not have `rings`
    /// values.
    double at(const AnnulusPlace& place) const;
    Distribution scaled(double factor) const;
    bool operator==(const Distribution&) const = default;
};

enum class SolidModel { neo_hookean, mooney_rivlin, hgo, hgo_mooney_rivlin, holmes_mow };

/// A solid model's declaration: its scenario name, its coefficients in the order they are
/// written, what it is made of, and how its ground substance is built from the coefficient
/// values (in that order). One row per model in solid_models(); everything else (the scenario
/// reader and writer, validation, the docs' model table) reads it from there.
struct SolidModelInfo {
    SolidModel id;
    std::string_view name;
    std::span<const std::string_view> coefficients;
    bool fibres;  ///< HGO fibre family (k1, k2, kappa) on top of the ground substance
    bool coupled; ///< its own volume response: no bulk modulus or volumetric function
    std::string_view energy; ///< the strain energy in words, with its source
    materials::GroundSubstance (*ground)(std::span<const double> values);
    /// The declared ranges of its coefficients (and perhaps others), from the model's source.
    std::span<const ParameterSpec> (*parameters)();
};
std::span<const SolidModelInfo> solid_models();
const SolidModelInfo& model_info(SolidModel model);
/// The declared range of a model coefficient (any model's), or of bulk_modulus.
const ParameterSpec& coefficient_spec(std::string_view name);

std::string_view model_name(SolidModel model);
/// The coefficients a model has, in the order they are written.
std::span<const std::string_view> model_coefficients(SolidModel model);
bool has_fibres(SolidModel model);
/// A coupled model has its own volume response: no bulk modulus or volumetric function.
bool is_coupled(SolidModel model);

/// One region's material.
struct RegionMaterial {
    SolidModel model = SolidModel::neo_hookean;
    /// Exactly the model's coefficients (model_coefficients), each with its distribution.
    std::map<std::string, Distribution, std::less<>> coefficients;
    /// K in MPa; absent: bulk_to_shear times the ground substance's small-strain shear modulus.
    std::optional<Distribution> bulk_modulus;
    double bulk_to_shear = materials::default_bulk_to_shear;
    materials::VolumetricForm volumetric = materials::VolumetricForm::log_squared;
    materials::FibreInvariant fibre_invariant = materials::FibreInvariant::isochoric;
    /// Fibre angle to the transverse plane in degrees; absent: the mesh's fibre directions.
    std::optional<Distribution> fibre_angle;
    bool operator==(const RegionMaterial&) const = default;
};

struct DiscMaterials {
    RegionMaterial nucleus;
    RegionMaterial annulus;
    bool operator==(const DiscMaterials&) const = default;
};

enum class AnnulusGround { neo_hookean_gruber2024, mooney_rivlin_schmidt2007 };

/// k1 (MPa) and k2 of Gruber et al. 2024 at continuous sector coordinate s in [1, 5] (A
/// anterior to E posterior) and layer coordinate l in [1, 5] (outer to inner), the laws of
/// solver/disc_model.hpp; the named sets tabulate them at the 5 x 5 integer nodes.
std::pair<double, double> gruber2024_fibre_parameters(double sector, double layer);

/// The calibrated sets as explicit definitions. gruber2024: nucleus Mooney-Rivlin c10 0.118,
/// c01 0.030 MPa; annulus HGO, c10 0.1351 MPa, kappa 0.0752, k1 and k2 as 5 x 5 sector x layer
/// tables of the laws of Gruber et al. 2024 (solver/disc_model.hpp); K = 1000 mu in both,
/// K/2 (ln J)^2, isochoric fibres, the mesh's fibre angles. schmidt2007: the same with the
/// annulus ground Mooney-Rivlin c10 0.18, c01 0.045 MPa (Schmidt et al. 2007).
DiscMaterials named_material_set(AnnulusGround set);

/// The element materials of one region at one place: validated (InputError naming the
/// coefficient, with `path` as the key path, e.g. "materials.annulus").
materials::Material region_material_at(const RegionMaterial& region, const AnnulusPlace& place,
                                       std::string_view path);

/// Checks a definition before anything runs: the model's coefficients all present and no
/// other, per-ring lists of `rings` values (when rings > 0), tables of at least 2 x 2, and every
/// value in its declared range. InputError "PATH.KEY: expected ..., got ...".
void validate(const RegionMaterial& region, std::string_view path, int rings);

} // namespace discsim::solver
