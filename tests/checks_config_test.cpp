// .promvet.yaml: every key, errors with positions for unknown keys and bad values, the upward
// search, exclude globs.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "checks/config.h"
#include "checks/config_suppressions.h"
#include "checks/registry.h"
#include "sources/dashboard.h"
#include "test_support.h"

namespace promvet::test {
namespace {

std::string config_file(const std::string& content) { return write_temp("promvet-config.yaml", content); }

TEST(Config, ReadsEveryKey) {
  std::string path = config_file(
      "disable: [promql/invalid]\n"
      "severity: {rules/duplicate-rule: error}\n"
      "exclude: [\"vendor/*\"]\n"
      "scrape_interval: 30s\n"
      "policies: [policies/prometheus.yaml]\n"
      "inventory: inventory.json\n"
      "dashboards:\n"
      "  - {uid: svc, panel_id: 7, disable: [promql/invalid]}\n"
      "  - {panel_title: Legacy, disable: [dashboard/undefined-variable]}\n");
  checks::Config c;
  std::string error;
  ASSERT_TRUE(checks::load_config(path, &c, &error)) << error;
  EXPECT_EQ(c.disable, std::vector<std::string>{"promql/invalid"});
  EXPECT_EQ(c.severity.at("rules/duplicate-rule"), checks::Severity::kError);
  EXPECT_EQ(c.scrape_interval, "30s");
  EXPECT_EQ(c.policies, std::vector<std::string>{"policies/prometheus.yaml"});
  EXPECT_EQ(c.inventory, "inventory.json");
  ASSERT_EQ(c.dashboards.size(), 2u);
  EXPECT_EQ(c.dashboards[0].uid, "svc");
  EXPECT_EQ(c.dashboards[0].panel_id, 7);
  EXPECT_EQ(c.dashboards[1].panel_title, "Legacy");
  EXPECT_EQ(c.dashboards[1].panel_id, -1);
  std::remove(path.c_str());
}

TEST(Config, DashboardEntriesExpireAndUnusedIdsAreReported) {
  std::string path = config_file(
      "dashboards:\n"
      "  - {uid: svc, panel_id: 7, disable: [promql/invalid, promql/counter-without-rate], until: 2027-03-01}\n"
      "  - {uid: svc, panel_id: 8, disable: [promql/invalid], until: 2027-02-30}\n"
      "  - {uid: other, disable: [promql/invalid]}\n");
  checks::Config c;
  std::string error;
  ASSERT_TRUE(checks::load_config(path, &c, &error)) << error;
  ASSERT_EQ(c.dashboards.size(), 3u);
  EXPECT_EQ(c.dashboards[0].until, "2027-03-01");
  EXPECT_EQ(c.dashboards[0].until_line, 2u);
  EXPECT_EQ(c.dashboards[0].until_column, 92u);
  EXPECT_EQ(c.dashboards[0].check_positions, (std::vector<std::pair<uint32_t, uint32_t>>{{2, 39}, {2, 55}}));
  // Through 2027-03-01 the first entry applies; an impossible date never does.
  std::vector<checks::DashboardSuppression> entries = c.dashboards;
  std::vector<checks::Finding> expired = checks::expire_dashboard_suppressions(&entries, path, path, "2027-03-01");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].line, 3u);
  EXPECT_EQ(expired[0].check_id, "source/expired-suppression");
  EXPECT_NE(expired[0].message.find("until: 2027-02-30 is not a date"), std::string::npos) << expired[0].message;
  ASSERT_EQ(entries.size(), 2u);
  entries = c.dashboards;
  EXPECT_EQ(checks::expire_dashboard_suppressions(&entries, path, path, "2027-03-02").size(), 2u);
  EXPECT_EQ(entries.size(), 1u);

  // Lint a dashboard with uid svc whose panel 7 has a parse error.
  const std::string dashboard =
      R"({"uid": "svc", "panels": [{"id": 7, "title": "E", "type": "timeseries", "targets": [{"refId": "A", "expr": "sum(up"}]}]})";
  checks::Registry registry = checks::make_registry();
  checks::LintOptions options;
  options.registry = &registry;
  options.dashboard_suppressions = c.dashboards;
  checks::expire_dashboard_suppressions(&options.dashboard_suppressions, path, path, "2027-01-01");
  for (const checks::Finding& f : checks::lint_source(sources::load_dashboard("d.json", dashboard), dashboard, options))
    EXPECT_NE(f.check_id, "promql/invalid") << f.message;
  std::vector<checks::Finding> unused = checks::unused_dashboard_suppressions(options, path, path);
  // promql/counter-without-rate of the first entry (the second expired); the entry for dashboard
  // "other" is not judged: that dashboard was not linted.
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].line, 2u);
  EXPECT_EQ(unused[0].column, 55u);
  EXPECT_EQ(unused[0].message,
            "the suppression of promql/counter-without-rate for dashboard \"svc\", panel 7 suppresses nothing");
  EXPECT_EQ(unused[0].severity, checks::Severity::kInfo);
  std::remove(path.c_str());
}

TEST(Config, UnknownKeysAndBadValuesAreErrorsWithPositions) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"disable: [a]\ndisabel: [b]\n", ":2:1: unknown key \"disabel\" in the configuration"},
      {"severity: {x: fatal}\n", ":1:15: severity must be info, warning or error"},
      {"scrape_interval: 15x\n", ":1:18: scrape_interval: unknown unit \"x\" in duration \"15x\""},
      {"scrape_interval: 0s\n", ":1:18: scrape_interval: must be greater than 0"},
      {"dashboards:\n  - {uid: a, panel: 3, disable: [x]}\n", ":2:14: unknown key \"panel\" in a dashboards entry"},
      {"dashboards:\n  - {uid: a}\n", ":2:5: a dashboards entry needs disable: [check ids]"},
      {"exclude: vendor\n", ":1:10: exclude must be a list of strings"},
      {"- a\n", ":1:1: the configuration must be a mapping"},
      {"disable: [a\n", ":2:1: did not find expected ',' or ']'"},
      {"required_alert_labels: severity\n", ":1:24: required_alert_labels must be a list of strings"},
      {"required_alert_labels: [severity, team-name]\n",
       ":1:35: required_alert_labels: invalid label name \"team-name\""},
  };
  for (const Case& c : cases) {
    std::string path = config_file(c.yaml);
    checks::Config config;
    std::string error;
    EXPECT_FALSE(checks::load_config(path, &config, &error)) << c.yaml;
    EXPECT_EQ(error, path + c.message) << c.yaml;
    std::remove(path.c_str());
  }
}

TEST(Config, RequiredAlertLabelsDefaultToSeverityAndCanBeReplacedOrEmptied) {
  EXPECT_EQ(checks::Config().required_alert_labels, std::vector<std::string>{"severity"});
  std::string path = config_file("required_alert_labels: [severity, team]\n");
  checks::Config c;
  std::string error;
  ASSERT_TRUE(checks::load_config(path, &c, &error)) << error;
  EXPECT_EQ(c.required_alert_labels, (std::vector<std::string>{"severity", "team"}));
  std::remove(path.c_str());
  path = config_file("required_alert_labels: []\n");
  ASSERT_TRUE(checks::load_config(path, &c, &error)) << error;
  EXPECT_TRUE(c.required_alert_labels.empty());
  std::remove(path.c_str());
}

// The key reaches rules/alert-labels through `promvet lint`.
TEST(Config, RequiredAlertLabelsAreWhatRulesAlertLabelsAsksFor) {
  std::string marker = write_temp("config-alert-labels", "");
  std::string root = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(run("mkdir -p " + shell_quote(root)).exit_code, 0);
  {
    std::ofstream(root + "/.promvet.yaml") << "required_alert_labels: [severity, team]\n";
    std::ofstream(root + "/rules.yaml") << "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n"
                                           "    for: 5m\n    labels:\n      severity: page\n";
  }
  CommandResult r = run(shell_quote(cli()) + " lint " + shell_quote(root + "/rules.yaml"));
  EXPECT_NE(r.out.find("rules.yaml:4:12: warning: alerting rule \"A\" has no \"team\" label"), std::string::npos)
      << r.out << r.err;
  EXPECT_EQ(r.out.find("\"severity\" label"), std::string::npos) << r.out;
  std::ofstream(root + "/.promvet.yaml") << "required_alert_labels: []\n";
  r = run(shell_quote(cli()) + " lint " + shell_quote(root + "/rules.yaml"));
  EXPECT_EQ(r.out.find("rules/alert-labels"), std::string::npos) << r.out;
  run("rm -rf " + shell_quote(root));
}

TEST(Config, FoundUpwardFromTheLintedPath) {
  std::string marker = write_temp("config-tree", "");
  std::string root = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(run("mkdir -p " + shell_quote(root + "/a/b") + " && touch " + shell_quote(root + "/.promvet.yaml") + " " +
                shell_quote(root + "/a/b/x.json"))
                .exit_code,
            0);
  EXPECT_EQ(checks::find_config(root + "/a/b/x.json").value_or(""), root + "/.promvet.yaml");
  EXPECT_EQ(checks::find_config(root + "/a/b").value_or(""), root + "/.promvet.yaml");
  run("rm -rf " + shell_quote(root));
}

TEST(Config, EnableIsAnAllowListAndDisableWins) {
  checks::Config c;
  EXPECT_TRUE(c.reports("rules/unknown-field"));
  c.enable = {"rules/*", "promql/invalid"};
  c.disable = {"rules/duplicate-rule"};
  EXPECT_TRUE(c.reports("rules/unknown-field"));
  EXPECT_TRUE(c.reports("promql/invalid"));
  EXPECT_FALSE(c.reports("rules/duplicate-rule"));
  EXPECT_FALSE(c.reports("dashboard/undefined-variable"));
  EXPECT_FALSE(c.reports("rulesx/y"));
}

TEST(Config, ExcludeGlobsAreRelativeToTheConfigDirectory) {
  checks::Config c;
  c.dir = "/srv/repo";
  c.exclude = {"vendor/*", "*.generated.json"};
  EXPECT_TRUE(c.excluded("/srv/repo/vendor/x/dash.json"));
  EXPECT_TRUE(c.excluded("/srv/repo/dash.generated.json"));
  EXPECT_FALSE(c.excluded("/srv/repo/dash.json"));
}

}  // namespace
}  // namespace promvet::test
