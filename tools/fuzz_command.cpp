// `discsim fuzz`: a developer tool that feeds seeded random mutations of scenario and sweep files
// to `discsim check` and `discsim sweep --check`, each in its own process with a time limit, and
// fails when any of them hangs, dies of a signal, reports an internal error, or gives anything
// but exit 0 or one clear error line (exit 2). The YAML reader must never hang (issue 10; yaml-cpp
// 0.7 looped on a file holding only `,`).
//
// Mutations, 1 to 3 per case: delete, insert or replace bytes (from YAML's indicator characters,
// digits, letters, spaces, line breaks and a few invalid bytes), insert a YAML token (flow
// brackets, anchors, aliases, tags, block scalars, document markers), duplicate, delete or swap
// lines, change a line's indentation, truncate. Case k of seed s is reproducible alone
// (--first k --count 1). Hostile texts known to hang other parsers come first.
#include "cli.hpp"
#include "commands.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace discsim::tools {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const OptionSpec fuzz_options[] = {
    {"count", 'n', "N", "mutated files to try (default 2000)"},
    {"seed", 's', "S", "random seed (default 1)"},
    {"first", 0, "K", "start at case K of the seed (default 0)"},
    {"timeout", 0, "SECONDS", "time limit of one check (default 2)"},
    {"jobs", 'j', "N", "checks run at once (default: the number of cores)"},
    {"keep", 0, "DIR", "copy every failing input into DIR"},
    {"write", 0, "DIR", "only write the inputs into DIR (to feed them to another parser)"},
    {"help", 'h', "", "show this help"},
};

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// ---- mutations ----------------------------------------------------------------------------

const std::string alphabet =
    std::string("-?:,[]{}#&*!|>'\"%@` \t\n0123456789.eE+abcnulltrue_") + '\xff' + '\0';
const char* const tokens[] = {
    ",",   "[",    "]",      "{",      "}",           ":",           ": ", "- ",    "? ",
    "&a ", "*a",   "!!str ", "!!map ", "!x ",         "|",           ">-", "'",     "\"",
    "#",   "\t",   "---\n",  "...\n",  "%YAML 1.2\n", "%TAG ! !x\n", "\\", "1e308", "-1e-400",
    "nan", ".inf", "0x1F",   "~",      "null",        "<<: *a\n",    "[:", "{:",    "\xef\xbb\xbf",
    "\r\n"};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : text) {
        line += c;
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines)
        out += l;
    return out;
}

std::string mutate(std::string text, std::mt19937_64& random) {
    auto pick = [&](std::size_t n) {
        return n == 0 ? std::size_t{0}
                      : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    const int operations = 1 + static_cast<int>(pick(3));
    for (int op = 0; op < operations; ++op) {
        const std::size_t at = pick(text.size() + 1);
        switch (pick(10)) {
        case 0: // delete bytes
            text.erase(std::min(at, text.size()), 1 + pick(8));
            break;
        case 1: // insert bytes
            for (std::size_t k = 0, n = 1 + pick(4); k < n; ++k)
                text.insert(text.begin() + static_cast<long>(std::min(at, text.size())),
                            alphabet[pick(alphabet.size())]);
            break;
        case 2: // replace a byte
            if (!text.empty())
                text[std::min(at, text.size() - 1)] = alphabet[pick(alphabet.size())];
            break;
        case 3: // insert a token
            text.insert(std::min(at, text.size()), tokens[pick(std::size(tokens))]);
            break;
        case 4:
        case 5:
        case 6:
        case 7: { // line operations
            auto lines = lines_of(text);
            if (lines.empty()) break;
            const std::size_t i = pick(lines.size()), j = pick(lines.size());
            const int kind = static_cast<int>(pick(4));
            if (kind == 0) lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
            if (kind == 1) lines.erase(lines.begin() + static_cast<long>(i));
            if (kind == 2) std::swap(lines[i], lines[j]);
            if (kind == 3) {
                if (pick(2) == 0)
                    lines[i].insert(0, std::string(1 + pick(4), ' '));
                else
                    lines[i].erase(0, std::min(lines[i].find_first_not_of(' '), pick(4) + 1));
            }
            text = joined(lines);
            break;
        }
        case 8: // truncate
            text.resize(std::min(at, text.size()));
            break;
        default: { // copy a piece of the text elsewhere
            const std::size_t from = pick(text.size() + 1), length = pick(40);
            const std::string piece = text.substr(std::min(from, text.size()), length);
            text.insert(std::min(at, text.size()), piece);
            break;
        }
        }
    }
    return text;
}

// Texts that hang or exhaust other YAML parsers (yaml-cpp issues 1040, 499, 793, 899) and
// inputs that grow a naive reader: deep nesting, an alias bomb, a huge scalar.
std::vector<std::string> hostile_texts() {
    std::vector<std::string> texts = {",",
                                      "[:",
                                      "{:",
                                      "[[:",
                                      "{:]",
                                      "[:]",
                                      "- !+(.,.)",
                                      "{!\xdb:",
                                      "name: x\nsteps: [,]\n",
                                      "\0",
                                      "---\n---\n---\n"};
    texts.push_back(std::string(100000, '[') + std::string(100000, ']'));
    texts.push_back(std::string(50000, '-') + " x\n");
    std::string nested;
    for (int i = 0; i < 2000; ++i)
        nested += std::string(i, ' ') + "a:\n";
    texts.push_back(nested);
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'k'; ++c)
        bomb += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + "]\n";
    texts.push_back(bomb + "name: x\nsteps: [{name: a}]\n");
    texts.push_back("name: \"" + std::string(1 << 20, 'x') + "\"\nsteps: [{name: a}]\n");
    return texts;
}

// ---- running checks -------------------------------------------------------------------------

struct Case {
    int index = 0;
    std::string origin; ///< the file it was made from, or "hostile"
    bool sweep = false;
    fs::path input;
    fs::path errors;
};

struct Running {
    Case c;
    pid_t pid = -1;
    Clock::time_point start;
};

pid_t spawn_check(const fs::path& program, const Case& c) {
    std::vector<std::string> words = {program.string(), c.sweep ? "sweep" : "check",
                                      c.input.string()};
    if (c.sweep) words.push_back("--check");
    std::vector<char*> argv;
    for (auto& w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, c.errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid = -1;
    const int failed = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) throw IoError("fuzz: cannot start " + program.string());
    return pid;
}

/// Empty when the outcome is acceptable, else what was wrong.
std::string judge(int status, const std::string& errors) {
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    const int code = WEXITSTATUS(status);
    if (code == exit_ok) return "";
    if (code != exit_bad_input) {
        return "exit status " + std::to_string(code) + ": " + errors.substr(0, 300);
    }
    const bool one_line =
        !errors.empty() && errors.back() == '\n' && errors.find('\n') == errors.size() - 1;
    if (!one_line || errors.rfind("discsim: error: ", 0) != 0) {
        return "not one clear error line: " + errors.substr(0, 300);
    }
    return "";
}

} // namespace

int fuzz_command(std::span<const std::string> args) {
    const ParsedOptions options = parse_options("fuzz", args, fuzz_options);
    if (options.has("help")) {
        std::cout << "Usage: discsim fuzz [options] [FILE...]\n\n"
                     "Feeds seeded random mutations of scenario and sweep files (default: every "
                     "shipped one) to\n'discsim check' and 'discsim sweep --check', each in its "
                     "own process with a time limit.\nFails (exit 5) when one hangs, dies of a "
                     "signal, or ends other than with exit 0 or one\nclear error line (exit 2).\n\n"
                  << options_help(fuzz_options);
        return exit_ok;
    }
    const int count =
        whole_number("--count", options.value("count").value_or("2000"), 0, 100000000);
    const int seed = whole_number("--seed", options.value("seed").value_or("1"), 0, 2000000000);
    const int first = whole_number("--first", options.value("first").value_or("0"), 0, 2000000000);
    const int timeout = whole_number("--timeout", options.value("timeout").value_or("2"), 1, 3600);
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int jobs =
        options.value("jobs") ? whole_number("--jobs", *options.value("jobs"), 1, 256) : cores;

    std::vector<fs::path> files;
    for (const auto& word : options.positional())
        files.emplace_back(word);
    if (files.empty()) {
        for (const char* folder : {"library", "sweeps"}) {
            for (const auto& e : fs::directory_iterator(fs::path(DISCSIM_SCENARIOS_DIR) / folder))
                if (e.path().extension() == ".yaml") files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
    }
    std::vector<std::pair<fs::path, std::string>> seeds;
    for (const auto& f : files) {
        if (!fs::is_regular_file(f)) throw InputError("fuzz: no such file " + f.string());
        seeds.emplace_back(f, read_bytes(f));
    }
    if (seeds.empty()) throw InputError("fuzz: no files to mutate");

    // Each case's folder holds the unmutated siblings of its file, so a sweep's base scenario
    // (a relative path) still resolves.
    char pattern[] = "/tmp/discsim-fuzz-XXXXXX";
    if (!mkdtemp(pattern)) throw IoError("fuzz: cannot make a temporary folder");
    const fs::path work(pattern);
    for (const auto& [file, text] : seeds) {
        for (const auto& e : fs::directory_iterator(file.parent_path())) {
            if (e.path().extension() == ".yaml")
                fs::copy_file(e.path(), work / e.path().filename(),
                              fs::copy_options::skip_existing);
        }
    }
    const fs::path program = fs::read_symlink("/proc/self/exe");

    const auto hostile = hostile_texts();
    const int total = static_cast<int>(hostile.size()) + count;
    auto make_case = [&](int k) {
        Case c;
        c.index = k;
        std::string text;
        if (k < static_cast<int>(hostile.size())) {
            text = hostile[k];
            c.origin = "hostile text " + std::to_string(k);
            c.sweep = k % 2 == 1;
        } else {
            const int n = first + k - static_cast<int>(hostile.size());
            std::mt19937_64 random(static_cast<std::uint64_t>(seed) * 1000003u + n);
            const auto& [file, original] = seeds[static_cast<std::size_t>(n) % seeds.size()];
            text = mutate(original, random);
            c.origin = file.filename().string() + " case " + std::to_string(n);
            c.sweep = file.parent_path().filename() == "sweeps";
        }
        c.input = work / ("fuzz_" + std::to_string(k) + ".yaml");
        c.errors = work / ("fuzz_" + std::to_string(k) + ".err");
        std::ofstream(c.input, std::ios::binary) << text;
        return c;
    };

    if (auto folder = options.value("write")) {
        fs::create_directories(*folder);
        for (int k = 0; k < total; ++k) {
            const Case c = make_case(k);
            fs::copy_file(c.input, fs::path(*folder) / c.input.filename(),
                          fs::copy_options::overwrite_existing);
            fs::remove(c.input);
        }
        fs::remove_all(work);
        std::cout << "fuzz: wrote " << total << " inputs into " << *folder << "\n";
        return exit_ok;
    }
    const auto started = Clock::now();
    std::vector<Running> running;
    int next = 0, passed = 0, failed = 0, hangs = 0;
    double slowest = 0.0;
    std::string slowest_case;
    auto finish = [&](Running& r, const std::string& problem, double seconds) {
        if (seconds > slowest) {
            slowest = seconds;
            slowest_case = r.c.origin;
        }
        if (problem.empty()) {
            ++passed;
        } else {
            ++failed;
            std::cout << "FAIL " << r.c.origin << " (" << (r.c.sweep ? "sweep" : "check")
                      << "): " << problem << "\n";
            if (auto keep = options.value("keep")) {
                fs::create_directories(*keep);
                fs::copy_file(r.c.input, fs::path(*keep) / r.c.input.filename(),
                              fs::copy_options::overwrite_existing);
            }
        }
        fs::remove(r.c.input);
        fs::remove(r.c.errors);
    };
    while (next < total || !running.empty()) {
        while (next < total && static_cast<int>(running.size()) < jobs) {
            Running r;
            r.c = make_case(next++);
            r.start = Clock::now();
            r.pid = spawn_check(program, r.c);
            running.push_back(std::move(r));
        }
        for (std::size_t i = 0; i < running.size();) {
            Running& r = running[i];
            int status = 0;
            const double seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
            const pid_t done = waitpid(r.pid, &status, WNOHANG);
            if (done == r.pid) {
                finish(r, judge(status, read_bytes(r.c.errors)), seconds);
            } else if (seconds > timeout) {
                kill(r.pid, SIGKILL);
                waitpid(r.pid, &status, 0);
                ++hangs;
                finish(r, "no answer within " + std::to_string(timeout) + " s (killed)", seconds);
            } else {
                ++i;
                continue;
            }
            running.erase(running.begin() + static_cast<long>(i));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    fs::remove_all(work);
    const double wall = std::chrono::duration<double>(Clock::now() - started).count();
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "fuzz: %d files (%zu hostile, %d mutations of %zu files, seed %d) in %.1f s; "
                  "slowest %.2f s (%s); %d hung\n",
                  total, hostile.size(), count, seeds.size(), seed, wall, slowest,
                  slowest_case.c_str(), hangs);
    std::cout << summary << passed << " passed, " << failed << " failed\n";
    return failed == 0 ? exit_ok : exit_validation_failed;
}

} // namespace discsim::tools
