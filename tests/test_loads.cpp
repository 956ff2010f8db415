// Loads as contributions (solver/loads.hpp): a load written in a test, a linear spring from the
// vertebra to the ground, joins a model through Model::extra_loads with no other change. Its
// tangent is checked against finite differences of the residual, and a block on the vertebra
// with the spring in parallel carries the load in proportion to the two stiffnesses.
#include "materials/hyperelastic.hpp"
#include "solver/loads.hpp"
#include "solver/rotation.hpp"
#include "solver/stepping.hpp"
#include "solver/system.hpp"
#include "support/meshes.hpp"
#include "support/tangent_check.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace discsim;
using namespace discsim::solver;

namespace {

/// f = -k u_RP at the vertebra's reference point: a spring to the ground (N/mm).
class SpringToGround final : public Load {
public:
    explicit SpringToGround(double k) : k_(k) {}
    void add(const State& state, const LoadState&, bool tangent,
             LoadTarget& target) const override {
        Vec6 wrench = Vec6::Zero();
        wrench.head<3>() = -k_ * state.rp_displacement;
        target.add_vertebra_wrench(wrench);
        if (tangent) {
            Mat6 stiffness = Mat6::Zero();
            stiffness.topLeftCorner<3, 3>() = k_ * Mat3::Identity(); // d(-wrench)/du_RP
            target.add_vertebra_stiffness(stiffness);
        }
    }
    double magnitude(const LoadState&, double) const override { return 0.0; }

private:
    double k_;
};

Model block_on_vertebra(const mesh::HexMesh& mesh) {
    Model model;
    model.mesh = &mesh;
    model.materials = {materials::make_material(materials::make_neo_hookean(0.5), std::nullopt,
                                                materials::make_volumetric(5.0))};
    model.cell_material.assign(mesh.cells.size(), 0);
    RigidBody body;
    body.nodes = test::nodes_on_plane(mesh, 2, 1.0);
    body.reference_point = Vec3(0.5, 0.5, 1.0);
    model.rigid_body = body;
    for (int n : test::nodes_on_plane(mesh, 2, 0))
        for (int i = 0; i < 3; ++i)
            model.prescribed.push_back({n, i, 0.0});
    return model;
}

} // namespace

TEST_CASE("a load added through Model::extra_loads assembles its consistent tangent", "[unit]") {
    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 2, 2, 2);
    Model model = block_on_vertebra(mesh);
    model.extra_loads.push_back(std::make_shared<SpringToGround>(3.0));
    System system(model);
    LoadState load;
    load.force = Vec3(0.1, -0.05, -0.2);
    load.follower_force = Vec3(0.02, 0.01, -0.3);
    const auto [state, direction] =
        test::strained_state_and_direction(system, load, Vec3(0.1, -0.2, 0.05), 5);
    const auto [Kd, fd] = test::tangent_and_finite_difference(system, state, load, direction);
    // Central differences: O(e^2) truncation, round-off eps |r| / e: 1e-6 relative.
    CHECK((fd - Kd).norm() < 1e-6 * Kd.norm());
    CHECK((fd.tail<6>() - Kd.tail<6>()).norm() < 1e-6 * Kd.tail<6>().norm());
}

TEST_CASE("a spring beside the block takes its share of the load", "[verification]") {
    // A small axial force F (linear regime): alone the block moves u0 = F / k_b; with a spring k
    // in parallel u1 = F / (k_b + k). With k = k_b the displacement halves, to the block's
    // nonlinearity at this strain (below 1e-3).
    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 2, 2, 2);
    SteppingSettings settings;
    settings.newton.residual_tolerance = 1e-10;
    Step step;
    step.name = "press";
    step.target.force = Vec3(0, 0, -1e-3);
    auto settle = [&](const Model& model) {
        System system(model);
        State state = system.initial_state();
        REQUIRE(solve_steps(system, state, {step}, settings).completed);
        return state.rp_displacement.z();
    };
    const Model alone = block_on_vertebra(mesh);
    const double u0 = settle(alone);
    REQUIRE(u0 < 0.0);
    const double k_block = 1e-3 / -u0;
    Model with_spring = block_on_vertebra(mesh);
    with_spring.extra_loads.push_back(std::make_shared<SpringToGround>(k_block));
    const double u1 = settle(with_spring);
    CHECK(u1 == Approx(u0 / 2).epsilon(1e-3));
}
