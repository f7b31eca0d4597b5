// What every adversarial test file shares: run the real promvet binary through /bin/sh under
// an address-space limit (ulimit -v) and a wall-clock limit (timeout), and assert a clean, bounded
// exit. See docs/adversarial.md.
//
// PROMVET_ADVERSARIAL_ASAN (set by tests/CMakeLists.txt when PROMVET_SANITIZE is ON): ASan
// reserves terabytes of shadow address space, so the ulimit -v part is left out there.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <string>

#include "../test_support.h"

namespace promvet::test {

#ifdef PROMVET_ADVERSARIAL_ASAN
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

// 512 MiB of address space. The binary maps ~100 MiB of libraries and each
// worker thread's glibc malloc arena reserves 64 MiB: `lint -j 4` fails
// intermittently with std::bad_alloc at 256 MiB, `lint -j 2` passes at
// 320 MiB. lint runs with -j 2 here so the limit does not depend on the core
// count of the machine.
constexpr long kAddressSpaceKiB = 512 * 1024;
// Max RSS allowed for any single case (measured: at most ~50 MiB in Release).
constexpr long kMaxRssKiB = kAsan ? 2L * 1024 * 1024 : 256 * 1024;

struct Outcome {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  double seconds = 0;
  long max_rss_kib = 0;
  std::string out, err;
};

inline std::string slurp_remove(const char* path) {
  std::string s = read_file(path);
  std::remove(path);
  return s;
}

// Runs `promvet ARGS` (ARGS is shell text) through /bin/sh under the limits.
// stdin is /dev/null unless stdin_fd >= 0. The rusage of wait4() covers the
// shell's exec'ed timeout and the promvet it reaped (RUSAGE_BOTH semantics).
// setup is shell text run before the exec (e.g. `ulimit -f 8; trap '' XFSZ; `); resource
// limits and ignored signals carry over to promvet.
inline Outcome run_limited(const std::string& args, int timeout_seconds, int stdin_fd = -1,
                           const std::string& setup = "") {
  char out_path[] = "/tmp/promvet-adv-out-XXXXXX";
  char err_path[] = "/tmp/promvet-adv-err-XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  std::string script;
  if (!kAsan) script += "ulimit -v " + std::to_string(kAddressSpaceKiB) + " || exit 99; ";
  script += setup;
  script += "exec timeout -k 2 " + std::to_string(timeout_seconds) + " " + shell_quote(cli()) + " " + args;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int in = stdin_fd >= 0 ? stdin_fd : open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  Outcome o;
  int status = 0;
  rusage ru{};
  if (pid > 0 && wait4(pid, &status, 0, &ru) == pid) {
    if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    o.max_rss_kib = ru.ru_maxrss;
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.out = slurp_remove(out_path);
  o.err = slurp_remove(err_path);
  return o;
}

inline std::string head(const std::string& s, size_t n = 600) { return s.size() <= n ? s : s.substr(0, n) + "..."; }

// The common assertions: no signal, no timeout, an expected exit code, the
// time bound and the RSS bound; the measurements go to the test output.
inline void expect_bounded(const char* what, const Outcome& o, std::initializer_list<int> codes, double max_seconds) {
  std::printf("[adversarial] %-56s exit=%d signal=%d time=%.2fs maxrss=%ldKiB%s\n", what, o.exit_code, o.signal,
              o.seconds, o.max_rss_kib, kAsan ? " (asan, no ulimit -v)" : "");
  std::fflush(stdout);
  ::testing::Test::RecordProperty(std::string(what) + ".seconds", std::to_string(o.seconds));
  ::testing::Test::RecordProperty(std::string(what) + ".maxrss_kib", std::to_string(o.max_rss_kib));
  EXPECT_EQ(o.signal, 0) << what << ": killed by signal " << o.signal << "\nstderr: " << head(o.err);
  EXPECT_NE(o.exit_code, 124) << what << ": timed out";
  EXPECT_NE(o.exit_code, 99) << what << ": ulimit -v failed";
  bool ok = false;
  for (int c : codes) ok = ok || o.exit_code == c;
  EXPECT_TRUE(ok) << what << ": exit code " << o.exit_code << "\nstdout: " << head(o.out)
                  << "\nstderr: " << head(o.err);
  EXPECT_LT(o.seconds, max_seconds) << what;
  EXPECT_LT(o.max_rss_kib, kMaxRssKiB) << what;
}

inline std::string temp(const std::string& name, const std::string& content) {
  return write_temp("adv-" + name, content);
}

inline std::string repeat(const std::string& s, size_t n) {
  std::string r;
  r.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) r += s;
  return r;
}

inline bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace promvet::test
