#include "mesh/disc_mesher.hpp"

#include "mesh/topology.hpp"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace discsim::mesh {

namespace {

constexpr double pi = std::numbers::pi;

// Half-size of the core block in the reference unit disk. Chosen so that the block's cells
// and the nucleus rings around it have about the same radial size:
//   2a/m = (1 - 1.15 a) / n   (1.15: mean distance of the block boundary from the centre
//                              relative to a, between 1 and sqrt(2)).
double core_half_size(int m, int n) {
    return std::clamp(1.0 / (2.0 * n / m + 1.15), 0.3, 0.7);
}

} // namespace

HexMesh generate_disc_mesh(const DiscParameters& parameters) {
    const DiscOutline outline(parameters);
    const auto& p = parameters;
    const int ring_nodes = p.circumferential_divisions; // nodes around one ring
    const int m = ring_nodes / 4;                       // core block cells per side
    const int nucleus_rings = p.nucleus_radial_divisions;
    auto angle = [&](int j) { return -0.25 * pi + 2.0 * pi * j / ring_nodes; };
    // The outer-wall grading, when asked for: the outermost annulus ring split into sub-rings
    // whose thickness doubles inwards from outer_wall_layer at the wall, the last split at most
    // half the ring's radial size (at its thinnest; DiscOutline checked that the first fits)
    // from the wall. wall_depths[i] is the depth of split i below the wall, deepest first;
    // annulus_width[j] the annulus's width along the normal line of ray j.
    std::vector<double> wall_depths, annulus_width;
    if (p.outer_wall_layer > 0.0) {
        for (int j = 0; j < ring_nodes; ++j) annulus_width.push_back(outline.annulus_width(angle(j)));
        for (double thickness = p.outer_wall_layer, depth = thickness;
             depth <= 0.5 * outline.thinnest_outer_ring(); thickness *= 2.0, depth += thickness)
            wall_depths.insert(wall_depths.begin(), depth);
    }
    const int splits = static_cast<int>(wall_depths.size());
    const int layers = nucleus_rings + p.annulus_rings + splits; // rings of cells outside the core
    const double a = core_half_size(m, nucleus_rings);

    // ---- Plane mesh ---------------------------------------------------------------------
    std::vector<double> u(m + 1); // core grid lines, tan-spaced so boundary nodes sit on rays
    for (int i = 0; i <= m; ++i) u[i] = a * std::tan(-0.25 * pi + 0.5 * pi * i / m);

    std::vector<Eigen::Vector2d> plane_nodes;
    auto core_id = [&](int i, int k) { return k * (m + 1) + i; };
    for (int k = 0; k <= m; ++k) {
        for (int i = 0; i <= m; ++i) plane_nodes.push_back(outline.nucleus_map({u[i], u[k]}));
    }
    const int core_nodes = (m + 1) * (m + 1);
    // Ring level 0 is the core block boundary, walked counter-clockwise from (a, -a).
    auto ring_id = [&](int level, int j) {
        j %= ring_nodes;
        if (level > 0) return core_nodes + (level - 1) * ring_nodes + j;
        const int side = j / m, q = j % m;
        switch (side) {
        case 0: return core_id(m, q);
        case 1: return core_id(m - q, m);
        case 2: return core_id(0, m - q);
        default: return core_id(q, 0);
        }
    };
    for (int level = 1; level <= layers; ++level) {
        for (int j = 0; j < ring_nodes; ++j) {
            const double phi = angle(j);
            if (level <= nucleus_rings) {
                const Eigen::Vector2d e(std::cos(phi), std::sin(phi));
                const double inner = a / std::max(std::abs(e.x()), std::abs(e.y()));
                const double tau = static_cast<double>(level) / nucleus_rings;
                plane_nodes.push_back(outline.nucleus_map(((1 - tau) * inner + tau) * e));
            } else {
                // Annulus node level k: 1 .. R - 1 the rings' boundaries, then the splits of
                // the outermost ring (at their depths below the wall along this normal line),
                // then the wall.
                const int k = level - nucleus_rings;
                double t = static_cast<double>(std::min(k, p.annulus_rings)) / p.annulus_rings;
                if (k >= p.annulus_rings && k < p.annulus_rings + splits)
                    t = 1.0 - wall_depths[k - p.annulus_rings] / annulus_width[j];
                plane_nodes.push_back(outline.annulus_point(phi, t));
            }
        }
    }

    struct PlaneCell {
        std::array<int, 4> nodes; // counter-clockwise seen from +z
        int region;
    };
    std::vector<PlaneCell> plane_cells;
    for (int k = 0; k < m; ++k) {
        for (int i = 0; i < m; ++i) {
            plane_cells.push_back(
                {{core_id(i, k), core_id(i + 1, k), core_id(i + 1, k + 1), core_id(i, k + 1)}, 0});
        }
    }
    for (int level = 0; level < layers; ++level) {
        const int region =
            level < nucleus_rings ? 0 : std::min(level - nucleus_rings + 1, p.annulus_rings);
        for (int j = 0; j < ring_nodes; ++j) {
            plane_cells.push_back({{ring_id(level, j), ring_id(level + 1, j),
                                    ring_id(level + 1, j + 1), ring_id(level, j + 1)},
                                   region});
        }
    }

    // ---- Extrusion ----------------------------------------------------------------------
    HexMesh mesh;
    const int per_layer = static_cast<int>(plane_nodes.size());
    for (int layer = 0; layer <= p.axial_layers; ++layer) {
        const double fraction = static_cast<double>(layer) / p.axial_layers;
        for (const auto& q : plane_nodes) {
            mesh.nodes.emplace_back(q.x(), q.y(), fraction * outline.height(q.x()));
        }
    }
    const Vec3 axial = Vec3::UnitZ();
    const int rings = p.annulus_rings;
    for (int layer = 0; layer < p.axial_layers; ++layer) {
        for (const auto& cell : plane_cells) {
            HexConnectivity hex;
            for (int k = 0; k < 4; ++k) {
                hex[k] = layer * per_layer + cell.nodes[k];
                hex[k + 4] = (layer + 1) * per_layer + cell.nodes[k];
            }
            mesh.cells.push_back(hex);
            mesh.region.push_back(cell.region);
            if (cell.region == 0) {
                mesh.fibre_direction_1.push_back(Vec3::Zero());
                mesh.fibre_direction_2.push_back(Vec3::Zero());
                continue;
            }
            // Circumferential direction: from the midpoint of the end face at ray j to the
            // one at ray j+1, in the transverse plane.
            const Eigen::Vector2d chord = plane_nodes[cell.nodes[2]] + plane_nodes[cell.nodes[3]] -
                                          plane_nodes[cell.nodes[0]] - plane_nodes[cell.nodes[1]];
            const Vec3 tangent = Vec3(chord.x(), chord.y(), 0.0).normalized();
            const double w = rings > 1 ? (cell.region - 1.0) / (rings - 1.0) : 1.0;
            const double theta =
                (p.fibre_angle_inner + w * (p.fibre_angle_outer - p.fibre_angle_inner)) * pi /
                180.0;
            const double sign = cell.region % 2 == 1 ? 1.0 : -1.0;
            const Vec3 plus = std::cos(theta) * tangent + std::sin(theta) * axial;
            const Vec3 minus = std::cos(theta) * tangent - std::sin(theta) * axial;
            mesh.fibre_direction_1.push_back(sign > 0 ? plus : minus);
            mesh.fibre_direction_2.push_back(sign > 0 ? minus : plus);
        }
    }

    // Endplate node sets by construction; the other sets, the face sets and the sectors come
    // from the same derivation an imported mesh goes through.
    auto& inferior = mesh.node_sets[static_cast<int>(Surface::inferior_endplate)];
    auto& superior = mesh.node_sets[static_cast<int>(Surface::superior_endplate)];
    for (int n = 0; n < per_layer; ++n) {
        inferior.push_back(n);
        superior.push_back(p.axial_layers * per_layer + n);
    }
    derive_surfaces(mesh);
    derive_sectors(mesh);
    return mesh;
}

} // namespace discsim::mesh
