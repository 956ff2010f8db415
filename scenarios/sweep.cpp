#include "scenarios/sweep.hpp"

#include "scenarios/scenario_yaml.hpp"
#include "scenarios/yaml_input.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>

namespace discsim::scenarios {

namespace fs = std::filesystem;
using namespace yaml_input;

namespace {

constexpr std::size_t max_cases = 100000;

// A range {start, stop, step}: start, start + step, ... up to stop (included when it is hit
// within round-off).
std::vector<std::string> read_range(const Source& source, const Entry& entry) {
    const Map map = read_map(source, entry, {"start", "stop", "step"});
    auto number = [&](std::string_view key) {
        const Entry& e = map.require(key, "a number");
        if (!e.value.is_scalar()) {
            source.fail(e.mark(), e.path, "expected a number, got " + describe(e.value));
        }
        try {
            return parse_number(e.path, e.value.scalar());
        } catch (const InputError&) {
            source.fail(e.mark(), e.path, "expected a number, got " + describe(e.value));
        }
    };
    const double start = number("start"), stop = number("stop"), step = number("step");
    if (step == 0.0 || (stop - start) / step < -1e-9) {
        source.fail(entry.mark(), entry.path,
                    "expected a range that holds at least one value (step of the sign of "
                    "stop - start, not 0), got start " +
                        format_number(start) + ", stop " + format_number(stop) + ", step " +
                        format_number(step));
    }
    const double count = std::floor((stop - start) / step + 1e-9) + 1;
    if (count > static_cast<double>(max_cases)) {
        source.fail(entry.mark(), entry.path,
                    "expected at most " + std::to_string(max_cases) + " values, got " +
                        format_number(count));
    }
    std::vector<std::string> values;
    for (int k = 0; k < static_cast<int>(count); ++k) {
        double v = start + k * step;
        if (std::abs(v) < 1e-12 * std::abs(step)) v = 0.0; // no -0 or 1e-17 from round-off
        values.push_back(format_number(v));
    }
    return values;
}

SweepKey read_values(const Source& source, const Entry& entry) {
    SweepKey key{entry.key, {}, Source::line(entry.key_mark), Source::column(entry.key_mark)};
    const yaml::Node& node = entry.value;
    if (node.is_sequence()) {
        if (node.size() == 0) {
            source.fail(entry.mark(), entry.path, "expected at least one value, got an empty list");
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            const yaml::Node item = node[i];
            if (!item.is_scalar()) {
                source.fail(item.mark().is_null() ? entry.mark() : item.mark(), entry.path,
                            "expected a list of values, got " + describe(item) + " in it");
            }
            key.values.push_back(item.scalar());
        }
    } else if (node.is_map()) {
        key.values = read_range(source, entry);
    } else if (node.is_scalar()) {
        key.values.push_back(node.scalar());
    } else {
        source.fail(entry.mark(), entry.path,
                    "expected a list of values or a range {start, stop, step}, got " +
                        describe(node));
    }
    return key;
}

// One segment of a key path: a mapping key, or a list entry by index or (steps) by name.
struct Segment {
    std::string key;
    bool is_entry = false;
    std::string entry; ///< the text between [ and ]
};

std::vector<Segment> split_path(const std::string& path) {
    std::vector<Segment> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
            continue;
        }
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos) throw InputError("an unclosed '['");
            out.push_back({"", true, path.substr(i + 1, close - i - 1)});
            i = close + 1;
            continue;
        }
        const std::size_t end = path.find_first_of(".[", i);
        out.push_back({path.substr(i, end - i), false, ""});
        i = end == std::string::npos ? path.size() : end;
    }
    if (out.empty()) throw InputError("an empty key");
    return out;
}

// Sets `path` in `root` to the scalar `value`; throws InputError (message without location)
// when the path cannot be followed.
void set_path(yaml::Node root, const std::string& path, const std::string& value) {
    const std::vector<Segment> segments = split_path(path);
    yaml::Node node = root;
    std::string walked;
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const Segment& seg = segments[s];
        const bool last = s + 1 == segments.size();
        if (seg.is_entry) {
            if (!node.is_sequence()) {
                throw InputError("'" + walked + "' is not a list in the base scenario");
            }
            int index = -1;
            char* end = nullptr;
            const long parsed = std::strtol(seg.entry.c_str(), &end, 10);
            if (!seg.entry.empty() && *end == '\0') {
                index = static_cast<int>(parsed);
            } else {
                for (std::size_t k = 0; k < node.size(); ++k) {
                    if (node[k].is_map() && node[k].find("name") &&
                        node[k].find("name").scalar() == seg.entry) {
                        index = static_cast<int>(k);
                    }
                }
                if (index < 0) {
                    throw InputError("'" + walked + "' has no entry named '" + seg.entry + "'");
                }
            }
            if (index < 0 || index >= static_cast<int>(node.size())) {
                throw InputError("'" + walked + "' has " + std::to_string(node.size()) +
                                 " entries; expected an index from 0 to " +
                                 std::to_string(node.size() - 1) + ", got " + seg.entry);
            }
            walked += "[" + seg.entry + "]";
            if (last) {
                node[index].set_scalar(value);
                return;
            }
            node = node[index];
        } else {
            // A key given with no value (`materials:`) is an empty mapping to fill.
            if (node.is_null()) node.make_map();
            if (!node.is_map()) {
                throw InputError("'" + walked + "' is not a mapping in the base scenario");
            }
            walked += (walked.empty() ? "" : ".") + seg.key;
            if (last) {
                node.set(seg.key, value);
                return;
            }
            node = node.child_map(seg.key);
        }
    }
}

std::string folder_word(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool keep =
            std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        out += keep ? c : '-';
    }
    return out;
}

// "FILE:LINE:COLUMN: " stripped from a message about generated text.
std::string without_location(const std::string& message) {
    static const std::regex location(R"(^.*?:\d+:\d+: )");
    return std::regex_replace(message, location, "", std::regex_constants::format_first_only);
}

} // namespace

std::string key_leaf(const std::string& path) {
    const std::size_t dot = path.find_last_of('.');
    std::string leaf = dot == std::string::npos ? path : path.substr(dot + 1);
    const std::size_t bracket = leaf.find('[');
    return bracket == std::string::npos || bracket == 0 ? leaf : leaf.substr(0, bracket);
}

SweepSpec parse_sweep(const std::string& text, const fs::path& file_name) {
    const Source source(file_name.string());
    const yaml::Node document =
        load_document(source, text, "a sweep (a mapping with base and vary)");
    yaml::Node root = document;
    yaml::Mark root_mark = document.mark();
    // A `sweep:` block is accepted as well as the keys at the top level.
    if (document.is_map() && document.find("sweep") && document.size() == 1) {
        root = document.find("sweep");
        root_mark = root.mark().is_null() ? root_mark : root.mark();
    }
    const Map map(source, root, "", root_mark, {"base", "mode", "set", "vary"});
    SweepSpec spec;
    spec.file = file_name;
    const Entry& base = map.require("base", "the base scenario file");
    spec.base = read_text(source, base, "the base scenario file");
    if (spec.base.is_relative()) spec.base = file_name.parent_path() / spec.base;
    std::error_code error;
    if (!fs::is_regular_file(spec.base, error)) {
        source.fail(base.mark(), base.path,
                    "expected an existing scenario file, got '" + spec.base.string() + "'");
    }
    if (const Entry* e = map.find("mode")) {
        static constexpr Choice<SweepMode> modes[] = {{"grid", SweepMode::grid},
                                                      {"list", SweepMode::list}};
        spec.mode = read_choice(source, *e, modes);
    }
    if (const Entry* e = map.find("set")) {
        if (!e->value.is_map()) {
            source.fail(e->mark(), e->path,
                        "expected a mapping of key: value, got " + describe(e->value));
        }
        for (const auto& [key, value] : e->value.pairs()) {
            if (!key.is_scalar()) {
                source.fail(key.mark(), e->path, "expected a key path, got " + describe(key));
            }
            const Entry item{key.scalar(), "set." + key.scalar(), key.mark(), value};
            if (!item.value.is_scalar()) {
                source.fail(item.mark(), item.path,
                            "expected one value, got " + describe(item.value));
            }
            spec.set.push_back(read_values(source, item));
        }
    }
    const Entry& vary = map.require("vary", "the keys to vary");
    if (!vary.value.is_map() || vary.value.size() == 0) {
        source.fail(vary.mark(), vary.path,
                    "expected a mapping of scenario keys to values or ranges, got " +
                        describe(vary.value));
    }
    for (const auto& [key, value] : vary.value.pairs()) {
        if (!key.is_scalar()) {
            source.fail(key.mark(), vary.path, "expected a key path, got " + describe(key));
        }
        const Entry item{key.scalar(), "vary." + key.scalar(), key.mark(), value};
        for (const auto& earlier : spec.vary) {
            if (earlier.path == item.key) {
                source.fail(item.key_mark, item.path, "expected each key once, got it again");
            }
        }
        spec.vary.push_back(read_values(source, item));
    }
    if (spec.mode == SweepMode::list) {
        for (const auto& k : spec.vary) {
            if (k.values.size() != spec.vary.front().values.size()) {
                throw InputError(file_name.string() + ":" + std::to_string(k.line) + ":" +
                                 std::to_string(k.column) + ": vary." + k.path +
                                 ": expected as many values as vary." + spec.vary.front().path +
                                 " (" + std::to_string(spec.vary.front().values.size()) +
                                 ") in list mode, got " + std::to_string(k.values.size()));
            }
        }
    }
    return spec;
}

SweepSpec load_sweep(const fs::path& file) {
    return parse_sweep(read_input_file(file, "sweep"), file);
}

std::vector<SweepCase> expand_sweep(const SweepSpec& spec) {
    const std::string base_text = read_input_file(spec.base, "scenario");
    const Scenario base = parse_scenario(base_text, spec.base); // the base must be valid itself
    // The combinations, as indices into each key's values.
    std::vector<std::vector<std::size_t>> combos;
    if (spec.mode == SweepMode::list) {
        for (std::size_t i = 0; i < spec.vary.front().values.size(); ++i)
            combos.push_back(std::vector<std::size_t>(spec.vary.size(), i));
    } else {
        std::size_t total = 1;
        for (const auto& k : spec.vary) {
            total *= k.values.size();
            if (total > max_cases) {
                throw InputError(spec.file.string() + ": expected at most " +
                                 std::to_string(max_cases) + " cases, got more");
            }
        }
        for (std::size_t c = 0; c < total; ++c) {
            std::vector<std::size_t> pick(spec.vary.size());
            std::size_t rest = c;
            for (std::size_t k = spec.vary.size(); k-- > 0;) {
                pick[k] = rest % spec.vary[k].values.size();
                rest /= spec.vary[k].values.size();
            }
            combos.push_back(pick);
        }
    }
    std::vector<SweepCase> cases;
    for (std::size_t c = 0; c < combos.size(); ++c) {
        // The base was read above, so it parses; each case edits a fresh tree of it.
        yaml::Node doc = yaml::load_all(base_text).front().root;
        SweepCase sweep_case;
        sweep_case.index = static_cast<int>(c);
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "case_%04zu", c);
        sweep_case.name = prefix;
        std::string label;
        auto apply = [&](const SweepKey& key, const std::string& value, const std::string& where) {
            try {
                set_path(doc, key.path, value);
            } catch (const InputError& e) {
                throw InputError(spec.file.string() + ":" + std::to_string(key.line) + ":" +
                                 std::to_string(key.column) + ": " + where + key.path +
                                 ": expected a key path into the base scenario, but " + e.what());
            }
        };
        for (const auto& key : spec.set)
            apply(key, key.values.front(), "set.");
        for (std::size_t k = 0; k < spec.vary.size(); ++k) {
            const std::string& value = spec.vary[k].values[combos[c][k]];
            apply(spec.vary[k], value, "vary.");
            sweep_case.values.push_back(value);
            sweep_case.name +=
                "_" + folder_word(key_leaf(spec.vary[k].path)) + "-" + folder_word(value);
            label += (label.empty() ? "" : ", ") + key_leaf(spec.vary[k].path) + " " + value;
        }
        doc.set("name", base.name + " [" + label + "]");
        std::string case_text;
        try {
            case_text = yaml::emit(doc);
        } catch (const yaml::SyntaxError& e) {
            throw InputError(spec.base.string() + ": " + e.message);
        }
        try {
            sweep_case.scenario = parse_scenario(case_text, spec.base);
        } catch (const InputError& e) {
            // The first key whose path the message names, or the first varied key.
            const std::string message = without_location(e.what());
            const std::string named = key_leaf(message.substr(0, message.find(": ")));
            const SweepKey* culprit = spec.vary.empty() ? nullptr : &spec.vary.front();
            for (const auto& k : spec.vary)
                if (key_leaf(k.path) == named) culprit = &k;
            throw InputError(spec.file.string() + ":" +
                             std::to_string(culprit ? culprit->line : 1) + ":" +
                             std::to_string(culprit ? culprit->column : 1) + ": case " +
                             std::to_string(c) + " (" + label + "): " + message);
        }
        cases.push_back(std::move(sweep_case));
    }
    return cases;
}

} // namespace discsim::scenarios
