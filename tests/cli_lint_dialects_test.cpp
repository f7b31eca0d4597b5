// `promvet lint` on rule files of other dialects: --rules-dialect beats rules_dialect: in
// .promvet.yaml, which beats what the file's fields say; LogQL gives one info note, not an
// error per rule.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

class CliLintDialects : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string marker = write_temp("lint-dialects", "");
    dir_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(run("mkdir -p " + shell_quote(dir_)).exit_code, 0);
  }
  void TearDown() override { run("rm -rf " + shell_quote(dir_)); }
  void put(const std::string& rel, const std::string& content) {
    std::string tmp = write_temp("lint-dialects-file", content);
    ASSERT_EQ(run("mv " + shell_quote(tmp) + " " + shell_quote(dir_ + "/" + rel)).exit_code, 0);
  }
  CommandResult lint(const std::string& args) {
    return run("cd " + shell_quote(dir_) + " && " + shell_quote(cli()) + " lint " + args);
  }
  std::string dir_;
};

const char* kThanos =
    "groups:\n"
    "  - name: g\n"
    "    partial_response_strategy: warn\n"
    "    rules:\n"
    "      - record: job:up:sum\n"
    "        expr: sum by (job) (up)\n";

const char* kLoki =
    "groups:\n"
    "  - name: logs\n"
    "    rules:\n"
    "      - alert: Errors\n"
    "        expr: sum(rate({app=\"api\"} |= \"error\" [5m])) > 1\n"
    "        for: 5m\n"
    "        labels: {severity: warning}\n"
    "      - alert: Leaks\n"
    "        expr: sum(count_over_time({app=\"api\"} |~ \"pass(word)?=\" [5m])) > 0\n"
    "        for: 5m\n"
    "        labels: {severity: critical}\n";

TEST_F(CliLintDialects, ThanosFieldsByDetectionConfigurationAndFlag) {
  put("thanos.yaml", kThanos);
  CommandResult r = lint("thanos.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "") << r.out;

  put(".promvet.yaml", "rules_dialect: prometheus\n");
  r = lint("thanos.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("thanos.yaml:3:5: error: field partial_response_strategy not found in type rulefmt.RuleGroup "
                       "(a Thanos field; this file is read as Prometheus, as configured) [rules/unknown-field]"),
            std::string::npos)
      << r.out;
  // The flag beats the configuration.
  r = lint("--rules-dialect thanos thanos.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = lint("--rules-dialect auto thanos.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = lint("--rules-dialect mimir thanos.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;

  // Bad values are usage errors.
  r = lint("--rules-dialect cortex thanos.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  put(".promvet.yaml", "rules_dialect: Thanos\n");
  r = lint("thanos.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(
      r.err.find(".promvet.yaml:1:16: rules_dialect: must be auto, prometheus, thanos, mimir or loki, not \"Thanos\""),
      std::string::npos)
      << r.err;
}

TEST_F(CliLintDialects, LokiExpressionsGiveOneInfoNoteNotAnErrorEach) {
  put("loki.yaml", kLoki);
  CommandResult r = lint("loki.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("loki.yaml:5:15: info: 2 expressions not checked: this file is read as a Loki rule file "
                       "(because of LogQL `|=` at line 5) and its expressions are LogQL; promvet checks PromQL "
                       "[rules/logql-skipped]"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("promql/invalid"), std::string::npos) << r.out;
  EXPECT_EQ(lint("--fail-on info loki.yaml").exit_code, 1);

  // Declared Prometheus: the LogQL is PromQL that does not parse, one error per rule.
  r = lint("--rules-dialect prometheus loki.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  size_t errors = 0;
  for (size_t at = r.out.find("[promql/invalid]"); at != std::string::npos; at = r.out.find("[promql/invalid]", at + 1))
    ++errors;
  EXPECT_EQ(errors, 2u) << r.out;
  EXPECT_EQ(r.out.find("logql-skipped"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace promvet::test
