// The --formulation option of `discsim run` and `discsim validate`: its names from the one
// table of the scenario schema.
#pragma once

#include "core/error.hpp"
#include "scenarios/scenario_yaml_schema.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace discsim::tools {

/// The formulation named by `value` ("elastic" or "biphasic"); InputError naming `command`
/// otherwise.
inline scenarios::Formulation formulation_named(const std::string& command, const std::string& value) {
    std::vector<std::string_view> names;
    for (const auto& choice : scenarios::schema::formulations) {
        names.push_back(choice.name);
        if (choice.name == value) return choice.value;
    }
    throw InputError(command + ": --formulation: expected one of " +
                     scenarios::schema::join(names, ", ") + ", got '" + value + "'");
}

} // namespace discsim::tools
