#include "bench_peer.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "scenarios/inp_export.hpp"
#include "scenarios/scenario_yaml.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <iostream>
#include <numbers>
#include <sstream>
#include <chrono>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

extern char** environ;

namespace discsim::tools {

namespace {

struct ChildRun {
    bool started = false;
    int status = -1;
    double wall = 0.0;
    double peak_mib = 0.0;
};

// Runs `argv` in `folder` with its output to `log`, extra environment `env` (NAME=VALUE), and
// measures it: wall time and the child's peak resident set (wait4's ru_maxrss, kB on Linux).
ChildRun run_child(const std::vector<std::string>& argv, const std::filesystem::path& folder,
                   const std::filesystem::path& log, const std::vector<std::string>& env) {
    ChildRun out;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> environment(env);
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        bool overridden = false;
        for (const auto& mine : env)
            overridden |= entry.substr(0, entry.find('=')) == mine.substr(0, mine.find('='));
        if (!overridden) environment.push_back(entry);
    }
    std::vector<char*> envp;
    for (auto& e : environment)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) return out;
    out.started = true;
    rusage usage{};
    int status = 0;
    wait4(pid, &status, 0, &usage);
    out.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out.peak_mib = usage.ru_maxrss / 1024.0;
    return out;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ','))
        fields.push_back(f);
    return fields;
}

// discsim's answers from results.csv: the last row, and the Newton iterations summed.
PeerAnswers read_discsim_answers(const std::filesystem::path& results) {
    PeerAnswers a;
    std::ifstream in(results);
    std::string line;
    if (!std::getline(in, line)) {
        a.failure = "no " + results.string();
        return a;
    }
    const auto header = split_csv(line);
    auto column = [&](const std::string& name) {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        throw IoError(results.string() + ": no column " + name);
    };
    const int z = column("translation_z_mm"), flexion = column("flexion_deg"),
              idp = column("idp_mean_MPa"), its = column("newton_iterations");
    std::vector<std::string> last;
    while (std::getline(in, line)) {
        const auto row = split_csv(line);
        if (row.size() != header.size() || row[0] == "0") continue;
        a.iterations += std::stoi(row[its]);
        ++a.increments;
        last = row;
    }
    if (last.empty()) {
        a.failure = "no converged increment in " + results.string();
        return a;
    }
    a.axial = std::stod(last[z]);
    a.rotation = std::stod(last[flexion]);
    a.pressure = std::stod(last[idp]);
    a.ran = true;
    return a;
}

} // namespace

PeerAnswers read_calculix_answers(const std::filesystem::path& folder, const std::string& job) {
    PeerAnswers a;
    {
        std::ifstream sta(folder / (job + ".sta"));
        std::string line;
        while (std::getline(sta, line)) {
            std::istringstream s(line);
            int step = 0, inc = 0, att = 0, its = 0;
            if (s >> step >> inc >> att >> its) {
                ++a.increments;
                a.iterations += its;
            }
        }
    }
    std::ifstream dat(folder / (job + ".dat"));
    if (!dat) {
        a.failure = "no " + (folder / (job + ".dat")).string();
        return a;
    }
    // Each block: a title line "<what> (...) for set <SET> and time <t>", a blank line, rows.
    // Later blocks of the same kind overwrite earlier ones: the last increment remains.
    std::string line, block;
    std::vector<double> ref, rot;
    std::map<int, double> pressure, volume;
    std::map<int, int> points;
    while (std::getline(dat, line)) {
        if (line.find(" for set ") != std::string::npos) {
            const bool disp = line.find("displacements") != std::string::npos;
            const bool stress = line.find("stresses") != std::string::npos;
            const bool vol = line.find("volume") != std::string::npos;
            if (disp && line.find("set REFN") != std::string::npos) block = "ref";
            else if (disp && line.find("set ROTN") != std::string::npos) block = "rot";
            else if (stress) { block = "stress"; pressure.clear(); points.clear(); }
            else if (vol) { block = "volume"; volume.clear(); }
            else block.clear();
            continue;
        }
        std::istringstream s(line);
        if (block == "ref" || block == "rot") {
            int node = 0;
            double x = 0, y = 0, z = 0;
            if (s >> node >> x >> y >> z) (block == "ref" ? ref : rot) = {x, y, z};
        } else if (block == "stress") {
            int element = 0, point = 0;
            double sxx = 0, syy = 0, szz = 0;
            if (s >> element >> point >> sxx >> syy >> szz) {
                // One point per C3D8R element; the mean over the points otherwise.
                pressure[element] += -(sxx + syy + szz) / 3.0;
                ++points[element];
            }
        } else if (block == "volume") {
            int element = 0;
            double v = 0;
            if (s >> element >> v) volume[element] = v;
        }
    }
    if (ref.empty() || rot.empty() || pressure.empty()) {
        a.failure = "the .dat has no displacements or nucleus stresses (did it converge?)";
        return a;
    }
    double integral = 0.0, total = 0.0;
    for (const auto& [element, p] : pressure) {
        const auto v = volume.find(element);
        const double w = v != volume.end() ? v->second : 1.0;
        integral += p / points[element] * w;
        total += w;
    }
    a.axial = ref[2];
    a.rotation = rot[1] * 180.0 / std::numbers::pi;
    a.pressure = integral / total;
    a.ran = true;
    return a;
}

bool bench_peer(const std::string& peer, const std::vector<std::filesystem::path>& scenarios,
                const std::optional<std::filesystem::path>& markdown) {
    if (peer != "ccx") throw InputError("discsim bench: --peer: expected ccx, got '" + peer + "'");
    const auto folder = std::filesystem::temp_directory_path() /
                        ("discsim_peer_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::ostringstream md;
    md << "| problem | code | wall time | peak memory | increments / iterations | axial "
          "displacement | rotation about y | nucleus pressure |\n"
          "|---|---|---|---|---|---|---|---|\n";
    std::ostringstream ratios;
    ratios << "| problem | time discsim / CalculiX | memory discsim / CalculiX | axial displacement "
              "difference | rotation difference | nucleus pressure difference |\n"
              "|---|---|---|---|---|---|\n";
    std::ostringstream tangent_table;
    tangent_table << "| problem | exact tangent: wall | memory | iterations | three-field "
                     "tangent: wall | memory | iterations | time three-field / exact |\n"
                     "|---|---|---|---|---|---|---|---|\n";
    // Every problem read and its deck written out before anything runs: bad input fails first.
    std::vector<std::pair<scenarios::Scenario, std::string>> problems;
    for (const auto& file : scenarios) {
        auto scenario = scenarios::load_scenario(file);
        scenarios::InpOptions inp;
        inp.heading = scenario.name + " (discsim export)";
        std::string deck = scenarios::inp_deck(scenario, inp);
        problems.emplace_back(std::move(scenario), std::move(deck));
    }
    bool ok = true;
    for (std::size_t p = 0; p < scenarios.size(); ++p) {
        const auto& file = scenarios[p];
        const auto& [scenario, deck] = problems[p];
        const std::string job = file.stem().string();
        std::printf("\npeer problem %s (%s)\n", job.c_str(), scenario.name.c_str());
        std::fflush(stdout);
        // discsim as it runs, and with the exact tangent: what the three-field tangent buys.
        auto run_discsim = [&](const std::string& tangent) {
            const auto ours = folder / ("discsim_" + tangent + "_" + job);
            std::filesystem::create_directories(ours);
            const ChildRun d =
                run_child({self, "run", std::filesystem::absolute(file).string(), "-o",
                           ours.string(), "--quiet", "--tangent", tangent},
                          ours, ours / "log.txt", {});
            PeerAnswers a = read_discsim_answers(ours / "results.csv");
            a.wall = d.wall;
            a.peak_mib = d.peak_mib;
            if (d.status != 0) {
                a.ran = false;
                a.failure = "discsim run exited with " + std::to_string(d.status);
            }
            return a;
        };
        const PeerAnswers da = run_discsim("three-field");
        const PeerAnswers exact = run_discsim("exact");
        const auto theirs = folder / ("ccx_" + job);
        std::filesystem::create_directories(theirs);
        write_text_atomically(theirs / (job + ".inp"), deck);
        const ChildRun c = run_child({"ccx", "-i", job}, theirs, theirs / "log.txt",
                                     {"OMP_NUM_THREADS=2", "CCX_NPROC_EQUATION_SOLVER=2"});
        PeerAnswers ca;
        if (!c.started) {
            ca.failure = "ccx is not on PATH (Debian: apt-get install calculix-ccx)";
        } else {
            ca = read_calculix_answers(theirs, job);
            ca.wall = c.wall;
            ca.peak_mib = c.peak_mib;
            if (c.status != 0 && ca.failure.empty()) ca.failure = "ccx exited with " + std::to_string(c.status);
            if (!ca.failure.empty()) ca.ran = false;
        }
        auto row = [&](const char* code, const PeerAnswers& a) {
            if (!a.ran) {
                std::printf("  %-22s did not finish: %s\n", code, a.failure.c_str());
                md << "| " << job << " | " << code << " | did not finish: " << a.failure
                   << " | | | | | |\n";
                return;
            }
            std::printf("  %-22s %8.2f s %8.0f MiB %4d increments %4d iterations   axial %+.4f mm"
                        "   rotation %+.3f deg   nucleus pressure %.4f MPa\n",
                        code, a.wall, a.peak_mib, a.increments, a.iterations, a.axial, a.rotation,
                        a.pressure);
            md << "| " << job << " | " << code << " | " << format("%.2f s", a.wall) << " | "
               << format("%.0f MiB", a.peak_mib) << " | " << a.increments << " / " << a.iterations
               << " | " << format("%+.4f mm", a.axial) << " | " << format("%+.3f deg", a.rotation)
               << " | " << format("%.4f MPa", a.pressure) << " |\n";
        };
        row("discsim", da);
        row("discsim, exact tangent", exact);
        row("CalculiX", ca);
        std::fflush(stdout);
        ok = ok && da.ran && ca.ran && exact.ran;
        if (da.ran && exact.ran) {
            std::printf("  three-field / exact tangent: time %.2fx, memory %.2fx\n",
                        da.wall / exact.wall, da.peak_mib / exact.peak_mib);
            tangent_table << "| " << job << " | " << format("%.2f s", exact.wall) << " | "
                          << format("%.0f MiB", exact.peak_mib) << " | " << exact.iterations
                          << " | " << format("%.2f s", da.wall) << " | "
                          << format("%.0f MiB", da.peak_mib) << " | " << da.iterations << " | "
                          << format("%.2fx", da.wall / exact.wall) << " |\n";
        }
        if (da.ran && ca.ran) {
            auto rel = [](double a, double b) {
                return std::abs(b) > 1e-12 ? format("%+.1f %%", 100.0 * (a - b) / std::abs(b))
                                           : format("%+.2g", a - b);
            };
            std::printf("  discsim / CalculiX: time %.2fx, memory %.2fx; differences: axial %s, "
                        "rotation %s, nucleus pressure %s\n",
                        da.wall / ca.wall, da.peak_mib / ca.peak_mib, rel(da.axial, ca.axial).c_str(),
                        rel(da.rotation, ca.rotation).c_str(), rel(da.pressure, ca.pressure).c_str());
            ratios << "| " << job << " | " << format("%.2fx", da.wall / ca.wall) << " | "
                   << format("%.2fx", da.peak_mib / ca.peak_mib) << " | " << rel(da.axial, ca.axial)
                   << " | " << rel(da.rotation, ca.rotation) << " | "
                   << rel(da.pressure, ca.pressure) << " |\n";
        }
    }
    std::filesystem::remove_all(folder);
    if (markdown)
        write_text_atomically(*markdown,
                              md.str() + "\n" + ratios.str() + "\n" + tangent_table.str());
    return ok;
}

} // namespace discsim::tools
