// The state an element carries from one increment to the next, one record per element:
// today the rupture damage of solver/rupture_progression.hpp; later the internal variables of
// time-dependent models (the biphasic disc's fluid content, viscous strains).
//
// Two copies: `committed`, the state of the last accepted increment, and `trial`, the state of
// the increment being solved, which the element kernels read (System::assemble hands each
// element its trial record). An accepted increment commits (trial -> committed); a rejected one
// reverts (committed -> trial), so a cut-back increment starts again from the accepted state.
// The records are plain values: committing is a copy, no allocation after construction.
#pragma once

#include <span>
#include <vector>

namespace discsim::solver {

struct ElementHistory {
    /// Rupture damage in [0, 1]: 0 intact, 1 ruptured (solver/rupture.hpp, damaged_material).
    double damage = 0.0;
    bool operator==(const ElementHistory&) const = default;
};

class HistoryStore {
public:
    explicit HistoryStore(int cells = 0) : committed_(cells), trial_(cells) {}

    int size() const { return static_cast<int>(trial_.size()); }
    /// The record of the increment being solved: what the kernels read, and what a model
    /// that changes an element's state (rupture) writes.
    const ElementHistory& trial(int cell) const { return trial_[cell]; }
    ElementHistory& trial(int cell) { return trial_[cell]; }
    /// The record of the last accepted increment.
    const ElementHistory& committed(int cell) const { return committed_[cell]; }
    std::span<const ElementHistory> committed() const { return committed_; }

    /// The increment was accepted: its trial records become the committed state.
    void commit() { committed_ = trial_; }
    /// The increment was rejected: back to the committed state.
    void revert() { trial_ = committed_; }

private:
    std::vector<ElementHistory> committed_;
    std::vector<ElementHistory> trial_;
};

} // namespace discsim::solver
