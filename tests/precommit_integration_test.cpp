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
    env_ = "cd " + shell_quote(repo_) + " && PATH=" + shell_quote(bin_dir) + ":$PATH PRE_COMMIT_HOME=" +
           shell_quote(repo_ + "/.cache") + " ";
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

}  // namespace
}  // namespace promvet::test
