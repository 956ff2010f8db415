#include "cli.hpp"

#include "core/error.hpp"
#include "core/parameter.hpp"

#include <algorithm>
#include <sstream>

namespace discsim::tools {

std::optional<std::string> ParsedOptions::value(std::string_view name) const {
    auto it = values_.find(std::string(name));
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedOptions::values(std::string_view name) const {
    auto it = values_.find(std::string(name));
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

ParsedOptions parse_options(std::string_view command, std::span<const std::string> args,
                            std::span<const OptionSpec> options) {
    ParsedOptions parsed;
    const std::string prefix = std::string(command) + ": ";
    auto unknown = [&](const std::string& word) {
        std::vector<std::string> spelled;
        for (const auto& o : options) spelled.push_back("--" + std::string(o.long_name));
        std::vector<std::string_view> names(spelled.begin(), spelled.end());
        std::string message = prefix + "unknown option '" + word + "'";
        const std::string stem = word.substr(0, word.find('='));
        if (auto hint = nearest_name(stem, names); !hint.empty()) {
            message += " (did you mean '" + hint + "'?)";
        }
        message += "; see '" + std::string(command) + " --help'";
        throw InputError(message);
    };

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (word == "--") {
            parsed.positional_.insert(parsed.positional_.end(), args.begin() + i + 1, args.end());
            break;
        }
        const OptionSpec* spec = nullptr;
        std::optional<std::string> inline_value;
        if (word.rfind("--", 0) == 0) {
            const auto equals = word.find('=');
            const std::string name = word.substr(2, equals == std::string::npos ? equals : equals - 2);
            if (equals != std::string::npos) inline_value = word.substr(equals + 1);
            for (const auto& o : options) {
                if (o.long_name == name) spec = &o;
            }
        } else if (word.size() == 2 && word[0] == '-' && word[1] != '-') {
            for (const auto& o : options) {
                if (o.short_name == word[1]) spec = &o;
            }
        } else if (!word.empty() && word[0] == '-' && word.size() > 1) {
            unknown(word);
        } else {
            parsed.positional_.push_back(word);
            continue;
        }
        if (!spec) unknown(word);

        const std::string key(spec->long_name);
        auto& slot = parsed.values_[key];
        if (!slot.empty() && !spec->repeatable) {
            throw InputError(prefix + "option '--" + key + "' given more than once");
        }
        if (spec->value_name.empty()) {
            if (inline_value) {
                throw InputError(prefix + "option '--" + key + "' takes no value, got '" +
                                 *inline_value + "'");
            }
            slot.push_back("");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                throw InputError(prefix + "option '--" + key + "' expects a value (" +
                                 std::string(spec->value_name) + ")");
            }
            inline_value = args[++i];
        }
        slot.push_back(*inline_value);
    }
    return parsed;
}

std::string options_help(std::span<const OptionSpec> options) {
    std::ostringstream out;
    out << "Options:\n";
    for (const auto& o : options) {
        std::string left = "  ";
        left += o.short_name ? std::string("-") + o.short_name + ", " : "    ";
        left += "--" + std::string(o.long_name);
        if (!o.value_name.empty()) left += " " + std::string(o.value_name);
        out << left;
        if (left.size() < 30) out << std::string(30 - left.size(), ' ');
        else out << "\n" << std::string(30, ' ');
        out << o.help << "\n";
    }
    return out.str();
}

int whole_number(const std::string& option, const std::string& text, int min, int max) {
    const double value = parse_number(option, text);
    if (value != static_cast<int>(value) || value < min || value > max) {
        throw InputError(option + ": expected a whole number in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], got " + text);
    }
    return static_cast<int>(value);
}

} // namespace discsim::tools
