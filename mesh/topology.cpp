#include "mesh/topology.hpp"

#include "core/error.hpp"
#include "mesh/quality.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace discsim::mesh {

std::string_view sector_name(Sector sector) {
    switch (sector) {
    case Sector::anterior: return "anterior";
    case Sector::left_lateral: return "left_lateral";
    case Sector::left_posterolateral: return "left_posterolateral";
    case Sector::posterior: return "posterior";
    case Sector::right_posterolateral: return "right_posterolateral";
    case Sector::right_lateral: return "right_lateral";
    case Sector::none: break;
    }
    return "none";
}

Sector sector_from_angle(double angle_deg) {
    // Fold into (-180, 180]; positive angles are on the left (+y).
    double a = std::fmod(angle_deg, 360.0);
    if (a > 180.0) a -= 360.0;
    if (a <= -180.0) a += 360.0;
    const double m = std::abs(a);
    const bool left = a > 0.0;
    if (m <= 45.0) return Sector::anterior;
    if (m <= 110.0) return left ? Sector::left_lateral : Sector::right_lateral;
    if (m <= 160.0) return left ? Sector::left_posterolateral : Sector::right_posterolateral;
    return Sector::posterior;
}

std::string_view surface_name(Surface surface) {
    switch (surface) {
    case Surface::inferior_endplate: return "inferior_endplate";
    case Surface::superior_endplate: return "superior_endplate";
    case Surface::nucleus_boundary: return "nucleus_boundary";
    case Surface::outer_wall: return "outer_wall";
    }
    return "";
}

const std::array<std::array<int, 4>, 6>& hex_faces() {
    // VTK hexahedron: parametric signs 0(-,-,-) 1(+,-,-) 2(+,+,-) 3(-,+,-) and 4..7 above.
    static const std::array<std::array<int, 4>, 6> faces{{
        {0, 4, 7, 3}, // xi = -1
        {1, 2, 6, 5}, // xi = +1
        {0, 1, 5, 4}, // eta = -1
        {3, 7, 6, 2}, // eta = +1
        {0, 3, 2, 1}, // zeta = -1 (bottom)
        {4, 5, 6, 7}, // zeta = +1 (top)
    }};
    return faces;
}

int HexMesh::annulus_ring_count() const {
    return region.empty() ? 0 : *std::max_element(region.begin(), region.end());
}

std::vector<std::array<int, 6>> face_neighbours(const HexMesh& mesh) {
    struct Entry {
        std::array<int, 4> key;
        int cell;
        int face;
    };
    std::vector<Entry> entries;
    entries.reserve(mesh.cells.size() * 6);
    for (int c = 0; c < mesh.cell_count(); ++c) {
        for (int f = 0; f < 6; ++f) {
            std::array<int, 4> key;
            for (int k = 0; k < 4; ++k) key[k] = mesh.cells[c][hex_faces()[f][k]];
            std::sort(key.begin(), key.end());
            entries.push_back({key, c, f});
        }
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.key < b.key; });
    std::vector<std::array<int, 6>> neighbours(mesh.cells.size());
    for (auto& n : neighbours) n.fill(-1);
    for (std::size_t i = 0; i < entries.size();) {
        std::size_t j = i + 1;
        while (j < entries.size() && entries[j].key == entries[i].key) ++j;
        if (j - i > 2) {
            throw InputError("mesh: the face with nodes " + std::to_string(entries[i].key[0]) +
                             ", " + std::to_string(entries[i].key[1]) + ", " +
                             std::to_string(entries[i].key[2]) + ", " +
                             std::to_string(entries[i].key[3]) + " is shared by " +
                             std::to_string(j - i) + " cells; expected at most 2");
        }
        if (j - i == 2) {
            neighbours[entries[i].cell][entries[i].face] = entries[i + 1].cell;
            neighbours[entries[i + 1].cell][entries[i + 1].face] = entries[i].cell;
        }
        i = j;
    }
    return neighbours;
}

Vec3 cell_centroid(const HexMesh& mesh, int cell) {
    Vec3 sum = Vec3::Zero();
    for (int node : mesh.cells[cell]) sum += mesh.nodes[node];
    return sum / 8.0;
}

void derive_surfaces(HexMesh& mesh) {
    auto flags_of = [&](Surface s) {
        std::vector<char> flags(mesh.nodes.size(), 0);
        for (int n : mesh.node_set(s)) flags[n] = 1;
        return flags;
    };
    const auto inferior = flags_of(Surface::inferior_endplate);
    const auto superior = flags_of(Surface::superior_endplate);
    auto all_in = [&](const std::vector<char>& flags, int cell, int face) {
        for (int k : hex_faces()[face]) {
            if (!flags[mesh.cells[cell][k]]) return false;
        }
        return true;
    };

    for (auto& set : mesh.face_sets) set.clear();
    const auto neighbours = face_neighbours(mesh);
    for (int c = 0; c < mesh.cell_count(); ++c) {
        for (int f = 0; f < 6; ++f) {
            const int other = neighbours[c][f];
            if (other < 0) {
                Surface s = Surface::outer_wall;
                if (all_in(inferior, c, f)) s = Surface::inferior_endplate;
                else if (all_in(superior, c, f)) s = Surface::superior_endplate;
                else if (mesh.region[c] == 0) {
                    throw InputError("mesh: nucleus cell " + std::to_string(c) +
                                     " has a free face that is on neither endplate; the "
                                     "nucleus must be enclosed by the annulus and endplates");
                }
                mesh.face_sets[static_cast<int>(s)].push_back({c, f});
            } else if (mesh.region[c] == 0 && mesh.region[other] > 0) {
                mesh.face_sets[static_cast<int>(Surface::nucleus_boundary)].push_back({c, f});
            }
        }
    }
    for (Surface s : {Surface::inferior_endplate, Surface::superior_endplate,
                      Surface::nucleus_boundary, Surface::outer_wall}) {
        if (mesh.face_set(s).empty()) {
            throw InputError("mesh: no " + std::string(surface_name(s)) +
                             " faces could be found; check the endplate flags and regions");
        }
    }
    for (Surface s : {Surface::nucleus_boundary, Surface::outer_wall}) {
        std::vector<int> nodes;
        for (const auto& face : mesh.face_set(s)) {
            for (int k : hex_faces()[face.local_face]) nodes.push_back(mesh.cells[face.cell][k]);
        }
        std::sort(nodes.begin(), nodes.end());
        nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
        mesh.node_sets[static_cast<int>(s)] = std::move(nodes);
    }
}

Vec3 endplate_centre(const HexMesh& mesh, Surface endplate) {
    double area = 0.0;
    Vec3 moment = Vec3::Zero();
    for (const auto& face : mesh.face_set(endplate)) {
        std::array<Vec3, 4> corners;
        for (int k = 0; k < 4; ++k) {
            corners[k] = mesh.nodes[mesh.cells[face.cell][hex_faces()[face.local_face][k]]];
        }
        const double a = quad_area(corners);
        area += a;
        moment += a * (corners[0] + corners[1] + corners[2] + corners[3]) / 4.0;
    }
    return moment / area;
}

double cell_angle_deg(const HexMesh& mesh, int cell, const Vec3& centre) {
    const Vec3 d = cell_centroid(mesh, cell) - centre;
    return std::atan2(d.y(), d.x()) * 180.0 / std::numbers::pi;
}

void derive_sectors(HexMesh& mesh) {
    const Vec3 centre = endplate_centre(mesh);
    mesh.sector.assign(mesh.cells.size(), Sector::none);
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] == 0) continue;
        mesh.sector[c] = sector_from_angle(cell_angle_deg(mesh, c, centre));
    }
}

} // namespace discsim::mesh
