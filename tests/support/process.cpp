#include "support/process.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>

namespace discsim::test {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

Run run_discsim(const std::string& arguments, const std::string& launcher) {
    const std::string command = (launcher.empty() ? "" : launcher + " ") +
                                quoted(DISCSIM_EXECUTABLE) +
                                (arguments.empty() ? "" : " " + arguments) + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    Run run;
    char buffer[4096];
    for (std::size_t count; (count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        run.output.append(buffer, count);
    }
    const int status = ::pclose(pipe);
    REQUIRE(WIFEXITED(status));
    run.status = WEXITSTATUS(status);
    return run;
}

} // namespace discsim::test
