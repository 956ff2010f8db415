#include "core/atomic_file.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace discsim {

namespace fs = std::filesystem;

void write_atomically(const fs::path& target, const std::function<bool(const fs::path&)>& write) {
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        throw IoError("cannot create folder '" + folder.string() + "': " + ec.message());
    }
    const fs::path temporary =
        folder / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
    {
        // Probe first so an unwritable folder gives the operating system's reason.
        std::ofstream probe(temporary, std::ios::binary | std::ios::trunc);
        if (!probe) {
            throw IoError("cannot write '" + target.string() + "': " + std::strerror(errno));
        }
    }
    bool ok = false;
    try {
        ok = write(temporary);
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }
    if (!ok) {
        fs::remove(temporary, ec);
        throw IoError("cannot write '" + target.string() + "': the writer failed");
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw IoError("cannot rename '" + temporary.string() + "' to '" + target.string() +
                      "': " + ec.message());
    }
}

void write_text_atomically(const fs::path& target, const std::string& text) {
    write_atomically(target, [&](const fs::path& temporary) {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        return static_cast<bool>(out);
    });
}

} // namespace discsim
