// `promvet explain` prints a check's docs page; unknown or malformed ids exit 2.
#include <gtest/gtest.h>

#include "test_support.h"

namespace promvet::test {
namespace {

TEST(CliExplain, PrintsTheDocsPage) {
  CommandResult r = run(shell_quote(cli()) + " explain expfmt/no-help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(source_dir() + "/docs/checks/expfmt/no-help.md"));
}

TEST(CliExplain, UnknownAndMalformedIdsAreUsageErrors) {
  CommandResult unknown = run(shell_quote(cli()) + " explain promql/no-such-check");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no check \"promql/no-such-check\""), std::string::npos) << unknown.err;
  CommandResult escape = run(shell_quote(cli()) + " explain ../../etc/passwd");
  EXPECT_EQ(escape.exit_code, 2);
  EXPECT_TRUE(escape.out.empty());
}

TEST(CliExplain, DocsDirectoryCanBeOverridden) {
  std::string page = write_temp("explain-override.md", "# custom\n");
  std::string dir = page.substr(0, page.rfind('/'));
  // A docs tree with checks/<family>/<name>.md built from the temp file.
  std::string root = dir + "/promvet-explain-docs";
  ASSERT_EQ(run("mkdir -p " + shell_quote(root + "/checks/demo") + " && cp " + shell_quote(page) + " " +
                shell_quote(root + "/checks/demo/page.md"))
                .exit_code,
            0);
  CommandResult r = run("PROMVET_DOCS_DIR=" + shell_quote(root) + " " + shell_quote(cli()) + " explain demo/page");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "# custom\n");
  run("rm -rf " + shell_quote(root) + " " + shell_quote(page));
}

}  // namespace
}  // namespace promvet::test
