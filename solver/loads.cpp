#include "solver/loads.hpp"

#include "mesh/topology.hpp"
#include "solver/rotation.hpp"

#include <cmath>
#include <map>

namespace discsim::solver {

namespace {

/// The force and moment at the reference point, global and dead.
class VertebraForceAndMoment final : public Load {
public:
    void add(const State&, const LoadState& load, bool, LoadTarget& target) const override {
        Vec6 wrench;
        wrench << load.force, load.moment;
        target.add_vertebra_wrench(wrench);
    }
    double magnitude(const LoadState& load, double length) const override {
        return load.force.norm() + load.moment.norm() / length;
    }
};

/// A force given in the vertebra's frame: R F0, so its stiffness is d(-R F0)/dtheta = [R F0]x.
class FollowerForce final : public Load {
public:
    void add(const State& state, const LoadState& load, bool tangent,
             LoadTarget& target) const override {
        const Vec3 follower = state.rp_rotation * load.follower_force;
        Vec6 wrench = Vec6::Zero();
        wrench.head<3>() = follower;
        target.add_vertebra_wrench(wrench);
        if (tangent) {
            Mat6 k = Mat6::Zero();
            k.topRightCorner<3, 3>() = skew(follower);
            target.add_vertebra_stiffness(k);
        }
    }
    double magnitude(const LoadState& load, double) const override {
        return load.follower_force.norm();
    }
};

/// LoadState::pressure on faces, as consistent nodal forces per unit pressure,
/// -integral N_a n dA on the reference face (2x2 Gauss; n dA = x_s x x_t for the
/// outward-ordered face). Positive pressure pushes against the outward normal.
class SurfacePressure final : public Load {
public:
    SurfacePressure(const mesh::HexMesh& mesh, const std::vector<mesh::CellFace>& faces) {
        std::map<int, Vec3> nodes;
        const double q = 1.0 / std::sqrt(3.0);
        for (const auto& face : faces) {
            const auto& local = mesh::hex_faces()[face.local_face];
            Vec3 x[4];
            for (int k = 0; k < 4; ++k)
                x[k] = mesh.nodes[mesh.cells[face.cell][local[k]]];
            for (double s : {-q, q}) {
                for (double t : {-q, q}) {
                    const Vec3 xs = ((1 - t) * (x[1] - x[0]) + (1 + t) * (x[2] - x[3])) / 4;
                    const Vec3 xt = ((1 - s) * (x[3] - x[0]) + (1 + s) * (x[2] - x[1])) / 4;
                    const Vec3 normal_area = xs.cross(xt);
                    const double N[4] = {(1 - s) * (1 - t) / 4, (1 + s) * (1 - t) / 4,
                                         (1 + s) * (1 + t) / 4, (1 - s) * (1 + t) / 4};
                    for (int k = 0; k < 4; ++k) {
                        // (Eigen vectors are not zero-initialised by the map.)
                        auto [entry, inserted] =
                            nodes.try_emplace(mesh.cells[face.cell][local[k]], Vec3::Zero());
                        entry->second -= N[k] * normal_area;
                    }
                }
            }
        }
        unit_forces_.assign(nodes.begin(), nodes.end());
    }
    void add(const State&, const LoadState& load, bool, LoadTarget& target) const override {
        if (load.pressure == 0.0) return;
        for (const auto& [node, unit] : unit_forces_)
            target.add_nodal_force(node, load.pressure * unit);
    }
    double magnitude(const LoadState&, double) const override { return 0.0; }

private:
    std::vector<std::pair<int, Vec3>> unit_forces_;
};

} // namespace

LoadList standard_loads(const Model& model) {
    LoadList loads;
    if (!model.pressure_faces.empty())
        loads.push_back(std::make_shared<SurfacePressure>(*model.mesh, model.pressure_faces));
    if (model.rigid_body) {
        loads.push_back(std::make_shared<VertebraForceAndMoment>());
        loads.push_back(std::make_shared<FollowerForce>());
    }
    loads.insert(loads.end(), model.extra_loads.begin(), model.extra_loads.end());
    return loads;
}

} // namespace discsim::solver
