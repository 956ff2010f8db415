#include "parameter.hpp"

#include "error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace discsim {

std::string format_number(double value) {
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string describe_range(const ParameterSpec& spec) {
    const bool has_min = std::isfinite(spec.min);
    const bool has_max = std::isfinite(spec.max);
    if (has_min && has_max) {
        return std::string(spec.min_inclusive ? "[" : "(") + format_number(spec.min) + ", " +
               format_number(spec.max) + (spec.max_inclusive ? "]" : ")");
    }
    if (has_min) return (spec.min_inclusive ? ">= " : "> ") + format_number(spec.min);
    if (has_max) return (spec.max_inclusive ? "<= " : "< ") + format_number(spec.max);
    return "any finite value";
}

bool in_range(const ParameterSpec& spec, double value) {
    if (!std::isfinite(value)) return false;
    if (spec.integer && value != std::round(value)) return false;
    if (spec.min_inclusive ? value < spec.min : value <= spec.min) return false;
    if (spec.max_inclusive ? value > spec.max : value >= spec.max) return false;
    return true;
}

void check_parameter(const ParameterSpec& spec, double value) {
    if (in_range(spec, value)) return;
    std::string expected = spec.integer ? "a whole number" : "a value";
    if (!spec.unit.empty() && spec.unit != "1" && spec.unit != "count") {
        expected += " in " + std::string(spec.unit);
    }
    throw InputError(std::string(spec.name) + ": expected " + expected + " in " +
                     describe_range(spec) + ", got " + format_number(value));
}

double parse_number(std::string_view key, std::string_view text) {
    double value = 0.0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (!text.empty() && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(value)) {
        throw InputError(std::string(key) + ": expected a number, got '" + std::string(text) +
                         "'");
    }
    return value;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}
} // namespace

std::string nearest_name(std::string_view word, std::span<const std::string_view> candidates) {
    std::string_view best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (auto candidate : candidates) {
        // A key that merely contains the word (or the reverse) is a strong hint.
        std::size_t distance = edit_distance(word, candidate);
        if (candidate.find(word) != std::string_view::npos ||
            word.find(candidate) != std::string_view::npos) {
            distance = std::min<std::size_t>(distance, 1);
        }
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    // Suggest only when fewer than half of the characters would have to change.
    if (best.empty() || best_distance * 2 > std::max(word.size(), best.size())) return {};
    return std::string(best);
}

} // namespace discsim
