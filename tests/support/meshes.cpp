#include "support/meshes.hpp"

#include "mesh/topology.hpp"

#include <cmath>
#include <numbers>

namespace discsim::test {

using mesh::HexMesh;
using mesh::Vec3;

namespace {
// Cells of a structured (ni x nj x nk) block with node index ((k nj1) + j) ni1 + i, in VTK order
// (counter-clockwise in i-j seen from +k).
void structured_cells(HexMesh& m, int ni, int nj, int nk) {
    auto id = [&](int i, int j, int k) { return (k * (nj + 1) + j) * (ni + 1) + i; };
    for (int k = 0; k < nk; ++k) {
        for (int j = 0; j < nj; ++j) {
            for (int i = 0; i < ni; ++i) {
                m.cells.push_back({id(i, j, k), id(i + 1, j, k), id(i + 1, j + 1, k), id(i, j + 1, k),
                                   id(i, j, k + 1), id(i + 1, j, k + 1), id(i + 1, j + 1, k + 1),
                                   id(i, j + 1, k + 1)});
            }
        }
    }
    m.region.assign(m.cells.size(), 0);
    m.sector.assign(m.cells.size(), mesh::Sector::none);
    m.fibre_direction_1.assign(m.cells.size(), Vec3::Zero());
    m.fibre_direction_2.assign(m.cells.size(), Vec3::Zero());
}
} // namespace

HexMesh box_mesh(double lx, double ly, double lz, int nx, int ny, int nz,
                 const std::function<Vec3(const Vec3&)>& perturb) {
    HexMesh m;
    for (int k = 0; k <= nz; ++k) {
        for (int j = 0; j <= ny; ++j) {
            for (int i = 0; i <= nx; ++i) {
                Vec3 x(lx * i / nx, ly * j / ny, lz * k / nz);
                const bool interior = i > 0 && i < nx && j > 0 && j < ny && k > 0 && k < nz;
                if (interior && perturb) x = perturb(x);
                m.nodes.push_back(x);
            }
        }
    }
    structured_cells(m, nx, ny, nz);
    return m;
}

HexMesh quarter_cylinder_mesh(double a, double b, double h, int nr, int nt, int nz) {
    HexMesh m;
    for (int k = 0; k <= nz; ++k) {
        for (int j = 0; j <= nt; ++j) {
            const double theta = 0.5 * std::numbers::pi * j / nt;
            for (int i = 0; i <= nr; ++i) {
                const double r = a + (b - a) * i / nr;
                m.nodes.emplace_back(r * std::cos(theta), r * std::sin(theta), h * k / nz);
            }
        }
    }
    structured_cells(m, nr, nt, nz);
    return m;
}

std::vector<int> nodes_on_plane(const HexMesh& m, int axis, double value, double tolerance) {
    std::vector<int> out;
    for (int n = 0; n < m.node_count(); ++n) {
        if (std::abs(m.nodes[n][axis] - value) < tolerance) out.push_back(n);
    }
    return out;
}

std::vector<mesh::CellFace> faces_where(const HexMesh& m,
                                        const std::function<bool(const Vec3&)>& inside) {
    const auto neighbours = mesh::face_neighbours(m);
    std::vector<mesh::CellFace> out;
    for (int c = 0; c < m.cell_count(); ++c) {
        for (int f = 0; f < 6; ++f) {
            if (neighbours[c][f] >= 0) continue;
            bool all = true;
            for (int k : mesh::hex_faces()[f]) all = all && inside(m.nodes[m.cells[c][k]]);
            if (all) out.push_back({c, f});
        }
    }
    return out;
}

} // namespace discsim::test
