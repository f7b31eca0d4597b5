// `promvet lint` on testdata/suppressions/: every suppression form (disable=, disable-file=,
// disable-next-line=, until=, dashboard descriptions) once doing its job and once stale, compared
// with a reviewed golden output (testdata/golden/lint_suppressions.txt). The dates are 2020-01-01
// (past) and 2999-12-31 (future), so the output does not depend on the day it runs. Regenerate with
//   (cd testdata && ../build/tools/promvet lint suppressions) > testdata/golden/lint_suppressions.txt
// and read the diff.
#include <gtest/gtest.h>

#include "test_support.h"

namespace promvet::test {
namespace {

TEST(CliLintSuppressionsGolden, ExpiredAndUnusedSuppressionsMatchReviewedOutput) {
  CommandResult r = run("cd '" + testdata("") + "' && '" + cli() + "' lint suppressions");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, read_file(testdata("golden/lint_suppressions.txt")));
}

// .promvet.yaml's dashboards: entries get the same audit, reported in .promvet.yaml
// (testdata/config_suppressions/). Regenerate with
//   (cd testdata/config_suppressions && ../../build/tools/promvet lint dashboard.json) >
//   testdata/golden/lint_config_suppressions.txt
TEST(CliLintSuppressionsGolden, ConfigDashboardEntriesExpireAndAreReportedWhenUnused) {
  CommandResult r = run("cd '" + testdata("config_suppressions") + "' && '" + cli() + "' lint dashboard.json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, read_file(testdata("golden/lint_config_suppressions.txt")));
}

// The audit findings go through the same filters as any other: --fail-on, .promvet.yaml disable.
TEST(CliLintSuppressionsGolden, AuditIdsFollowFailOnAndConfig) {
  std::string dir = testdata("suppressions");
  CommandResult r = run("cd '" + dir + "' && '" + cli() + "' lint --config /dev/null -o json queries.promql");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("\"source/unused-suppression\""), std::string::npos) << r.out;
  std::string config = write_temp("audit-config.yaml",
                                  "disable: [source/unused-suppression, source/expired-suppression, promql/invalid]\n");
  r = run("cd '" + dir + "' && '" + cli() + "' lint --config '" + config + "' queries.promql");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace promvet::test
