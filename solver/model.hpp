// What the solver solves: a hexahedral mesh with a material per element, prescribed nodal
// displacements, an optional rigid body (the upper vertebra) tied to a set of nodes, and the
// loads at one instant. Plain data; the scenario layer fills it.
#pragma once

#include "materials/hyperelastic.hpp"
#include "mesh/hex_mesh.hpp"
#include "solver/dof_layout.hpp"
#include "solver/hex8.hpp"
#include "solver/hex8_biphasic.hpp"

#include <Eigen/Core>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace discsim::solver {

/// A displacement component of one node, in mm, multiplied by LoadState::prescribed_scale.
struct PrescribedDisplacement {
    int node = 0;
    int component = 0; ///< of the displacement: 0 x, 1 y, 2 z
    double value = 0.0;
};

/// The rigid upper vertebra: `nodes` follow the six degrees of freedom of the reference point
/// (RP) with finite rotations: x_n = X_RP + u_RP + R (X_n - X_RP).
struct RigidBody {
    std::vector<int> nodes;
    Vec3 reference_point = Vec3::Zero();
};

/// How fluid leaves through one boundary surface of a biphasic model.
struct FluidBoundary {
    enum class Kind { drained, sealed, conductance };
    std::string name; ///< for results ("outer_wall", ...)
    Kind kind = Kind::sealed;
    /// drained: the nodes whose outflow is counted for this boundary (each node of the model's
    /// drained_nodes counts for the first boundary that lists it).
    std::vector<int> nodes;
    /// conductance: outflow per area q = c p through these faces (a thin permeable layer such as
    /// the cartilage endplate: c = k / thickness, mm^3/(N s)), integrated on the reference faces.
    std::vector<mesh::CellFace> faces;
    double conductance = 0.0;
};

/// The fluid phase of a biphasic model (solver/hex8_biphasic.hpp). It needs the layout
/// {displacement, pore_pressure}; the solid's materials are the model's, evaluated with full
/// (pointwise) integration as a compressible skeleton.
struct BiphasicModel {
    std::vector<BiphasicElement> cells; ///< per cell: permeability and stabilisation
    /// Nodes on a drained surface: their pore pressure is held at the bath's (0).
    std::vector<int> drained_nodes;
    /// The boundaries through which fluid may leave, for their flux and the conductance terms
    /// (a surface that is not listed is sealed).
    std::vector<FluidBoundary> boundaries;
};

struct Model {
    const mesh::HexMesh* mesh = nullptr;
    /// The nodal fields (solver/dof_layout.hpp); displacement only unless a formulation adds
    /// another field.
    DofLayout layout;
    std::vector<materials::Material> materials;
    std::vector<int> cell_material; ///< index into materials, one per cell
    VolumetricTreatment treatment = VolumetricTreatment::mean_dilatation;
    std::vector<PrescribedDisplacement> prescribed;
    std::optional<RigidBody> rigid_body;
    /// Fibre directions per cell replacing the mesh's (empty: the mesh's), e.g. when a scenario
    /// sets the annulus fibre angle.
    std::vector<Vec3> fibre_direction_1, fibre_direction_2;
    /// The fibre directions the model runs with, per cell: its own, else its mesh's.
    const std::vector<Vec3>& fibres_1() const {
        return fibre_direction_1.empty() ? mesh->fibre_direction_1 : fibre_direction_1;
    }
    const std::vector<Vec3>& fibres_2() const {
        return fibre_direction_2.empty() ? mesh->fibre_direction_2 : fibre_direction_2;
    }
    /// Faces loaded by LoadState::pressure, a dead load on the reference configuration
    /// (positive pressure pushes against the outward normal).
    std::vector<mesh::CellFace> pressure_faces;
    /// Loads beyond the standard ones (solver/loads.hpp), each assembled after them.
    std::vector<std::shared_ptr<const class Load>> extra_loads;
    /// The fluid phase; absent: the elastic (dry) solid.
    std::optional<BiphasicModel> biphasic;
};

/// The loads at one instant. Units: N, N mm, mm, rad, MPa.
struct LoadState {
    Vec3 force = Vec3::Zero();          ///< at the RP, global frame
    Vec3 moment = Vec3::Zero();         ///< about the RP, global frame
    Vec3 follower_force = Vec3::Zero(); ///< at the RP, body frame: turns with the vertebra
    std::array<std::optional<double>, 3> rp_displacement; ///< prescribed RP translation
    /// Prescribed components of the RP rotation vector (axis times angle, each within
    /// (-pi, pi): the rotation vector of a rotation is unique only up to a half turn).
    std::array<std::optional<double>, 3> rp_rotation;
    double prescribed_scale = 1.0; ///< multiplies every PrescribedDisplacement::value
    double pressure = 0.0;
    /// s: the time step of the increment being solved (biphasic models integrate over it).
    double time_step = 0.0;
    /// The fraction of the osmotic pressure applied: 1, except in the free-swelling solve, which
    /// ramps it from 0.
    double osmotic_scale = 1.0;
};

/// Linear interpolation a -> b at t in [0, 1]. A component prescribed in b but not in a
/// starts from `start_displacement` / `start_rotation` (the state at the start of the step).
LoadState interpolate(const LoadState& a, const LoadState& b, double t,
                      const Vec3& start_displacement, const Vec3& start_rotation);

/// The unknowns: nodal displacements and the rigid body's pose.
struct State {
    Eigen::VectorXd u; ///< the nodal values in the model's DofLayout (3 per node: displacement)
    int per_node = 3;  ///< the layout's values per node (System::initial_state sets it)
    Vec3 rp_displacement = Vec3::Zero();
    Mat3 rp_rotation = Mat3::Identity();
    /// A node's displacement (the layout's first field, DofLayout).
    Vec3 displacement(int node) const { return u.segment<3>(static_cast<Eigen::Index>(per_node) * node); }
};

} // namespace discsim::solver
