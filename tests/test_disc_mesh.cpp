// The generated disc mesh against the geometry it discretises: element validity, areas,
// volume, nucleus share, fibre frames, sectors, and closed named surfaces.
#include "mesh/disc_mesher.hpp"
#include "mesh/quality.hpp"
#include "mesh/topology.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <set>

using namespace discsim::mesh;

namespace {

constexpr double pi = std::numbers::pi;

// det J of the trilinear map at a corner is the triple product of the three edges leaving
// it (up to the factor 1/8), taken in the xi, eta, zeta order of the VTK node numbering;
// at the centre it is the triple product of the differences of opposite face centres.
// Written out here independently of mesh/quality.cpp.
double corner_determinant(const HexNodes& x, int corner) {
    // Neighbours of each corner along xi, eta, zeta, and the sign of that direction.
    static const int along[8][3] = {{1, 3, 4}, {0, 2, 5}, {3, 1, 6}, {2, 0, 7},
                                    {5, 7, 0}, {4, 6, 1}, {7, 5, 2}, {6, 4, 3}};
    static const int sign[8][3] = {{1, 1, 1},  {-1, 1, 1},  {-1, -1, 1},  {1, -1, 1},
                                   {1, 1, -1}, {-1, 1, -1}, {-1, -1, -1}, {1, -1, -1}};
    Vec3 e[3];
    for (int d = 0; d < 3; ++d) e[d] = sign[corner][d] * (x[along[corner][d]] - x[corner]);
    return e[0].dot(e[1].cross(e[2]));
}

double centre_determinant(const HexNodes& x) {
    auto face_centre = [&](int a, int b, int c, int d) { return (x[a] + x[b] + x[c] + x[d]) / 4; };
    const Vec3 xi = face_centre(1, 2, 6, 5) - face_centre(0, 3, 7, 4);
    const Vec3 eta = face_centre(3, 2, 6, 7) - face_centre(0, 1, 5, 4);
    const Vec3 zeta = face_centre(4, 5, 6, 7) - face_centre(0, 1, 2, 3);
    return xi.dot(eta.cross(zeta));
}

struct Case {
    Segment segment;
    Resolution resolution;
};
const Case all_cases[] = {{Segment::L4_L5, Resolution::coarse}, {Segment::L4_L5, Resolution::medium},
                          {Segment::L4_L5, Resolution::fine},   {Segment::L5_S1, Resolution::coarse},
                          {Segment::L5_S1, Resolution::medium}, {Segment::L5_S1, Resolution::fine}};

// Every edge of a set of faces must be used exactly twice for the faces to close.
bool closed_surface(const HexMesh& mesh, const std::vector<CellFace>& faces) {
    std::map<std::pair<int, int>, int> uses;
    for (const auto& f : faces) {
        const auto& local = hex_faces()[f.local_face];
        for (int k = 0; k < 4; ++k) {
            int a = mesh.cells[f.cell][local[k]], b = mesh.cells[f.cell][local[(k + 1) % 4]];
            uses[{std::min(a, b), std::max(a, b)}]++;
        }
    }
    for (const auto& [edge, count] : uses) {
        if (count != 2) return false;
    }
    return !faces.empty();
}

std::vector<CellFace> faces_of_region(const HexMesh& mesh, Surface surface, bool nucleus) {
    std::vector<CellFace> out;
    for (const auto& f : mesh.face_set(surface)) {
        if ((mesh.region[f.cell] == 0) == nucleus) out.push_back(f);
    }
    return out;
}

} // namespace

TEST_CASE("every element has a positive Jacobian at its corners and centre", "[unit]") {
    for (const auto& c : all_cases) {
        const HexMesh mesh = generate_disc_mesh(preset(c.segment, c.resolution));
        int bad = 0;
        for (int e = 0; e < mesh.cell_count(); ++e) {
            const auto x = cell_nodes(mesh, e);
            for (int corner = 0; corner < 8; ++corner) bad += corner_determinant(x, corner) <= 0;
            bad += centre_determinant(x) <= 0;
        }
        INFO(segment_name(c.segment) << " " << resolution_name(c.resolution));
        CHECK(bad == 0);
        // And quality measure agrees: no element near degenerate.
        CHECK(mesh_statistics(mesh).min_scaled_jacobian > 0.3);
    }
}

TEST_CASE("mesh area, nucleus share and volume match the analytic disc", "[verification]") {
    for (const auto& c : all_cases) {
        const DiscParameters p = preset(c.segment, c.resolution);
        const DiscOutline outline(p);
        const HexMesh mesh = generate_disc_mesh(p);
        const auto s = mesh_statistics(mesh);
        INFO(segment_name(c.segment) << " " << resolution_name(c.resolution));
        CHECK(std::abs(s.cross_section_area / outline.area() - 1) < 0.02);
        CHECK(std::abs(s.nucleus_area / s.cross_section_area / p.nucleus_share - 1) < 0.02);
        CHECK(std::abs(s.volume / outline.volume() - 1) < 0.01);
        // Inscribed polygons: the mesh can only lose area, never gain it.
        CHECK(s.cross_section_area < outline.area());
        CHECK(s.cells == p.axial_layers * (p.circumferential_divisions * p.circumferential_divisions / 16 +
                                           p.circumferential_divisions *
                                               (p.nucleus_radial_divisions + p.annulus_rings)));
    }
}

TEST_CASE("refining the circumference converges the area at second order", "[verification]") {
    // The rim is a polygon inscribed in a smooth curve: its area error falls as N^-2, so
    // doubling the circumferential divisions divides the error by about 4.
    DiscParameters p = preset(Segment::L4_L5, Resolution::coarse);
    const DiscOutline outline(p);
    std::vector<double> errors;
    for (int n : {32, 64, 128}) {
        p.circumferential_divisions = n;
        const auto s = mesh_statistics(generate_disc_mesh(p));
        errors.push_back(outline.area() - s.cross_section_area);
    }
    CHECK(errors[0] > errors[1]);
    CHECK(errors[1] > errors[2]);
    CHECK(errors[0] / errors[1] == Approx(4.0).margin(0.5));
    CHECK(errors[1] / errors[2] == Approx(4.0).margin(0.5));
}

TEST_CASE("the endplates carry the wedge", "[unit]") {
    const DiscParameters p = preset(Segment::L5_S1, Resolution::medium);
    const DiscOutline outline(p);
    const HexMesh mesh = generate_disc_mesh(p);
    for (int n : mesh.node_set(Surface::inferior_endplate)) CHECK(mesh.nodes[n].z() == 0.0);
    for (int n : mesh.node_set(Surface::superior_endplate)) {
        CHECK(mesh.nodes[n].z() == Approx(outline.height(mesh.nodes[n].x())).epsilon(1e-12));
    }
    CHECK(mesh.node_set(Surface::inferior_endplate).size() ==
          mesh.node_set(Surface::superior_endplate).size());
}

TEST_CASE("fibres are unit vectors in their lamella at the ring's angle, criss-crossing",
          "[unit]") {
    const DiscParameters p = preset(Segment::L4_L5, Resolution::medium);
    const HexMesh mesh = generate_disc_mesh(p);
    const int rings = p.annulus_rings;
    for (int e = 0; e < mesh.cell_count(); ++e) {
        const Vec3& f1 = mesh.fibre_direction_1[e];
        const Vec3& f2 = mesh.fibre_direction_2[e];
        if (mesh.region[e] == 0) {
            CHECK(f1.norm() == 0.0);
            CHECK(f2.norm() == 0.0);
            continue;
        }
        const int ring = mesh.region[e];
        CHECK(f1.norm() == Approx(1.0).epsilon(1e-12));
        CHECK(f2.norm() == Approx(1.0).epsilon(1e-12));
        // Angle to the transverse plane: linear from inner to outer ring.
        const double expected =
            p.fibre_angle_inner + (p.fibre_angle_outer - p.fibre_angle_inner) * (ring - 1.0) / (rings - 1.0);
        const double angle1 = std::asin(f1.z()) * 180 / pi;
        const double angle2 = std::asin(f2.z()) * 180 / pi;
        CHECK(std::abs(angle1) == Approx(expected).epsilon(1e-9));
        CHECK(angle2 == Approx(-angle1).epsilon(1e-9));
        // Family 1 points up in odd rings and down in even rings.
        CHECK((angle1 > 0) == (ring % 2 == 1));
        // In the lamella: the element's inner and outer faces (xi = -1 and +1, constant
        // radial fraction) are vertical planes; a fibre in the lamella between them makes
        // with each face an angle no larger than the faces make with each other.
        const auto x = cell_nodes(mesh, e);
        const Vec3 inner = (x[3] - x[0]).cross(Vec3::UnitZ()).normalized();
        const Vec3 outer = (x[2] - x[1]).cross(Vec3::UnitZ()).normalized();
        const double spread = std::sqrt(std::max(0.0, 1 - std::pow(inner.dot(outer), 2)));
        CHECK(std::abs(f1.dot(inner)) <= spread + 1e-12);
        CHECK(std::abs(f1.dot(outer)) <= spread + 1e-12);
        CHECK(std::abs(f2.dot(inner)) <= spread + 1e-12);
        // Circumferential: the horizontal part runs along the element's circumferential
        // edges (inner and outer), not across the annulus.
        const Vec3 horizontal = Vec3(f1.x(), f1.y(), 0).normalized();
        CHECK(horizontal.dot((x[3] - x[0]).normalized()) > 0.9);
        CHECK(horizontal.dot((x[2] - x[1]).normalized()) > 0.9);
    }
}

TEST_CASE("every annulus element has a sector, symmetric left to right", "[unit]") {
    const HexMesh mesh = generate_disc_mesh(preset(Segment::L4_L5, Resolution::medium));
    std::map<Sector, int> counts;
    for (int e = 0; e < mesh.cell_count(); ++e) {
        if (mesh.region[e] == 0) {
            CHECK(mesh.sector[e] == Sector::none);
        } else {
            CHECK(mesh.sector[e] != Sector::none);
            const Vec3 c = cell_centroid(mesh, e);
            // Spot-check the naming against the frame: x anterior, y left.
            if (mesh.sector[e] == Sector::anterior) CHECK(c.x() > 0);
            if (mesh.sector[e] == Sector::posterior) CHECK(c.x() < 0);
            if (mesh.sector[e] == Sector::left_lateral ||
                mesh.sector[e] == Sector::left_posterolateral)
                CHECK(c.y() > 0);
            if (mesh.sector[e] == Sector::right_lateral ||
                mesh.sector[e] == Sector::right_posterolateral)
                CHECK(c.y() < 0);
        }
        counts[mesh.sector[e]]++;
    }
    for (int s = 0; s < sector_count; ++s) CHECK(counts[static_cast<Sector>(s)] > 0);
    CHECK(counts[Sector::left_lateral] == counts[Sector::right_lateral]);
    CHECK(counts[Sector::left_posterolateral] == counts[Sector::right_posterolateral]);
    CHECK(sector_from_angle(0) == Sector::anterior);
    CHECK(sector_from_angle(90) == Sector::left_lateral);
    CHECK(sector_from_angle(-135) == Sector::right_posterolateral);
    CHECK(sector_from_angle(180) == Sector::posterior);
    CHECK(sector_from_angle(-180) == Sector::posterior);
}

TEST_CASE("the named surfaces are non-empty and close the disc and the nucleus", "[unit]") {
    for (const auto& c : {all_cases[0], all_cases[4]}) {
        const HexMesh mesh = generate_disc_mesh(preset(c.segment, c.resolution));
        for (int s = 0; s < surface_count; ++s) {
            CHECK_FALSE(mesh.node_sets[s].empty());
            CHECK_FALSE(mesh.face_sets[s].empty());
        }
        // Disc boundary = inferior + superior + outer wall, and it is closed.
        std::vector<CellFace> boundary;
        for (Surface s : {Surface::inferior_endplate, Surface::superior_endplate, Surface::outer_wall}) {
            boundary.insert(boundary.end(), mesh.face_set(s).begin(), mesh.face_set(s).end());
        }
        CHECK(closed_surface(mesh, boundary));
        // It is exactly the set of faces with one adjacent cell (a conforming mesh).
        const auto neighbours = face_neighbours(mesh);
        std::set<CellFace> free_faces;
        for (int e = 0; e < mesh.cell_count(); ++e) {
            for (int f = 0; f < 6; ++f) {
                if (neighbours[e][f] < 0) free_faces.insert({e, f});
            }
        }
        CHECK(free_faces == std::set<CellFace>(boundary.begin(), boundary.end()));
        // Nucleus boundary + the nucleus's share of both endplates encloses the nucleus.
        std::vector<CellFace> nucleus = mesh.face_set(Surface::nucleus_boundary);
        for (Surface s : {Surface::inferior_endplate, Surface::superior_endplate}) {
            auto part = faces_of_region(mesh, s, true);
            nucleus.insert(nucleus.end(), part.begin(), part.end());
        }
        CHECK(closed_surface(mesh, nucleus));
        // Every outer-wall face belongs to the outermost ring, every nucleus-boundary face
        // to a nucleus cell facing ring 1.
        for (const auto& f : mesh.face_set(Surface::outer_wall)) {
            CHECK(mesh.region[f.cell] == mesh.annulus_ring_count());
        }
        for (const auto& f : mesh.face_set(Surface::nucleus_boundary)) {
            CHECK(mesh.region[f.cell] == 0);
            CHECK(mesh.region[neighbours[f.cell][f.local_face]] == 1);
        }
        // Node sets are sorted, unique and match their faces.
        for (Surface s : {Surface::nucleus_boundary, Surface::outer_wall}) {
            std::set<int> from_faces;
            for (const auto& f : mesh.face_set(s)) {
                for (int k : hex_faces()[f.local_face]) from_faces.insert(mesh.cells[f.cell][k]);
            }
            CHECK(std::vector<int>(from_faces.begin(), from_faces.end()) == mesh.node_set(s));
        }
    }
}

TEST_CASE("explicit counts override the resolution level", "[unit]") {
    DiscParameters p = preset(Segment::L4_L5, Resolution::coarse);
    p.annulus_rings = 9;
    p.axial_layers = 2;
    p.circumferential_divisions = 44;
    p.nucleus_radial_divisions = 3;
    const HexMesh mesh = generate_disc_mesh(p);
    CHECK(mesh.annulus_ring_count() == 9);
    CHECK(mesh.cell_count() == 2 * (11 * 11 + 44 * (3 + 9)));
    CHECK(mesh.node_count() == 3 * (12 * 12 + 44 * (3 + 9)));
}

TEST_CASE("the outer-wall grading splits the outermost ring into sub-rings doubling inwards",
          "[unit]") {
    // coarse L4-5, outer_wall_layer 0.1 mm: splits at 0.1, 0.3, 0.7 ... mm below the wall, as
    // long as they stay within half the outermost ring; at least two fit here.
    DiscParameters p = preset(Segment::L4_L5, Resolution::coarse);
    const HexMesh plain = generate_disc_mesh(p);
    p.outer_wall_layer = 0.1;
    const HexMesh graded = generate_disc_mesh(p);
    const int per_ring = p.circumferential_divisions * p.axial_layers;
    const int splits = (graded.cell_count() - plain.cell_count()) / per_ring;
    REQUIRE((graded.cell_count() - plain.cell_count()) % per_ring == 0);
    CHECK(splits >= 2);
    // The sub-rings are the same lamella: region R, the outermost ring's fibres.
    int outermost = 0;
    for (int c = 0; c < graded.cell_count(); ++c) {
        CHECK(graded.region[c] <= p.annulus_rings);
        if (graded.region[c] == p.annulus_rings) ++outermost;
    }
    CHECK(outermost == (splits + 1) * per_ring);
    // The disc keeps its volume (within 0.1 %: the split cells' trilinear tops).
    CHECK(mesh_statistics(graded).volume == Approx(mesh_statistics(plain).volume).epsilon(1e-3));
    // The first node ring inside the wall lies 0.1 mm from it along the nucleus-rim normal.
    double nearest = std::numeric_limits<double>::infinity();
    const auto& wall = graded.node_set(Surface::outer_wall);
    const int inferior_plane = static_cast<int>(graded.node_set(Surface::inferior_endplate).size());
    for (const int n : wall) {
        if (n >= inferior_plane) continue; // the inferior plane only
        for (int m = 0; m < inferior_plane; ++m) {
            if (m == n || std::find(wall.begin(), wall.end(), m) != wall.end()) continue;
            nearest = std::min(nearest, (graded.nodes[m] - graded.nodes[n]).norm());
        }
    }
    CHECK(nearest == Approx(0.1).epsilon(0.05));
    // Too thick a layer is refused, naming the key.
    p.outer_wall_layer = 3.0;
    CHECK_THROWS_WITH(generate_disc_mesh(p), Catch::Matchers::Contains("outer_wall_layer"));
}
