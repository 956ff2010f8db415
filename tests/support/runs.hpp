// Running scenarios in the tests: a shipped scenario at the coarse resolution, and a run into a
// temporary folder.
#pragma once

#include "scenarios/run.hpp"
#include "scenarios/scenario_yaml.hpp"
#include "support/files.hpp"

#include <string>

namespace discsim::test {

/// scenarios/library/NAME.yaml, at the coarse resolution (the tests' mesh).
inline scenarios::Scenario shipped_scenario(const std::string& name,
                                            std::optional<scenarios::Formulation> forced = {}) {
    scenarios::Scenario scenario = scenarios::load_scenario(
        DISCSIM_SOURCE_DIR "/scenarios/library/" + name + ".yaml", forced);
    scenario.mesh.resolution = mesh::Resolution::coarse;
    return scenario;
}

/// Runs `scenario` writing into `folder`.
inline scenarios::RunReport run_into(const scenarios::Scenario& scenario,
                                     const TempFolder& folder) {
    scenarios::RunOptions options;
    options.output = folder.path();
    options.program_version = "test";
    return scenarios::run_scenario(scenario, options);
}

} // namespace discsim::test
