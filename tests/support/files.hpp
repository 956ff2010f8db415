// File helpers shared by the tests: a self-removing temporary folder, a file's bytes, and the
// sorted names in a folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace discsim::test {

/// A fresh folder under the system temp directory, removed with everything in it when the
/// object goes out of scope (also when an assertion fails).
class TempFolder {
public:
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string file_bytes(const std::filesystem::path& path);
std::vector<std::string> folder_entries(const std::filesystem::path& folder);

} // namespace discsim::test
