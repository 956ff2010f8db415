// The files of a run (scenarios/run.hpp), written as it goes: results.csv (one row per converged
// increment), events.csv and events.vtp, the field files disc_NNNN.vtu each with its events file
// disc_NNNN_events.vtp, the collection disc.pvd, scenario.yaml and status.txt. Every file is
// written under a temporary name and renamed. The CSV columns are declared once, each as
// {name, unit, value}; the header and every row come from that one table. Internal to the
// scenarios layer.
#pragma once

#include "mesh/vtk_io.hpp"
#include "scenarios/run.hpp"
#include "scenarios/step_plan.hpp"
#include "solver/results.hpp"

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace discsim::scenarios {

/// What one row of results.csv is made from.
struct IncrementRow {
    int increment = 0;
    const solver::Increment* inc = nullptr;
    const PlannedStep* planned = nullptr;
    double time_s = 0.0; ///< NaN without durations
    const solver::GlobalResults* results = nullptr;
    int ruptured = 0;
    double deepest = 0.0;
    double wall_time = 0.0;
};

/// A CSV cell: a number (NaN writes an empty cell), a count, or text (quoted as needed).
using CsvValue = std::variant<double, long, std::string>;

template <class Row> struct CsvColumn {
    std::string_view name;
    std::string_view unit; ///< "" for counts, names and dimensionless values
    CsvValue (*value)(const Row&);
};

/// The columns of results.csv and events.csv, in order.
/// The results columns; a biphasic disc's have the fluid columns before the wall time.
std::span<const CsvColumn<IncrementRow>> results_columns(bool biphasic = false);
std::span<const CsvColumn<EventRecord>> event_columns();

class RunOutputs {
public:
    /// Writes scenario.yaml and status.txt "running". `timed`: time steps in seconds.
    /// `biphasic`: the system of a biphasic disc, for its fluid columns and fields.
    RunOutputs(const std::filesystem::path& folder, const mesh::HexMesh& disc,
               const solver::ResultEvaluator& evaluator, bool timed,
               const std::string& scenario_yaml, const solver::System* biphasic = nullptr);

    /// Outputs that write nothing yet: they keep what they would have written, for branch().
    /// The leading steps that runs share are solved into these (run.hpp, SharedRun).
    RunOutputs(const mesh::HexMesh& disc, const solver::ResultEvaluator& evaluator, bool timed,
               const solver::System* biphasic = nullptr);
    /// The outputs of a run that goes on from these (kept) ones: in `folder`, with `disc`'s
    /// metadata and `scenario_yaml`, every file these would have written so far, and the
    /// same files as run_scenario would have written by then.
    RunOutputs branch(const std::filesystem::path& folder, const mesh::HexMesh& disc,
                      const std::string& scenario_yaml) const;

    /// A converged increment's row (results.csv is rewritten).
    void add_row(const IncrementRow& row);
    /// An event at the state where it happened (events.csv and events.vtp are rewritten).
    void add_event(const EventRecord& record, const solver::State& state);
    /// disc_NNNN.vtu and disc_NNNN_events.vtp at `time`, listed in disc.pvd.
    void write_fields(int index, double time, const solver::State& state,
                      const std::vector<solver::ElementStress>& stresses,
                      const std::vector<double>& damage, const std::vector<int>& ruptured_at);
    /// Events that came after the last field file (a herniation ends the run without solving
    /// the breached disc): one more time step at the last event with the last state solved.
    void close_events();
    void status(const std::string& text);

    const std::vector<EventRecord>& events() const { return events_; }
    double seconds() const { return seconds_; } ///< spent writing

private:
    bool writing() const { return !folder_.empty(); }
    std::filesystem::path folder_; ///< empty: keeping, not writing

    const mesh::HexMesh& disc_;
    const solver::ResultEvaluator& evaluator_;
    bool timed_;
    const solver::System* biphasic_;
    std::string results_;
    std::string events_csv_;
    std::vector<EventRecord> events_;
    std::vector<mesh::PvdEntry> series_;
    struct Written {
        double time = 0.0;
        std::string file;
        solver::State state;
        std::size_t events = 0;
    } last_;
    double seconds_ = 0.0;
    // What keeping outputs would have written: each field file, and the state events.vtp
    // was last written at.
    struct KeptFields {
        std::string file, events_file;
        mesh::ExtraFields fields;
        solver::State state;
        std::size_t events = 0;
    };
    std::vector<KeptFields> kept_;
    solver::State events_state_;
};

} // namespace discsim::scenarios
