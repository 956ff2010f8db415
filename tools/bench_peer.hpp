// `discsim bench --peer ccx`: discsim and CalculiX side by side on the same problems
// (scenarios/peers/), each run as a child process so that both are measured the same way: wall
// time and peak resident memory from wait4, iterations and the answers from their own outputs.
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace discsim::tools {

/// printf into a std::string, for the benches' Markdown tables.
template <class... A> std::string format(const char* f, A... a) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, f, a...);
    return buffer;
}

struct PeerAnswers {
    bool ran = false;
    std::string failure;      ///< why it did not run or finish
    double wall = 0.0;        ///< s
    double peak_mib = 0.0;    ///< peak resident memory of the process, MiB
    int increments = 0;
    int iterations = 0;
    double axial = 0.0;       ///< mm, the reference node's displacement along z
    double rotation = 0.0;    ///< deg, about y (flexion positive)
    double pressure = 0.0;    ///< MPa, nucleus mean of -tr(sigma)/3 weighted by current volume
};

/// The CalculiX answers of a finished run in `folder` (JOB.sta, JOB.dat): the last increment's
/// reference and rotation node displacements and the nucleus stresses and volumes.
PeerAnswers read_calculix_answers(const std::filesystem::path& folder, const std::string& job);

/// Runs the peer benchmark over the scenario files; returns false when a run failed.
/// `markdown`: also write the tables as Markdown to that file.
bool bench_peer(const std::string& peer, const std::vector<std::filesystem::path>& scenarios,
                const std::optional<std::filesystem::path>& markdown);

} // namespace discsim::tools
