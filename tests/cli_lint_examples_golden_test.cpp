// `promvet lint` on the bundled examples (the first users' real dashboards and alerts, as the
// README's main command runs it), compared with a reviewed golden output
// (testdata/golden/lint_examples.txt): each real mistake at its line and column, and nothing
// else. When a change alters it on purpose, regenerate with
//   (cd testdata/examples && ../../build/tools/promvet lint dashboards rules) > testdata/golden/lint_examples.txt
// and read the diff.
#include <gtest/gtest.h>

#include "test_support.h"

namespace promvet::test {
namespace {

TEST(CliLintExamplesGolden, BundledDashboardsAndRulesMatchReviewedOutput) {
  CommandResult r = run("cd '" + testdata("examples") + "' && '" + cli() + "' lint dashboards rules");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, read_file(testdata("golden/lint_examples.txt")));
}

}  // namespace
}  // namespace promvet::test
