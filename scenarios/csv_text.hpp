// Text for the CSV files of runs and sweeps: numbers with six significant digits and fields
// quoted as RFC 4180 asks (only when they hold a comma, a quote or a line break).
#pragma once

#include <cstdio>
#include <string>

namespace discsim::scenarios {

inline std::string csv_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

inline std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

} // namespace discsim::scenarios
