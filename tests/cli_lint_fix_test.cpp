// `promvet lint --fix` and `--fix --dry-run` on testdata/fix/: the diff of the meaning-preserving
// fixes compared with a reviewed golden file (testdata/golden/lint_fix.diff), the files fixed in
// a temporary copy (bytes outside the fixes, permissions, a file that does not load: unchanged),
// and what is left afterwards. Regenerate the golden file with
//   (cd testdata && ../build/tools/promvet lint --fix --dry-run fix) > testdata/golden/lint_fix.diff
// and read the diff.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

class LintFix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string marker = write_temp("lint-fix", "");
    dir_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(run("mkdir -p " + shell_quote(dir_) + " && cp -r " + shell_quote(testdata("fix")) + " " +
                  shell_quote(dir_ + "/fix"))
                  .exit_code,
              0);
  }
  void TearDown() override { run("rm -rf " + shell_quote(dir_)); }
  CommandResult promvet(const std::string& args) {
    return run("cd " + shell_quote(dir_) + " && '" + cli() + "' " + args);
  }
  std::string dir_;
};

TEST_F(LintFix, DryRunPrintsTheReviewedDiffAndChangesNothing) {
  CommandResult r = promvet("lint --fix --dry-run fix");
  EXPECT_EQ(r.exit_code, 1) << r.err;  // findings without a safe fix are left
  EXPECT_EQ(r.out, read_file(testdata("golden/lint_fix.diff")));
  EXPECT_NE(r.err.find("would fix 10 findings in 2 files"), std::string::npos) << r.err;
  for (const char* f : {"dashboard.json", "rules.yml", "broken.yml"})
    EXPECT_EQ(read_file(dir_ + "/fix/" + f), read_file(testdata(std::string("fix/") + f))) << f;
  // The diff is one `patch` accepts as it stands.
  if (have_program("patch")) {
    std::string diff = write_temp("lint-fix.diff", r.out);
    CommandResult p = run("cd " + shell_quote(dir_) + " && patch -s -p1 < " + shell_quote(diff));
    EXPECT_EQ(p.exit_code, 0) << p.out << p.err;
    EXPECT_NE(read_file(dir_ + "/fix/rules.yml"), read_file(testdata("fix/rules.yml")));
  }
}

TEST_F(LintFix, DryRunNeedsFix) {
  CommandResult r = promvet("lint --dry-run fix");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dry-run needs --fix"), std::string::npos) << r.err;
}

TEST_F(LintFix, FixEditsOnlyTheFixedBytesAndReportsWhatIsLeft) {
  ASSERT_EQ(chmod((dir_ + "/fix/rules.yml").c_str(), 0640), 0);
  CommandResult r = promvet("lint --fix fix");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("fixed 10 findings in 2 files"), std::string::npos) << r.err;
  // The second round: `=~"^/api$"` became `=~"/api"`, `=~"^web$"` `=~"web"`, ...: literal matches.
  EXPECT_NE(r.err.find("fixed 4 findings in 2 files"), std::string::npos) << r.err;
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/fix/rules.yml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(read_file(dir_ + "/fix/broken.yml"), read_file(testdata("fix/broken.yml")));  // does not load
  std::string rules = read_file(dir_ + "/fix/rules.yml");
  std::string expected = read_file(testdata("fix/rules.yml"));
  for (auto [from, to] : {std::pair<std::string, std::string>{"=~\\\"api\\\"", "=\\\"api\\\""},
                          {"=~\"^web$\"", "=\"web\""},
                          {"=~\"admin\"", "=\"admin\""},
                          {"=~\"^other\"", "=\"other\""},
                          {"=~\"raw$\"", "=\"raw\""}}) {
    size_t at = expected.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    expected.replace(at, from.size(), to);
  }
  EXPECT_EQ(rules, expected);
  // What is left: the findings without a fix that keeps the meaning, now at their new columns.
  CommandResult left = promvet("lint -o json fix");
  EXPECT_EQ(left.exit_code, 1);
  EXPECT_EQ(left.out.find("\"promql/invalid\""), std::string::npos) << left.out;
  EXPECT_EQ(left.out.find("no metacharacters"), std::string::npos) << left.out;
  EXPECT_NE(left.out.find("regex \\\"^/x\\\" is anchored"), std::string::npos) << left.out;  // through \u005e
  EXPECT_NE(left.out.find("multi-value variable"), std::string::npos) << left.out;
  EXPECT_NE(left.out.find("\"promql/counter-without-rate\""), std::string::npos) << left.out;
  // The output after --fix is the report of the fixed files.
  EXPECT_EQ(r.out, promvet("lint fix").out);
}

TEST_F(LintFix, StandardInputIsNeverWritten) {
  CommandResult r = run("cd " + shell_quote(dir_) + " && '" + cli() +
                        "' lint --fix --stdin-filename fix/rules.yml - < fix/rules.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("fixed 0 findings in 0 files"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir_ + "/fix/rules.yml"), read_file(testdata("fix/rules.yml")));
}

}  // namespace
}  // namespace promvet::test
