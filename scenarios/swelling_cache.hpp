// The free-swelling initial state of a biphasic disc (solver/disc_biphasic.hpp), kept on disk:
// it depends only on the mesh, the materials and the program, so sweeps and repeated runs of
// one disc solve it once. The key is a 64-bit FNV-1a hash of the mesh's nodes, cells and
// regions, the resolved materials text and the program version; the file holds the state's
// nodal values and the vertebra's pose. Folder: $DISCSIM_CACHE, else $XDG_CACHE_HOME/discsim,
// else $HOME/.cache/discsim; a folder that cannot be written only costs the solve.
#pragma once

#include "mesh/hex_mesh.hpp"
#include "solver/model.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace discsim::scenarios {

/// The cache folder (empty when no environment variable names one).
std::filesystem::path swelling_cache_folder();

/// The key of a disc's swelling state.
std::string swelling_key(const mesh::HexMesh& mesh, const std::string& materials_text,
                         const std::string& program_version);

/// The cached state for `key`, if there is one of the same size as `shape`.
std::optional<solver::State> load_swelling(const std::string& key, const solver::State& shape);

/// Stores `state` under `key` (written to a temporary name and renamed); false when the folder
/// cannot be written.
bool store_swelling(const std::string& key, const solver::State& state);

} // namespace discsim::scenarios
