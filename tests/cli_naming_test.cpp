// End-to-end tests of `promvet sanitize` and `promvet inject`.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>

#include "test_support.h"

namespace promvet::test {
namespace {


CommandResult promvet(const std::string& args) { return run(shell_quote(cli()) + " " + args, 60); }

TEST(CliSanitize, MetricNamesOnePerLine) {
  CommandResult r = promvet("sanitize --metric 123test test.name vllm:ok");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "_123test\ntest_name\nvllm:ok\n");
  EXPECT_EQ(r.err, "");
}

TEST(CliSanitize, LabelNamesNeverReserved) {
  CommandResult r = promvet("sanitize --label ___x __test a:b");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "x\ntest\na_b\n");
}

TEST(CliSanitize, NothingUsableIsAnErrorWithExit1) {
  CommandResult r = promvet("sanitize --metric ok '@#$%'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_EQ(
      r.err,
      "promvet: error: metric name \"@#$%\" sanitizes to \"____\", which has nothing usable (no letter or digit)\n");
}

TEST(CliSanitize, EscapingSchemesBothWays) {
  CommandResult r = promvet("sanitize --metric my.metric --escaping values");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "U__my_2e_metric\n");
  r = promvet("sanitize --metric U__my_2e_metric --escaping values --unescape");
  EXPECT_EQ(r.out, "my.metric\n");
  r = promvet("sanitize --metric my_metric.x --escaping dots");
  EXPECT_EQ(r.out, "my__metric_dot_x\n");
  r = promvet("sanitize --metric my__metric_dot_x --escaping dots --unescape");
  EXPECT_EQ(r.out, "my_metric.x\n");
  r = promvet("sanitize --metric a-b --escaping underscores");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "a_b\n");
  EXPECT_EQ(r.err, "promvet: note: \"a_b\" cannot be unescaped back to \"a-b\" (underscores is lossy for it)\n");
  r = promvet("sanitize --metric a_b --escaping underscores --unescape");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "promvet: error: \"a_b\" cannot be unescaped with the underscores scheme (it is lossy)\n");
}

TEST(CliSanitize, UsageErrorsExit2) {
  EXPECT_EQ(promvet("sanitize").exit_code, 2);
  EXPECT_EQ(promvet("sanitize --metric a --escaping utf8").exit_code, 2);
  EXPECT_EQ(promvet("sanitize --metric a --unescape").exit_code, 2);
  EXPECT_EQ(promvet("sanitize --metric a --label b").exit_code, 2);
}

TEST(CliInject, AddsLabelsKeepingTheFormat) {
  std::string in =
      write_temp("in.prom", "# HELP x_total X.\n# TYPE x_total counter\nx_total{a=\"1\"} 3 1700000000000\n");
  CommandResult r = promvet("inject --label 'k=v\"w' --label env=prod " + in);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "# HELP x_total X.\n# TYPE x_total counter\nx_total{a=\"1\",k=\"v\\\"w\",env=\"prod\"} 3 1700000000000\n");
  std::remove(in.c_str());
}

TEST(CliInject, OpenMetricsStaysOpenMetrics) {
  std::string in = write_temp("in.om", "# TYPE c counter\nc_total 1\nc_created 1700000000\n# EOF\n");
  CommandResult r = promvet("inject --label k=v " + in);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "# TYPE c counter\nc_total{k=\"v\"} 1\nc_created{k=\"v\"} 1700000000\n# EOF\n");
  std::remove(in.c_str());
}

TEST(CliInject, PrefixFilterAndStdin) {
  std::string in = write_temp("p.prom", "# TYPE vllm:a gauge\nvllm:a 1\n# TYPE other gauge\nother{x=\"vllm:\"} 2\n");
  CommandResult r = run("cat " + in + " | " + shell_quote(cli()) + " inject --label k=v --prefix vllm: -", 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "# TYPE vllm:a gauge\nvllm:a{k=\"v\"} 1\n");
  std::remove(in.c_str());
}

TEST(CliInject, ConflictErrorAndCollapseExit1WithPositions) {
  std::string in = write_temp("c.prom", "up{job=\"a\"} 1\nup{job=\"b\"} 1\n");
  CommandResult r = promvet("inject --label job=x --on-conflict error " + in);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(in + ":1:4: error: label conflict: sample already has label \"job\"=\"a\""), std::string::npos)
      << r.err;
  r = promvet("inject --label job=x --on-conflict replace " + in);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "up{job=\"x\"} 1\nup{job=\"x\"} 1\n");
  EXPECT_EQ(r.err, in + ":2:1: error: series collapse: series up{job=\"b\"} becomes up{job=\"x\"}, the same series "
                        "as the sample on line 1; the output has a duplicate series\n");
  r = promvet("inject --label job=x " + in);  // keep (default): nothing changes, nothing collapses
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "up{job=\"a\"} 1\nup{job=\"b\"} 1\n");
  std::remove(in.c_str());
}

TEST(CliInject, RefusesBadLabelsWithExit2) {
  CommandResult r = promvet("inject --label le=1 -");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "promvet: error: label name \"le\" has a meaning for histograms and summaries and cannot be attached to every "
      "sample\n");
  r = promvet("inject --label __x=1 -");
  EXPECT_EQ(r.exit_code, 2);
  r = promvet("inject --label novalue -");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "promvet: error: --label \"novalue\" is not of the form name=value\n");
  r = promvet("inject -");  // --label is required
  EXPECT_EQ(r.exit_code, 2);
  r = promvet("inject --label k=v /nonexistent/file.prom");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliInject, InvalidInputIsReportedWithPosition) {
  std::string in = write_temp("bad.prom", "ok 1\nbad{ 1\n");
  CommandResult r = promvet("inject --label k=v " + in);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "ok{k=\"v\"} 1\n");
  EXPECT_EQ(r.err.rfind(in + ":2:", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("error: invalid input: "), std::string::npos) << r.err;
  std::remove(in.c_str());
}

TEST(CliMetricsPolicy, AppliesAPackWithPositionedFindings) {
  CommandResult r = promvet("metrics --promlint-only --disable expfmt/reserved-chars --policy " + source_dir() +
                            "/policies/vllm.yaml " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            testdata("policy/vllm_v0.prom") +
                ":4:1: warning: \"vllm:gpu_cache_usage_perc\" is deprecated since vLLM 0.9.2 and removed in "
                "0.12.0; use \"vllm:kv_cache_usage_perc\" (same 0..1 fraction under the new name; hidden in 0.11 "
                "behind --show-hidden-metrics-for-version=0.10) [policy/deprecated-metric]\n"
                "# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.\n^\n");
  // The same input without the pack, or with the finding disabled, is clean.
  r = promvet("metrics --promlint-only --disable expfmt/reserved-chars " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = promvet("metrics --promlint-only --disable expfmt/reserved-chars --disable policy/deprecated-metric --policy " +
              source_dir() + "/policies/vllm.yaml " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST(CliMetricsPolicy, BrokenPackExits2WithPositionedErrors) {
  std::string pack = testdata("policy/broken_pack.yaml");
  CommandResult r = promvet("metrics --policy " + pack + " " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(pack + ":2:1: unknown key \"required_prefixes\" in a policy pack"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(pack + ":4:12: \"match\": invalid RE2 pattern \"(\""), std::string::npos) << r.err;
  r = promvet("metrics --policy /nonexistent/pack.yaml " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "promvet: error: --policy: cannot open \"/nonexistent/pack.yaml\": No such file or directory\n");
}

// --policy vllm is the bundled policies/vllm.yaml: the same findings as the path; a name that is no
// bundled pack (and no file) is a usage error that lists the bundled names.
TEST(CliMetricsPolicy, BundledPackByName) {
  std::string args = "metrics --promlint-only --disable expfmt/reserved-chars --policy ";
  CommandResult by_path = promvet(args + source_dir() + "/policies/vllm.yaml " + testdata("policy/vllm_v0.prom"));
  CommandResult by_name = run("cd / && env -u PROMVET_POLICIES_DIR " + shell_quote(cli()) + " " + args + "vllm " +
                              shell_quote(testdata("policy/vllm_v0.prom")));
  EXPECT_EQ(by_name.exit_code, 1) << by_name.err;
  EXPECT_NE(by_name.out.find("[policy/deprecated-metric]"), std::string::npos) << by_name.out;
  EXPECT_EQ(by_name.out, by_path.out);
  CommandResult r = promvet("metrics --policy vlm " + testdata("policy/vllm_v0.prom"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "promvet: error: policy pack \"vlm\": no bundled policy pack named \"vlm\" and no file of that name; "
            "bundled packs: dynamo, mixin, prometheus, vllm\n");
}

// The packs' directory was rules/ before it was policies/: the old path and the old environment
// variable still work, each with a note on stderr, and the findings are the same.
TEST(CliMetricsPolicy, OldRulesDirectoryStillWorksWithANote) {
  std::string args = "metrics --promlint-only --disable expfmt/reserved-chars --policy ";
  std::string input = " " + shell_quote(testdata("policy/vllm_v0.prom"));
  CommandResult by_path = promvet(args + source_dir() + "/policies/vllm.yaml" + input);
  CommandResult old_path =
      run("cd " + shell_quote(source_dir()) + " && " + shell_quote(cli()) + " " + args + "rules/vllm.yaml" + input);
  EXPECT_EQ(old_path.exit_code, 1) << old_path.err;
  EXPECT_EQ(old_path.out, by_path.out);
  EXPECT_EQ(old_path.err,
            "promvet: note: the policy packs' directory rules/ is now policies/: reading policies/vllm.yaml\n");
  CommandResult old_env =
      run("cd / && env -u PROMVET_POLICIES_DIR PROMVET_RULES_DIR=" + shell_quote(source_dir() + "/policies") + " " +
          shell_quote(cli()) + " " + args + "vllm" + input);
  EXPECT_EQ(old_env.exit_code, 1) << old_env.err;
  EXPECT_EQ(old_env.out, by_path.out);
  EXPECT_NE(old_env.err.find("promvet: note: $PROMVET_RULES_DIR is now $PROMVET_POLICIES_DIR"), std::string::npos)
      << old_env.err;
}

TEST(CliMetricsPolicy, ListChecksShowsPolicyIds) {
  CommandResult r = promvet("metrics --list-checks");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* id : {"policy/deprecated-metric", "policy/forbidden-label", "policy/label-name-pattern",
                         "policy/name-pattern", "policy/required-label", "policy/required-prefix", "policy/unit"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  }
}

}  // namespace
}  // namespace promvet::test
