// Running the `discsim` executable from a test, as a user would in a shell.
#pragma once

#include <filesystem>
#include <string>

namespace discsim::test {

struct Run {
    int status = -1;
    std::string output; ///< stdout and stderr together
};

/// Runs `discsim <arguments>` through the shell (the path built by CMake) and collects its
/// output and exit status; fails the test if it does not exit normally. `launcher` goes in
/// front of the program (e.g. "mpiexec -n 2").
Run run_discsim(const std::string& arguments, const std::string& launcher = "");

/// Single-quoted for the shell (test paths contain no quote characters).
std::string quoted(const std::filesystem::path& path);

} // namespace discsim::test
