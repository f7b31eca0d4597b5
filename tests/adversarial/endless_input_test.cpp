// Adversarial suite, input side: endless input ends. A file or stdin that never ends (/dev/zero,
// `yes | tr -d '\n'`, `yes`) stops with exit 2 and a clear error within seconds, for every
// command that reads one: an unbroken line may run on for --max-line-bytes + 64 MiB, the whole
// input for --max-file-bytes (default 4 GiB, so the 1 GiB stream in adversarial_test.cpp still
// passes). Whole-file readers (fmt, policy packs, baselines, saved inventories, token files) have
// their own bounds. See docs/adversarial.md.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../test_support.h"
#include "adversarial_support.h"

namespace promvet::test {
namespace {

const char* kLineRun = "a line runs on for more than 75497472 bytes without a newline (from byte 0); reading stopped";

// Runs `promvet ARGS` with stdin fed `unit` over and over by a forked writer, until promvet stops
// reading (the writer then gets EPIPE and exits).
Outcome run_with_endless_stdin(const std::string& args, const std::string& unit) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return {};
  pid_t writer = fork();
  if (writer == 0) {
    signal(SIGPIPE, SIG_IGN);
    close(p[0]);
    std::string block;
    while (block.size() < (1u << 16)) block += unit;
    for (;;) {
      if (write(p[1], block.data(), block.size()) < 0) _exit(0);
    }
  }
  close(p[1]);
  Outcome o = run_limited(args, 30, p[0]);
  close(p[0]);
  kill(writer, SIGKILL);  // only if promvet exited without closing the pipe's read end (it cannot)
  int st = 0;
  waitpid(writer, &st, 0);
  return o;
}

TEST(AdversarialEndlessInput, DevZeroStopsAtTheLineRunBound) {
  for (const char* cmd : {"metrics", "inventory", "inject --label a=b"}) {
    Outcome o = run_limited(std::string(cmd) + " /dev/zero", 30);
    expect_bounded((std::string(cmd) + " /dev/zero").c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, std::string("promvet: error: \"/dev/zero\": ") + kLineRun))
        << cmd << ": " << head(o.err);
  }
  // --max-line-bytes moves the bound with it.
  Outcome o = run_limited("metrics --max-line-bytes 1024 /dev/zero", 30);
  expect_bounded("metrics --max-line-bytes 1024 /dev/zero", o, {2}, 10);
  EXPECT_TRUE(contains(o.err, "a line runs on for more than 67109888 bytes without a newline")) << head(o.err);
}

TEST(AdversarialEndlessInput, EndlessLineOnStdinStops) {
  // yes | tr -d '\n'
  for (const char* cmd : {"metrics -", "inventory -", "inject --label a=b -"}) {
    Outcome o = run_with_endless_stdin(cmd, "y");
    expect_bounded((std::string(cmd) + " < endless line").c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, std::string("promvet: error: \"<stdin>\": ") + kLineRun)) << cmd << ": " << head(o.err);
  }
}

TEST(AdversarialEndlessInput, EndlessLinesStopAtMaxFileBytes) {
  // `yes`: short lines forever. The total bound stops it; 256 MiB here to keep the test short
  // (the default, 4 GiB, takes ~25 s at the parser's speed).
  Outcome o = run_with_endless_stdin("metrics --max-file-bytes 268435456 -", "y\n");
  expect_bounded("metrics --max-file-bytes 256MiB < yes", o, {2}, 15);
  EXPECT_TRUE(contains(o.err, "promvet: error: \"<stdin>\": input exceeds 268435456 bytes (--max-file-bytes)"))
      << head(o.err);
  EXPECT_EQ(o.out, "");  // findings of a cut input are not reported
  Outcome valid = run_with_endless_stdin("inventory --max-file-bytes 10000000 -", "a_total 1\n");
  expect_bounded("inventory --max-file-bytes 10MB < valid lines", valid, {2}, 10);
  EXPECT_TRUE(contains(valid.err, "input exceeds 10000000 bytes (--max-file-bytes)")) << head(valid.err);

  // A regular file over the bound is refused before it is read.
  std::string f = temp("big.prom", repeat("a_total 1\n", 100000));
  Outcome big = run_limited("metrics --max-file-bytes 1000 " + shell_quote(f), 30);
  expect_bounded("metrics --max-file-bytes 1000 FILE (1 MB)", big, {2}, 10);
  EXPECT_TRUE(contains(big.err, "\": file is 1000000 bytes, more than 1000 (--max-file-bytes)")) << head(big.err);
  Outcome fits = run_limited("metrics --max-file-bytes 1000000 " + shell_quote(f), 30);
  expect_bounded("metrics --max-file-bytes 1000000 FILE (1 MB)", fits, {0, 1}, 10);
  std::remove(f.c_str());
}

TEST(AdversarialEndlessInput, WholeFileReadersAreBounded) {
  std::string q = temp("q.promql", "up\n");
  std::string m = temp("m.prom", "# TYPE a_total counter\na_total 1\n");
  struct Case {
    std::string args, want;
  };
  const std::vector<Case> cases = {
      {"fmt /dev/zero", "\"/dev/zero\": more than 67108864 bytes"},
      {"parse --each-line /dev/zero", "\"/dev/zero\": line 1 runs on for more than 71303169 bytes without a newline"},
      {"metrics --policy /dev/zero " + shell_quote(m),
       "promvet: error: --policy: \"/dev/zero\": more than 67108864 bytes"},
      {"lint -j 2 --policy /dev/zero " + shell_quote(q),
       "promvet: error: policy pack: \"/dev/zero\": more than 67108864 bytes"},
      {"lint -j 2 --baseline /dev/zero " + shell_quote(q), "promvet: error: \"/dev/zero\": more than 134217728 bytes"},
      {"lint -j 2 --config /dev/zero " + shell_quote(q),
       "promvet: error: configuration: \"/dev/zero\": more than 16777216 bytes"},
      {"metrics --bearer-token-file /dev/zero http://127.0.0.1:9/metrics",
       "promvet: error: --bearer-token-file: \"/dev/zero\": more than 1048576 bytes"},
  };
  for (const Case& c : cases) {
    Outcome o = run_limited(c.args, 30);
    expect_bounded(c.args.substr(0, 56).c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, c.want)) << c.args << ": " << head(o.err);
  }
  Outcome s = run_with_endless_stdin("fmt -", "y");
  expect_bounded("fmt - < endless", s, {2}, 10);
  EXPECT_TRUE(contains(s.err, "\"<stdin>\": more than 67108864 bytes")) << head(s.err);
  Outcome e = run_with_endless_stdin("parse --each-line -", "y");
  expect_bounded("parse --each-line - < endless line", e, {2}, 10);
  EXPECT_TRUE(contains(e.err, "\"<stdin>\": line 1 runs on for more than")) << head(e.err);
  std::remove(q.c_str());
  std::remove(m.c_str());
}

}  // namespace
}  // namespace promvet::test
