// `promvet lint --changed-since[=REF]` in a real git repository made in a temporary directory:
// only findings on changed lines (and in untracked files) are reported, the rest of the files
// still give context (a recording rule's type in another file), the staged changes without REF,
// and exit 2 with a message for an unknown REF or outside a repository.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

class ChangedSince : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program("git")) GTEST_SKIP() << "git not installed";
    std::string marker = write_temp("changed-since", "");
    repo_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(sh("mkdir -p " + shell_quote(repo_) + " && cd " + shell_quote(repo_) +
                 " && git init -q . && git config user.email t@example.com && git config user.name test")
                  .exit_code,
              0);
  }
  void TearDown() override {
    if (!repo_.empty()) run("rm -rf " + shell_quote(repo_));
  }
  CommandResult sh(const std::string& command) { return run(command); }
  CommandResult in_repo(const std::string& command) { return run("cd " + shell_quote(repo_) + " && " + command); }
  void write(const std::string& name, const std::string& content) {
    std::string tmp = write_temp("changed-since-file", content);
    ASSERT_EQ(run("mv " + shell_quote(tmp) + " " + shell_quote(repo_ + "/" + name)).exit_code, 0);
  }
  CommandResult lint(const std::string& args) { return in_repo("'" + cli() + "' lint --config /dev/null " + args); }
  std::string repo_;
};

const char* kRules =
    "groups:\n"
    "- name: g\n"
    "  rules:\n"
    "  - record: job:a:rate5m\n"
    "    expr: sum by (job) (rate(a_total{job=~\"one\"}[5m]))\n"
    "  - record: job:b:rate5m\n"
    "    expr: sum by (job) (rate(b_total{job=~\"two\"}[5m]))\n";

TEST_F(ChangedSince, ReportsOnlyChangedLinesAndUntrackedFiles) {
  write("rules.yml", kRules);
  ASSERT_EQ(in_repo("git add rules.yml && git commit -qm one").exit_code, 0);
  CommandResult all = lint("rules.yml");
  EXPECT_EQ(all.exit_code, 1);
  EXPECT_NE(all.out.find("rules.yml:5:"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("rules.yml:7:"), std::string::npos) << all.out;
  CommandResult none = lint("--changed-since=HEAD rules.yml");
  EXPECT_EQ(none.exit_code, 0) << none.out << none.err;
  EXPECT_EQ(none.out, "");
  // Line 7 changes (still a finding there); line 5 does not.
  std::string changed = kRules;
  changed.replace(changed.find("\"two\""), 5, "\"three\"");
  write("rules.yml", changed);
  write(
      "new.yml",
      "groups:\n- name: n\n  rules:\n  - record: job:c:rate5m\n    expr: sum by (job) (rate(c_total{job=~\"x\"}[5m]))\n");
  CommandResult some = lint("--changed-since=HEAD .");
  EXPECT_EQ(some.exit_code, 1) << some.err;
  EXPECT_EQ(some.out.find("rules.yml:5:"), std::string::npos) << some.out;
  EXPECT_NE(some.out.find("rules.yml:7:"), std::string::npos) << some.out;
  EXPECT_NE(some.out.find("new.yml:5:"), std::string::npos) << some.out;  // untracked: all of it
  // Without REF: what is staged. Nothing is yet, then only the staged file.
  CommandResult staged = lint("--changed-since .");
  EXPECT_EQ(staged.exit_code, 0) << staged.out << staged.err;
  ASSERT_EQ(in_repo("git add new.yml").exit_code, 0);
  staged = lint("--changed-since .");
  EXPECT_EQ(staged.exit_code, 1);
  EXPECT_NE(staged.out.find("new.yml:5:"), std::string::npos) << staged.out;
  EXPECT_EQ(staged.out.find("rules.yml"), std::string::npos) << staged.out;
}

// A finding on a changed line may need an unchanged file to exist: the recorded series' type.
TEST_F(ChangedSince, UnchangedFilesStillGiveContext) {
  write("record.yml",
        "groups:\n- name: r\n  rules:\n  - record: job:req:sum\n    expr: sum by (job) (requests_total)\n");
  write("use.yml", "groups:\n- name: u\n  rules:\n  - alert: A\n    expr: up == 0\n");
  ASSERT_EQ(in_repo("git add . && git commit -qm one").exit_code, 0);
  // A second file with the same recorded series: rules/duplicate needs the unchanged one.
  write("use.yml", "groups:\n- name: u\n  rules:\n  - record: job:req:sum\n    expr: sum by (job) (requests_total)\n");
  CommandResult r = lint("-o json --changed-since=HEAD record.yml use.yml");
  EXPECT_NE(r.out.find("rules/duplicate"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"file\":\"record.yml\""), std::string::npos) << r.out;
}

TEST_F(ChangedSince, UnknownRevisionAndNoRepositoryAreErrors) {
  write("rules.yml", kRules);
  ASSERT_EQ(in_repo("git add rules.yml && git commit -qm one").exit_code, 0);
  CommandResult r = lint("--changed-since=no-such-branch rules.yml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown revision 'no-such-branch'"), std::string::npos) << r.err;
  std::string outside = write_temp("changed-since-outside.yml", kRules);
  r = run("cd / && '" + cli() + "' lint --config /dev/null --changed-since=HEAD " + shell_quote(outside));
  if (run("git -C /tmp rev-parse --show-toplevel").exit_code != 0) {
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is not inside a git repository"), std::string::npos) << r.err;
  }
}

// --changed-since with --fix: only the findings on changed lines are fixed.
TEST_F(ChangedSince, FixOnlyChangedLines) {
  write("rules.yml", kRules);
  ASSERT_EQ(in_repo("git add rules.yml && git commit -qm one").exit_code, 0);
  std::string changed = kRules;
  changed.replace(changed.find("\"two\""), 5, "\"three\"");
  write("rules.yml", changed);
  CommandResult r = lint("--fix --changed-since=HEAD rules.yml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string fixed = read_file(repo_ + "/rules.yml");
  EXPECT_NE(fixed.find("b_total{job=\"three\"}"), std::string::npos) << fixed;
  EXPECT_NE(fixed.find("a_total{job=~\"one\"}"), std::string::npos) << fixed;
}

}  // namespace
}  // namespace promvet::test
