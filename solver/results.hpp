// Result quantities of a disc solve (PHYSICS.md section 7): the global values written to
// results.csv after every converged increment, and the per-element fields written to the .vtu
// files for ParaView.
//
// Definitions
// - Range of motion: the rotation vector of the vertebra (axis times angle) in degrees, by
//   anatomical axis: flexion (+y), right lateral bending (+x), left axial rotation (+z).
// - Intradiscal pressure (IDP): -tr(sigma)/3 of the nucleus, averaged over the nucleus's
//   current volume; also the value of the nucleus element closest to the nucleus centroid.
// - Disc height change: axial (z) displacement of the vertebra's reference point.
// - Posterior bulge: the largest outward horizontal displacement, along the outer wall's
//   outward normal, of an outer-wall node behind the disc centre (x below the centroid).
// - Fibre strain: stretch - 1 along a fibre family, element average; the maximum over annulus
//   elements and both families (compressed fibres count as negative strain).
// - Maximum annulus principal stress: the largest principal Cauchy stress of an annulus element
//   (element average), the quantity of the max_principal_stress rupture criterion.
#pragma once

#include "mesh/vtk_io.hpp"
#include "solver/system.hpp"

#include <array>
#include <optional>
#include <vector>

namespace discsim::solver {

/// The fluid of a biphasic disc (solver/disc_biphasic.hpp).
struct FluidResults {
    double nucleus_fluid_pressure = 0.0;   ///< MPa, effective pressure p, volume mean
    double nucleus_osmotic_pressure = 0.0; ///< MPa, pi, volume mean
    double nucleus_fluid_fraction = 0.0;   ///< volume mean
    /// mm^3, fluid taken up since the initial state (the constituents are incompressible, so a
    /// region's fluid volume changes as its volume does).
    double nucleus_fluid_volume_change = 0.0;
    double disc_fluid_volume_change = 0.0;
    /// mm^3/s leaving through each boundary of BiphasicModel::boundaries, in order.
    std::vector<double> outflow;
};

struct GlobalResults {
    Vec3 rotation_deg = Vec3::Zero(); ///< x right lateral bending, y flexion, z left axial rotation
    Vec3 translation = Vec3::Zero();  ///< RP displacement, mm
    Vec6 carried = Vec6::Zero();      ///< force (N) and moment (N mm) carried at the RP
    double idp_mean = 0.0;            ///< MPa
    double idp_centre = 0.0;          ///< MPa
    double height_change = 0.0;       ///< mm
    double posterior_bulge = 0.0;     ///< mm
    double max_fibre_strain = 0.0;    ///< 1
    double max_annulus_principal_stress = 0.0; ///< MPa, largest principal Cauchy stress, annulus
    std::optional<FluidResults> fluid; ///< a biphasic model's
};

/// Precomputed geometry for the result quantities of one mesh.
class ResultEvaluator {
public:
    explicit ResultEvaluator(const mesh::HexMesh& mesh);
    /// The global results at `state` (after system.assemble at it). Of a biphasic model also
    /// the fluid's, with the boundary outflow over the time step `dt` (none when dt is 0), and
    /// the IDP is the interstitial fluid pressure p + pi, what a needle reads (PHYSICS.md
    /// section 8; McNally & Adams 1992 measure it with a membrane transducer in the nucleus),
    /// instead of -tr(sigma) / 3 of the dry solid.
    GlobalResults evaluate(const System& system, const State& state,
                           const std::vector<ElementStress>& stresses, double dt = 0.0) const;
    /// The state fluid volume changes and fibre strains are measured from (a biphasic model's
    /// initial state, its free-swelling equilibrium). Without it: the mesh's reference.
    void set_fluid_reference(const std::vector<ElementStress>& stresses);
    /// Cell and point arrays for the .vtu: displacement (point), cauchy_stress (XX YY ZZ XY YZ
    /// XZ), von_mises, principal_stress (max, mid, min), hydrostatic_pressure, fibre_stretch
    /// (families 1 and 2; 0 in the nucleus). With `system` of a biphasic model also
    /// fluid_pressure (point, effective p), interstitial_pressure (p + pi), osmotic_pressure,
    /// fluid_flux (vector), fluid_fraction and permeability (cells).
    mesh::ExtraFields fields(const State& state, const std::vector<ElementStress>& stresses,
                             const System* system = nullptr) const;

private:
    const mesh::HexMesh& mesh_;
    std::vector<double> reference_volume_;
    double initial_nucleus_volume_ = 0.0, initial_disc_volume_ = 0.0; // of the fluid reference
    std::vector<std::array<double, 2>> initial_stretch_; // per cell; empty: 1
    int centre_cell_ = -1;
    std::vector<int> posterior_nodes_;
    std::vector<Vec3> posterior_normals_; ///< outward horizontal unit normals
};

/// von Mises equivalent stress of a symmetric tensor.
double von_mises(const Mat3& sigma);
/// Eigenvalues sorted from largest to smallest.
Vec3 principal_values(const Mat3& sigma);

} // namespace discsim::solver
