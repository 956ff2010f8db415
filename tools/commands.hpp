// The subcommands of `discsim`. Each takes the words after its name and returns the exit
// status; errors a user can cause are thrown as InputError / IoError and reported by main.
#pragma once

#include <span>
#include <string>

namespace discsim::tools {

int mesh_command(std::span<const std::string> args);
int bench_command(std::span<const std::string> args);
int check_command(std::span<const std::string> args);
int export_command(std::span<const std::string> args);
int run_command(std::span<const std::string> args);
int sweep_command(std::span<const std::string> args);
int validate_command(std::span<const std::string> args);
int fuzz_command(std::span<const std::string> args);

} // namespace discsim::tools
