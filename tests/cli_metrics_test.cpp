// End-to-end tests of `promvet metrics`: exit codes, output formats, options.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "test_support.h"

namespace promvet::test {
namespace {


CommandResult promvet(const std::string& args) { return run(shell_quote(cli()) + " " + args, 60); }

// A clean OpenMetrics exposition, and one whose le="5" bucket (line 4) holds
// fewer observations than le="0.5": not cumulative.
const std::string kCleanOm = read_file(testdata("expfmt/clean.om"));
const std::string kBrokenOm = read_file(testdata("expfmt/histogram_not_cumulative.om"));

// Valid text, but promtool warns: no HELP, camelCase label.
const char* kLintText =
    "# TYPE queue_depth gauge\n"
    "queue_depth{queueName=\"a\"} 1\n";

TEST(CliMetrics, PrintsVersion) {
  CommandResult r = promvet("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("promvet 0."), std::string::npos) << r.out;
}

TEST(CliMetrics, UnknownOptionIsUsageErrorExit2) {
  CommandResult r = promvet("metrics --no-such-option x");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliMetrics, MissingFileExits2WithMessage) {
  CommandResult r = promvet("metrics /nonexistent/metrics.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open \"/nonexistent/metrics.txt\""), std::string::npos) << r.err;
}

TEST(CliMetrics, DirectoryExits2) {
  CommandResult r = promvet("metrics /tmp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
}

TEST(CliMetrics, CleanOpenMetricsExits0Silently) {
  CommandResult r = promvet(shell_quote(write_temp("clean.om", kCleanOm)));
  // promvet metrics needs the subcommand; the line above checks usage errors too.
  EXPECT_EQ(r.exit_code, 2);
  r = promvet("metrics " + shell_quote(write_temp("clean.om", kCleanOm)));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliMetrics, InvalidOpenMetricsExits1WithPositionAndCaret) {
  std::string path = write_temp("broken.om", kBrokenOm);
  CommandResult r = promvet("metrics " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  std::string prefix = path + ":4:";
  ASSERT_EQ(r.out.rfind(prefix, 0), 0u) << r.out;
  EXPECT_NE(r.out.find(": error: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[expfmt/non-cumulative-buckets]\nlatency_seconds_bucket{le=\"5\"} 9\n"), std::string::npos)
      << r.out;
  // The caret line has only spaces before the caret.
  auto caret = r.out.find("\n", r.out.find("latency_seconds_bucket{le=\"5\"} 9\n")) + 1;
  auto end = r.out.find('\n', caret);
  std::string caret_line = r.out.substr(caret, end - caret);
  EXPECT_EQ(caret_line.back(), '^');
  EXPECT_EQ(caret_line.find_first_not_of(' '), caret_line.size() - 1);
}

TEST(CliMetrics, NoLintStillFailsOnInvalidInput) {
  CommandResult r = promvet("metrics --no-lint " + shell_quote(write_temp("broken.om", kBrokenOm)));
  EXPECT_EQ(r.exit_code, 1);
}

TEST(CliMetrics, LintFindingsFailAtDefaultThresholdOnly) {
  std::string path = write_temp("lint.prom", kLintText);
  CommandResult r = promvet("metrics " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("no help text"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("label names should be written in 'snake_case' not 'camelCase'"), std::string::npos) << r.out;
  EXPECT_EQ(promvet("metrics --fail-on error " + shell_quote(path)).exit_code, 0);
  CommandResult quiet = promvet("metrics --no-lint " + shell_quote(path));
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "");
}

TEST(CliMetrics, DisableRemovesOnlyThatCheck) {
  std::string path = write_temp("lint.prom", kLintText);
  CommandResult r = promvet("metrics --disable expfmt/no-help " + shell_quote(path));
  EXPECT_EQ(r.out.find("no help text"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("camelCase"), std::string::npos) << r.out;
  EXPECT_EQ(promvet("metrics --disable expfmt/no-such-check " + shell_quote(path)).exit_code, 2);
}

TEST(CliMetrics, JsonOutputHasDocumentedFields) {
  CommandResult r = promvet("metrics --output json " + shell_quote(write_temp("broken.om", kBrokenOm)));
  EXPECT_EQ(r.exit_code, 1);
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc["findings"].is_array());
  ASSERT_FALSE(doc["findings"].empty());
  const auto& f = doc["findings"][0];
  EXPECT_EQ(f["check"], "expfmt/non-cumulative-buckets");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["line"], 4);
  EXPECT_GE(f["column"].get<int>(), 1);
  EXPECT_TRUE(f.contains("message") && f.contains("file") && f.contains("metric"));
}

TEST(CliMetrics, ReadsStdin) {
  std::string path = write_temp("broken.om", kBrokenOm);
  CommandResult r = run(shell_quote(cli()) + " metrics - < " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("<stdin>:4:", 0), 0u) << r.out;
}

TEST(CliMetrics, FormatFlagOverridesDetection) {
  // Valid text 0.0.4 (integer millisecond timestamp), but no "# EOF": as
  // OpenMetrics it is invalid.
  std::string path = write_temp("plain.prom", "# HELP up Up.\n# TYPE up gauge\nup 1 1700000000000\n");
  EXPECT_EQ(promvet("metrics --format text " + shell_quote(path)).exit_code, 0);
  EXPECT_EQ(promvet("metrics --format openmetrics " + shell_quote(path)).exit_code, 1);
}

TEST(CliMetrics, BundledExamplesProduceFindingsAndNoToolFailure) {
  CommandResult r = promvet("metrics " + shell_quote(testdata("examples/mana_llm_broken.om")) + " " +
                            shell_quote(testdata("examples/vllm_metrics.prom")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("mana_llm_broken.om:"), std::string::npos);
  EXPECT_NE(r.out.find("vllm:num_requests_running"), std::string::npos);
  EXPECT_NE(r.out.find("metric names should not contain ':'"), std::string::npos);
}

TEST(CliMetrics, ListChecksNamesEveryCatalogueId) {
  CommandResult r = promvet("metrics --list-checks");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("expfmt/invalid"), std::string::npos);
  EXPECT_NE(r.out.find("expfmt/no-help"), std::string::npos);
}

}  // namespace
}  // namespace promvet::test
