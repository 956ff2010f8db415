#include "scenarios/swelling_cache.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace discsim::scenarios {

namespace fs = std::filesystem;

namespace {

constexpr char magic[8] = {'d', 's', 's', 'w', 'e', 'l', 'l', '1'};

struct Fnv {
    std::uint64_t h = 1469598103934665603ull;
    void add(const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            h ^= p[i];
            h *= 1099511628211ull;
        }
    }
};

} // namespace

fs::path swelling_cache_folder() {
    if (const char* d = std::getenv("DISCSIM_CACHE"); d && *d) return fs::path(d);
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "discsim";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "discsim";
    return {};
}

std::string swelling_key(const mesh::HexMesh& mesh, const std::string& materials_text,
                         const std::string& program_version) {
    Fnv f;
    for (const auto& x : mesh.nodes)
        f.add(x.data(), 3 * sizeof(double));
    for (const auto& c : mesh.cells)
        f.add(c.data(), sizeof c);
    f.add(mesh.region.data(), mesh.region.size() * sizeof(mesh.region[0]));
    f.add(materials_text.data(), materials_text.size());
    f.add(program_version.data(), program_version.size());
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(f.h));
    return text;
}

std::optional<solver::State> load_swelling(const std::string& key, const solver::State& shape) {
    const fs::path folder = swelling_cache_folder();
    if (folder.empty()) return std::nullopt;
    std::ifstream in(folder / ("swelling_" + key + ".bin"), std::ios::binary);
    if (!in) return std::nullopt;
    char head[8];
    std::int64_t size = 0;
    in.read(head, 8);
    in.read(reinterpret_cast<char*>(&size), sizeof size);
    if (!in || std::string(head, 8) != std::string(magic, 8) || size != shape.u.size())
        return std::nullopt;
    solver::State state = shape;
    in.read(reinterpret_cast<char*>(state.u.data()), static_cast<std::streamsize>(size * sizeof(double)));
    in.read(reinterpret_cast<char*>(state.rp_displacement.data()), 3 * sizeof(double));
    in.read(reinterpret_cast<char*>(state.rp_rotation.data()), 9 * sizeof(double));
    if (!in) return std::nullopt;
    return state;
}

bool store_swelling(const std::string& key, const solver::State& state) {
    const fs::path folder = swelling_cache_folder();
    if (folder.empty()) return false;
    std::error_code ec;
    fs::create_directories(folder, ec);
    const fs::path file = folder / ("swelling_" + key + ".bin");
    const fs::path temporary = folder / ("swelling_" + key + ".bin.tmp" + std::to_string(::getpid()));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return false;
        const std::int64_t size = state.u.size();
        out.write(magic, 8);
        out.write(reinterpret_cast<const char*>(&size), sizeof size);
        out.write(reinterpret_cast<const char*>(state.u.data()), static_cast<std::streamsize>(size * sizeof(double)));
        out.write(reinterpret_cast<const char*>(state.rp_displacement.data()), 3 * sizeof(double));
        out.write(reinterpret_cast<const char*>(state.rp_rotation.data()), 9 * sizeof(double));
        if (!out) {
            fs::remove(temporary, ec);
            return false;
        }
    }
    fs::rename(temporary, file, ec);
    if (ec) fs::remove(temporary, ec);
    return !ec;
}

} // namespace discsim::scenarios
