// `promvet lint --policy mixin` on the bundled examples (the first users' real dashboards and
// alerts, as the README's main command, tools/dev.sh examples, runs it: the rules with the
// bundled monitoring-mixin conventions), compared with a reviewed golden output
// (testdata/golden/lint_examples.txt): each real mistake at its line and column, and nothing
// else. When a change alters it on purpose, regenerate with
//   (cd testdata/examples && ../../build/tools/promvet lint --policy mixin dashboards rules) >
//   testdata/golden/lint_examples.txt
// and read the diff.
#include <gtest/gtest.h>

#include "test_support.h"

namespace promvet::test {
namespace {

TEST(CliLintExamplesGolden, BundledDashboardsAndRulesMatchReviewedOutput) {
  CommandResult r = run("cd '" + testdata("examples") + "' && '" + cli() + "' lint --policy mixin dashboards rules");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, read_file(testdata("golden/lint_examples.txt")));
}

}  // namespace
}  // namespace promvet::test
