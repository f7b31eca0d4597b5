// Adversarial suite, output side: nothing is lost without a word. Every writer (stdout in every
// command and format, --write-baseline, inventory -o, usage --json/--html) fails with exit 2 and
// `promvet: error: cannot write <where>: <strerror>` when a write fails; a file that cannot be
// written completely (a full disk, simulated by RLIMIT_FSIZE with SIGXFSZ ignored, so write(2)
// fails with EFBIG) leaves the old file byte-identical and no temporary file behind; a symlinked
// target is replaced where it points. See docs/adversarial.md and lib/io/output_file.h.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "../test_support.h"
#include "adversarial_support.h"

namespace promvet::test {
namespace {

constexpr const char* kNoSpace = "No space left on device";
constexpr const char* kTooLarge = "File too large";

std::string examples(const std::string& rel) { return shell_quote(testdata("examples/" + rel)); }
// Inputs `usage` reads without an error (some example dashboards are invalid JSON: exit 2).
std::string usage_inputs() { return examples("dashboards/mana_llm.json") + " " + examples("rules"); }

// A fresh directory under /tmp for one test's files, removed afterwards.
class WriteFailures : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string marker = write_temp("adv-write", "");
    dir_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(run("mkdir -p " + shell_quote(dir_ + "/real")).exit_code, 0);
  }
  void TearDown() override { run("rm -rf " + shell_quote(dir_)); }

  std::string path(const std::string& rel) const { return dir_ + "/" + rel; }
  void put(const std::string& rel, const std::string& content, mode_t mode = 0644) {
    std::FILE* f = std::fopen(path(rel).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(content.data(), 1, content.size(), f);
    ASSERT_EQ(std::fclose(f), 0);
    ASSERT_EQ(::chmod(path(rel).c_str(), mode), 0);
  }
  mode_t mode_of(const std::string& rel) const {
    struct stat st {};
    return ::stat(path(rel).c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
  }
  bool is_symlink(const std::string& rel) const {
    struct stat st {};
    return ::lstat(path(rel).c_str(), &st) == 0 && S_ISLNK(st.st_mode);
  }
  // Names in the directory that look like promvet's temporary files (".NAME.promvet-XXXXXX").
  std::string leftovers() const { return run("find " + shell_quote(dir_) + " -name '.*.promvet-*'").out; }

  std::string dir_;
};

// Every command that prints, in every output format, with stdout on /dev/full.
TEST_F(WriteFailures, StdoutOnDevFullIsExit2InEveryCommandAndFormat) {
  const std::string dashboards = examples("dashboards");
  const std::string broken = examples("mana_llm_broken.om");
  const std::string clean = examples("vllm_metrics.prom");
  std::string lines = temp("each-line.promql", "up\nsum(rate(x[5m]))\n");
  std::vector<std::string> commands;
  for (const char* format : {"text", "json", "sarif", "github", "checkstyle"})
    commands.push_back(std::string("lint -j 2 -o ") + format + " " + dashboards);
  for (const char* format : {"text", "json"}) {
    commands.push_back(std::string("metrics -o ") + format + " " + broken);
    commands.push_back(std::string("metrics -o ") + format + " " + clean);  // exit 0 before the fix
  }
  for (const std::string& c :
       {std::string("lint --list-checks"), std::string("metrics --list-checks"), "inventory " + clean,
        "inject --label team=a " + clean, "usage " + usage_inputs(), "usage --json - " + usage_inputs(),
        std::string("parse -e 'sum(up)' --json"), "parse --each-line " + shell_quote(lines),
        std::string("fmt -e 'sum by (job) (up)'"), std::string("sanitize --metric a.b"),
        std::string("explain expfmt/no-help"), std::string("--help"), std::string("--version")})
    commands.push_back(c);
  for (const std::string& c : commands) {
    Outcome o = run_limited(c + " >/dev/full", 20);
    expect_bounded(("stdout /dev/full: " + c.substr(0, 40)).c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, std::string("promvet: error: cannot write <stdout>: ") + kNoSpace)) << c << "\n"
                                                                                                    << head(o.err);
  }
  // The same commands to a working stdout: the check above is about the write, not the command.
  for (const std::string& c : {"metrics -o json " + clean, "lint -j 2 -o sarif " + dashboards,
                               "usage " + usage_inputs(), "inject --label team=a " + clean}) {
    Outcome o = run_limited(c, 20);
    expect_bounded(("stdout file: " + c.substr(0, 40)).c_str(), o, {0, 1}, 10);
    EXPECT_FALSE(o.out.empty()) << c;
  }
  std::remove(lines.c_str());
}

// A closed stdout is a write error too (EBADF), not a silent success.
TEST_F(WriteFailures, ClosedStdoutIsExit2) {
  Outcome o = run_limited("metrics -o json " + examples("mana_llm_broken.om") + " >&-", 20);
  expect_bounded("stdout closed: metrics -o json", o, {2}, 10);
  EXPECT_TRUE(contains(o.err, "promvet: error: cannot write <stdout>: Bad file descriptor")) << head(o.err);
}

// Each file writer aimed at /dev/full (a device: written in place, never renamed over).
TEST_F(WriteFailures, FileWritersOnDevFullAreExit2) {
  const std::string dashboards = examples("dashboards");
  for (const std::string& c :
       {"lint -j 2 --write-baseline /dev/full " + dashboards, "inventory -o /dev/full " + examples("vllm_metrics.prom"),
        "usage --json /dev/full " + usage_inputs(), "usage --html /dev/full " + usage_inputs()}) {
    Outcome o = run_limited(c, 20);
    expect_bounded(("file /dev/full: " + c.substr(0, 40)).c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, std::string("promvet: error: cannot write /dev/full: ") + kNoSpace)) << c << "\n"
                                                                                                     << head(o.err);
  }
}

// A write cut short by the file-size limit (as a full disk would) leaves the old file as it was.
TEST_F(WriteFailures, FileSizeLimitLeavesTheOldFileByteIdentical) {
  const std::string old_text = "{\"version\": 1, \"findings\": []}\n" + std::string(600, ' ') + "\n";
  const std::string dashboards = examples("dashboards");
  struct Writer {
    std::string name, args;
  };
  const std::vector<Writer> writers = {
      {"baseline.json", "lint -j 2 --write-baseline " + shell_quote(path("baseline.json")) + " " + dashboards},
      {"inventory.json", "inventory -o " + shell_quote(path("inventory.json")) + " " + examples("vllm_metrics.prom")},
      {"usage.json", "usage --json " + shell_quote(path("usage.json")) + " " + usage_inputs()},
      {"usage.html", "usage --html " + shell_quote(path("usage.html")) + " " + usage_inputs()},
  };
  for (const Writer& w : writers) {
    put(w.name, old_text, 0640);
    // 2 blocks of 512 bytes: every new file is larger. SIGXFSZ ignored: write(2) fails with EFBIG.
    Outcome o = run_limited(w.args, 20, -1, "ulimit -f 2 || exit 98; trap '' XFSZ; ");
    expect_bounded(("RLIMIT_FSIZE: " + w.name).c_str(), o, {2}, 10);
    EXPECT_TRUE(contains(o.err, "promvet: error: cannot write " + path(w.name) + ": " + kTooLarge)) << head(o.err);
    EXPECT_EQ(read_file(path(w.name)), old_text) << w.name << ": the old file changed";
    EXPECT_EQ(mode_of(w.name), 0640u) << w.name;
    EXPECT_EQ(leftovers(), "") << w.name << ": a temporary file was left";
    // Without the limit the same command replaces it, keeping its permissions.
    Outcome ok = run_limited(w.args, 20);
    expect_bounded(("no limit: " + w.name).c_str(), ok, {0}, 10);
    EXPECT_NE(read_file(path(w.name)), old_text) << w.name;
    EXPECT_GT(read_file(path(w.name)).size(), 1024u) << w.name;
    EXPECT_EQ(mode_of(w.name), 0640u) << w.name;
    EXPECT_EQ(leftovers(), "") << w.name;
  }
}

// A symlinked target: the file it points to is replaced, the link stays a link. A dangling link
// creates its target; a new file gets 0666 minus the umask.
TEST_F(WriteFailures, SymlinkedTargetIsReplacedWhereItPoints) {
  put("real/baseline.json", "old\n", 0600);
  ASSERT_EQ(run("cd " + shell_quote(dir_) +
                " && ln -s real/baseline.json link.json && ln -s link.json link2.json && "
                "ln -s real/new.json dangling.json")
                .exit_code,
            0);
  const std::string dashboards = examples("dashboards");
  Outcome o = run_limited("lint -j 2 --write-baseline " + shell_quote(path("link2.json")) + " " + dashboards, 20);
  expect_bounded("symlink chain: --write-baseline", o, {0}, 10);
  EXPECT_TRUE(is_symlink("link.json"));
  EXPECT_TRUE(is_symlink("link2.json"));
  std::string written = read_file(path("real/baseline.json"));
  EXPECT_NE(written.find("\"findings\""), std::string::npos) << written.substr(0, 200);
  EXPECT_EQ(mode_of("real/baseline.json"), 0600u);

  Outcome d = run_limited("inventory -o " + shell_quote(path("dangling.json")) + " " + examples("vllm_metrics.prom"),
                          20, -1, "umask 027; ");
  expect_bounded("dangling symlink: inventory -o", d, {0}, 10);
  EXPECT_TRUE(is_symlink("dangling.json"));
  EXPECT_NE(read_file(path("real/new.json")).find("\"families\""), std::string::npos);
  EXPECT_EQ(mode_of("real/new.json"), 0640u);

  // A link into a directory promvet cannot write: an error, the old target untouched.
  put("real/locked.json", "locked\n", 0644);
  ASSERT_EQ(run("cd " + shell_quote(dir_) + " && ln -s real/locked.json locked-link.json && chmod 555 real").exit_code,
            0);
  if (::geteuid() != 0) {  // root writes anywhere
    Outcome l =
        run_limited("inventory -o " + shell_quote(path("locked-link.json")) + " " + examples("vllm_metrics.prom"), 20);
    expect_bounded("symlink into a read-only directory", l, {2}, 10);
    EXPECT_TRUE(contains(l.err, "cannot write " + path("locked-link.json") + ": Permission denied")) << head(l.err);
    EXPECT_EQ(read_file(path("real/locked.json")), "locked\n");
  }
  run("chmod 755 " + shell_quote(path("real")));
  // A link into a directory that does not exist: the error names the path given, nothing is created.
  ASSERT_EQ(run("cd " + shell_quote(dir_) + " && ln -s missing/x.json nowhere.json").exit_code, 0);
  Outcome m = run_limited("lint -j 2 --write-baseline " + shell_quote(path("nowhere.json")) + " " + dashboards, 20);
  expect_bounded("symlink into a missing directory", m, {2}, 10);
  EXPECT_TRUE(contains(m.err, "promvet: error: cannot write " + path("nowhere.json") + ": No such file or directory"))
      << head(m.err);
  EXPECT_TRUE(is_symlink("nowhere.json"));
  EXPECT_EQ(leftovers(), "");
}

}  // namespace
}  // namespace promvet::test
