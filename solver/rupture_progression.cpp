#include "solver/rupture_progression.hpp"

#include "core/error.hpp"
#include "mesh/topology.hpp"

#include <algorithm>
#include <cstdio>

namespace discsim::solver {

const char* event_type_name(RuptureEventType type) {
    switch (type) {
    case RuptureEventType::initiation:
        return "initiation";
    case RuptureEventType::fissure_growth:
        return "fissure_growth";
    case RuptureEventType::herniation:
        return "herniation";
    case RuptureEventType::unstable_failure:
        return "unstable_failure";
    }
    return "?";
}

RuptureProgression::RuptureProgression(System& system, const RuptureSettings& settings,
                                       const NewtonSettings& newton, RuptureEventSink on_event)
    : system_(system), mesh_(*system.model().mesh), settings_(settings), newton_(newton),
      on_event_(std::move(on_event)), finder_(mesh_), ruptured_(mesh_.cells.size(), 0),
      damage_(mesh_.cells.size(), 0.0), ruptured_at_(mesh_.cells.size(), -1),
      criterion_(mesh_.cells.size(), 0.0) {
    // Softening makes the tangent indefinite and Newton slow near a fresh fissure: give the
    // re-equilibration more iterations before a damage sub-step is declared failed.
    // Softening makes the tangent indefinite near a fresh fissure, and Newton converges there
    // linearly rather than quadratically: the re-equilibrations get more iterations and looser
    // (still strict) tolerances: forces balanced to 1e-3 of the load carried and the energy
    // norm to 1e-6 (FEBio's defaults are an energy tolerance of 0.01 and no force criterion).
    newton_.max_iterations = std::max(newton_.max_iterations, settings.re_equilibration_iterations);
    newton_.residual_tolerance =
        std::max(newton_.residual_tolerance, settings.re_equilibration_residual_tolerance);
    newton_.energy_tolerance =
        std::max(newton_.energy_tolerance, settings.re_equilibration_energy_tolerance);
    if (!(settings.threshold > 0.0)) {
        throw InputError("rupture threshold: expected a positive value, got " +
                         format_number(settings.threshold));
    }
    check_parameter(residual_stiffness_spec, settings.residual);
    system_.set_damage_residual(settings.residual);
}

std::vector<double> RuptureProgression::criterion_values(const State& state) const {
    const auto stresses = system_.element_stresses(state);
    std::vector<double> values(stresses.size(), 0.0);
    const bool relative = !settings_.initial_stretch.empty();
    for (std::size_t c = 0; c < stresses.size(); ++c) {
        ElementStress s = stresses[c];
        if (relative)
            for (int f = 0; f < 2; ++f)
                s.fibre_stretch[f] /= settings_.initial_stretch[c][f];
        values[c] = criterion_value(settings_.criterion, s);
    }
    return values;
}

std::vector<int> RuptureProgression::reaching(const std::vector<double>& values) const {
    std::vector<int> cells;
    for (int c = 0; c < mesh_.cell_count(); ++c) {
        if (mesh_.region[c] > 0 && !ruptured_[c] && values[c] >= settings_.threshold) {
            cells.push_back(c);
        }
    }
    return cells;
}

double RuptureProgression::limit(const State& before, const State& after) {
    const std::vector<double> v1 = criterion_values(after);
    const std::vector<int> crossing = reaching(v1);
    if (crossing.empty()) return 1.0;
    const double threshold = settings_.threshold;
    double worst = 0.0;
    for (int c : crossing)
        worst = std::max(worst, v1[c]);
    if (worst <= threshold * (1.0 + settings_.overshoot)) return 1.0;
    // Aim at half the accepted overshoot, interpolating each crossing element's criterion
    // linearly over the increment; the earliest crossing decides.
    const std::vector<double> v0 = criterion_values(before);
    const double target = threshold * (1.0 + 0.5 * settings_.overshoot);
    double alpha = 1.0;
    for (int c : crossing) {
        if (v1[c] > v0[c]) alpha = std::min(alpha, (target - v0[c]) / (v1[c] - v0[c]));
    }
    return std::clamp(alpha, 0.05, 0.95);
}

void RuptureProgression::set_damage(const std::vector<int>& cells, double damage) {
    // The trial damage of the batch: the next solve sees it; commit() keeps it.
    auto& history = system_.history();
    for (int c : cells) {
        history.trial(c).damage = damage;
        damage_[c] = damage;
    }
}

RuptureEvent RuptureProgression::make_event(RuptureEventType type, const Increment& increment,
                                            int number, std::vector<int> cells,
                                            const std::vector<int>& where, int sector_cell,
                                            std::string detail) const {
    RuptureEvent event;
    event.type = type;
    event.increment = number;
    event.step = increment.step;
    event.step_fraction = increment.step_fraction;
    event.time = increment.time;
    event.cells = std::move(cells);
    for (int c : where)
        event.centroid += mesh::cell_centroid(mesh_, c);
    if (!where.empty()) event.centroid /= static_cast<double>(where.size());
    event.located_at = where;
    if (sector_cell >= 0 && !mesh_.sector.empty()) event.sector = mesh_.sector[sector_cell];
    event.depth = analysis_.deepest;
    event.ruptured = analysis_.ruptured;
    event.detail = std::move(detail);
    return event;
}

namespace {

int most_strained(const std::vector<int>& cells, const std::vector<double>& values) {
    int best = -1;
    for (int c : cells)
        if (best < 0 || values[c] > values[best]) best = c;
    return best;
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f %%", 100.0 * fraction);
    return text;
}

} // namespace

std::optional<std::string> RuptureProgression::settle(Increment& increment, State& state,
                                                      int increment_number) {
    const LoadState& load = increment.load;
    for (int pass = 0;; ++pass) {
        criterion_ = criterion_values(state);
        const std::vector<int> batch = reaching(criterion_);
        if (batch.empty()) return std::nullopt;
        if (pass >= settings_.max_passes) {
            return "rupture did not settle after " + std::to_string(pass) +
                   " re-equilibration passes at constant load";
        }
        const int key = most_strained(batch, criterion_);
        if (settings_.stop_at_herniation) {
            // Elements at the threshold have ruptured; when they complete a through-wall path
            // the herniation happens here, and the run ends without solving the breached disc
            // (which may have no equilibrium left: the nucleus escapes).
            std::vector<char> trial = ruptured_;
            for (int c : batch)
                trial[c] = 1;
            FissureAnalysis breached = finder_.analyse(trial);
            if (breached.herniation >= 0) {
                set_damage(batch, 1.0);
                system_.history().commit(); // the run ends here, with the batch ruptured
                ruptured_ = std::move(trial);
                for (int c : batch)
                    ruptured_at_[c] = increment_number;
                const bool first = analysis_.ruptured == 0;
                analysis_ = std::move(breached);
                if (first && on_event_) {
                    RuptureEvent event =
                        make_event(RuptureEventType::initiation, increment, increment_number, batch,
                                   {key}, key, "the first elements broke through the wall");
                    on_event_(event, state);
                }
                herniation_event(increment, increment_number, state,
                                 "its last " + std::to_string(batch.size()) +
                                     " element(s) reached the threshold; ");
                return "herniation";
            }
        }
        // Rupture the batch; ramp its damage when Newton cannot take it in one go.
        double damage = 0.0;
        double step = 1.0;
        while (damage < 1.0) {
            const double trial = std::min(1.0, damage + step);
            set_damage(batch, trial);
            const NewtonReport report = solve_increment(system_, state, load, newton_);
            ++increment.re_equilibrations;
            increment.re_equilibration_iterations += report.iterations;
            if (report.converged) {
                damage = trial;
                system_.history().commit();
                continue;
            }
            step *= 0.5;
            if (step < settings_.min_damage_step) {
                // The batch cannot be taken out at this load: the disc gives way here. The
                // batch counts as ruptured (at the damage it reached) for the fissures, so a
                // wall breaking through is reported as the herniation it is.
                system_.history().revert(); // back to the last damage that was equilibrated
                for (int c : batch)
                    damage_[c] = damage;
                for (int c : batch) {
                    ruptured_[c] = 1;
                    ruptured_at_[c] = increment_number;
                }
                const FissureAnalysis previous = analysis_;
                analysis_ = finder_.analyse(ruptured_);
                const std::string reason =
                    "unstable failure: the load could not be carried after " +
                    std::to_string(batch.size()) +
                    " more annulus element(s) reached the "
                    "threshold (" +
                    report.reason + ")";
                if (analysis_.herniation >= 0 && previous.herniation < 0) {
                    herniation_event(increment, increment_number, state,
                                     "the wall gave way (its last " + std::to_string(batch.size()) +
                                         " element(s) could not be equilibrated at this load); ");
                    if (settings_.stop_at_herniation) return "herniation";
                }
                RuptureEvent event = make_event(RuptureEventType::unstable_failure, increment,
                                                increment_number, batch, {key}, key, reason);
                if (on_event_) on_event_(event, state);
                return reason;
            }
        }
        for (int c : batch) {
            ruptured_[c] = 1;
            ruptured_at_[c] = increment_number;
        }
        const FissureAnalysis previous = analysis_;
        analysis_ = finder_.analyse(ruptured_);
        auto emit = [&](RuptureEvent event) {
            if (on_event_) on_event_(event, state);
        };
        if (previous.ruptured == 0) {
            emit(make_event(
                RuptureEventType::initiation, increment, increment_number, batch, {key}, key,
                std::to_string(batch.size()) + " annulus element(s) reached the " + "threshold"));
        }
        if (analysis_.herniation >= 0 && previous.herniation < 0) {
            herniation_event(increment, increment_number, state, "");
            if (settings_.stop_at_herniation) return "herniation";
        } else if (previous.ruptured > 0 && analysis_.deepest > previous.deepest + 1e-12) {
            const Fissure& deepest = analysis_.fissures.front();
            std::vector<int> fresh;
            for (int c : deepest.cells)
                if (ruptured_at_[c] == increment_number) fresh.push_back(c);
            const int at = most_strained(fresh.empty() ? deepest.cells : fresh, criterion_);
            emit(make_event(RuptureEventType::fissure_growth, increment, increment_number,
                            deepest.cells, {at}, at,
                            "deepest fissure through " + percent(analysis_.deepest) +
                                " of the annulus wall"));
        }
    }
}

void RuptureProgression::herniation_event(const Increment& increment, int increment_number,
                                          const State& state, const std::string& how) {
    const Fissure& through = analysis_.fissures[analysis_.herniation];
    RuptureEvent event = make_event(RuptureEventType::herniation, increment, increment_number,
                                    through.path, through.path, through.path.back(),
                                    "through-wall fissure: " + how + "a path of " +
                                        std::to_string(through.path.size()) +
                                        " ruptured elements from the nucleus to the outer wall");
    if (on_event_) on_event_(event, state);
}

void RuptureProgression::unstable_failure(const Increment& last, int increment_number,
                                          const State& state, const std::string& reason) {
    std::vector<int> cells;
    if (!analysis_.fissures.empty()) cells = analysis_.fissures.front().cells;
    const int key = most_strained(cells, criterion_);
    RuptureEvent event = make_event(RuptureEventType::unstable_failure, last, increment_number,
                                    cells, key >= 0 ? std::vector<int>{key} : std::vector<int>{},
                                    key, "unstable failure: " + reason);
    if (on_event_) on_event_(event, state);
}

} // namespace discsim::solver
