// Fissure clusters and through-wall herniation paths on the disc mesh, for rupture patterns
// built by hand: the answers (depths, whether a path exists, its length) follow from the
// pattern.
#include "mesh/disc_mesher.hpp"
#include "mesh/topology.hpp"
#include "solver/herniation.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

using namespace discsim;
using namespace discsim::solver;

namespace {

const mesh::HexMesh& disc() {
    static const mesh::HexMesh m =
        mesh::generate_disc_mesh(mesh::preset(mesh::Segment::L4_L5, mesh::Resolution::coarse));
    return m;
}

// The cell of `ring` in the lowest axial layer whose centroid lies closest to `angle_deg`
// (from anterior towards left).
int cell_at(int ring, double angle_deg) {
    const auto& m = disc();
    int best = -1;
    double best_gap = 1e9;
    for (int c = 0; c < m.cell_count(); ++c) {
        if (m.region[c] != ring) continue;
        const mesh::Vec3 x = mesh::cell_centroid(m, c);
        if (x.z() > 2.5) continue; // lowest layer (coarse: 3 layers over about 11 mm)
        const double angle = std::atan2(x.y(), x.x()) * 180.0 / std::numbers::pi;
        const double gap = std::abs(std::remainder(angle - angle_deg, 360.0));
        if (gap < best_gap) {
            best_gap = gap;
            best = c;
        }
    }
    REQUIRE(best >= 0);
    return best;
}

bool share_a_face(const std::vector<std::array<int, 6>>& neighbours, int a, int b) {
    for (int other : neighbours[a]) {
        if (other == b) return true;
    }
    return false;
}

} // namespace

TEST_CASE("no rupture, no fissure", "[unit]") {
    const FissureFinder finder(disc());
    const auto result = finder.analyse(std::vector<char>(disc().cells.size(), 0));
    CHECK(result.ruptured == 0);
    CHECK(result.fissures.empty());
    CHECK(result.deepest == 0.0);
    CHECK(result.herniation == -1);
}

TEST_CASE("a posterior radial column through every ring is a herniation along it", "[unit]") {
    const auto& m = disc();
    const int rings = m.annulus_ring_count();
    std::vector<char> ruptured(m.cells.size(), 0);
    std::vector<int> column;
    for (int ring = 1; ring <= rings; ++ring) {
        column.push_back(cell_at(ring, 180.0));
        ruptured[column.back()] = 1;
    }
    // The rings' cells at one angle are face neighbours (the O-grid's radial lines).
    const auto neighbours = mesh::face_neighbours(m);
    for (int k = 1; k < rings; ++k)
        REQUIRE(share_a_face(neighbours, column[k - 1], column[k]));

    const FissureFinder finder(m);
    const auto result = finder.analyse(ruptured);
    CHECK(result.ruptured == rings);
    REQUIRE(result.fissures.size() == 1);
    REQUIRE(result.herniation == 0);
    const Fissure& f = result.fissures[0];
    CHECK(f.depth == 1.0);
    CHECK(f.reaches_nucleus);
    CHECK(f.reaches_outer_wall);
    // The only through-wall chain is the column itself, inner to outer.
    CHECK(f.path == column);
    CHECK(mesh::sector_from_angle(180.0) == mesh::Sector::posterior);
    CHECK(m.sector[f.path.front()] == mesh::Sector::posterior);
}

TEST_CASE("a gap in the column leaves two partial fissures and no herniation", "[unit]") {
    const auto& m = disc();
    const int rings = m.annulus_ring_count(); // 4 at coarse
    REQUIRE(rings == 4);
    std::vector<char> ruptured(m.cells.size(), 0);
    for (int ring : {1, 2, 4})
        ruptured[cell_at(ring, 150.0)] = 1;
    const auto result = FissureFinder(m).analyse(ruptured);
    CHECK(result.ruptured == 3);
    REQUIRE(result.fissures.size() == 2);
    CHECK(result.herniation == -1);
    CHECK(result.deepest == Approx(2.0 / 4.0)); // rings 1-2, from the nucleus
    CHECK(result.fissures[0].reaches_nucleus);
    CHECK_FALSE(result.fissures[0].reaches_outer_wall);
    CHECK(result.fissures[1].depth == Approx(1.0 / 4.0)); // ring 4 alone: a rim lesion
    CHECK(result.fissures[1].reaches_outer_wall);
    CHECK(result.fissures[1].path.empty());
}

TEST_CASE("a herniation path is a shortest face-connected chain from nucleus to outer wall",
          "[unit]") {
    // A zig-zag cluster: ring 1 at 120 deg, then ring 2 from 120 to 140 deg around the
    // circumference, then rings 3 and 4 at 140 deg. Every chain must cross all four rings; the
    // shortest runs along ring 2 between the two columns.
    const auto& m = disc();
    std::vector<char> ruptured(m.cells.size(), 0);
    ruptured[cell_at(1, 120.0)] = 1;
    const auto neighbours = mesh::face_neighbours(m);
    // Walk ring 2 in the lowest layer from the cell at 120 deg to the one at 140 deg.
    const int from = cell_at(2, 120.0), to = cell_at(2, 140.0);
    int walk = from;
    ruptured[walk] = 1;
    int steps = 0;
    while (walk != to && steps < 50) {
        int next = -1;
        double best = 1e9;
        const mesh::Vec3 target = mesh::cell_centroid(m, to);
        for (int other : neighbours[walk]) {
            if (other < 0 || m.region[other] != 2) continue;
            if (mesh::cell_centroid(m, other).z() > 2.5) continue;
            const double d = (mesh::cell_centroid(m, other) - target).norm();
            if (d < best) {
                best = d;
                next = other;
            }
        }
        REQUIRE(next >= 0);
        walk = next;
        ruptured[walk] = 1;
        ++steps;
    }
    REQUIRE(walk == to);
    ruptured[cell_at(3, 140.0)] = 1;
    ruptured[cell_at(4, 140.0)] = 1;
    const auto result = FissureFinder(m).analyse(ruptured);
    REQUIRE(result.herniation >= 0);
    const auto& path = result.fissures[result.herniation].path;
    CHECK(static_cast<int>(path.size()) == 4 + steps); // ring 1, steps + 1 in ring 2, rings 3-4
    for (std::size_t k = 1; k < path.size(); ++k)
        CHECK(share_a_face(neighbours, path[k - 1], path[k]));
    CHECK(m.region[path.front()] == 1);
    CHECK(m.region[path.back()] == m.annulus_ring_count());
    for (int c : path)
        CHECK(ruptured[c]);
}

TEST_CASE("ruptured flags on nucleus cells are ignored", "[unit]") {
    const auto& m = disc();
    std::vector<char> ruptured(m.cells.size(), 0);
    for (int c = 0; c < m.cell_count(); ++c)
        ruptured[c] = m.region[c] == 0;
    const auto result = FissureFinder(m).analyse(ruptured);
    CHECK(result.ruptured == 0);
    CHECK(result.fissures.empty());
}
