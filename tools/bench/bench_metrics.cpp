// Side-by-side benchmark: `promvet metrics` (validation only, and with lints)
// against `promtool check metrics` on one large generated exposition.
// Prints wall time, MB/s, peak RSS and the ratio to promtool.
//
//   bench_metrics [--input FILE] [--families 400] [--series 500] [--runs 3]
//                 [--promvet PATH] [--promtool PATH]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace {

struct Run {
  double seconds = 0;
  long max_rss_kb = 0;
  int exit_code = -1;
};

// fork/exec so wait4 gives the child's own peak RSS.
Run run_once(const std::vector<std::string>& argv, const std::string& stdin_file) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(stdin_file.empty() ? "/dev/null" : stdin_file.c_str(), O_RDONLY);
    int null = open("/dev/null", O_WRONLY);
    dup2(in, 0);
    dup2(null, 1);
    dup2(null, 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_kb = usage.ru_maxrss;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

Run median_of(int runs, const std::vector<std::string>& argv, const std::string& stdin_file) {
  std::vector<Run> all;
  for (int i = 0; i < runs; ++i) all.push_back(run_once(argv, stdin_file));
  std::sort(all.begin(), all.end(), [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  Run m = all[all.size() / 2];
  for (const Run& r : all) m.max_rss_kb = std::max(m.max_rss_kb, r.max_rss_kb);
  return m;
}

std::string self_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string p(buf, static_cast<std::size_t>(n));
  return p.substr(0, p.rfind('/'));
}

}  // namespace

int main(int argc, char** argv) {
  std::string input;
  int families = 400, series = 500, runs = 3;
  std::string promvet = self_dir() + "/promvet";
  std::string promtool = "promtool";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--input") input = v;
    else if (k == "--families") families = std::atoi(v.c_str());
    else if (k == "--series") series = std::atoi(v.c_str());
    else if (k == "--runs") runs = std::max(1, std::atoi(v.c_str()));
    else if (k == "--promvet") promvet = v;
    else if (k == "--promtool") promtool = v;
    else {
      fmt::print(stderr, "unknown option {}\n", k);
      return 2;
    }
  }
  if (input.empty()) {
    input = fmt::format("/tmp/promvet-bench-{}-{}.prom", families, series);
    struct stat st {};
    if (stat(input.c_str(), &st) != 0) {
      std::string gen = std::string(PROMVET_SOURCE_DIR) + "/../shared/tools/gen_exposition.py";
      std::string cmd = fmt::format("python3 '{}' {} {} > '{}'", gen, families, series, input);
      fmt::print("generating: {}\n", cmd);
      if (std::system(cmd.c_str()) != 0) {
        fmt::print(stderr, "generator failed; pass --input FILE\n");
        return 2;
      }
    }
  }
  struct stat st {};
  if (stat(input.c_str(), &st) != 0) {
    fmt::print(stderr, "cannot stat {}\n", input);
    return 2;
  }
  double mb = static_cast<double>(st.st_size) / 1e6;
  fmt::print("input: {} ({:.1f} MB), median of {} runs\n\n", input, mb, runs);
  fmt::print("{:<40} {:>9} {:>10} {:>11} {:>6} {:>14}\n", "command", "seconds", "MB/s", "max RSS MB", "exit",
             "vs promtool");

  struct Case {
    std::string label;
    std::vector<std::string> argv;
    std::string stdin_file;
  };
  std::vector<Case> cases = {
      {"promtool check metrics", {promtool, "check", "metrics"}, input},
      {"promvet metrics --no-lint", {promvet, "metrics", "--no-lint", "--format", "text", input}, ""},
      {"promvet metrics --promlint-only", {promvet, "metrics", "--promlint-only", "--format", "text", input}, ""},
      {"promvet metrics (all lints)", {promvet, "metrics", "--format", "text", input}, ""},
  };
  double promtool_seconds = 0;
  for (const Case& c : cases) {
    Run r = median_of(runs, c.argv, c.stdin_file);
    if (r.exit_code == 127) {
      fmt::print("{:<40} not runnable ({})\n", c.label, c.argv[0]);
      continue;
    }
    if (promtool_seconds == 0) promtool_seconds = r.seconds;
    std::string ratio = &c == &cases.front()   ? "baseline"
                        : promtool_seconds > 0 ? fmt::format("{:.1f}x faster", promtool_seconds / r.seconds)
                                               : "-";
    fmt::print("{:<40} {:>9.3f} {:>10.1f} {:>11.1f} {:>6} {:>14}\n", c.label, r.seconds, mb / r.seconds,
               static_cast<double>(r.max_rss_kb) / 1024.0, r.exit_code, ratio);
  }
  return 0;
}
