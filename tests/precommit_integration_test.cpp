// Runs Debian's real pre-commit against this repository's .pre-commit-hooks.yaml in a temporary
// git repository: once with valid files (hook passes), once with a broken expression (hook fails
// and prints the finding with its position).
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

class PreCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program("pre-commit") || !have_program("git"))
      GTEST_SKIP() << "pre-commit or git not installed (Debian packages pre-commit, git)";
    if (run("git -C " + shell_quote(source_dir()) + " rev-parse --git-dir").exit_code != 0)
      GTEST_SKIP() << "the source tree is not a git repository: pre-commit try-repo needs one";
    std::string marker = write_temp("precommit-root", "");
    repo_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(run("mkdir -p " + shell_quote(repo_) + " && cd " + shell_quote(repo_) +
                  " && git init -q . && git config user.email t@example.com && git config user.name test")
                  .exit_code,
              0);
    std::string bin_dir = cli().substr(0, cli().rfind('/'));
    env_ = "cd " + shell_quote(repo_) + " && PATH=" + shell_quote(bin_dir) +
           ":$PATH PRE_COMMIT_HOME=" + shell_quote(repo_ + "/.cache") + " ";
  }
  void TearDown() override {
    if (!repo_.empty()) run("rm -rf " + shell_quote(repo_));
  }

  void write(const std::string& name, const std::string& content) {
    std::string tmp = write_temp("precommit-file", content);
    ASSERT_EQ(run("mv " + shell_quote(tmp) + " " + shell_quote(repo_ + "/" + name)).exit_code, 0);
    ASSERT_EQ(run("cd " + shell_quote(repo_) + " && git add " + shell_quote(name)).exit_code, 0);
  }

  CommandResult try_hook(const std::string& hook) {
    return run(env_ + "pre-commit try-repo " + shell_quote(source_dir()) + " " + hook + " --all-files", 300);
  }

  std::string repo_, env_;
};

const char* kDashboard = R"json({"title": "Service", "uid": "svc", "panels": [
  {"id": 1, "title": "Errors", "type": "timeseries",
   "targets": [{"refId": "A", "expr": "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))"}]}]}
)json";

TEST_F(PreCommit, DashboardHookPassesOnAValidDashboard) {
  write("dashboard.json", kDashboard);
  CommandResult r = try_hook("promvet-dashboards");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Passed"), std::string::npos) << r.out;
}

TEST_F(PreCommit, DashboardHookFailsAndPointsAtTheMistake) {
  std::string broken = kDashboard;
  broken.replace(broken.find("[5m]))"), 6, "[5m])");
  write("dashboard.json", broken);
  CommandResult r = try_hook("promvet-dashboards");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dashboard.json:3:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[promql/invalid]"), std::string::npos) << r.out;
}

TEST_F(PreCommit, RulesHookPassesAndFails) {
  write("rules.yml", "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n");
  // Every YAML file of the repository reaches the hook: other YAML is skipped, not failed.
  write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n");
  write(".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks: []\n");
  CommandResult ok = try_hook("promvet-rules");
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  write("rules.yml", "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up\n");
  CommandResult bad = try_hook("promvet-rules");
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.out.find("rules.yml:5:"), std::string::npos) << bad.out;
}

// The hooks with arguments, as a project configures them: `pre-commit run` on the staged files
// (not --all-files) through a .pre-commit-config.yaml naming this repository at its HEAD.
class PreCommitArgs : public PreCommit {
 protected:
  void configure(const std::string& hook, const std::string& args) {
    CommandResult head = run("git -C " + shell_quote(source_dir()) + " rev-parse HEAD");
    ASSERT_EQ(head.exit_code, 0);
    std::string rev = head.out.substr(0, head.out.find('\n'));
    write(".pre-commit-config.yaml", "repos:\n- repo: " + source_dir() + "\n  rev: " + rev +
                                         "\n  hooks:\n  - id: " + hook + "\n    args: [" + args + "]\n");
  }
  CommandResult run_hooks() { return run(env_ + "pre-commit run", 300); }
  void commit() { ASSERT_EQ(run("cd " + shell_quote(repo_) + " && git commit -qm c --no-verify").exit_code, 0); }
};

const char* kRulesWithFinding =
    "groups:\n- name: g\n  rules:\n  - record: job:a:rate5m\n    expr: sum by (job) (rate(a_total{job=~\"one\"}[5m]))\n";

TEST_F(PreCommitArgs, ChangedSinceFailsOnlyOnStagedLines) {
  configure("promvet-rules", "--changed-since");
  write("rules.yml", kRulesWithFinding);
  commit();  // an old finding on line 5
  // A new clean rule: the hook passes although the file has a finding elsewhere.
  write("rules.yml",
        std::string(kRulesWithFinding) + "  - record: job:b:rate5m\n    expr: sum by (job) (rate(b_total[5m]))\n");
  CommandResult ok = run_hooks();
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("Passed"), std::string::npos) << ok.out;
  // A new rule with a finding: the hook fails and names that line only.
  write("rules.yml", std::string(kRulesWithFinding) +
                         "  - record: job:b:rate5m\n    expr: sum by (job) (rate(b_total{job=~\"two\"}[5m]))\n");
  CommandResult bad = run_hooks();
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.out.find("rules.yml:7:"), std::string::npos) << bad.out;
  EXPECT_EQ(bad.out.find("rules.yml:5:"), std::string::npos) << bad.out;
}

TEST_F(PreCommitArgs, FixRewritesTheStagedFileAndTheHookReportsIt) {
  configure("promvet-dashboards", "--fix");
  std::string dashboard = kDashboard;
  const std::string regex = "=~\\\"5..\\\"";
  dashboard.replace(dashboard.find(regex), regex.size(), "=~\\\"500\\\"");
  write("dashboard.json", dashboard);
  CommandResult r = run_hooks();
  EXPECT_NE(r.exit_code, 0) << r.out;  // pre-commit fails a hook that modified files
  EXPECT_NE(r.out.find("Failed"), std::string::npos) << r.out;
  std::string fixed = read_file(repo_ + "/dashboard.json");
  EXPECT_NE(fixed.find("code=\\\"500\\\""), std::string::npos) << fixed;
  EXPECT_NE(fixed.find("[$__rate_interval]"), std::string::npos) << fixed;
  // Staged again, the fixed file passes.
  ASSERT_EQ(run("cd " + shell_quote(repo_) + " && git add dashboard.json").exit_code, 0);
  CommandResult again = run_hooks();
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

}  // namespace
}  // namespace promvet::test
