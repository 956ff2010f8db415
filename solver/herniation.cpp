#include "solver/herniation.hpp"

#include "mesh/topology.hpp"

#include <algorithm>
#include <queue>

namespace discsim::solver {

FissureFinder::FissureFinder(const mesh::HexMesh& mesh)
    : mesh_(mesh), neighbours_(mesh::face_neighbours(mesh)),
      on_nucleus_boundary_(mesh.cells.size(), 0), on_outer_wall_(mesh.cells.size(), 0),
      rings_(mesh.annulus_ring_count()) {
    for (int c = 0; c < mesh.cell_count(); ++c) {
        if (mesh.region[c] == 0) continue;
        for (int f = 0; f < 6; ++f) {
            const int other = neighbours_[c][f];
            if (other >= 0 && mesh.region[other] == 0) on_nucleus_boundary_[c] = 1;
        }
    }
    for (const auto& face : mesh.face_set(mesh::Surface::outer_wall))
        on_outer_wall_[face.cell] = 1;
}

FissureAnalysis FissureFinder::analyse(const std::vector<char>& ruptured) const {
    FissureAnalysis result;
    const int cells = mesh_.cell_count();
    auto is_ruptured = [&](int c) { return mesh_.region[c] > 0 && ruptured[c]; };
    std::vector<int> cluster_of(cells, -1);
    for (int seed = 0; seed < cells; ++seed) {
        if (!is_ruptured(seed)) continue;
        ++result.ruptured;
        if (cluster_of[seed] >= 0) continue;
        // Flood the face-connected cluster of ruptured annulus cells.
        Fissure fissure;
        const int id = static_cast<int>(result.fissures.size());
        std::vector<int> stack{seed};
        cluster_of[seed] = id;
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            fissure.cells.push_back(c);
            for (int other : neighbours_[c]) {
                if (other >= 0 && cluster_of[other] < 0 && is_ruptured(other)) {
                    cluster_of[other] = id;
                    stack.push_back(other);
                }
            }
        }
        std::sort(fissure.cells.begin(), fissure.cells.end());
        fissure.inner_ring = rings_;
        for (int c : fissure.cells) {
            fissure.inner_ring = std::min(fissure.inner_ring, mesh_.region[c]);
            fissure.outer_ring = std::max(fissure.outer_ring, mesh_.region[c]);
            fissure.reaches_nucleus |= on_nucleus_boundary_[c] != 0;
            fissure.reaches_outer_wall |= on_outer_wall_[c] != 0;
        }
        fissure.depth = static_cast<double>(fissure.outer_ring - fissure.inner_ring + 1) / rings_;
        if (fissure.reaches_nucleus && fissure.reaches_outer_wall) {
            // Breadth-first from every nucleus-boundary cell of the cluster at once; the first
            // outer-wall cell reached ends a shortest path.
            std::vector<int> parent(cells, -2);
            std::queue<int> queue;
            for (int c : fissure.cells) {
                if (on_nucleus_boundary_[c]) {
                    parent[c] = -1;
                    queue.push(c);
                }
            }
            int end = -1;
            while (!queue.empty() && end < 0) {
                const int c = queue.front();
                queue.pop();
                if (on_outer_wall_[c]) {
                    end = c;
                    break;
                }
                for (int other : neighbours_[c]) {
                    if (other >= 0 && parent[other] == -2 && cluster_of[other] == id) {
                        parent[other] = c;
                        queue.push(other);
                    }
                }
            }
            for (int c = end; c >= 0; c = parent[c])
                fissure.path.push_back(c);
            std::reverse(fissure.path.begin(), fissure.path.end());
        }
        result.fissures.push_back(std::move(fissure));
    }
    std::stable_sort(result.fissures.begin(), result.fissures.end(),
                     [](const Fissure& a, const Fissure& b) { return a.depth > b.depth; });
    for (std::size_t k = 0; k < result.fissures.size(); ++k) {
        result.deepest = std::max(result.deepest, result.fissures[k].depth);
        if (result.herniation < 0 && !result.fissures[k].path.empty()) {
            result.herniation = static_cast<int>(k);
        }
    }
    return result;
}

} // namespace discsim::solver
