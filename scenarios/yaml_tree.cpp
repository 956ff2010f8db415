#include "scenarios/yaml_tree.hpp"

#include "scenarios/scenario_yaml_schema.hpp"

#include <algorithm>
#include <map>
#include <yaml.h>

namespace discsim::scenarios::yaml {

// ---- Node --------------------------------------------------------------------------------

Node Node::scalar_node(std::string text, bool plain, Mark mark) {
    Node n;
    n.data_ = std::make_shared<Data>();
    n.data_->kind = Kind::scalar;
    n.data_->text = std::move(text);
    n.data_->plain = plain;
    n.data_->mark = mark;
    return n;
}

Node Node::sequence_node(Mark mark) {
    Node n = scalar_node("", false, mark);
    n.data_->kind = Kind::sequence;
    return n;
}

Node Node::map_node(Mark mark) {
    Node n = scalar_node("", false, mark);
    n.data_->kind = Kind::map;
    return n;
}

bool Node::is_null() const {
    if (!data_ || data_->kind != Kind::scalar || !data_->plain) return false;
    const std::string& t = data_->text;
    return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

const std::string& Node::scalar() const {
    static const std::string empty;
    return data_ && data_->kind == Kind::scalar ? data_->text : empty;
}

std::size_t Node::size() const {
    if (is_sequence()) return data_->items.size();
    if (is_map()) return data_->entries.size();
    return 0;
}

Node Node::operator[](std::size_t i) const {
    if (!is_sequence() || i >= data_->items.size()) return {};
    return data_->items[i];
}

Node Node::find(std::string_view key) const {
    if (!is_map()) return {};
    for (const auto& [k, v] : data_->entries) {
        if (k.data_ && k.data_->kind == Kind::scalar && k.data_->text == key) return v;
    }
    return {};
}

const std::vector<std::pair<Node, Node>>& Node::pairs() const {
    static const std::vector<std::pair<Node, Node>> none;
    return is_map() ? data_->entries : none;
}

void Node::set_scalar(std::string text) {
    if (!data_) data_ = std::make_shared<Data>();
    data_->kind = Kind::scalar;
    data_->text = std::move(text);
    data_->plain = true;
    data_->items.clear();
    data_->entries.clear();
}

void Node::make_map() {
    if (!data_) data_ = std::make_shared<Data>();
    data_->kind = Kind::map;
    data_->text.clear();
    data_->plain = false;
    data_->items.clear();
}

Node Node::child_map(std::string_view key) {
    if (Node existing = find(key)) return existing;
    Node value = map_node();
    data_->entries.emplace_back(scalar_node(std::string(key)), value);
    return value;
}

void Node::set(std::string_view key, std::string text) {
    if (Node existing = find(key)) {
        existing.set_scalar(std::move(text));
        return;
    }
    data_->entries.emplace_back(scalar_node(std::string(key)), scalar_node(std::move(text)));
}

// ---- reading -----------------------------------------------------------------------------

namespace {

Mark mark_of(const yaml_mark_t& m) {
    return {static_cast<int>(m.line), static_cast<int>(m.column)};
}

// libyaml's parser and event, released on every path out.
struct Parser {
    yaml_parser_t parser;
    Parser(std::string_view text) {
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
    }
    ~Parser() { yaml_parser_delete(&parser); }
};
struct Event {
    yaml_event_t event;
    bool owned = false;
    ~Event() {
        if (owned) yaml_event_delete(&event);
    }
};

// libyaml's wording, with yaml-cpp's short name in front for the two most common mistakes
// (the tests and users have seen those).
std::string syntax_message(const yaml_parser_t& p) {
    std::string problem = p.problem ? p.problem : "unreadable text";
    if (problem == "mapping values are not allowed in this context") {
        problem = "illegal map value (a 'key:' where no mapping can start; check the indentation)";
    }
    if (p.context) problem += " (" + std::string(p.context) + ")";
    return problem;
}

} // namespace

class Builder {
public:
    static std::vector<Document> load(std::string_view text) {
        if (text.size() > max_text_bytes) {
            throw SyntaxError{"expected a file of at most " + std::to_string(max_text_bytes >> 20) +
                                  " MiB, got " + std::to_string(text.size()) + " bytes",
                              {0, 0}};
        }
        Parser p(text);
        std::vector<Document> documents;
        Mark document_start;
        // Open containers; a mapping's pending key waits in `keys` (undefined = none yet).
        std::vector<Node> open;
        std::vector<Node> keys;
        std::vector<std::string> open_anchors; // of the open containers ("" for none)
        std::map<std::string, Node> anchors;   // completed nodes by anchor name
        std::size_t nodes = 0;
        auto add = [&](Node n, const Mark& mark) {
            if (++nodes > max_nodes) {
                throw SyntaxError{"expected at most " + std::to_string(max_nodes) +
                                      " values in one file, got more",
                                  mark};
            }
            if (open.empty()) {
                documents.push_back({n, document_start});
                return;
            }
            Node& parent = open.back();
            if (parent.is_sequence()) {
                parent.data_->items.push_back(n);
            } else if (!keys.back()) {
                keys.back() = n;
            } else {
                parent.data_->entries.emplace_back(keys.back(), n);
                keys.back() = Node();
            }
        };
        auto anchor_of = [](const yaml_char_t* anchor) {
            return anchor ? std::string(reinterpret_cast<const char*>(anchor)) : std::string();
        };
        auto push = [&](Node n, const Mark& mark, std::string anchor) {
            add(n, mark);
            open_anchors.push_back(std::move(anchor));
            if (static_cast<int>(open.size()) >= max_depth) {
                throw SyntaxError{"expected at most " + std::to_string(max_depth) +
                                      " levels of nesting, got more",
                                  mark};
            }
            open.push_back(n);
            keys.emplace_back();
        };
        for (;;) {
            Event e;
            if (!yaml_parser_parse(&p.parser, &e.event)) {
                Mark where = mark_of(p.parser.problem_mark);
                if (p.parser.error == YAML_READER_ERROR) {
                    // Encoding errors carry a byte offset, not a mark.
                    where = {0, 0};
                    const std::size_t end = std::min(p.parser.problem_offset, text.size());
                    for (std::size_t i = 0; i < end; ++i) {
                        if (text[i] == '\n') {
                            ++where.line;
                            where.column = 0;
                        } else {
                            ++where.column;
                        }
                    }
                }
                throw SyntaxError{syntax_message(p.parser), where};
            }
            e.owned = true;
            const Mark mark = mark_of(e.event.start_mark);
            switch (e.event.type) {
            case YAML_STREAM_END_EVENT:
                return documents;
            case YAML_SCALAR_EVENT: {
                const auto& s = e.event.data.scalar;
                const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nullptr;
                Node n = Node::scalar_node(
                    std::string(reinterpret_cast<const char*>(s.value), s.length), plain, mark);
                add(n, mark);
                if (s.anchor) anchors[anchor_of(s.anchor)] = n;
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
                push(Node::sequence_node(mark), mark,
                     anchor_of(e.event.data.sequence_start.anchor));
                break;
            case YAML_MAPPING_START_EVENT:
                push(Node::map_node(mark), mark, anchor_of(e.event.data.mapping_start.anchor));
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                // An anchored container can be referred to once it is complete.
                if (!open_anchors.back().empty()) anchors[open_anchors.back()] = open.back();
                open.pop_back();
                keys.pop_back();
                open_anchors.pop_back();
                break;
            case YAML_DOCUMENT_START_EVENT:
                document_start = mark;
                break;
            case YAML_ALIAS_EVENT: {
                // The anchored node itself, shared, not a copy: nested aliases cost nothing to
                // read, and writing a tree out counts what it expands to (emit).
                const std::string name = anchor_of(e.event.data.alias.anchor);
                const auto it = anchors.find(name);
                if (it == anchors.end()) {
                    throw SyntaxError{"expected an alias to an earlier, complete anchor, got *" +
                                          name + " (no such anchor before it)",
                                      mark};
                }
                add(it->second, mark);
                break;
            }
            default: // stream start, document end
                break;
            }
        }
    }
};

std::vector<Document> load_all(std::string_view text) {
    return Builder::load(text);
}

// ---- writing -----------------------------------------------------------------------------

namespace {

// A scalar that reads back as the same plain scalar in block context (YAML 1.1 / 1.2 plain
// scalar rules, kept on the safe side).
bool plain_safe(const std::string& t) {
    if (t.empty()) return false;
    if (t.front() == ' ' || t.back() == ' ' || t.back() == ':') return false;
    if (t.rfind("...", 0) == 0) return false; // a document end marker
    static constexpr std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
    if (indicators.find(t.front()) != std::string_view::npos) {
        // "-3", "-x": a dash followed by something other than a space is a plain scalar.
        if (!(t.front() == '-' && t.size() > 1 && t[1] != ' ' && t[1] != '-')) return false;
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(t[i]);
        if (c < 0x20 || c == 0x7f) return false;
        if (t[i] == ':' && i + 1 < t.size() && t[i + 1] == ' ') return false;
        if (t[i] == '#' && i > 0 && t[i - 1] == ' ') return false;
    }
    return true;
}

std::string scalar_text(const Node& n) {
    if (n.is_null()) return "~";
    const std::string& t = n.scalar();
    if (n.is_plain() && plain_safe(t)) return t;
    return schema::yaml_quoted(t);
}

// Flow style, for the rare non-scalar mapping key.
std::string flow(const Node& n) {
    if (n.is_sequence()) {
        std::string out = "[";
        for (std::size_t i = 0; i < n.size(); ++i)
            out += (i ? ", " : "") + flow(n[i]);
        return out + "]";
    }
    if (n.is_map()) {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, v] : n.pairs()) {
            out += (first ? "" : ", ") + flow(k) + ": " + flow(v);
            first = false;
        }
        return out + "}";
    }
    if (n.is_null()) return "~";
    return schema::yaml_quoted(n.scalar());
}

bool inline_value(const Node& n) {
    return !(n.is_sequence() || n.is_map()) || n.size() == 0;
}

std::string inline_text(const Node& n) {
    if (n.is_sequence()) return "[]";
    if (n.is_map()) return "{}";
    return scalar_text(n);
}

// What writing a tree may expand to (aliases are shared nodes, written out in full).
struct Budget {
    std::size_t nodes = 0;
    void spend(int indent) {
        if (++nodes > max_nodes || indent > 2 * max_depth * 8) {
            throw SyntaxError{"expected a document of at most " + std::to_string(max_nodes) +
                                  " values and " + std::to_string(max_depth * 8) +
                                  " levels once its aliases are expanded, got more",
                              {}};
        }
    }
};

void emit_block(const Node& n, int indent, std::string& out, Budget& budget) {
    budget.spend(indent);
    const std::string pad(indent, ' ');
    if (n.is_map()) {
        for (const auto& [k, v] : n.pairs()) {
            out += pad +
                   (k.is_map() || k.is_sequence() ? "? " + flow(k) + "\n" + pad : scalar_text(k)) +
                   ":";
            if (inline_value(v)) {
                out += " " + inline_text(v) + "\n";
            } else {
                out += "\n";
                emit_block(v, indent + 2, out, budget);
            }
        }
    } else if (n.is_sequence()) {
        for (std::size_t i = 0; i < n.size(); ++i) {
            const Node item = n[i];
            if (inline_value(item)) {
                out += pad + "- " + inline_text(item) + "\n";
            } else {
                out += pad + "-\n";
                emit_block(item, indent + 2, out, budget);
            }
        }
    } else {
        out += pad + inline_text(n) + "\n";
    }
}

} // namespace

std::string emit(const Node& node) {
    std::string out;
    if (!node) return "~\n";
    Budget budget;
    emit_block(node, 0, out, budget);
    return out;
}

bool same_tree(const Node& a, const Node& b) {
    if (a.is_defined() != b.is_defined()) return false;
    if (!a) return true;
    if (a.is_null() || b.is_null()) return a.is_null() == b.is_null();
    if (a.is_map() != b.is_map() || a.is_sequence() != b.is_sequence() || a.size() != b.size())
        return false;
    if (a.is_sequence()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same_tree(a[i], b[i])) return false;
        return true;
    }
    if (a.is_map()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!same_tree(a.pairs()[i].first, b.pairs()[i].first) ||
                !same_tree(a.pairs()[i].second, b.pairs()[i].second))
                return false;
        }
        return true;
    }
    // Scalars: the same text, and a number or flag stays one (a plain scalar that is not
    // plain-safe, such as "a: b" from a flow context, may come back quoted).
    return a.scalar() == b.scalar() &&
           (a.is_plain() == b.is_plain() || !plain_safe(a.scalar()) || !plain_safe(b.scalar()));
}

} // namespace discsim::scenarios::yaml
