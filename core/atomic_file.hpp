// Files are written to a temporary name beside the target and renamed into place, so a
// reader (ParaView, a script, `--resume`) never sees a half-written file, even when the
// program is killed mid-write. rename() within one directory is atomic on POSIX.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace discsim {

/// Calls `write(temporary_path)`, then renames the temporary file to `target`. Creates the
/// parent folder if needed. Throws IoError (with the OS's reason) when the folder cannot be
/// created or written, or when `write` returns false; the temporary file is removed on any
/// failure and `target` is left as it was.
void write_atomically(const std::filesystem::path& target,
                      const std::function<bool(const std::filesystem::path&)>& write);

/// Writes `text` to `target` atomically.
void write_text_atomically(const std::filesystem::path& target, const std::string& text);

} // namespace discsim
