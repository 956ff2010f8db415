// Reading YAML input files (scenarios and sweeps) with messages that point at the problem:
//     FILE:LINE:COLUMN: KEY.PATH: expected <what>, got <what was given>
// The building blocks: the file (Source), a checked mapping (Map) of entries (Entry), and
// readers of numbers, text, flags and choices. Internal to the scenarios layer.
#pragma once

#include "core/error.hpp"
#include "core/parameter.hpp"
#include "scenarios/scenario_keys.hpp"
#include "scenarios/scenario_yaml_schema.hpp"
#include "scenarios/yaml_tree.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace discsim::scenarios::yaml_input {

using Keys = std::vector<std::string_view>;
using namespace schema;

/// The file being read: turns a YAML position (0-based) into the "FILE:LINE:COLUMN: " prefix.
class Source {
public:
    explicit Source(std::string file) : file_(std::move(file)) {}
    const std::string& file() const { return file_; }

    [[noreturn]] void fail(const yaml::Mark& mark, std::string_view path,
                           std::string_view message) const {
        std::string raw =
            std::string(path.empty() ? "" : std::string(path) + ": ") + std::string(message);
        std::string text =
            file_ + ":" + std::to_string(line(mark)) + ":" + std::to_string(column(mark)) + ": ";
        // One line, whatever the file contained (a quoted key or value may hold line breaks).
        for (const char c : raw) {
            if (c == '\n')
                text += "\\n";
            else if (static_cast<unsigned char>(c) < 0x20)
                text += ' ';
            else
                text += c;
        }
        throw InputError(text);
    }
    static int line(const yaml::Mark& mark) { return mark.is_null() ? 1 : mark.line + 1; }
    static int column(const yaml::Mark& mark) { return mark.is_null() ? 1 : mark.column + 1; }

private:
    std::string file_;
};

/// What a node is, in words, for the "got ..." part of a message.
inline std::string describe(const yaml::Node& node) {
    if (!node || node.is_null()) return "nothing";
    if (node.is_sequence()) return "a list";
    if (node.is_map()) return "a mapping";
    // Quoted (or explicitly tagged) scalars are strings to YAML, never numbers or booleans.
    if (!node.is_plain()) return "the string " + yaml_quoted(node.scalar());
    return "'" + node.scalar() + "'";
}

/// One `key: value` of a mapping, with where it was written and its full key path.
struct Entry {
    std::string key;
    std::string path;
    yaml::Mark key_mark;
    yaml::Node value;

    /// Where to point for a problem with the value: the value itself, or the key when the value
    /// is empty (the parser then places it at the start of the next line).
    yaml::Mark mark() const {
        if (!value || value.is_null() || value.mark().is_null()) return key_mark;
        return value.mark();
    }
};

/// A mapping whose keys have been checked: each a plain name, none twice, all known.
class Map {
public:
    /// `section`: the declared section (scenarios/scenario_keys.hpp) the keys belong to, for
    /// the declared ranges of read_number(source, map, key).
    Map(const Source& source, const yaml::Node& node, std::string path, const yaml::Mark& where,
        const Keys& keys, std::string section = {})
        : source_(source), path_(std::move(path)), mark_(where), section_(std::move(section)) {
        if (!node.is_map()) {
            std::string expected = "a mapping (key: value)";
            if (keys.size() <= 8) {
                expected += " with keys among " + join(keys, ", ");
            }
            source.fail(where, path_, "expected " + expected + ", got " + describe(node));
        }
        if (!node.mark().is_null()) mark_ = node.mark();
        for (const auto& [key, value] : node.pairs()) {
            if (!key.is_scalar()) {
                source.fail(key.mark(), path_, "expected a key name, got " + describe(key));
            }
            Entry entry{key.scalar(), child(key.scalar()), key.mark(), value};
            for (const auto& earlier : entries_) {
                if (earlier.key == entry.key) {
                    source.fail(entry.key_mark, entry.path,
                                "expected each key once in a mapping, got '" + entry.key +
                                    "' again (first at line " +
                                    std::to_string(Source::line(earlier.key_mark)) + ")");
                }
            }
            if (std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
                std::string message = "unknown key '" + entry.key + "'";
                if (auto hint = nearest_name(entry.key, keys); !hint.empty()) {
                    message += " (did you mean '" + hint + "'?)";
                }
                message += "; expected one of " + join(keys, ", ");
                source.fail(entry.key_mark, entry.path, message);
            }
            entries_.push_back(std::move(entry));
        }
    }

    const Entry* find(std::string_view key) const {
        for (const auto& e : entries_) {
            if (e.key == key) return &e;
        }
        return nullptr;
    }
    /// The entry of a required key; a missing one is an error at the mapping.
    const Entry& require(std::string_view key, std::string_view what) const {
        if (const Entry* e = find(key)) return *e;
        source_.fail(mark_, child(key),
                     "expected " + std::string(what) + ", got nothing (the key is required)");
    }
    const std::vector<Entry>& entries() const { return entries_; }
    const std::string& path() const { return path_; }
    const std::string& section() const { return section_; }
    const yaml::Mark& mark() const { return mark_; }
    std::string child(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

private:
    const Source& source_;
    std::string path_;
    yaml::Mark mark_;
    std::string section_;
    std::vector<Entry> entries_;
};

inline Map read_map(const Source& source, const Entry& entry, const Keys& keys) {
    return Map(source, entry.value, entry.path, entry.mark(), keys);
}

/// A mapping of the declared section's keys (scenarios/scenario_keys.hpp).
inline Map read_section(const Source& source, const Entry& entry, std::string_view section) {
    return Map(source, entry.value, entry.path, entry.mark(), keys::names(section),
               std::string(section));
}

/// "a number in N in [0, 10000]": the expectation of a numeric key, as check_parameter words it.
inline std::string expectation(const ParameterSpec& spec) {
    std::string out = spec.integer ? "a whole number" : "a number";
    if (!spec.unit.empty() && spec.unit != "1" && spec.unit != "count") {
        out += " in " + std::string(spec.unit);
    }
    return out + " in " + describe_range(spec);
}

inline double read_number(const Source& source, const Entry& entry, const ParameterSpec& spec) {
    const auto& node = entry.value;
    const auto refuse = [&] {
        source.fail(entry.mark(), entry.path,
                    "expected " + expectation(spec) + ", got " + describe(node));
    };
    if (!node.is_scalar() || !node.is_plain()) refuse();
    double value = 0.0;
    try {
        value = parse_number(entry.path, node.scalar());
    } catch (const InputError&) {
        refuse();
    }
    ParameterSpec named = spec;
    named.name = entry.path;
    try {
        check_parameter(named, value);
    } catch (const InputError& error) {
        source.fail(entry.mark(), "", error.what()); // already "PATH: expected ..., got ..."
    }
    return value;
}

inline std::optional<double> read_number(const Source& source, const Map& map, std::string_view key,
                                         const ParameterSpec& spec) {
    if (const Entry* e = map.find(key)) return read_number(source, *e, spec);
    return std::nullopt;
}

/// A number of a declared section's key, in its declared range (variant: see keys::Key).
inline std::optional<double> read_number(const Source& source, const Map& map, std::string_view key,
                                         std::string_view variant = {}) {
    return read_number(source, map, key, keys::key(map.section(), key, variant).range);
}

inline std::string read_text(const Source& source, const Entry& entry, std::string_view what) {
    if (!entry.value.is_scalar()) {
        source.fail(entry.mark(), entry.path,
                    "expected " + std::string(what) + ", got " + describe(entry.value));
    }
    return entry.value.scalar();
}

inline bool read_flag(const Source& source, const Entry& entry) {
    const auto& node = entry.value;
    if (node.is_scalar() && node.is_plain()) {
        std::string word = node.scalar();
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (word == "true") return true;
        if (word == "false") return false;
    }
    source.fail(entry.mark(), entry.path, "expected true or false, got " + describe(node));
}

template <class T>
T read_choice(const Source& source, const Entry& entry, std::span<const Choice<T>> choices) {
    std::vector<std::string_view> names;
    for (const auto& c : choices)
        names.push_back(c.name);
    const std::string expected = "expected one of " + join(names, ", ");
    const std::string word = read_text(source, entry, expected.substr(9));
    for (const auto& c : choices) {
        if (c.name == word) return c.value;
    }
    std::string message = expected + ", got '" + word + "'";
    if (auto hint = nearest_name(word, names); !hint.empty()) {
        message += " (did you mean '" + hint + "'?)";
    }
    source.fail(entry.mark(), entry.path, message);
}

template <class T, std::size_t N>
T read_choice(const Source& source, const Entry& entry, const Choice<T> (&choices)[N]) {
    return read_choice(source, entry, std::span<const Choice<T>>(choices, N));
}

/// The single YAML document of `text`; a syntax error, an empty text or a second document is an
/// error. `what` says what the file should hold.
inline yaml::Node load_document(const Source& source, const std::string& text,
                                std::string_view what) {
    std::vector<yaml::Document> documents;
    try {
        documents = yaml::load_all(text);
    } catch (const yaml::SyntaxError& error) {
        source.fail(error.mark, "", "YAML syntax error: " + error.message);
    }
    if (documents.empty()) {
        source.fail(yaml::Mark(), "", "expected " + std::string(what) + ", got an empty file");
    }
    if (documents.size() > 1) {
        // At the second document's content (its `---` when it has none).
        const yaml::Node& second = documents[1].root;
        source.fail(second && !second.is_null() ? second.mark() : documents[1].start, "",
                    "expected a single YAML document, got a second one (after '---')");
    }
    return documents[0].root;
}

/// The bytes of an input file: InputError when it does not exist or is a folder, IoError when
/// it cannot be read. `what` names the kind of file ("scenario").
inline std::string read_input_file(const std::filesystem::path& file, std::string_view what) {
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        throw InputError(file.string() + ": no such " + std::string(what) + " file");
    }
    if (std::filesystem::is_directory(file, error)) {
        throw InputError(file.string() + ": expected a " + std::string(what) +
                         " file (.yaml), got a folder");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw IoError(file.string() + ": cannot read the " + std::string(what) + " file");
    return text.str();
}

} // namespace discsim::scenarios::yaml_input
