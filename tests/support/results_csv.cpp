#include "support/results_csv.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace discsim::test {

namespace {
// One CSV line (RFC 4180 quoting: "a, b" and "" for a quote inside), empty fields kept.
std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return cells;
}
} // namespace

ResultsTable read_results(const std::filesystem::path& csv) {
    std::ifstream in(csv);
    REQUIRE(in);
    ResultsTable table;
    std::string line;
    REQUIRE(std::getline(in, line));
    table.header = split(line);
    while (std::getline(in, line)) {
        if (!line.empty()) table.rows.push_back(split(line));
    }
    return table;
}

std::vector<std::string> ResultsTable::text_column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    INFO("column " << name);
    REQUIRE(it != header.end());
    const auto index = static_cast<std::size_t>(it - header.begin());
    std::vector<std::string> out;
    for (const auto& row : rows) {
        REQUIRE(row.size() == header.size());
        out.push_back(row[index]);
    }
    return out;
}

std::vector<double> ResultsTable::column(const std::string& name) const {
    std::vector<double> out;
    for (const auto& text : text_column(name)) out.push_back(std::stod(text));
    return out;
}

} // namespace discsim::test
