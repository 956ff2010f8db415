// Reading a run's results.csv in the tests: columns by header name.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace discsim::test {

struct ResultsTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    /// The numeric column `name`; fails the test (REQUIRE) when it is missing.
    std::vector<double> column(const std::string& name) const;
    std::vector<std::string> text_column(const std::string& name) const;
};

ResultsTable read_results(const std::filesystem::path& csv);

} // namespace discsim::test
