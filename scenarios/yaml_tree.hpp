// A YAML document as a small tree, read with libyaml (the reference C parser of the YAML
// project, fuzzed continuously) and written back as block-style YAML.
//
// Why not yaml-cpp: yaml-cpp 0.7 (Debian 12) loops for ever, allocating, on some malformed
// inputs: a file holding only `,` grew to 5 GB in 5 s (yaml-cpp issue 1040; also `[:`, `{:`,
// issues 499, 793, 899), and a sweep node can be taken down by one such file. libyaml reports
// them as syntax errors at once. Its events give 0-based line and column marks, which the
// readers of yaml_input.hpp turn into FILE:LINE:COLUMN messages.
//
// Bounds, so that no input can make reading slow or large: the text at most max_text_bytes,
// nesting at most max_depth, at most max_nodes nodes. An alias (*a) is the anchored node itself,
// shared, so nested aliases ("billion laughs") cost nothing to read; emit() counts what a tree
// expands to and refuses more than max_nodes. Merge keys (<<) have no special meaning.
//
// The tree is a value type with shared structure: copying a Node refers to the same node (as
// yaml-cpp's nodes do), so the sweep can edit a document in place through a copy.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace discsim::scenarios::yaml {

/// A position in the text, 0-based; null when unknown (a node built in code).
struct Mark {
    int line = -1;
    int column = -1;
    bool is_null() const { return line < 0; }
};

/// A syntax error or a refused construct (alias, too deep, too large), with where it is.
struct SyntaxError {
    std::string message;
    Mark mark;
};

inline constexpr std::size_t max_text_bytes = 16u << 20;
inline constexpr int max_depth = 64;
inline constexpr std::size_t max_nodes = 200000;

class Node {
public:
    enum class Kind { scalar, sequence, map };

    /// An undefined node (what a missing key gives); tests false.
    Node() = default;
    /// A plain scalar built in code (emitted plain when that reads back the same).
    static Node scalar_node(std::string text, bool plain = true, Mark mark = {});
    static Node sequence_node(Mark mark = {});
    static Node map_node(Mark mark = {});

    explicit operator bool() const { return data_ != nullptr; }
    bool is_defined() const { return data_ != nullptr; }
    /// A plain empty scalar, `~` or `null` (YAML 1.2 core schema), as yaml-cpp reads them.
    bool is_null() const;
    bool is_scalar() const { return data_ && data_->kind == Kind::scalar && !is_null(); }
    bool is_sequence() const { return data_ && data_->kind == Kind::sequence; }
    bool is_map() const { return data_ && data_->kind == Kind::map; }
    /// A plain (unquoted, untagged) scalar: the only kind that may be a number or a flag.
    bool is_plain() const { return data_ && data_->plain; }
    /// The scalar's text ("" for anything else).
    const std::string& scalar() const;
    Mark mark() const { return data_ ? data_->mark : Mark{}; }

    /// Entries of a sequence or pairs of a mapping (0 otherwise).
    std::size_t size() const;
    /// Entry i of a sequence (undefined when out of range or not a sequence).
    Node operator[](std::size_t i) const;
    /// The value of `key` in a mapping (undefined when absent or not a mapping).
    Node find(std::string_view key) const;
    /// The key/value pairs of a mapping, in file order (empty otherwise).
    const std::vector<std::pair<Node, Node>>& pairs() const;

    // ---- editing (the sweep sets keys of a base scenario) -------------------------------
    /// Turns this node into a plain scalar with `text` (all copies see the change).
    void set_scalar(std::string text);
    /// The value of `key` in this mapping, added as an empty mapping when absent. Requires a
    /// mapping.
    Node child_map(std::string_view key);
    /// Sets `key` of this mapping to a plain scalar (added at the end when absent).
    void set(std::string_view key, std::string text);
    /// Turns an undefined-valued or null node into an empty mapping in place.
    void make_map();

private:
    struct Data {
        Kind kind = Kind::scalar;
        std::string text;
        bool plain = true;
        Mark mark;
        std::vector<Node> items;
        std::vector<std::pair<Node, Node>> entries;
    };
    std::shared_ptr<Data> data_;
    friend class Builder;
};

/// One document of a text: its root and where it starts (its `---`, or its first node).
struct Document {
    Node root;
    Mark start;
};

/// Every document of `text`, in order (none for an empty or comment-only text). Throws
/// SyntaxError at the first problem.
std::vector<Document> load_all(std::string_view text);

/// Block-style YAML of `node`: plain scalars stay plain when they read back the same, others
/// are double-quoted, aliases are written out. load_all(emit(n)) gives a tree equal to n.
/// Throws SyntaxError when the expansion passes max_nodes values or 8 max_depth levels.
std::string emit(const Node& node);

/// Whether two trees hold the same kinds, texts and plainness (marks ignored).
bool same_tree(const Node& a, const Node& b);

} // namespace discsim::scenarios::yaml
