// Error types shared by every layer of discsim.
//
// Anything a user can cause (a bad parameter, a malformed file, an unwritable folder) is
// reported with an exception that carries enough context to fix it; only main() catches,
// prints the one-line message and maps the type to an exit status (docs/cli.md):
//   InputError -> 2 (bad input, nothing was run or written)
//   IoError    -> 3 (the file system refused a read or write)
#pragma once

#include <stdexcept>
#include <string>

namespace discsim {

/// A value, key or file given by the user is not acceptable.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reading or writing a file failed for a reason outside the program (permissions, disk).
class IoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace discsim
