// Terzaghi's one-dimensional consolidation (Terzaghi 1923) with the biphasic hex8 element
// (solver/hex8_biphasic.hpp): a confined column of height H, drained at the top, sealed and
// fixed at the bottom, loaded at t = 0 by a compressive traction s0. Closed form (small strain,
// constant permeability k, drained aggregate modulus H_A, consolidation coefficient c = k H_A):
//     p(z, t) = sum_m 4 s0 / ((2m + 1) pi) sin((2m + 1) pi (H - z) / (2H)) exp(-(2m + 1)^2 pi^2 T / 4)
//     settlement(t) = s0 H / H_A (1 - sum_m 8 / ((2m + 1)^2 pi^2) exp(-(2m + 1)^2 pi^2 T / 4)),
// T = c t / H^2. The column is assembled here from the element alone, with a sparse LU, so that
// the formulation is verified before the System carries pressure unknowns. The load is 1e-4 of
// H_A, so finite-strain effects (of the order of the strain) stay far below the 1 % tolerance.
#include "materials/hyperelastic.hpp"
#include "materials/permeability.hpp"
#include "solver/hex8_biphasic.hpp"
#include "support/biphasic_column.hpp"
#include "support/meshes.hpp"

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

using namespace discsim;
using namespace discsim::solver;

namespace {

using namespace test::column;

struct Column {
    mesh::HexMesh mesh;
    std::vector<Hex8Geometry> geometry;
    std::vector<int> free;        // per value (4 per node): equation or -1
    int equations = 0;
    std::vector<double> pressure_history_bottom, settlement_history, times;
    std::vector<double> final_pressure; // nodal p along the column's x = y = 0 edge, bottom up
};

/// Runs the column with `elements` elements over `steps` equal time steps to T_end, under the
/// traction `traction` (default: s0) with the permeability law `law` (default: constant k).
Column consolidate(int elements, int steps, double T_end, bool stabilised,
                   double first_step = 0.0, double traction = load,
                   const materials::Permeability& law =
                       materials::make_constant_permeability(permeability),
                   std::vector<double>* first_residuals = nullptr) {
    Column col;
    col.mesh = test::box_mesh(1.0, 1.0, height, 1, 1, elements);
    const int nodes = col.mesh.node_count();
    col.geometry.resize(col.mesh.cells.size());
    for (std::size_t c = 0; c < col.mesh.cells.size(); ++c) {
        std::array<Vec3, 8> x;
        for (int k = 0; k < 8; ++k)
            x[k] = col.mesh.nodes[col.mesh.cells[c][k]];
        REQUIRE(hex8_geometry(x, col.geometry[c]));
    }
    // Confined: u_x = u_y = 0 everywhere; u_z = 0 at the bottom; p = 0 at the drained top.
    col.free.assign(4 * nodes, -1);
    for (int n = 0; n < nodes; ++n) {
        const double z = col.mesh.nodes[n].z();
        if (z > 1e-12) col.free[4 * n + 2] = col.equations++;
        if (z < height - 1e-12) col.free[4 * n + 3] = col.equations++;
    }
    const materials::Material material = materials::make_material(
        materials::make_neo_hookean(c10), std::nullopt, materials::make_volumetric(bulk));
    const ElementMaterial solid{&material};
    const double h = height / elements;
    const BiphasicElement fluid{law, stabilised ? cube_stabilisation(h, aggregate) : Mat3::Zero()};
    // Equal spacing in T, or a first step of `first_step` and the rest equal.
    std::vector<double> step_T(steps, T_end / steps);
    if (first_step > 0.0 && steps > 1) {
        step_T[0] = first_step;
        for (int s = 1; s < steps; ++s)
            step_T[s] = (T_end - first_step) / (steps - 1);
    }
    Eigen::VectorXd x = Eigen::VectorXd::Zero(4 * nodes), x_previous = x;
    double T = 0.0;
    for (int s = 0; s < steps; ++s) {
        const double dt = step_T[s] * height * height / consolidation;
        T += step_T[s];
        for (int iteration = 0;; ++iteration) {
            REQUIRE(iteration < 10);
            Eigen::VectorXd R = Eigen::VectorXd::Zero(col.equations);
            std::vector<Eigen::Triplet<double>> entries;
            for (std::size_t c = 0; c < col.mesh.cells.size(); ++c) {
                const auto& cell = col.mesh.cells[c];
                ElementVector u, u_n;
                NodalPressures p, p_n;
                for (int a = 0; a < 8; ++a) {
                    u.segment<3>(3 * a) = x.segment<3>(4 * cell[a]);
                    u_n.segment<3>(3 * a) = x_previous.segment<3>(4 * cell[a]);
                    p[a] = x[4 * cell[a] + 3];
                    p_n[a] = x_previous[4 * cell[a] + 3];
                }
                double energy = 0.0;
                BiphasicVector r;
                BiphasicMatrix K;
                REQUIRE(hex8_biphasic_evaluate(col.geometry[c], solid, fluid, dt, u, p, u_n, p_n,
                                               energy, r, &K) == ElementStatus::ok);
                for (int i = 0; i < 32; ++i) {
                    const int row = col.free[4 * cell[i / 4] + i % 4];
                    if (row < 0) continue;
                    R[row] += r[i];
                    for (int j = 0; j < 32; ++j) {
                        const int column = col.free[4 * cell[j / 4] + j % 4];
                        if (column >= 0) entries.emplace_back(row, column, K(i, j));
                    }
                }
            }
            // The traction on the top face (area 1, a quarter per node), a dead load.
            for (int n = 0; n < nodes; ++n)
                if (col.mesh.nodes[n].z() > height - 1e-12) R[col.free[4 * n + 2]] += traction / 4.0;
            if (s == 0 && first_residuals) first_residuals->push_back(R.norm());
            if (R.norm() <= 1e-10 * traction) break;
            Eigen::SparseMatrix<double> K(col.equations, col.equations);
            K.setFromTriplets(entries.begin(), entries.end());
            Eigen::SparseLU<Eigen::SparseMatrix<double>> lu(K);
            REQUIRE(lu.info() == Eigen::Success);
            const Eigen::VectorXd dx = lu.solve(-R);
            for (int k = 0; k < 4 * nodes; ++k)
                if (col.free[k] >= 0) x[k] += dx[col.free[k]];
        }
        x_previous = x;
        int bottom = 0, top = 0;
        for (int n = 0; n < nodes; ++n) {
            const Vec3& X = col.mesh.nodes[n];
            if (X.x() == 0 && X.y() == 0 && X.z() == 0) bottom = n;
            if (X.x() == 0 && X.y() == 0 && X.z() > height - 1e-12) top = n;
        }
        col.times.push_back(T);
        col.pressure_history_bottom.push_back(x[4 * bottom + 3]);
        col.settlement_history.push_back(-x[4 * top + 2]);
    }
    for (int n = 0; n < nodes; ++n) {
        const Vec3& X = col.mesh.nodes[n];
        if (X.x() == 0 && X.y() == 0) col.final_pressure.push_back(x[4 * n + 3]);
    }
    return col;
}

/// The largest error against Terzaghi at T = 0.02, 0.1, 0.2, 0.5 and 1 (times every
/// column below steps on): pressure at the bottom (of s0) and settlement (of the final
/// settlement). Fixed times, not every step: backward Euler's first step is the least accurate
/// (the settlement starts as sqrt(t)), and a finer time step puts its first step at a smaller T.
std::pair<double, double> errors(const Column& col, double from_T = 0.0) {
    double pressure = 0.0, settlement = 0.0;
    const double final_settlement = load * height / aggregate;
    for (const double T : {0.02, 0.1, 0.2, 0.5, 1.0}) {
        std::size_t i = 0;
        while (i + 1 < col.times.size() && col.times[i] < T - 1e-9)
            ++i;
        REQUIRE(col.times[i] == Approx(T).epsilon(1e-9));
        if (T < from_T) continue;
        pressure = std::max(pressure, std::abs(col.pressure_history_bottom[i] -
                                               terzaghi_pressure(0.0, T)) / load);
        settlement = std::max(settlement, std::abs(col.settlement_history[i] -
                                                   terzaghi_settlement(T)) / final_settlement);
    }
    return {pressure, settlement};
}

} // namespace

TEST_CASE("Terzaghi consolidation: pressure and settlement within 1 %, the error falling "
          "with the mesh and the time step",
          "[verification]") {
    // From T = 0.02 (after the first, sharpest part) to T = 1 (about 93 % consolidated).
    const Column coarse = consolidate(10, 50, 1.0, true);
    const Column fine = consolidate(20, 100, 1.0, true);
    const Column finer = consolidate(40, 200, 1.0, true);
    const auto [p1, s1] = errors(coarse);
    const auto [p2, s2] = errors(fine);
    const auto [p3, s3] = errors(finer);
    INFO("bottom pressure errors " << p1 << " " << p2 << " " << p3 << "; settlement errors " << s1
                                   << " " << s2 << " " << s3);
    CHECK(p3 < 0.01);
    CHECK(s3 < 0.01);
    // Backward Euler is first order in time and the element second order in space: halving
    // both must at least nearly halve the error, once the solution is smooth in time. The
    // settlement starts as sqrt(t), where backward Euler converges more slowly: its order is
    // checked from T = 0.1 on.
    CHECK(p2 < 0.7 * p1);
    CHECK(p3 < 0.7 * p2);
    const double e1 = errors(coarse, 0.1).second, e2 = errors(fine, 0.1).second,
                 e3 = errors(finer, 0.1).second;
    INFO("settlement errors from T = 0.1: " << e1 << " " << e2 << " " << e3);
    CHECK(e2 < 0.7 * e1);
    CHECK(e3 < 0.7 * e2);
}

TEST_CASE("the first, nearly undrained step: the stabilised pressure does not oscillate",
          "[verification]") {
    // A first step of T = 1e-5 on a 20-element column: nearly undrained, p close to s0 in the
    // column and 0 at the drained top, a boundary layer far thinner than an element. Equal-order
    // Q1-Q1 without stabilisation overshoots and oscillates there (Vermeer & Verruijt 1981);
    // with beta = h^2 / (4 H_A) (Aguilar et al. 2008) the profile is monotone and within [0, s0].
    const Column plain = consolidate(20, 1, 1e-5, false);
    const Column stabilised = consolidate(20, 1, 1e-5, true);
    auto monotone = [](const std::vector<double>& p) {
        for (std::size_t i = 1; i < p.size(); ++i)
            if (p[i] > p[i - 1] + 1e-12 * std::abs(p[0])) return false;
        return true;
    };
    auto overshoot = [](const std::vector<double>& p) {
        double worst = 0.0;
        for (double v : p)
            worst = std::max({worst, v / load - 1.0, -v / load});
        return worst;
    };
    INFO("overshoot without " << overshoot(plain.final_pressure) << ", with "
                              << overshoot(stabilised.final_pressure));
    CHECK_FALSE(monotone(plain.final_pressure));
    CHECK(overshoot(plain.final_pressure) > 0.05);
    CHECK(monotone(stabilised.final_pressure));
    CHECK(overshoot(stabilised.final_pressure) < 1e-3);
    // Away from the top, the undrained pressure is s0 (incompressible constituents).
    CHECK(stabilised.final_pressure.front() == Approx(load).epsilon(1e-3));
}

TEST_CASE("consolidation with a strain-dependent permeability converges to a fine reference",
          "[verification]") {
    // No closed form: a compressive traction of 0.2 H_A (a final strain of about 20 %) with the
    // Holmes-Mow permeability (phi0 0.2, alpha 2, M 3), whose k falls as the column compacts.
    // The reference is the same column at 80 elements and T steps of 0.00125; coarser columns
    // (10, 20, 40 elements, dt doubled each time) must approach it, and the compacting column
    // must drain more slowly than one with the constant k0.
    const double traction = 0.2 * aggregate;
    const materials::Permeability law =
        materials::make_holmes_mow_permeability(permeability, 0.2, 2.0, 3.0);
    const Column reference = consolidate(80, 400, 0.5, true, 0.0, traction, law);
    auto error = [&](const Column& col) {
        // At T = 0.1, 0.2, 0.3, 0.4 and 0.5: bottom pressure of the traction, settlement of the
        // reference's last one.
        double worst = 0.0;
        for (const double T : {0.1, 0.2, 0.3, 0.4, 0.5}) {
            auto at = [&](const Column& c) {
                std::size_t i = 0;
                while (i + 1 < c.times.size() && c.times[i] < T - 1e-9)
                    ++i;
                REQUIRE(c.times[i] == Approx(T).epsilon(1e-9));
                return i;
            };
            const std::size_t i = at(col), r = at(reference);
            worst = std::max({worst,
                              std::abs(col.pressure_history_bottom[i] -
                                       reference.pressure_history_bottom[r]) / traction,
                              std::abs(col.settlement_history[i] - reference.settlement_history[r]) /
                                  reference.settlement_history.back()});
        }
        return worst;
    };
    const double e10 = error(consolidate(10, 50, 0.5, true, 0.0, traction, law));
    const double e20 = error(consolidate(20, 100, 0.5, true, 0.0, traction, law));
    const double e40 = error(consolidate(40, 200, 0.5, true, 0.0, traction, law));
    INFO("errors against the 80-element reference: " << e10 << " " << e20 << " " << e40);
    CHECK(e20 < 0.7 * e10);
    CHECK(e40 < 0.7 * e20);
    CHECK(e40 < 0.01);
    // Slower drainage than with the constant permeability at the same load.
    const Column constant = consolidate(40, 200, 0.5, true, 0.0, traction);
    const std::size_t mid = 39; // T = 0.1
    REQUIRE(constant.times[mid] == Approx(0.1).epsilon(1e-9));
    REQUIRE(reference.times[79] == Approx(0.1).epsilon(1e-9));
    CHECK(reference.pressure_history_bottom[79] > constant.pressure_history_bottom[mid]);
}

TEST_CASE("Newton converges quadratically on the biphasic column", "[verification]") {
    // The first step of the strain-dependent case (0.2 H_A at once, Holmes-Mow k): the load,
    // the permeability and the geometry all change within it, so every term of the tangent
    // matters. With the exact tangent the residual falls as r_{i+1} ~ C r_i^2: the observed
    // order log(r_{i+1} / r_i) / log(r_i / r_{i-1}) over the iterations before round-off.
    std::vector<double> r;
    consolidate(20, 1, 0.05, true, 0.0, 0.2 * aggregate,
                materials::make_holmes_mow_permeability(permeability, 0.2, 2.0, 3.0), &r);
    REQUIRE(r.size() >= 4);
    std::ostringstream history;
    for (double v : r)
        history << " " << std::scientific << std::setprecision(2) << v;
    INFO("residuals:" << history.str());
    // The last ratio before the residual reaches round-off (1e-12 of the first).
    double order = 0.0;
    for (std::size_t i = 2; i < r.size(); ++i)
        if (r[i] > 1e-12 * r[0]) order = std::log(r[i] / r[i - 1]) / std::log(r[i - 1] / r[i - 2]);
    INFO("observed order " << order);
    CHECK(order > 1.8);
}
