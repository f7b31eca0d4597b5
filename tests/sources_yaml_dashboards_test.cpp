// Dashboards inside Kubernetes YAML (ConfigMaps, ConfigMap lists, grafana-operator
// GrafanaDashboard resources): found, read as dashboards, and every position of an expression
// mapped through the YAML string (block, double-quoted with escapes, single-quoted) and the JSON
// string to the YAML file; and `promvet lint` finding them in directories.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "checks/lint_source.h"
#include "checks/registry.h"
#include "sources/yaml_dashboards.h"
#include "test_support.h"

namespace promvet::test {
namespace {

// The file offset where character `i` of the first expression of dashboard `d` came from.
uint32_t file_offset(const sources::YamlDashboards& y, size_t d, size_t expr, uint32_t i) {
  const sources::EmbeddedDashboard& e = y.dashboards.at(d);
  return e.to_file.at(e.file.expressions.at(expr).map.at(i));
}

TEST(YamlDashboards, ConfigMapBlockScalar) {
  const std::string yaml =
      "apiVersion: v1\n"
      "kind: ConfigMap\n"
      "metadata: {name: dashboards}\n"
      "data:\n"
      "  config.yaml: |\n"
      "    not: a dashboard\n"
      "  api.json: |-\n"
      "    {\n"
      "      \"title\": \"API\",\n"
      "      \"panels\": [{\"title\": \"p\", \"targets\": [{\"expr\": \"rate(x_total[30s])\"}]}]\n"
      "    }\n";
  sources::YamlDashboards y = sources::load_yaml_dashboards("cm.yaml", yaml);
  ASSERT_TRUE(y.diagnostics.empty());
  ASSERT_EQ(y.dashboards.size(), 1u);
  ASSERT_EQ(y.dashboards[0].file.expressions.size(), 1u);
  EXPECT_EQ(y.dashboards[0].file.expressions[0].text, "rate(x_total[30s])");
  EXPECT_EQ(y.dashboards[0].file.expressions[0].dashboard_title, "API");
  EXPECT_EQ(file_offset(y, 0, 0, 0), yaml.find("rate("));
  EXPECT_EQ(file_offset(y, 0, 0, 12), yaml.find("[30s]"));
}

TEST(YamlDashboards, DoubleQuotedScalarWithEscapesAtBothLevels) {
  // The JSON `"up{job=\"a\"}"` written in a YAML double-quoted string: `\\\"` in the file.
  const std::string yaml =
      "kind: ConfigMap\n"
      "data:\n"
      "  x.json: \"{\\\"panels\\\": [{\\\"targets\\\": [{\\\"expr\\\": \\\"up{job=\\\\\\\"a\\\\\\\"} == 0\\\"}]}]}\"\n";
  sources::YamlDashboards y = sources::load_yaml_dashboards("cm.yaml", yaml);
  ASSERT_EQ(y.dashboards.size(), 1u) << yaml;
  ASSERT_EQ(y.dashboards[0].file.expressions.size(), 1u);
  EXPECT_EQ(y.dashboards[0].file.expressions[0].text, "up{job=\"a\"} == 0");
  EXPECT_EQ(file_offset(y, 0, 0, 0), yaml.find("up{"));
  // The `"` before `a` came from the JSON escape `\"`, whose backslash is the YAML `\\`.
  EXPECT_EQ(file_offset(y, 0, 0, 7), yaml.find("\\\\\\\"a"));
  EXPECT_EQ(file_offset(y, 0, 0, 8), yaml.find("a\\\\"));
  EXPECT_EQ(file_offset(y, 0, 0, 12), yaml.find("== 0"));
}

TEST(YamlDashboards, SingleQuotedScalar) {
  const std::string yaml =
      "kind: ConfigMap\n"
      "data:\n"
      "  x.json: '{\"panels\": [{\"targets\": [{\"expr\": \"sum(it''s_total)\"}]}]}'\n";
  sources::YamlDashboards y = sources::load_yaml_dashboards("cm.yaml", yaml);
  ASSERT_EQ(y.dashboards.size(), 1u);
  ASSERT_EQ(y.dashboards[0].file.expressions.size(), 1u);
  EXPECT_EQ(y.dashboards[0].file.expressions[0].text, "sum(it's_total)");
  EXPECT_EQ(file_offset(y, 0, 0, 6), yaml.find("''s"));
  EXPECT_EQ(file_offset(y, 0, 0, 7), yaml.find("''s") + 2);
}

TEST(YamlDashboards, ConfigMapListAndGrafanaDashboardAndOtherKinds) {
  const std::string yaml =
      "apiVersion: v1\n"
      "kind: ConfigMapList\n"
      "items:\n"
      "- apiVersion: v1\n"
      "  kind: ConfigMap\n"
      "  data:\n"
      "    a.json: |-\n"
      "      {\"panels\": [{\"targets\": [{\"expr\": \"a_total\"}]}]}\n"
      "    b.json: |-\n"
      "      {\"panels\": [{\"targets\": [{\"expr\": \"b_total\"}]}]}\n"
      "---\n"
      "apiVersion: grafana.integreatly.org/v1beta1\n"
      "kind: GrafanaDashboard\n"
      "spec:\n"
      "  instanceSelector: {matchLabels: {dashboards: grafana}}\n"
      "  json: >\n"
      "    {\"panels\": [{\"targets\":\n"
      "    [{\"expr\": \"c_total\"}]}]}\n"
      "---\n"
      "kind: ConfigMap\n"
      "data:\n"
      "  list.json: '[1, 2]'\n"
      "  other: '{\"panels\": []}'\n"
      "---\n"
      "kind: Deployment\n"
      "spec: {json: '{}'}\n";
  sources::YamlDashboards y = sources::load_yaml_dashboards("list.yaml", yaml);
  ASSERT_TRUE(y.diagnostics.empty());
  ASSERT_EQ(y.dashboards.size(), 3u);
  EXPECT_EQ(y.dashboards[0].file.expressions.at(0).text, "a_total");
  EXPECT_EQ(y.dashboards[1].file.expressions.at(0).text, "b_total");
  EXPECT_EQ(y.dashboards[2].file.expressions.at(0).text, "c_total");
  EXPECT_EQ(file_offset(y, 0, 0, 0), yaml.find("a_total"));
  EXPECT_EQ(file_offset(y, 1, 0, 0), yaml.find("b_total"));
  // A folded scalar: the line break became a space; the text after it is on the next line.
  EXPECT_EQ(file_offset(y, 2, 0, 0), yaml.find("c_total"));
}

TEST(YamlDashboards, InvalidJsonAndInvalidYamlArePositionedInTheFile) {
  const std::string yaml =
      "kind: ConfigMap\n"
      "data:\n"
      "  x.json: |\n"
      "    {\"panels\": [\n"
      "      {\"targets\": [{\"expr\": \"up\"}]},,\n"
      "    ]}\n";
  sources::YamlDashboards y = sources::load_yaml_dashboards("cm.yaml", yaml);
  ASSERT_EQ(y.dashboards.size(), 1u);
  checks::Registry registry = checks::make_registry();
  checks::LintOptions options;
  options.registry = &registry;
  const sources::EmbeddedDashboard& d = y.dashboards[0];
  std::vector<checks::Finding> found = checks::lint_embedded(d.file, d.text, d.to_file, yaml, options);
  bool invalid = false;
  for (const checks::Finding& f : found) {
    if (f.check_id != "source/invalid-json") continue;
    invalid = true;
    EXPECT_EQ(f.line, 5u);
    EXPECT_EQ(f.column, 37u) << f.message;
    EXPECT_EQ(f.source_line, "      {\"targets\": [{\"expr\": \"up\"}]},,");
  }
  EXPECT_TRUE(invalid);

  y = sources::load_yaml_dashboards("bad.yaml", "kind: ConfigMap\ndata: [\n");
  EXPECT_TRUE(y.dashboards.empty());
  ASSERT_EQ(y.diagnostics.size(), 1u);
  EXPECT_EQ(y.diagnostics[0].check_id, "source/invalid-yaml");
}

// `promvet lint DIR`: ConfigMap dashboards are found by content and linted with positions in the
// YAML file; other manifests are still skipped with the note.
TEST(YamlDashboards, LintFindsThemInDirectories) {
  std::string marker = write_temp("yaml-dashboards", "");
  std::string root = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(run("mkdir -p " + shell_quote(root)).exit_code, 0);
  std::ofstream(root + "/dashboards.yaml") << "apiVersion: v1\nkind: ConfigMap\ndata:\n  api.json: |\n"
                                              "    {\"uid\": \"api\", \"panels\": [{\"title\": \"Errors\",\n"
                                              "      \"targets\": [{\"expr\": \"rate(errors_total[30s])\"}]}]}\n";
  std::ofstream(root + "/deploy.yaml") << "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n";
  CommandResult r = run(shell_quote(cli()) + " lint " + shell_quote(root));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("dashboards.yaml:6:46: warning: range [30s] of rate() is shorter than 4x the scrape interval"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("      \"targets\": [{\"expr\": \"rate(errors_total[30s])\"}]}]}"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("skipped 1 YAML files without rule groups"), std::string::npos) << r.err;
  // Named, and with --kind dashboard, the same.
  CommandResult named = run(shell_quote(cli()) + " lint --kind dashboard " + shell_quote(root + "/dashboards.yaml"));
  EXPECT_NE(named.out.find("dashboards.yaml:6:46: warning: range [30s]"), std::string::npos) << named.out << named.err;
  // `promvet usage` reads them too: one file, its dashboard's one expression.
  CommandResult usage = run(shell_quote(cli()) + " usage " + shell_quote(root));
  EXPECT_EQ(usage.exit_code, 0) << usage.out << usage.err;
  EXPECT_NE(usage.out.find("1 files, 1 expressions (0 not parsed), 1 metrics used"), std::string::npos) << usage.out;
  CommandResult json = run(shell_quote(cli()) + " usage --json - " + shell_quote(root));
  EXPECT_NE(json.out.find("\"errors_total\""), std::string::npos) << json.out;
  // Its position is in the YAML file.
  EXPECT_NE(json.out.find("\"column\": 34"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"line\": 6"), std::string::npos) << json.out;
  // A rendered bundle: its rules and its dashboards are both linted, nothing else reported.
  std::ofstream(root + "/bundle.yaml")
      << "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints: [{port: web}]\n---\n"
         "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n    rules:\n"
         "    - record: job:errors:rate10s\n      expr: sum by (job) (rate(errors_total[10s]))\n---\n"
         "apiVersion: v1\nkind: ConfigMap\ndata:\n  a.json: |\n"
         "    {\"panels\": [{\"targets\": [{\"expr\": \"irate(errors_total[20s])\"}]}]}\n";
  CommandResult bundle = run(shell_quote(cli()) + " lint " + shell_quote(root + "/bundle.yaml"));
  EXPECT_NE(bundle.out.find("bundle.yaml:13:44: warning: range [10s] of rate()"), std::string::npos) << bundle.out;
  EXPECT_NE(bundle.out.find("bundle.yaml:19:58: warning: range [20s] of irate()"), std::string::npos) << bundle.out;
  EXPECT_EQ(bundle.out.find("unknown-field"), std::string::npos) << bundle.out;
  run("rm -rf " + shell_quote(root));
}

}  // namespace
}  // namespace promvet::test
