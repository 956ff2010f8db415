// Loads as contributions: each load adds its external forces (and their stiffness, when they
// depend on the state) through one interface, and System holds the model's loads in a list.
// A load reads its magnitude at an instant from the LoadState (what the step plan ramps) and
// keeps whatever it needs from the model (faces, nodes) itself.
//
// The loads of a disc model (standard_loads): the force and the moment at the vertebra's
// reference point (global, dead), the follower force (turns with the vertebra), and the surface
// pressure on Model::pressure_faces (a dead load on the reference faces). A new load is one
// class implementing Load, added to Model::extra_loads or to standard_loads.
#pragma once

#include "solver/model.hpp"

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace discsim::solver {

using Vec6 = Eigen::Matrix<double, 6, 1>;
using Mat6 = Eigen::Matrix<double, 6, 6>;

/// Where a load puts its contribution; System routes it to its equations.
class LoadTarget {
public:
    virtual ~LoadTarget() = default;
    /// An external force on a node (N): to a free equation, onto the vertebra for its nodes, or
    /// to a support.
    virtual void add_nodal_force(int node, const Vec3& force) = 0;
    /// An external force (N) and moment (N mm) at the vertebra's reference point.
    virtual void add_vertebra_wrench(const Vec6& wrench) = 0;
    /// d(-wrench)/d(vertebra unknowns: translation, rotation increment) for a state-dependent
    /// load (added to the vertebra block of the tangent).
    virtual void add_vertebra_stiffness(const Mat6& stiffness) = 0;
};

class Load {
public:
    virtual ~Load() = default;
    /// Adds this load at `state` for the magnitudes of `load`; the stiffness only if `tangent`.
    /// Nodal forces go first in an assembly (they load the vertebra through its nodes).
    virtual void add(const State& state, const LoadState& load, bool tangent,
                     LoadTarget& target) const = 0;
    /// The size of the load (N; moments divided by `length`), for the Newton criterion's scale.
    virtual double magnitude(const LoadState& load, double length) const = 0;
};

using LoadList = std::vector<std::shared_ptr<const Load>>;

/// The loads every disc model has (see above), then the model's extra_loads.
LoadList standard_loads(const Model& model);

} // namespace discsim::solver
