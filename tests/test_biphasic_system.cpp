// The biphasic element through the production solver: System with the layout {displacement,
// pore_pressure}, drained nodes, the surface pressure load and solve_steps with physical time
// steps, on Terzaghi's consolidation column (the closed form of
// tests/test_biphasic_consolidation.cpp, which verified the element on its own).
#include "materials/hyperelastic.hpp"
#include "materials/osmotic.hpp"
#include "materials/permeability.hpp"
#include "solver/stepping.hpp"
#include "solver/system.hpp"
#include "support/biphasic_column.hpp"
#include "support/meshes.hpp"
#include "support/stepping.hpp"
#include "support/tangent_check.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace discsim;
using namespace discsim::solver;

namespace {

using namespace test::column;

/// The column of `elements` elements as a biphasic Model on `mesh`: confined laterally, the
/// bottom fixed (and sealed), the top drained. Each test adds its load.
Model confined_column(const mesh::HexMesh& mesh, int elements) {
    Model model;
    model.mesh = &mesh;
    model.layout = DofLayout{Field::displacement, Field::pore_pressure};
    model.materials = {materials::make_material(materials::make_neo_hookean(c10), std::nullopt,
                                                materials::make_volumetric(bulk))};
    model.cell_material.assign(mesh.cells.size(), 0);
    const double h = height / elements;
    BiphasicModel fluid;
    fluid.cells.assign(mesh.cells.size(),
                       BiphasicElement{materials::make_constant_permeability(permeability),
                                       cube_stabilisation(h, aggregate)});
    for (int n = 0; n < mesh.node_count(); ++n) {
        const double z = mesh.nodes[n].z();
        model.prescribed.push_back({n, 0, 0.0});
        model.prescribed.push_back({n, 1, 0.0});
        if (z < 1e-12) model.prescribed.push_back({n, 2, 0.0});
        if (z > height - 1e-12) fluid.drained_nodes.push_back(n);
    }
    model.biphasic = fluid;
    return model;
}

/// The load of Terzaghi's test at once (one increment of 1e-9 of the consolidation time
/// H^2 / c), then held for T = 1 in steps of T = 0.005.
std::vector<Step> consolidation_steps() {
    const double t_c = 1.0 / consolidation;
    Step apply;
    apply.name = "apply";
    apply.target.pressure = load;
    apply.initial_increment = apply.min_increment = apply.max_increment = 1.0;
    apply.duration = 1e-9 * t_c;
    Step hold = apply;
    hold.name = "hold";
    hold.duration = t_c;
    hold.initial_increment = hold.min_increment = hold.max_increment = 0.005;
    return {apply, hold};
}

} // namespace

TEST_CASE("Terzaghi consolidation through System and solve_steps", "[verification]") {
    const int elements = 20;
    const mesh::HexMesh mesh = test::box_mesh(1, 1, height, 1, 1, elements);
    Model model = confined_column(mesh, elements);
    const double h = height / elements;
    int bottom = -1, top = -1;
    for (int n = 0; n < mesh.node_count(); ++n) {
        const Vec3& X = mesh.nodes[n];
        if (X.x() == 0 && X.y() == 0 && X.z() < 1e-12) bottom = n;
        if (X.x() == 0 && X.y() == 0 && X.z() > height - 1e-12) top = n;
    }
    model.pressure_faces = test::faces_where(mesh, [](const Vec3& X) { return X.z() > 1.0 - 1e-12; });
    REQUIRE(model.pressure_faces.size() == 1);
    System system(model);
    State state = system.initial_state();

    const double t_c = 1.0 / consolidation; // H^2 / c
    std::vector<std::pair<double, Eigen::Vector2d>> history; // T, (p bottom, settlement)
    double t = 0.0;
    // Mass conservation: the mass residual of the drained nodes, their "reactions", is what
    // flowed out through them over the step (the Darcy flux times dt), and the residuals of all
    // nodes sum to minus the volume change (the shape functions sum to 1, their gradients to
    // 0), so the outflow summed over the steps must equal the column's loss of volume.
    double outflow = 0.0;
    const auto result = solve_steps(system, state, consolidation_steps(), test::tight_stepping(),
                                    [&](const Increment& increment, const State& s) {
                                        t += increment.load.time_step;
                                        const int p = model.layout.index(bottom, Field::pore_pressure, 0);
                                        history.push_back({t / t_c, Eigen::Vector2d(s.u[p], -s.displacement(top).z())});
                                        for (const int n : model.biphasic->drained_nodes)
                                            outflow += system.reactions()[model.layout.index(n, Field::pore_pressure, 0)];
                                    });
    REQUIRE(result.completed);
    REQUIRE(history.size() == 201);
    // Right after loading: undrained, p = s0 through the column (incompressible constituents)
    // and no settlement, but for the stabilisation's own drainage. Its term beta grad(p - p_n)
    // carries beta s0 / h = h s0 / (4 H_A) of fluid through the rows of the free nodes of the top
    // element, whose test functions weigh that element's volume change by 1/2: a settlement of
    // h / 2 of the final one (s0 / H_A for the unit column), vanishing with h.
    CHECK(history.front().second[0] == Approx(load).epsilon(1e-3));
    const double final_settlement = load / aggregate;
    CHECK(history.front().second[1] == Approx(h / 2.0 * final_settlement).epsilon(0.01));
    // The column's volume loss: the settlement of its unit cross-section (the sides and the
    // bottom do not move normal to themselves). The identity is exact for the discrete
    // equations; the free rows are zero only to the Newton tolerance (1e-11 of the forces), so
    // over 201 steps it holds to 1e-9 (it fails at 1e-11).
    const double volume_loss = history.back().second[1];
    INFO("outflow " << outflow << " mm^3, volume loss " << volume_loss << " mm^3");
    CHECK(outflow == Approx(volume_loss).epsilon(1e-9));
    double worst_p = 0.0, worst_s = 0.0;
    for (const double T : {0.1, 0.2, 0.5, 1.0}) {
        const auto& [time, values] = history[static_cast<std::size_t>(std::lround(T / 0.005))];
        REQUIRE(time == Approx(T).epsilon(1e-6));
        worst_p = std::max(worst_p, std::abs(values[0] - terzaghi_pressure(0.0, T)) / load);
        worst_s = std::max(worst_s, std::abs(values[1] - terzaghi_settlement(T)) / (load / aggregate));
    }
    INFO("bottom pressure error " << worst_p << " of s0; settlement error " << worst_s
                                  << " of the final settlement");
    // The element's own convergence study (test_biphasic_consolidation.cpp) gives errors of
    // 0.7 % (pressure) and 0.4 % (settlement) at this mesh and time step.
    CHECK(worst_p < 0.01);
    CHECK(worst_s < 0.01);
    // The column is linear and the time step constant past the first steps: the answers above
    // come from GMRES on reused factors, refactorised only when the step changes.
    INFO(system.times().factorisations << " factorisations for " << system.times().solves << " solves");
    CHECK(system.times().factorisations < system.times().solves / 4);
    // The biphasic tangent does not depend on the iterate it came from, so Newton forms it only
    // where it solves (solve_increment): one tangent per solve, none for the converged iterates
    // (every increment here starts out of balance, so its first tangent is used too).
    INFO(system.times().tangents << " tangents in " << system.times().assemblies << " assemblies");
    CHECK(system.times().tangents == system.times().solves);
    CHECK(system.times().assemblies >= system.times().solves + 201);
}

TEST_CASE("consolidation through a semi-permeable boundary (the cartilage endplate's "
          "conductance) against its series solution",
          "[verification]") {
    // The column of Terzaghi's test with its top no longer drained but behind a thin permeable
    // layer: outflow q = c p there (FluidBoundary::Kind::conductance). With the bottom sealed,
    // p_t = c_v p_zz, p_z(0) = 0, -k p_z(H) = c p(H) and p(z, 0) = s0, the solution is (Carslaw
    // & Jaeger 1959, section 3.10, a slab with a radiation boundary)
    //     p(z, T) = sum_n s0 2 sin(b_n) / (b_n + sin(b_n) cos(b_n)) cos(b_n z / H) exp(-b_n^2 T),
    // with b_n tan(b_n) = Bi = c H / k and T = c_v t / H^2. Bi = 2: the layer passes as much
    // as 0.5 mm of the column's own material.
    const int elements = 20;
    const mesh::HexMesh mesh = test::box_mesh(1, 1, height, 1, 1, elements);
    Model model = confined_column(mesh, elements);
    const double Bi = 2.0, conductance = Bi * permeability / height;
    FluidBoundary top_layer;
    top_layer.name = "top";
    top_layer.kind = FluidBoundary::Kind::conductance;
    top_layer.conductance = conductance;
    top_layer.faces = test::faces_where(mesh, [](const Vec3& X) { return X.z() > height - 1e-12; });
    REQUIRE(top_layer.faces.size() == 1);
    model.biphasic->drained_nodes.clear();
    model.biphasic->boundaries = {top_layer};
    model.pressure_faces = top_layer.faces;
    int bottom = -1, top = -1;
    for (int n = 0; n < mesh.node_count(); ++n) {
        const Vec3& X = mesh.nodes[n];
        if (X.x() == 0 && X.y() == 0 && X.z() < 1e-12) bottom = n;
        if (X.x() == 0 && X.y() == 0 && X.z() > height - 1e-12) top = n;
    }
    System system(model);
    State state = system.initial_state();
    const double t_c = 1.0 / consolidation;
    std::vector<std::pair<double, double>> history; // T, p at the bottom
    double t = 0.0, outflow = 0.0;
    const auto result = solve_steps(system, state, consolidation_steps(), test::tight_stepping(),
                                    [&](const Increment& increment, const State& s) {
                                        t += increment.load.time_step;
                                        system.assemble(s, increment.load, false);
                                        outflow += system.boundary_outflow(s, increment.load.time_step)[0] *
                                                   increment.load.time_step;
                                        history.push_back({t / t_c, s.u[model.layout.index(bottom, Field::pore_pressure, 0)]});
                                    });
    REQUIRE(result.completed);
    // The roots b_n of b tan(b) = Bi, one in each (n pi, n pi + pi / 2), by bisection.
    std::vector<double> roots;
    for (int n = 0; n < 60; ++n) {
        double lo = n * std::numbers::pi + 1e-12, hi = n * std::numbers::pi + std::numbers::pi / 2 - 1e-12;
        for (int k = 0; k < 200; ++k) {
            const double mid = 0.5 * (lo + hi);
            (mid * std::tan(mid) < Bi ? lo : hi) = mid;
        }
        roots.push_back(0.5 * (lo + hi));
    }
    auto series = [&](double T) {
        double sum = 0.0;
        for (const double b : roots)
            sum += 2 * std::sin(b) / (b + std::sin(b) * std::cos(b)) * std::exp(-b * b * T);
        return load * sum;
    };
    double worst = 0.0;
    for (const double T : {0.1, 0.2, 0.5, 1.0}) {
        const auto& [time, p] = history[static_cast<std::size_t>(std::lround(T / 0.005))];
        REQUIRE(time == Approx(T).epsilon(1e-6));
        INFO("T " << T << ": p " << p << ", series " << series(T));
        worst = std::max(worst, std::abs(p - series(T)) / load);
    }
    INFO("bottom pressure error " << worst << " of s0");
    // As for the drained top (the same mesh and time steps): within 1 % of s0.
    CHECK(worst < 0.01);
    // Mass conservation through the layer: what left through it is the column's volume loss.
    const double volume_loss = -state.displacement(top).z();
    CHECK(outflow == Approx(volume_loss).epsilon(1e-9));
}

TEST_CASE("free swelling of a charged sample to its Donnan equilibrium volume", "[verification]") {
    // A unit cube, drained on every node (bath pressure 0), on symmetry supports, with no load:
    // the Donnan osmotic pressure pi(J) swells it until the solid's stress balances it. For the
    // uncoupled neo-Hookean solid under pure dilatation F = J^(1/3) I the isochoric stress is
    // zero and sigma_e = U'(J) = K ln(J) / J, so the equilibrium volume solves
    //     K ln(J) / J = pi(J) = R theta (sqrt(cF(J)^2 + c*^2) - c*),  cF = cF0 phi_w0 / (J - 1 + phi_w0).
    const double K = 1.0;
    const materials::DonnanOsmotic donnan = materials::make_donnan_osmotic(200.0, 0.8, 300.0);
    auto balance = [&](double J) {
        return K * std::log(J) / J - materials::osmotic_pressure(donnan, J).pi;
    };
    double lo = 1.0, hi = 2.0; // balance(1) < 0 < balance(2)
    REQUIRE(balance(lo) < 0.0);
    REQUIRE(balance(hi) > 0.0);
    for (int i = 0; i < 200; ++i)
        (balance(0.5 * (lo + hi)) < 0.0 ? lo : hi) = 0.5 * (lo + hi);
    const double expected = 0.5 * (lo + hi);

    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 2, 2, 2);
    Model model;
    model.mesh = &mesh;
    model.layout = DofLayout{Field::displacement, Field::pore_pressure};
    model.materials = {materials::make_material(materials::make_neo_hookean(0.1), std::nullopt,
                                                materials::make_volumetric(K))};
    model.cell_material.assign(mesh.cells.size(), 0);
    BiphasicModel fluid;
    fluid.cells.assign(mesh.cells.size(),
                       BiphasicElement{materials::make_constant_permeability(1e-3), Mat3::Zero(), donnan});
    for (int n = 0; n < mesh.node_count(); ++n) {
        fluid.drained_nodes.push_back(n);
        for (int i = 0; i < 3; ++i)
            if (mesh.nodes[n][i] < 1e-12) model.prescribed.push_back({n, i, 0.0});
    }
    model.biphasic = fluid;
    System system(model);
    State state = system.initial_state();
    Step swell;
    swell.name = "swell";
    swell.initial_increment = swell.min_increment = swell.max_increment = 1.0;
    swell.duration = 1.0;
    REQUIRE(solve_steps(system, state, {swell}, test::tight_stepping()).completed);
    // Every element dilates uniformly to the closed-form volume.
    const auto stresses = system.element_stresses(state);
    for (const auto& s : stresses)
        CHECK(s.dilatation == Approx(expected).epsilon(1e-9));
    CHECK(expected > 1.1); // it really swells
}

TEST_CASE("confined-compression stress relaxation against the series solution of Mow et al. 1980",
          "[verification]") {
    // The column of the Terzaghi test, its top now driven by a displacement ramp u(H, t) = -V0 t
    // to the strain e0 at t0, then held. For the linear biphasic layer the solid displacement
    // obeys u_t = c u_zz (c = k H_A) with u = 0 at the fixed, sealed bottom (Mow, Kuei, Lai &
    // Armstrong 1980); separating the ramp gives the stress on the top during the ramp
    //     s_ramp(t) = -H_A V0 [t / H + (2 / H) sum_n (1 - exp(-l_n t)) / l_n],  l_n = c (n pi / H)^2,
    // and after it, by superposition, s(t) = s_ramp(t) - s_ramp(t - t0), relaxing to -H_A e0.
    const int elements = 20;
    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 1, 1, elements);
    const double strain = 1e-4, t_c = 1.0 / consolidation, t0 = 0.1 * t_c;
    const double V0 = strain / t0; // mm/s on a unit column
    auto ramp_stress = [&](double time) {
        if (time <= 0.0) return 0.0;
        double sum = 0.0;
        for (int n = 1; n <= 2000; ++n) {
            const double l = consolidation * std::pow(n * std::numbers::pi, 2);
            sum += (1.0 - std::exp(-l * time)) / l;
        }
        return -aggregate * V0 * (time + 2.0 * sum);
    };
    auto stress = [&](double time) { return ramp_stress(time) - ramp_stress(time - t0); };

    Model model = confined_column(mesh, elements);
    std::vector<int> top_nodes;
    for (int n = 0; n < mesh.node_count(); ++n) {
        if (mesh.nodes[n].z() > height - 1e-12) {
            model.prescribed.push_back({n, 2, -strain}); // times prescribed_scale: the ramp
            top_nodes.push_back(n);
        }
    }
    System system(model);
    State state = system.initial_state();
    Step ramp;
    ramp.name = "ramp";
    ramp.target.prescribed_scale = 1.0;
    ramp.duration = t0;
    ramp.initial_increment = ramp.min_increment = ramp.max_increment = 0.01; // T steps of 0.001
    Step hold = ramp;
    hold.name = "hold";
    hold.duration = 0.9 * t_c;
    hold.initial_increment = hold.min_increment = hold.max_increment = 1.0 / 450.0; // T 0.002
    std::vector<std::pair<double, double>> history; // t, stress on the top
    double t = 0.0;
    REQUIRE(solve_steps(system, state, {ramp, hold}, test::tight_stepping(),
                        [&](const Increment& increment, const State&) {
                            t += increment.load.time_step;
                            double force = 0.0;
                            for (const int n : top_nodes)
                                force += system.reactions()[model.layout.index(n, Field::displacement, 2)];
                            history.push_back({t, force}); // on a unit area
                        })
                .completed);
    const double equilibrium = aggregate * strain;
    const double peak = -stress(t0);
    // At fixed times away from the two kinks (the start and the end of the ramp, where the
    // stress starts as sqrt(t) and backward Euler's first steps are the least accurate, as in
    // Terzaghi's start): mid-ramp, the peak, and the relaxation.
    double worst = 0.0;
    for (const double T : {0.05, 0.1, 0.2, 0.3, 0.5, 1.0}) {
        const auto it = std::min_element(history.begin(), history.end(), [&](const auto& a, const auto& b) {
            return std::abs(a.first - T * t_c) < std::abs(b.first - T * t_c);
        });
        REQUIRE(it->first == Approx(T * t_c).epsilon(1e-6));
        worst = std::max(worst, std::abs(it->second - stress(it->first)) / peak);
    }
    INFO("largest error " << worst << " of the peak stress, " << peak / equilibrium << " H_A e0");
    // The peak at the end of the ramp is several times the equilibrium stress (the fluid
    // carries the load while it cannot leave); the computed history follows the series to 1 %
    // of that peak (backward Euler, T steps of 0.001 and 0.002), and relaxes to H_A e0.
    CHECK(peak > 2.0 * equilibrium);
    CHECK(worst < 0.01);
    CHECK(history.back().second == Approx(-equilibrium).epsilon(0.01));
}

// A charged, strain-dependently permeable block on a fixed base, drained on one side, its top
// tied to a rigid vertebra: the unsymmetric u-p tangent with the bordered vertebra rows.
Model charged_block_with_vertebra(const mesh::HexMesh& mesh) {
    Model model;
    model.mesh = &mesh;
    model.layout = DofLayout{Field::displacement, Field::pore_pressure};
    model.materials = {materials::make_material(materials::make_neo_hookean(0.5), std::nullopt,
                                                materials::make_volumetric(2.0))};
    model.cell_material.assign(mesh.cells.size(), 0);
    BiphasicModel fluid;
    fluid.cells.assign(mesh.cells.size(),
                       BiphasicElement{materials::make_holmes_mow_permeability(0.01, 0.2, 2.0, 1.5),
                                       cube_stabilisation(0.5, 3.0),
                                       materials::make_donnan_osmotic(200.0, 0.8, 300.0)});
    for (const int n : test::nodes_on_plane(mesh, 2, 0.0)) {
        for (int i = 0; i < 3; ++i)
            model.prescribed.push_back({n, i, 0.0});
    }
    for (const int n : test::nodes_on_plane(mesh, 0, 0.0))
        fluid.drained_nodes.push_back(n);
    model.biphasic = fluid;
    RigidBody body;
    body.nodes = test::nodes_on_plane(mesh, 2, 1.0);
    body.reference_point = Vec3(0.5, 0.5, 1.0);
    model.rigid_body = body;
    return model;
}

TEST_CASE("the biphasic system with the rigid vertebra is the derivative of its residual",
          "[unit]") {
    // The u-p tangent is unsymmetric: the mass balance's Darcy term dt J k(J) g_a . grad p
    // depends on the motion, while the solid's balance sees p only through p J F^-T Grad N_a.
    // So the vertebra's rows (d r_r / d(u, p)) are not the transpose of its columns
    // (d r_f / d theta), and taking them as such had cost Newton its quadratic rate on the disc
    // (a traction session: the residual fell by a steady 0.03 per iteration). Directional
    // finite differences of (r_f, r_r) at a strained, pressurised state over a long time step,
    // with a strain-dependent permeability and a charged solid, must match K d.
    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 2, 2, 2);
    const Model model = charged_block_with_vertebra(mesh);
    System system(model);
    REQUIRE_FALSE(system.symmetric_tangent());
    LoadState load;
    load.force = Vec3(0.1, -0.05, -0.2);
    load.moment = Vec3(0.03, 0.05, -0.02);
    load.time_step = 50.0; // s: k dt / h^2 = 2, the Darcy terms as large as the solid's
    const auto [state, direction] =
        test::strained_state_and_direction(system, load, Vec3(0.1, -0.15, 0.05), 7);
    const auto [Kd, fd] = test::tangent_and_finite_difference(system, state, load, direction);
    // Central differences: O(e^2) truncation, round-off eps |r| / e ~ 1e-10 |r|: 1e-6 relative.
    CHECK((fd - Kd).norm() < 1e-6 * Kd.norm());
    CHECK((fd.tail<6>() - Kd.tail<6>()).norm() < 1e-6 * Kd.tail<6>().norm());
}

TEST_CASE("the biphasic system solves alike with UMFPACK's and MUMPS' LU, MUMPS' also in single "
          "precision", "[unit]") {
    // System::set_unsymmetric_solver: a run alone takes MUMPS on a large biphasic disc, a sweep
    // UMFPACK. Both factorise the same unsymmetric tangent exactly, so Newton takes the same
    // path and converges to the same state, to the solver tolerance.
    const mesh::HexMesh mesh = test::box_mesh(1, 1, 1, 2, 2, 2);
    const Model model = charged_block_with_vertebra(mesh);
    LoadState load;
    load.force = Vec3(0.1, -0.05, -0.2);
    load.moment = Vec3(0.03, 0.05, -0.02);
    load.time_step = 50.0;
    std::vector<State> states;
    std::vector<NewtonReport> reports;
    for (const auto solver : {UnsymmetricSolver::umfpack, UnsymmetricSolver::mumps,
                              UnsymmetricSolver::mumps_single}) {
        System system(model);
        system.set_unsymmetric_solver(solver);
        INFO(system.linear_solver_name());
        CHECK(system.linear_solver_name().find(solver == UnsymmetricSolver::umfpack ? "UMFPACK" : "MUMPS") !=
              std::string_view::npos);
        CHECK((system.linear_solver_name().find("single") != std::string_view::npos) ==
              (solver == UnsymmetricSolver::mumps_single));
        State state = system.initial_state();
        system.commit(state);
        reports.push_back(solve_increment(system, state, load, test::tight_stepping().newton));
        REQUIRE(reports.back().converged);
        states.push_back(state);
    }
    // The single-precision LU preconditions GMRES, which finishes every solve to the same
    // tolerance: the same Newton path to that tolerance, and the same converged state.
    for (int other : {1, 2}) {
        INFO("solver " << other);
        CHECK(reports[0].iterations == reports[other].iterations);
        // tight_stepping: |r| <= 1e-11 of the load, so the states agree far below 1e-8 of the
        // motion.
        CHECK((states[0].u - states[other].u).norm() <= 1e-8 * states[0].u.norm());
        CHECK((states[0].rp_displacement - states[other].rp_displacement).norm() <=
              1e-8 * states[0].rp_displacement.norm());
    }
}
