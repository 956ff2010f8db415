// Fissures and herniation paths in the annulus (PHYSICS.md section 6), from which annulus
// elements have ruptured. Topology only: the rupture model decides which elements rupture.
//
// - A fissure is a face-connected cluster of ruptured annulus elements.
// - Its radial depth is the number of annulus rings it spans over the ring count R (1 = through
//   the wall).
// - A herniation path is a face-connected chain of ruptured annulus elements from an element on
//   the nucleus boundary (a face shared with the nucleus) to an element on the outer wall: a
//   through-wall radial fissure through which the nucleus can escape. The path reported is a
//   shortest one (fewest elements) within its cluster, found by breadth-first search.
#pragma once

#include "mesh/hex_mesh.hpp"

#include <array>
#include <vector>

namespace discsim::solver {

struct Fissure {
    std::vector<int> cells; ///< the cluster, ascending
    int inner_ring = 0;     ///< smallest ring reached (1 = innermost)
    int outer_ring = 0;     ///< largest ring reached
    double depth = 0.0;     ///< (outer_ring - inner_ring + 1) / R
    bool reaches_nucleus = false;
    bool reaches_outer_wall = false;
    std::vector<int> path; ///< a shortest nucleus-to-outer-wall chain, if both are reached
};

struct FissureAnalysis {
    int ruptured = 0;              ///< ruptured annulus elements
    std::vector<Fissure> fissures; ///< deepest first
    double deepest = 0.0;          ///< largest depth, 0 with no rupture
    /// Index into fissures of the first through-wall one (herniation), or -1.
    int herniation = -1;
};

/// Precomputed face adjacency of one mesh for repeated analyses.
class FissureFinder {
public:
    explicit FissureFinder(const mesh::HexMesh& mesh);
    /// `ruptured[c]` for every cell (nucleus cells are ignored).
    FissureAnalysis analyse(const std::vector<char>& ruptured) const;

private:
    const mesh::HexMesh& mesh_;
    std::vector<std::array<int, 6>> neighbours_;
    std::vector<char> on_nucleus_boundary_; ///< annulus cell with a face on the nucleus
    std::vector<char> on_outer_wall_;
    int rings_ = 0;
};

} // namespace discsim::solver
