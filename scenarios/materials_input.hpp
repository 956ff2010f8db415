// The scenario `materials` block (docs/scenarios.md): the named set and its overrides, or an
// explicit definition per region (a model with every coefficient, uniform, per ring or as a
// sector x layer table; bulk modulus, volumetric function, fibre invariant and angle). Reading
// with located errors, writing back, and resolving to the solver's definitions. Internal to the
// scenarios layer.
#pragma once

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_input.hpp"

#include <ostream>

namespace discsim::scenarios {

/// Reads `materials`. `rings` is the generated mesh's annulus ring count (0 for a mesh file,
/// whose per-ring lists are checked when it is read). With `forced`, the file's formulation
/// key is checked but spec keeps the formulation the caller set.
void read_materials(const yaml_input::Source& source, const yaml_input::Entry& entry,
                    MaterialSpec& spec, int rings, bool forced = false);

/// Writes `materials:` as the reader takes it back; the set's expansion (what runs) follows as
/// a commented block a user can take over.
void write_materials(std::ostream& out, const MaterialSpec& spec);

/// One region's definition as YAML lines at `indent` (for the writer and `discsim check`).
std::string region_yaml(const solver::RegionMaterial& region, int indent);

} // namespace discsim::scenarios
