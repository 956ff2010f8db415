#include "scenarios/run_outputs.hpp"

#include "core/atomic_file.hpp"
#include "scenarios/csv_text.hpp"
#include "scenarios/scenario_yaml_schema.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace discsim::scenarios {

namespace fs = std::filesystem;

namespace {

// The applied loads and the vertebra's rotation, shared by both tables: force (N), follower
// compression (N), moments by anatomical axis (N m), rotations by anatomical axis (deg).
double load_value(const solver::LoadState& load, const solver::Vec3& rotation_deg, int k) {
    switch (k) {
    case 0:
        return load.force.x();
    case 1:
        return load.force.y();
    case 2:
        return load.force.z();
    case 3:
        return -load.follower_force.z();
    case 4:
    case 5:
    case 6:
        return load.moment[k - 4] / 1000;
    default:
        return rotation_deg[k - 7];
    }
}

#define DISCSIM_LOAD_COLUMNS(Row, load_of, rotation_of)                                            \
    {"force_x_N", "N",                                                                             \
     [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 0); }},                \
        {"force_y_N", "N",                                                                         \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 1); }},            \
        {"force_z_N", "N",                                                                         \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 2); }},            \
        {"follower_compression_N", "N",                                                            \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 3); }},            \
        {"right_lateral_bending_moment_Nm", "N m",                                                 \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 4); }},            \
        {"flexion_moment_Nm", "N m",                                                               \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 5); }},            \
        {"left_axial_rotation_moment_Nm", "N m",                                                   \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 6); }},            \
        {"right_lateral_bending_deg", "deg",                                                       \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 7); }},            \
        {"flexion_deg", "deg",                                                                     \
         [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 8); }},            \
    {                                                                                              \
        "left_axial_rotation_deg", "deg",                                                          \
            [](const Row& r) -> CsvValue { return load_value(load_of, rotation_of, 9); }           \
    }

// clang-format off
const CsvColumn<IncrementRow> results_table[] = {
    {"increment", "", [](const IncrementRow& r) -> CsvValue { return long{r.increment}; }},
    {"step", "", [](const IncrementRow& r) -> CsvValue { return long{r.inc->step + 1}; }},
    {"step_name", "", [](const IncrementRow& r) -> CsvValue { return r.planned->step.name; }},
    {"cycle", "", [](const IncrementRow& r) -> CsvValue { return long{r.planned->cycle}; }},
    {"phase", "", [](const IncrementRow& r) -> CsvValue { return r.planned->phase; }},
    {"phase_time_s", "s", [](const IncrementRow& r) -> CsvValue { return r.planned->hold_time; }},
    {"step_fraction", "", [](const IncrementRow& r) -> CsvValue { return r.inc->step_fraction; }},
    {"time", "", [](const IncrementRow& r) -> CsvValue { return r.inc->time; }},
    {"time_s", "s", [](const IncrementRow& r) -> CsvValue { return r.time_s; }},
    DISCSIM_LOAD_COLUMNS(IncrementRow, r.inc->load, r.results->rotation_deg),
    {"surface_pressure_MPa", "MPa", [](const IncrementRow& r) -> CsvValue { return r.inc->load.pressure; }},
    {"translation_x_mm", "mm", [](const IncrementRow& r) -> CsvValue { return r.results->translation.x(); }},
    {"translation_y_mm", "mm", [](const IncrementRow& r) -> CsvValue { return r.results->translation.y(); }},
    {"translation_z_mm", "mm", [](const IncrementRow& r) -> CsvValue { return r.results->translation.z(); }},
    {"idp_mean_MPa", "MPa", [](const IncrementRow& r) -> CsvValue { return r.results->idp_mean; }},
    {"idp_centre_MPa", "MPa", [](const IncrementRow& r) -> CsvValue { return r.results->idp_centre; }},
    {"height_change_mm", "mm", [](const IncrementRow& r) -> CsvValue { return r.results->height_change; }},
    {"posterior_bulge_mm", "mm", [](const IncrementRow& r) -> CsvValue { return r.results->posterior_bulge; }},
    {"max_fibre_strain", "", [](const IncrementRow& r) -> CsvValue { return r.results->max_fibre_strain; }},
    {"max_annulus_principal_stress_MPa", "MPa",
     [](const IncrementRow& r) -> CsvValue { return r.results->max_annulus_principal_stress; }},
    {"ruptured_elements", "", [](const IncrementRow& r) -> CsvValue { return long{r.ruptured}; }},
    {"deepest_fissure_fraction", "", [](const IncrementRow& r) -> CsvValue { return r.deepest; }},
    {"re_equilibrations", "", [](const IncrementRow& r) -> CsvValue { return long{r.inc->re_equilibrations}; }},
    {"newton_iterations", "",
     [](const IncrementRow& r) -> CsvValue {
         return long{r.inc->newton.iterations + r.inc->re_equilibration_iterations};
     }},
    {"wall_time_s", "s", [](const IncrementRow& r) -> CsvValue { return r.wall_time; }},
};

// The biphasic disc's columns, after the others.
double outflow(const IncrementRow& r, int boundary) {
    const auto& f = r.results->fluid;
    return f && boundary < static_cast<int>(f->outflow.size()) ? f->outflow[boundary] : 0.0;
}
const CsvColumn<IncrementRow> fluid_table[] = {
    {"nucleus_fluid_pressure_MPa", "MPa", [](const IncrementRow& r) -> CsvValue { return r.results->fluid->nucleus_fluid_pressure; }},
    {"nucleus_osmotic_pressure_MPa", "MPa", [](const IncrementRow& r) -> CsvValue { return r.results->fluid->nucleus_osmotic_pressure; }},
    {"nucleus_fluid_fraction", "", [](const IncrementRow& r) -> CsvValue { return r.results->fluid->nucleus_fluid_fraction; }},
    {"nucleus_fluid_volume_change_mm3", "mm^3", [](const IncrementRow& r) -> CsvValue { return r.results->fluid->nucleus_fluid_volume_change; }},
    {"disc_fluid_volume_change_mm3", "mm^3", [](const IncrementRow& r) -> CsvValue { return r.results->fluid->disc_fluid_volume_change; }},
    {"outflow_outer_wall_mm3_per_s", "mm^3/s", [](const IncrementRow& r) -> CsvValue { return outflow(r, 0); }},
    {"outflow_superior_endplate_mm3_per_s", "mm^3/s", [](const IncrementRow& r) -> CsvValue { return outflow(r, 1); }},
    {"outflow_inferior_endplate_mm3_per_s", "mm^3/s", [](const IncrementRow& r) -> CsvValue { return outflow(r, 2); }},
};

const CsvColumn<EventRecord> event_table[] = {
    {"event", "", [](const EventRecord& r) -> CsvValue { return long{r.index}; }},
    {"type", "", [](const EventRecord& r) -> CsvValue { return std::string(solver::event_type_name(r.event.type)); }},
    {"increment", "", [](const EventRecord& r) -> CsvValue { return long{r.event.increment}; }},
    {"step", "", [](const EventRecord& r) -> CsvValue { return long{r.event.step + 1}; }},
    {"step_name", "", [](const EventRecord& r) -> CsvValue { return r.step_name; }},
    {"step_fraction", "", [](const EventRecord& r) -> CsvValue { return r.event.step_fraction; }},
    {"time", "", [](const EventRecord& r) -> CsvValue { return r.event.time; }},
    {"time_s", "s", [](const EventRecord& r) -> CsvValue { return r.time_s; }},
    DISCSIM_LOAD_COLUMNS(EventRecord, r.load, r.rotation_deg),
    {"idp_mean_MPa", "MPa", [](const EventRecord& r) -> CsvValue { return r.idp_mean; }},
    {"centroid_x_mm", "mm", [](const EventRecord& r) -> CsvValue { return r.event.centroid.x(); }},
    {"centroid_y_mm", "mm", [](const EventRecord& r) -> CsvValue { return r.event.centroid.y(); }},
    {"centroid_z_mm", "mm", [](const EventRecord& r) -> CsvValue { return r.event.centroid.z(); }},
    {"sector", "", [](const EventRecord& r) -> CsvValue { return std::string(mesh::sector_name(r.event.sector)); }},
    {"sectors", "", [](const EventRecord& r) -> CsvValue { return r.sectors; }},
    {"depth_fraction", "", [](const EventRecord& r) -> CsvValue { return r.event.depth; }},
    {"ruptured_elements", "", [](const EventRecord& r) -> CsvValue { return long{r.event.ruptured}; }},
    {"element_count", "", [](const EventRecord& r) -> CsvValue { return static_cast<long>(r.event.cells.size()); }},
    {"elements", "",
     [](const EventRecord& r) -> CsvValue {
         std::string out;
         for (std::size_t k = 0; k < r.event.cells.size(); ++k)
             out += (k ? " " : "") + std::to_string(r.event.cells[k]);
         return out;
     }},
    {"detail", "", [](const EventRecord& r) -> CsvValue { return r.event.detail; }},
};
// clang-format on
#undef DISCSIM_LOAD_COLUMNS

std::string cell(const CsvValue& value) {
    if (const double* d = std::get_if<double>(&value)) return std::isnan(*d) ? "" : csv_number(*d);
    if (const long* n = std::get_if<long>(&value)) return std::to_string(*n);
    return csv_field(std::get<std::string>(value));
}

template <class Row> std::string header(std::span<const CsvColumn<Row>> columns) {
    std::string out;
    for (const auto& c : columns)
        out += (out.empty() ? "" : ",") + std::string(c.name);
    return out + "\n";
}

template <class Row> std::string line(std::span<const CsvColumn<Row>> columns, const Row& row) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i)
        out += (i ? "," : "") + cell(columns[i].value(row));
    return out + "\n";
}

/// The positive anatomical direction about x, y, z (right_lateral_bending, flexion,
/// left_axial_rotation), from the schema's one direction table.
std::vector<std::string> positive_direction_names() {
    std::vector<std::string> names(3);
    for (const auto& d : schema::directions)
        if (d.sign > 0) names[d.axis] = std::string(d.name);
    return names;
}

/// Every sector an event's elements lie in, in the mesh's order, space-separated: an event
/// spanning the midline names both sides ("left_posterolateral posterior right_posterolateral").
std::string event_sectors(const mesh::HexMesh& disc, const solver::RuptureEvent& e) {
    std::array<bool, mesh::sector_count> seen{};
    for (int c : e.cells) {
        const int s = disc.sector.empty() ? -1 : static_cast<int>(disc.sector[c]);
        if (s >= 0) seen[s] = true;
    }
    std::string out;
    for (int s = 0; s < mesh::sector_count; ++s) {
        if (seen[s])
            out += (out.empty() ? "" : " ") +
                   std::string(mesh::sector_name(static_cast<mesh::Sector>(s)));
    }
    return out.empty() ? std::string(mesh::sector_name(e.sector)) : out;
}

/// The displacement at an event's point in `state`: the mean over the elements it is located
/// at of their nodal mean, as the point is the mean of those elements' node means.
solver::Vec3 event_displacement(const mesh::HexMesh& disc, const solver::RuptureEvent& e,
                                const solver::State& state) {
    solver::Vec3 u = solver::Vec3::Zero();
    for (int c : e.located_at) {
        for (int n : disc.cells[c])
            u += state.displacement(n);
    }
    return e.located_at.empty() ? u : u / (8.0 * e.located_at.size());
}

/// The events as a point set: one vertex per event at its centroid in the reference
/// configuration, with the `displacement` there at `state`, so that ParaView's Warp By Vector
/// moves the events with the disc.
void write_events_vtp(const fs::path& path, const mesh::HexMesh& disc,
                      const std::vector<EventRecord>& events, const solver::State& state) {
    std::vector<solver::Vec3> points;
    std::vector<std::int32_t> index, increment, ruptured, count;
    std::vector<double> time, time_s, fraction, idp, depth, follower, force, moment, rotation,
        displacement;
    mesh::PointStrings type{"type", {}}, sector{"sector", {}}, sectors{"sectors", {}},
        step{"step_name", {}}, detail{"detail", {}};
    for (const auto& r : events) {
        const auto& e = r.event;
        points.push_back(e.centroid);
        index.push_back(r.index);
        increment.push_back(e.increment);
        ruptured.push_back(e.ruptured);
        count.push_back(static_cast<std::int32_t>(e.cells.size()));
        time.push_back(e.time);
        time_s.push_back(r.time_s);
        fraction.push_back(e.step_fraction);
        idp.push_back(r.idp_mean);
        depth.push_back(e.depth);
        follower.push_back(-r.load.follower_force.z());
        const solver::Vec3 u = event_displacement(disc, e, state);
        for (int i = 0; i < 3; ++i) {
            force.push_back(r.load.force[i]);
            moment.push_back(r.load.moment[i] / 1000);
            rotation.push_back(r.rotation_deg[i]);
            displacement.push_back(u[i]);
        }
        type.values.push_back(solver::event_type_name(e.type));
        sector.values.push_back(std::string(mesh::sector_name(e.sector)));
        sectors.values.push_back(r.sectors);
        step.values.push_back(r.step_name);
        detail.values.push_back(e.detail);
    }
    mesh::write_vtp_points(path, points,
                           {{"event", 1, {}, std::move(index)},
                            {"increment", 1, {}, std::move(increment)},
                            {"time", 1, {}, std::move(time)},
                            {"time", 1, {}, std::move(time_s), "s"},
                            {"step_fraction", 1, {}, std::move(fraction)},
                            {"idp_mean", 1, {}, std::move(idp), "MPa"},
                            {"depth_fraction", 1, {}, std::move(depth)},
                            {"ruptured_elements", 1, {}, std::move(ruptured)},
                            {"element_count", 1, {}, std::move(count)},
                            {"follower_compression", 1, {}, std::move(follower), "N"},
                            {"force", 3, {"X", "Y", "Z"}, std::move(force), "N"},
                            {"moment", 3, {"X", "Y", "Z"}, std::move(moment), "N m"},
                            {"rotation", 3, positive_direction_names(), std::move(rotation), "deg"},
                            {"displacement", 3, {"X", "Y", "Z"}, std::move(displacement), "mm"}},
                           {type, sector, sectors, step, detail});
}

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

std::span<const CsvColumn<IncrementRow>> results_columns(bool biphasic) {
    static const auto with_fluid = [] {
        std::vector<CsvColumn<IncrementRow>> out(std::begin(results_table), std::end(results_table));
        // Before the wall time, which stays last.
        out.insert(out.end() - 1, std::begin(fluid_table), std::end(fluid_table));
        return out;
    }();
    if (biphasic) return with_fluid;
    return results_table;
}
std::span<const CsvColumn<EventRecord>> event_columns() {
    return event_table;
}

RunOutputs::RunOutputs(const fs::path& folder, const mesh::HexMesh& disc,
                       const solver::ResultEvaluator& evaluator, bool timed,
                       const std::string& scenario_yaml, const solver::System* biphasic)
    : folder_(folder), disc_(disc), evaluator_(evaluator), timed_(timed), biphasic_(biphasic),
      results_(header(results_columns(biphasic != nullptr))), events_csv_(header(event_columns())) {
    const auto t0 = Clock::now();
    write_text_atomically(folder_ / "scenario.yaml", scenario_yaml);
    write_text_atomically(folder_ / "status.txt", "running\n");
    write_text_atomically(folder_ / "events.csv", events_csv_);
    write_events_vtp(folder_ / "events.vtp", disc_, events_, solver::State{});
    write_text_atomically(folder_ / "results.csv", results_);
    seconds_ += since(t0);
}

RunOutputs::RunOutputs(const mesh::HexMesh& disc, const solver::ResultEvaluator& evaluator,
                       bool timed, const solver::System* biphasic)
    : disc_(disc), evaluator_(evaluator), timed_(timed), biphasic_(biphasic),
      results_(header(results_columns(biphasic != nullptr))), events_csv_(header(event_columns())) {}

RunOutputs RunOutputs::branch(const fs::path& folder, const mesh::HexMesh& disc,
                              const std::string& scenario_yaml) const {
    RunOutputs out(folder, disc, evaluator_, timed_, scenario_yaml, biphasic_);
    const auto t0 = Clock::now();
    out.results_ = results_;
    out.events_csv_ = events_csv_;
    out.events_ = events_;
    out.series_ = series_;
    out.last_ = last_;
    out.events_state_ = events_state_;
    for (const auto& k : kept_) {
        mesh::write_vtu(folder / k.file, disc, k.fields);
        const std::vector<EventRecord> then(events_.begin(), events_.begin() + k.events);
        write_events_vtp(folder / k.events_file, disc, then, k.state);
    }
    if (!events_.empty()) {
        write_text_atomically(folder / "events.csv", events_csv_);
        write_events_vtp(folder / "events.vtp", disc, events_, events_state_);
    }
    write_text_atomically(folder / "results.csv", results_);
    if (!series_.empty()) mesh::write_pvd(folder / "disc.pvd", series_);
    out.seconds_ = seconds_ + since(t0);
    return out;
}

void RunOutputs::add_row(const IncrementRow& row) {
    const auto t0 = Clock::now();
    results_ += line(results_columns(biphasic_ != nullptr), row);
    if (writing()) write_text_atomically(folder_ / "results.csv", results_);
    seconds_ += since(t0);
}

void RunOutputs::add_event(const EventRecord& given, const solver::State& state) {
    const auto t0 = Clock::now();
    EventRecord record = given;
    record.sectors = event_sectors(disc_, record.event);
    events_.push_back(record);
    events_csv_ += line(event_columns(), record);
    events_state_ = state;
    if (writing()) {
        write_text_atomically(folder_ / "events.csv", events_csv_);
        write_events_vtp(folder_ / "events.vtp", disc_, events_, state);
    }
    seconds_ += since(t0);
}

void RunOutputs::write_fields(int index, double time, const solver::State& state,
                              const std::vector<solver::ElementStress>& stresses,
                              const std::vector<double>& damage,
                              const std::vector<int>& ruptured_at) {
    const auto t0 = Clock::now();
    char name[32];
    std::snprintf(name, sizeof name, "disc_%04d.vtu", index);
    mesh::ExtraFields fields = evaluator_.fields(state, stresses, biphasic_);
    fields.cell_data.push_back({"damage", 1, {}, damage, "1"});
    fields.cell_data.push_back({"ruptured_at_step",
                                1,
                                {},
                                std::vector<std::int32_t>(ruptured_at.begin(), ruptured_at.end())});
    // Beside every field file, the events that have happened by then, with the displacement at
    // this state: ParaView takes a collection's blocks from its first time step, so every step
    // lists both (an empty point set before the first event).
    char events_name[32];
    std::snprintf(events_name, sizeof events_name, "disc_%04d_events.vtp", index);
    if (writing()) {
        mesh::write_vtu(folder_ / name, disc_, fields);
        write_events_vtp(folder_ / events_name, disc_, events_, state);
    } else {
        kept_.push_back({name, events_name, std::move(fields), state, events_.size()});
    }
    series_.push_back({time, name, 0, "disc"});
    series_.push_back({time, events_name, 1, "events"});
    if (writing()) mesh::write_pvd(folder_ / "disc.pvd", series_);
    last_ = {time, name, state, events_.size()};
    seconds_ += since(t0);
}

void RunOutputs::close_events() {
    if (events_.size() <= last_.events) return;
    const auto t0 = Clock::now();
    const double event_time = timed_ ? events_.back().time_s : events_.back().event.time;
    const double time = std::max(event_time, last_.time);
    write_events_vtp(folder_ / "disc_end_events.vtp", disc_, events_, last_.state);
    if (time > last_.time) {
        series_.push_back({time, last_.file, 0, "disc"});
        series_.push_back({time, "disc_end_events.vtp", 1, "events"});
    } else {
        series_.back().file = "disc_end_events.vtp";
    }
    mesh::write_pvd(folder_ / "disc.pvd", series_);
    seconds_ += since(t0);
}

void RunOutputs::status(const std::string& text) {
    write_text_atomically(folder_ / "status.txt", text + "\n");
}

} // namespace discsim::scenarios
