// The degrees of freedom a node carries, as data: an ordered list of fields, each with its
// component count. Nodal values are stored node-major, the fields of a node side by side:
//     value index = node * per_node() + offset(field) + component.
// Today's solid model uses displacement only (3 per node). The biphasic disc of the next model
// adds the pore pressure (1 per node, FEBio's "p" dof; Ateshian et al. 2009); a field that no
// element assembles yet is held at its value by the System (solver/system.hpp), so a layout
// with more fields leaves the displacement solution unchanged (tests/test_dof_layout.cpp).
#pragma once

#include <array>
#include <initializer_list>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace discsim::solver {

enum class Field { displacement, pore_pressure };
inline constexpr int field_count = 2;

struct FieldInfo {
    Field field;
    std::string_view name; ///< as in the outputs: "displacement", "pore_pressure"
    int components;
    std::string_view unit; ///< of its nodal values: "mm", "MPa"
};

inline constexpr std::array<FieldInfo, field_count> field_table{{
    {Field::displacement, "displacement", 3, "mm"},
    {Field::pore_pressure, "pore_pressure", 1, "MPa"},
}};

inline const FieldInfo& field_info(Field field) {
    return field_table[static_cast<int>(field)];
}

class DofLayout {
public:
    /// Displacement only: 3 per node.
    DofLayout() : DofLayout({Field::displacement}) {}
    /// The fields in the order they are stored at a node; displacement must come first (the
    /// mesh, loads and outputs address it at offset 0) and no field may appear twice.
    DofLayout(std::initializer_list<Field> fields) {
        offset_.fill(-1);
        for (const Field f : fields) {
            if (offset_[static_cast<int>(f)] >= 0)
                throw std::invalid_argument("DofLayout: a field given twice");
            offset_[static_cast<int>(f)] = per_node_;
            per_node_ += field_info(f).components;
            fields_.push_back(f);
        }
        if (fields_.empty() || fields_.front() != Field::displacement)
            throw std::invalid_argument("DofLayout: displacement must be the first field");
    }

    int per_node() const { return per_node_; }
    bool has(Field f) const { return offset_[static_cast<int>(f)] >= 0; }
    const std::vector<Field>& fields() const { return fields_; }
    /// Where a field's components start within a node's values.
    int offset(Field f) const {
        if (!has(f)) throw std::invalid_argument("DofLayout: the layout has no such field");
        return offset_[static_cast<int>(f)];
    }
    /// The index of one nodal value.
    int index(int node, Field f, int component) const {
        return node * per_node_ + offset_[static_cast<int>(f)] + component;
    }
    /// The index of displacement component i of a node (offset 0).
    int displacement(int node, int i) const { return node * per_node_ + i; }
    /// The number of nodal values of `nodes` nodes.
    int size(int nodes) const { return nodes * per_node_; }
    bool operator==(const DofLayout&) const = default;

private:
    std::vector<Field> fields_;
    std::array<int, field_count> offset_{};
    int per_node_ = 0;
};

} // namespace discsim::solver
