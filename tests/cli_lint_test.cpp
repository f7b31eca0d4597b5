// `promvet lint` end to end: dashboards and rule files in a directory, positions in the user's
// files, every output format, exit codes, baselines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

class CliLint : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string marker = write_temp("lint-root", "");
    dir_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(run("mkdir -p " + shell_quote(dir_ + "/sub") + " " + shell_quote(dir_ + "/.hidden")).exit_code, 0);
  }
  void TearDown() override { run("rm -rf " + shell_quote(dir_)); }

  void put(const std::string& rel, const std::string& content) {
    std::string tmp = write_temp("lint-file", content);
    ASSERT_EQ(run("mv " + shell_quote(tmp) + " " + shell_quote(dir_ + "/" + rel)).exit_code, 0);
  }
  CommandResult lint(const std::string& args) {
    return run("cd " + shell_quote(dir_) + " && " + shell_quote(cli()) + " lint " + args);
  }
  std::string dir_;
};

// The PromQL error is the extra ")" on line 3; Prometheus points just past it (col 79, the closing quote).
const char* kBrokenDashboard = R"json({"title": "Service", "uid": "svc", "panels": [
  {"id": 7, "title": "Errors", "type": "timeseries", "targets": [
    {"refId": "A", "expr": "sum(rate(http_requests_total{code=~\"5..\"}[5m])))"}]}]}
)json";

// Complete apart from the expression, so only promql/invalid fires.
const char* kBrokenRules =
    "groups:\n- name: g\n  rules:\n  - alert: HighErrors\n    for: 5m\n    labels: {severity: page}\n    expr: |\n"
    "      rate(errors_total[5m])\n        > bool\n";

// A repository holds other YAML (manifests, CI configuration, lists): `lint .` skips what has no
// rule groups instead of flagging each of its keys; naming such a file says it was skipped, and
// --kind rules lints it as a rule file.
TEST_F(CliLint, SkipsYamlWithoutRuleGroups) {
  put("rules.yml", kBrokenRules);
  put("sub/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n");
  put("sub/monitor.yaml", "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints: []\n");
  put("sub/list.yaml", "- id: x\n- id: y\n");
  put("sub/crd.yaml",
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n    rules:\n"
      "    - record: x\n      expr: up{\n");
  CommandResult r = lint(".");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("./rules.yml:10:1: error: unexpected end of input [promql/invalid]"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("./sub/crd.yaml:8:16: error: unexpected end of input inside braces"), std::string::npos)
      << r.out;  // a PrometheusRule is a rule file
  EXPECT_EQ(r.out.find("deploy.yaml"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("monitor.yaml"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("list.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("skipped 3 YAML files without rule groups"), std::string::npos) << r.err;

  CommandResult named = lint("sub/deploy.yaml sub/list.yaml");
  EXPECT_EQ(named.exit_code, 0) << named.out << named.err;
  EXPECT_EQ(named.out, "");
  EXPECT_NE(named.err.find("sub/deploy.yaml: not a Prometheus rule file (no \"groups\"), skipped"), std::string::npos)
      << named.err;
  EXPECT_NE(named.err.find("sub/list.yaml: not a Prometheus rule file"), std::string::npos) << named.err;

  CommandResult forced = lint("--kind rules sub/deploy.yaml");
  EXPECT_EQ(forced.exit_code, 1) << forced.out;
  EXPECT_NE(forced.out.find("sub/deploy.yaml:1:1: error: field apiVersion not found in type rulefmt.RuleGroups"),
            std::string::npos)
      << forced.out;
  // A misspelled `groups` is a rule file's mistake: linted, not skipped.
  put("sub/typo.yaml", "group:\n- name: g\n  rules: []\n");
  CommandResult typo = lint("sub/typo.yaml");
  EXPECT_EQ(typo.exit_code, 1) << typo.out << typo.err;
  EXPECT_NE(typo.out.find("sub/typo.yaml:1:1: error: field group not found in type rulefmt.RuleGroups"),
            std::string::npos)
      << typo.out;
  // A Kubernetes ClusterRole has `rules:` of its own (RBAC rules): another object, skipped.
  put("sub/role.yaml",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n"
      "rules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get]\n");
  CommandResult role = lint("sub/role.yaml");
  EXPECT_EQ(role.exit_code, 0) << role.out << role.err;
  EXPECT_NE(role.err.find("sub/role.yaml: not a Prometheus rule file"), std::string::npos) << role.err;
  // Prometheus' own configuration names rule files but is not one.
  put("sub/prometheus.yml", "global:\n  scrape_interval: 15s\nrule_files:\n  - rules.yml\n");
  CommandResult config = lint("sub/prometheus.yml");
  EXPECT_EQ(config.exit_code, 0) << config.out << config.err;
  EXPECT_NE(config.err.find("sub/prometheus.yml: not a Prometheus rule file"), std::string::npos) << config.err;
  // Broken YAML is reported whatever it was meant to be.
  put("sub/broken.yaml", "a: [\n");
  CommandResult broken = lint("sub/broken.yaml");
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("[source/invalid-yaml]"), std::string::npos) << broken.out;
}

TEST_F(CliLint, FindsMistakesInDashboardsAndRulesWithPositions) {
  put("sub/dash.json", kBrokenDashboard);
  put("rules.yml", kBrokenRules);
  put(".hidden/ignored.json", "{not json");
  CommandResult r = lint(".");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // Directories are walked in sorted order; hidden ones are skipped.
  size_t rules_at = r.out.find("./rules.yml:10:1: error: unexpected end of input [promql/invalid]");
  size_t dash_at = r.out.find("./sub/dash.json:3:79: error: unexpected right parenthesis ')' [promql/invalid]");
  EXPECT_NE(rules_at, std::string::npos) << r.out;
  EXPECT_NE(dash_at, std::string::npos) << r.out;
  EXPECT_LT(rules_at, dash_at);
  EXPECT_EQ(r.out.find("ignored"), std::string::npos);
}

TEST_F(CliLint, JsonSarifGithubAndCheckstyleOutputs) {
  put("dash.json", kBrokenDashboard);
  CommandResult j = lint("--output json dash.json");
  EXPECT_EQ(j.exit_code, 1);
  nlohmann::json doc = nlohmann::json::parse(j.out);
  ASSERT_EQ(doc["findings"].size(), 1u);
  const auto& f = doc["findings"][0];
  EXPECT_EQ(f["check"], "promql/invalid");
  EXPECT_EQ(f["line"], 3);
  EXPECT_EQ(f["column"], 79);
  EXPECT_EQ(f["panel"], "Errors");
  EXPECT_EQ(f["dashboard"], "Service");
  EXPECT_EQ(f["expr"], "sum(rate(http_requests_total{code=~\"5..\"}[5m])))");
  nlohmann::json sarif = nlohmann::json::parse(lint("--output sarif dash.json").out);
  EXPECT_EQ(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  EXPECT_EQ(lint("--output github dash.json").out.rfind("::error file=dash.json,line=3,col=79,", 0), 0u);
  EXPECT_NE(lint("--output checkstyle dash.json").out.find("<error line=\"3\" column=\"79\" severity=\"error\""),
            std::string::npos);
}

TEST_F(CliLint, ExitCodes) {
  put("ok.yml", "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n");
  EXPECT_EQ(lint("ok.yml").exit_code, 0);
  EXPECT_EQ(lint("missing.yml").exit_code, 2);
  EXPECT_EQ(lint("--output nope ok.yml").exit_code, 2);
  put("dash.json", kBrokenDashboard);
  EXPECT_EQ(lint("--fail-on error dash.json").exit_code, 1);
}

TEST_F(CliLint, BaselineReportsOnlyNewFindings) {
  put("dash.json", kBrokenDashboard);
  CommandResult w = lint("--write-baseline base.json dash.json");
  EXPECT_EQ(w.exit_code, 0) << w.err;
  CommandResult known = lint("--baseline base.json dash.json");
  EXPECT_EQ(known.exit_code, 0) << known.out;
  EXPECT_TRUE(known.out.empty()) << known.out;
  // Lines added above the known mistake do not make it new; a second mistake is new.
  std::string shifted = std::string(kBrokenDashboard);
  shifted.insert(shifted.find("  {\"id\""), "\n\n");
  shifted.replace(shifted.find("\"title\": \"Errors\""), 17, "\"title\": \"Errors\", \"description\": \"x\"");
  put("dash.json", shifted);
  EXPECT_EQ(lint("--baseline base.json dash.json").exit_code, 0);
  put("more.json", kBrokenDashboard);
  CommandResult more = lint("--baseline base.json dash.json more.json");
  EXPECT_EQ(more.exit_code, 1);
  EXPECT_NE(more.out.find("more.json:3:79"), std::string::npos) << more.out;
  EXPECT_EQ(more.out.find("dash.json:"), std::string::npos) << more.out;
  put("bad-baseline.json", "[]");
  EXPECT_EQ(lint("--baseline bad-baseline.json dash.json").exit_code, 2);
}

}  // namespace
}  // namespace promvet::test

namespace promvet::test {
namespace {

TEST_F(CliLint, ConfigDisablesOverridesExcludesAndSuppressesPanels) {
  put("sub/dash.json", kBrokenDashboard);
  put("rules.yml", kBrokenRules);
  // Severity override: the rule file's error becomes a warning, so --fail-on error passes it.
  put(".promvet.yaml", "severity: {promql/invalid: warning}\nexclude: [\"sub/*\"]\n");
  CommandResult r = lint("--fail-on error .");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("rules.yml:10:1: warning:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("dash.json"), std::string::npos) << r.out;
  // A dashboard/panel suppression by uid and panel id.
  put(".promvet.yaml", "dashboards:\n  - {uid: svc, panel_id: 7, disable: [promql/invalid]}\n");
  EXPECT_EQ(lint("sub/dash.json").exit_code, 0);
  put(".promvet.yaml", "dashboards:\n  - {uid: other, disable: [promql/invalid]}\n");
  EXPECT_EQ(lint("sub/dash.json").exit_code, 1);
  // disable drops the check everywhere; an unknown key is an error (exit 2) with its position.
  put(".promvet.yaml", "disable: [promql/invalid]\n");
  EXPECT_EQ(lint(".").exit_code, 0);
  put(".promvet.yaml", "enable: [\"rules/*\"]\n");  // an allow-list without promql/invalid
  EXPECT_EQ(lint(".").exit_code, 0);
  put(".promvet.yaml", "enable: [\"promql/*\"]\n");
  EXPECT_EQ(lint(".").exit_code, 1);
  put(".promvet.yaml", "disabled: [promql/invalid]\n");
  CommandResult bad = lint(".");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(".promvet.yaml:1:1: unknown key \"disabled\" in the configuration"), std::string::npos)
      << bad.err;
  // An id that is no check is an error too (a typo would leave the check on), with a suggestion.
  put(".promvet.yaml", "disable: [promql/invlid]\n");
  CommandResult typo = lint(".");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("disable: no such check \"promql/invlid\"; did you mean \"promql/invalid\"?"),
            std::string::npos)
      << typo.err;
  put(".promvet.yaml", "severity: {\"expfmt/no-help\": error}\n");  // a `promvet metrics` id
  EXPECT_EQ(lint(".").exit_code, 2);
  // --config points elsewhere.
  put("strict.yaml", "disable: []\n");
  EXPECT_EQ(lint("--config strict.yaml .").exit_code, 1);
}

// A pre-commit run without an inventory: a gauge named like a histogram part (postgres_exporter's
// pg_locks_count) is only an info finding and does not fail the commit; a _count with a unit
// before it (a histogram's count of observations) still does. With the bundled metadata (the
// default) pg_locks_count is known to be a gauge and there is no finding at all.
TEST_F(CliLint, GuessFromABareCountNameDoesNotFailTheRun) {
  const char* rule =
      "groups:\n- name: g\n  rules:\n  - alert: ManyLocks\n    for: 5m\n    labels: {severity: page}\n"
      "    expr: sum(pg_locks_count) > 100\n";
  put("locks.yml", rule);
  CommandResult r = lint("--no-builtin-metadata locks.yml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("locks.yml:7:15: info: \"pg_locks_count\" is a histogram or summary _count (by its name alone; "
                       "gauges end in _count too)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(lint("--no-builtin-metadata --fail-on info locks.yml").exit_code, 1);
  CommandResult known = lint("--fail-on info locks.yml");
  EXPECT_EQ(known.exit_code, 0) << known.out;
  EXPECT_EQ(known.out.find("pg_locks_count"), std::string::npos) << known.out;
  put("latency.yml",
      "groups:\n- name: g\n  rules:\n  - alert: Slow\n    for: 5m\n    labels: {severity: page}\n"
      "    expr: http_request_duration_seconds_count > 100\n");
  r = lint("latency.yml");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("warning: \"http_request_duration_seconds_count\" is a histogram or summary _count (by its "
                       "name and unit)"),
            std::string::npos)
      << r.out;
}

// --policy NAME and `policies: [NAME]` in .promvet.yaml find the bundled rules/NAME.yaml from any
// working directory; an unknown name is a usage error listing the bundled packs.
TEST_F(CliLint, PolicyPackByBundledName) {
  put("r.yml", "groups:\n- name: g\n  rules:\n  - record: job:cache:avg\n    expr: avg(vllm:gpu_cache_usage_perc)\n");
  const std::string expected = "r.yml:5:15: warning: \"vllm:gpu_cache_usage_perc\" is deprecated since vLLM 0.9.2";
  CommandResult r = lint("--policy vllm r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind(expected, 0), 0u) << r.out;
  put(".promvet.yaml", "policies: [vllm]\n");
  r = lint("r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind(expected, 0), 0u) << r.out;
  put(".promvet.yaml", "policies: [vlm]\n");
  r = lint("r.yml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no bundled policy pack named \"vlm\" and no file of that name; bundled packs: dynamo, "
                       "mixin, prometheus, vllm"),
            std::string::npos)
      << r.err;
}

// `lint -` reads one file from standard input. --stdin-filename names it: its extension decides the
// kind, findings carry it, and .promvet.yaml is looked up from its directory; without a name the
// content decides (a JSON object is a dashboard) and findings say <stdin>.
TEST_F(CliLint, StdinWithAndWithoutFilename) {
  put("r.yml", kBrokenRules);
  put("d.json", kBrokenDashboard);
  CommandResult r = lint("--stdin-filename sub/alerts.yml - < r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("sub/alerts.yml:10:1: error: unexpected end of input [promql/invalid]\n", 0), 0u) << r.out;
  r = lint("- < d.json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("<stdin>:3:79: error: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("[promql/invalid]"), std::string::npos) << r.out;
  // The rule file read as a query file because its name says so: `groups:` is a metric name, but
  // `- name: g` is no PromQL.
  r = lint("--stdin-filename q.promql - < r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("q.promql:2:9: error: unexpected identifier \"g\" [promql/invalid]\n", 0), 0u) << r.out;
  // Files and standard input in one run: both reported, in order.
  r = lint("r.yml - < d.json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_LT(r.out.find("r.yml:10:1:"), r.out.find("<stdin>:3:79:")) << r.out;
}

TEST_F(CliLint, StdinConfigFollowsStdinFilename) {
  put("r.yml", kBrokenRules);
  put("sub/.promvet.yaml", "disable: [promql/invalid]\n");
  CommandResult r = lint("--stdin-filename sub/alerts.yml - < r.yml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  r = lint("--stdin-filename alerts.yml - < r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST_F(CliLint, StdinUsageErrorsAndSizeLimit) {
  CommandResult r = lint("- - < /dev/null");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "promvet: error: - (standard input) can be given only once\n");
  r = lint("--stdin-filename x.yml sub");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "promvet: error: --stdin-filename names standard input: give - as a PATH\n");
  // 100 MiB + 1 byte: refused like a file on disk of that size, without reading the rest.
  r = lint("--stdin-filename big.yml - < /dev/zero");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "big.yml: error: standard input has more than the limit of 104857600 bytes [source/too-large]\n");
}

// rule_policies: in .promvet.yaml and the bundled mixin pack give rules/metadata-policy findings at
// the offending value or name; a bad policy is a positioned configuration error (exit 2).
TEST_F(CliLint, RuleMetadataPolicies) {
  put("r.yml",
      "groups:\n- name: g\n  rules:\n  - alert: high_errors\n    expr: up == 0\n    for: 5m\n    labels:\n      severity: bogus\n"
      "    annotations:\n      summary: s\n");
  put(".promvet.yaml",
      "required_alert_labels: []\nrule_policies:\n- kind: alert\n  labels: {severity: {allowed: [critical, warning, info]}}\n");
  CommandResult r = lint("r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.rfind("r.yml:8:17: warning: label severity=\"bogus\" is not one of critical, warning, info "
                        "(rule_policies) [rules/metadata-policy]\n",
                        0),
            0u)
      << r.out;
  put(".promvet.yaml", "required_alert_labels: []\n");
  r = lint("--policy mixin -o json r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* m :
       {"alert name \\\"high_errors\\\" does not match ^[A-Z][A-Za-z0-9]*$ (rule policy \\\"mixin\\\")",
        "label severity=\\\"bogus\\\" is not one of critical, warning, info (rule policy \\\"mixin\\\")",
        "alerting rule \\\"high_errors\\\" has no \\\"description\\\" annotation (rule policy \\\"mixin\\\")"})
    EXPECT_NE(r.out.find(m), std::string::npos) << m << "\n" << r.out;
  EXPECT_EQ(r.out.find("\\\"summary\\\" annotation"), std::string::npos) << r.out;
  put(".promvet.yaml", "rule_policies:\n- kind: alert\n  labels: {severity: {allowed: critical}}\n");
  r = lint("r.yml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".promvet.yaml:3:32: rule_policies: \"allowed\" must be a non-empty list of strings"),
            std::string::npos)
      << r.err;
}

// The bounds, forbidden keys and file globs of rule_policies in .promvet.yaml, end to end; a
// bad bound is a positioned configuration error.
TEST_F(CliLint, RulePolicyBoundsAndFileScope) {
  const char* rules =
      "groups:\n- name: g\n  interval: 10s\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 30s\n"
      "    labels: {severity: info, pod: x}\n";
  put("paging-r.yml", rules);
  put("other-r.yml", rules);
  put(".promvet.yaml",
      "required_alert_labels: []\ndisable: [rules/alert-no-for]\nrule_policies:\n- files: 'paging-*'\n  for: {min: 5m}\n  interval: {min: 30s}\n"
      "  labels: {pod: {forbidden: true}}\n");
  CommandResult r = lint("paging-r.yml other-r.yml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* m : {"paging-r.yml:3:13: warning: group \"g\": interval 10s is shorter than the minimum 30s",
                        "paging-r.yml:7:10: warning: for 30s is shorter than the minimum 5m",
                        "paging-r.yml:8:30: warning: label \"pod\" is forbidden"})
    EXPECT_NE(r.out.find(m), std::string::npos) << m << "\n" << r.out;
  EXPECT_EQ(r.out.find("other-r.yml"), std::string::npos) << r.out;
  put(".promvet.yaml", "rule_policies:\n- for: {min: 5m, max: 1m}\n");
  r = lint("paging-r.yml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".promvet.yaml:2:8: rule_policies: \"for\": min 5m is greater than max 1m"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace promvet::test
