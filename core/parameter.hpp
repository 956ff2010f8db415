// Parameters declared with name, unit, allowed range and description in one place, and
// checked when they are set (ARCHITECTURE.md: "parameters declared with range and unit").
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace discsim {

struct ParameterSpec {
    std::string_view name = {};
    std::string_view unit = {}; ///< "mm", "deg", "MPa", "1" for dimensionless, "count" for integers
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_inclusive = true;
    bool max_inclusive = true;
    bool integer = false;
    std::string_view description = {};
};

/// The allowed range in interval notation, e.g. "(0, 1)", "[1, 64]", "> 0".
std::string describe_range(const ParameterSpec& spec);

/// True when `value` is finite, inside the range and (for integer parameters) whole.
bool in_range(const ParameterSpec& spec, double value);

/// Throws InputError "<name>: expected <unit> in <range>, got <value>" when out of range.
void check_parameter(const ParameterSpec& spec, double value);

/// Parses a number the way a user writes it ("35", "3.5e1"); throws InputError naming `key`
/// when the whole text is not a number.
double parse_number(std::string_view key, std::string_view text);

/// The candidate closest to `word` by edit distance, or "" when none is reasonably close.
std::string nearest_name(std::string_view word, std::span<const std::string_view> candidates);

/// Formats a double the shortest way that reads back exactly ("35", "0.45", "1e-06").
std::string format_number(double value);

} // namespace discsim
