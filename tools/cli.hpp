// A small command-line option parser: long options with or without "=", short aliases,
// repeatable options, and one clear error (with the nearest valid option suggested) for
// anything unknown. Kept in-house: none of the allowed Debian packages provides one.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace discsim::tools {

/// Exit statuses of `discsim` (docs/cli.md).
enum ExitStatus : int {
    exit_ok = 0,
    exit_internal_error = 1,
    exit_bad_input = 2,
    exit_io_error = 3,
    exit_not_converged = 4,
    exit_validation_failed = 5,
};

struct OptionSpec {
    std::string_view long_name; ///< without the leading "--"
    char short_name = 0;        ///< 0 for none
    std::string_view value_name; ///< empty for a flag
    std::string_view help;
    bool repeatable = false;
};

class ParsedOptions {
public:
    bool has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
    /// The single value of an option, or nullopt when absent.
    std::optional<std::string> value(std::string_view name) const;
    /// All values of a repeatable option, in command-line order.
    std::vector<std::string> values(std::string_view name) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    friend ParsedOptions parse_options(std::string_view, std::span<const std::string>,
                                       std::span<const OptionSpec>);
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
};

/// Parses `args` (the words after the command name) against `options`. Throws InputError
/// "<command>: ..." for an unknown option, a missing value or a repeated single option.
ParsedOptions parse_options(std::string_view command, std::span<const std::string> args,
                            std::span<const OptionSpec> options);

/// The "Options:" block of a help text.
std::string options_help(std::span<const OptionSpec> options);

/// A whole-number option value in [min, max]; InputError naming the option otherwise.
int whole_number(const std::string& option, const std::string& text, int min, int max);

} // namespace discsim::tools
