// Progressive annulus rupture (PHYSICS.md section 6) on top of the load stepping.
//
// After every converged load increment:
// 1. Landing on the threshold: when an intact annulus element's criterion has passed the
//    threshold by more than `overshoot` (relative), the increment is retried smaller, sized by
//    linear interpolation of the criterion between the states before and after it, so that
//    first ruptures happen at the load where the threshold is reached, not wherever the
//    increment happened to end (limit()).
// 2. Re-equilibration at constant load (settle()): every intact annulus element at or over the
//    threshold ruptures together (one pass); their material goes to the ruptured one and the
//    same load is solved again; the redistributed load may rupture more elements, and passes
//    repeat until none does. When Newton cannot absorb a pass in one go, the damage of that
//    batch is ramped (d = 0 -> 1 in halving sub-steps, see damaged_material) instead of
//    failing; when even the smallest damage sub-step cannot be equilibrated, the disc cannot
//    carry the load any more: an unstable failure, which stops the path.
// 3. Events, each at the state where it happened: initiation (the first ruptured elements),
//    fissure growth (the deepest fissure reaching one more annulus ring), herniation (a
//    face-connected chain of ruptured elements from the nucleus to the outer wall; see
//    herniation.hpp) and unstable failure.
#pragma once

#include "solver/herniation.hpp"
#include "solver/rupture.hpp"
#include "solver/stepping.hpp"

#include <functional>
#include <optional>
#include <string>
#include <array>
#include <vector>

namespace discsim::solver {

struct RuptureSettings {
    RuptureCriterion criterion = RuptureCriterion::fibre_strain;
    double threshold = 0.0;  ///< 1 for fibre strain, MPa for stress
    double residual = 0.01;  ///< stiffness fraction a ruptured element keeps
    double overshoot = 0.05; ///< relative overshoot of the threshold accepted at a first crossing
    int max_passes = 500;    ///< re-equilibration passes within one increment
    double min_damage_step = 1.0 / 16.0;
    int re_equilibration_iterations = 30; ///< Newton iterations allowed per re-equilibration
    double re_equilibration_residual_tolerance = 1e-3;
    double re_equilibration_energy_tolerance = 1e-6;
    bool stop_at_herniation = true;
    /// The fibre stretches (per cell, both families) the fibre strain is measured from: the
    /// initial state's. Empty: the mesh's reference configuration (stretch 1). The biphasic
    /// disc starts from its free-swelling equilibrium, and the annulus failure strains are
    /// measured on unloaded, hydrated specimens (Green et al. 1993, Skaggs et al. 1994), the
    /// counterpart of that state (docs/rupture.md).
    std::vector<std::array<double, 2>> initial_stretch;
};

enum class RuptureEventType { initiation, fissure_growth, herniation, unstable_failure };
const char* event_type_name(RuptureEventType type);

struct RuptureEvent {
    RuptureEventType type = RuptureEventType::initiation;
    int increment = 0;        ///< increment number (results.csv, disc_NNNN.vtu)
    int step = 0;             ///< index into the steps
    double step_fraction = 0; ///< of that step's load (the load factor)
    double time = 0;          ///< load history coordinate: step + step_fraction
    /// The elements involved: initiation, the first ruptured batch; growth, the deepest
    /// fissure; herniation, the path from the nucleus to the outer wall (in that order);
    /// unstable failure, the batch that could not be equilibrated or the deepest fissure.
    std::vector<int> cells;
    /// Where it is (reference configuration, mm): the most strained element of the event
    /// (initiation, growth, unstable failure) or the path's mean (herniation); its sector is
    /// the mesh's sector of that element (herniation: of the path's outer-wall exit).
    Vec3 centroid = Vec3::Zero();
    /// The elements whose centroids average to `centroid` (so a displacement can be taken
    /// there consistently with the mesh's).
    std::vector<int> located_at;
    mesh::Sector sector = mesh::Sector::none;
    double depth = 0.0; ///< deepest fissure's depth fraction after the event
    int ruptured = 0;   ///< ruptured elements after the event
    std::string detail; ///< human-readable: what happened
};

/// Told of every event at the state where it happened (for the IDP and the loads).
using RuptureEventSink = std::function<void(RuptureEvent&, const State&)>;

class RuptureProgression {
public:
    RuptureProgression(System& system, const RuptureSettings& settings,
                       const NewtonSettings& newton, RuptureEventSink on_event);

    /// IncrementHooks::limit: the factor to retry the increment with, 1 to accept it.
    double limit(const State& before, const State& after);

    /// IncrementHooks::settle at increment number `increment_number` (1-based, for
    /// ruptured_at). Events go to the sink as they happen; returns a reason to stop (unstable
    /// failure, or herniation when settings.stop_at_herniation).
    std::optional<std::string> settle(Increment& increment, State& state, int increment_number);

    /// The stepping could not carry a load increment after rupture had started: the unstable
    /// failure event at the last converged state, located at the deepest fissure, sent to the
    /// sink. `last` is the last accepted increment.
    void unstable_failure(const Increment& last, int increment_number, const State& state,
                          const std::string& reason);

    /// Where the events go from now on (a copy of a progression, for a run that goes on from
    /// another's state, sends them to its own outputs).
    void set_sink(RuptureEventSink on_event) { on_event_ = std::move(on_event); }

    int ruptured_count() const { return analysis_.ruptured; }
    double deepest() const { return analysis_.deepest; }
    bool herniated() const { return analysis_.herniation >= 0; }
    /// Per cell: 0 intact .. 1 ruptured.
    const std::vector<double>& damage() const { return damage_; }
    /// Per cell: the increment number at which it ruptured, -1 while intact.
    const std::vector<int>& ruptured_at() const { return ruptured_at_; }

private:
    /// An event at `increment`, involving `cells`, located at `where` (see RuptureEvent).
    RuptureEvent make_event(RuptureEventType type, const Increment& increment, int number,
                            std::vector<int> cells, const std::vector<int>& where, int sector_cell,
                            std::string detail) const;
    /// The criterion of every cell at `state`.
    std::vector<double> criterion_values(const State& state) const;
    /// Intact annulus cells whose criterion in `values` reaches the threshold.
    std::vector<int> reaching(const std::vector<double>& values) const;
    void set_damage(const std::vector<int>& cells, double damage);
    /// Sends the herniation event of analysis_'s through-wall fissure; `how` leads the detail.
    void herniation_event(const Increment& increment, int increment_number, const State& state,
                          const std::string& how);

    System& system_;
    const mesh::HexMesh& mesh_;
    RuptureSettings settings_;
    NewtonSettings newton_;
    RuptureEventSink on_event_;
    FissureFinder finder_;
    std::vector<char> ruptured_;
    std::vector<double> damage_;
    std::vector<int> ruptured_at_;
    std::vector<double> criterion_;
    FissureAnalysis analysis_;
};

} // namespace discsim::solver
