// The README's main job on the bundled examples, compared with a reviewed
// golden output (testdata/golden/examples.txt). When a change alters it on
// purpose, regenerate with the command in the test and read the diff.
#include <gtest/gtest.h>

#include "test_support.h"

namespace promvet::test {
namespace {

TEST(CliExamplesGolden, MetricsOnBundledExamplesMatchesReviewedOutput) {
  CommandResult r = run("cd '" + testdata("examples") + "' && '" + cli() +
                        "' metrics conductor_actuator.prom dynamo_frontend.om mana_llm_broken.om "
                        "vllm_metrics.prom");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, read_file(testdata("golden/examples.txt")));
}

}  // namespace
}  // namespace promvet::test
