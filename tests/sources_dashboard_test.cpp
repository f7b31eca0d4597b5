// Grafana dashboards → PromQL expressions: shapes (top level, API wrapper, grafana-operator
// wrappers, rows, legacy rows, library panels), data source filtering, annotations and template
// queries, exact offsets through JSON escapes and variables, the real-world seed dashboards, and
// adversarial input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "promql/parse.h"
#include "sources/dashboard.h"
#include "test_support.h"

// Expected counts for the seed dashboards (expressions extracted / of which parse).
#define SEED_MANA_TOTAL 22u
#define SEED_MANA_OK 22u
#define SEED_VLLM_TOTAL 27u
#define SEED_VLLM_OK 27u
#define SEED_COND_TOTAL 21u
#define SEED_COND_OK 21u
#define SEED_MVLLM_TOTAL 25u
#define SEED_MVLLM_OK 25u

namespace promvet::sources {
namespace {

using promvet::test::read_file;
using promvet::test::testdata;

std::string line_col(std::string_view content, uint32_t offset) {
  int line = 1, col = 1;
  for (uint32_t i = 0; i < offset && i < content.size(); ++i) {
    if (content[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

std::vector<std::string> texts(const SourceFile& f) {
  std::vector<std::string> out;
  for (const auto& e : f.expressions) out.push_back(e.text);
  return out;
}

bool has_diag(const SourceFile& f, const std::string& id) {
  for (const auto& d : f.diagnostics)
    if (d.check_id == id) return true;
  return false;
}

// Every byte of every expression's text maps to a byte in the file; where no escape or variable
// is involved, it is the same byte.
void check_maps(const SourceFile& f, std::string_view content) {
  for (const auto& e : f.expressions) {
    ASSERT_EQ(e.map.to_file.size(), e.text.size() + 1) << e.text;
    for (size_t i = 0; i < e.text.size(); ++i) {
      uint32_t off = e.map.to_file[i];
      ASSERT_LT(off, content.size()) << e.text;
      char c = content[off];
      if (c != '\\' && c != '$' && c != '[') {
        EXPECT_EQ(c, e.text[i]) << e.text << " at " << i;
      }
    }
  }
}

const char* kBasic = R"J({
  "uid": "d1", "title": "Basic",
  "panels": [
    {"id": 2, "title": "Requests", "type": "timeseries",
     "datasource": {"type": "prometheus", "uid": "prom"},
     "targets": [{"refId": "A", "expr": "sum(rate(http_requests_total[5m]))"},
                 {"refId": "B", "expr": "up"},
                 {"refId": "C", "expr": "  "},
                 {"refId": "D"}]},
    {"id": 3, "title": "Old graph", "type": "graph", "targets": [{"refId": "A", "expr": "node_load1"}]},
    {"id": 4, "title": "Single", "type": "singlestat", "datasource": "Prometheus",
     "targets": [{"refId": "A", "expr": "count(up)"}]}
  ]
})J";

TEST(Dashboard, TopLevel) {
  SourceFile f = load_dashboard("basic.json", kBasic);
  EXPECT_TRUE(f.diagnostics.empty());
  ASSERT_EQ(texts(f),
            (std::vector<std::string>{"sum(rate(http_requests_total[5m]))", "up", "node_load1", "count(up)"}));
  const Expression& e = f.expressions[0];
  EXPECT_EQ(e.kind, ExpressionKind::PanelTarget);
  EXPECT_EQ(e.dashboard_uid, "d1");
  EXPECT_EQ(e.dashboard_title, "Basic");
  EXPECT_EQ(e.panel_title, "Requests");
  EXPECT_EQ(e.panel_id, 2);
  EXPECT_EQ(e.ref_id, "A");
  EXPECT_EQ(e.datasource, "prom");
  EXPECT_EQ(f.expressions[1].ref_id, "B");
  EXPECT_EQ(f.expressions[2].panel_title, "Old graph");
  EXPECT_EQ(f.expressions[3].datasource, "Prometheus");
  std::string_view c(kBasic);
  EXPECT_EQ(e.map.at(0), c.find("sum(rate("));
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(e.text.size())), c.find("sum(rate(") + e.text.size());
  check_maps(f, c);
}

TEST(Dashboard, ApiWrapper) {
  std::string j = R"J({"meta": {"slug": "x"}, "dashboard": {"uid": "w", "title": "Wrapped", "panels": [)J"
                  R"J({"title": "P", "targets": [{"expr": "up{job=\"a\"}"}]}]}})J";
  SourceFile f = load_dashboard("w.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_EQ(f.expressions[0].text, "up{job=\"a\"}");
  EXPECT_EQ(f.expressions[0].dashboard_title, "Wrapped");
  check_maps(f, j);
}

TEST(Dashboard, OperatorSpecJsonString) {
  // grafana-operator GrafanaDashboard: spec.json is a string holding the dashboard JSON.
  std::string j =
      R"J({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard", "metadata": {"name": "x"},)J"
      "\n"
      R"J( "spec": {"json": "{\n  \"title\": \"Inner\",\n  \"panels\": [{\"title\": \"T\", \"targets\": [{\"expr\": \"up{job=\\\"a\\\"} +\"}]}]\n}"}})J";
  SourceFile f = load_dashboard("op.json", j);
  ASSERT_EQ(f.expressions.size(), 1u) << (f.diagnostics.empty() ? "" : f.diagnostics[0].message);
  const Expression& e = f.expressions[0];
  EXPECT_EQ(e.text, "up{job=\"a\"} +");
  EXPECT_EQ(e.panel_title, "T");
  EXPECT_EQ(e.dashboard_title, "Inner");
  // `u` is the first char; the `"` before `a` came from `\\\"` in the file: its first backslash.
  size_t u = j.find("up{job=");
  EXPECT_EQ(e.map.at(0), u);
  EXPECT_EQ(e.map.at(7), u + 7);  // the escaped quote
  EXPECT_EQ(j.substr(u + 7, 4), "\\\\\\\"");
  EXPECT_EQ(e.map.at(8), u + 11);  // `a`
  EXPECT_EQ(j[u + 11], 'a');
  // The parse error (unexpected end of input) points past the `+`, inside the file's string.
  auto r = promql::parse(e.text);
  ASSERT_FALSE(r.ok());
  uint32_t off = e.map.at(r.error->range.begin);
  EXPECT_GE(off, j.find("} +\\\""));
  EXPECT_LE(off, j.find("} +\\\"") + 3);
  check_maps(f, j);
}

TEST(Dashboard, OperatorSpecJsonInvalidInner) {
  std::string j = R"J({"spec": {"json": "{\"panels\": [1,,2]}"}})J";
  SourceFile f = load_dashboard("op.json", j);
  ASSERT_TRUE(has_diag(f, "source/invalid-json"));
  EXPECT_EQ(f.diagnostics[0].offset, j.find(",,") + 1);
}

TEST(Dashboard, OperatorSpecObjects) {
  std::string a =
      R"J({"kind": "GrafanaDashboard", "spec": {"dashboard": {"title": "D", "panels": [{"title": "P", "targets": [{"expr": "up"}]}]}}})J";
  std::string b =
      R"J({"kind": "Dashboard", "spec": {"title": "S", "panels": [{"title": "P", "targets": [{"expr": "vector(1)"}]}]}})J";
  SourceFile fa = load_dashboard("a.json", a), fb = load_dashboard("b.json", b);
  ASSERT_EQ(texts(fa), std::vector<std::string>{"up"});
  EXPECT_EQ(fa.expressions[0].dashboard_title, "D");
  ASSERT_EQ(texts(fb), std::vector<std::string>{"vector(1)"});
  EXPECT_EQ(fb.expressions[0].dashboard_title, "S");
}

TEST(Dashboard, RowsAndLegacyRows) {
  std::string j = R"J({"panels": [
    {"type": "row", "title": "Row A", "collapsed": true, "panels": [
      {"title": "In row", "targets": [{"expr": "a"}]},
      {"type": "row", "panels": [{"title": "Deeper", "targets": [{"expr": "b"}]}]}]},
    {"title": "Top", "targets": [{"expr": "c"}]}],
    "rows": [{"title": "legacy", "panels": [{"id": 7, "title": "Legacy", "type": "graph", "targets": [{"expr": "d"}]}]}]})J";
  SourceFile f = load_dashboard("rows.json", j);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(f.expressions[0].panel_title, "In row");
  EXPECT_EQ(f.expressions[1].panel_title, "Deeper");
  EXPECT_EQ(f.expressions[3].panel_title, "Legacy");
  EXPECT_EQ(f.expressions[3].panel_id, 7);
  check_maps(f, j);
}

TEST(Dashboard, LibraryPanels) {
  std::string j = R"J({
    "__elements": {"lib-1": {"name": "Shared CPU", "uid": "lib-1", "kind": 1,
       "model": {"title": "CPU", "datasource": {"type": "prometheus"}, "description": "promvet:disable=promql/x",
                 "targets": [{"refId": "A", "expr": "rate(cpu_seconds_total[5m])"}]}}},
    "panels": [{"id": 9, "gridPos": {}, "libraryPanel": {"uid": "lib-1", "name": "Shared CPU"}},
               {"id": 10, "title": "Missing lib", "libraryPanel": {"uid": "nope"}}]})J";
  SourceFile f = load_dashboard("lib.json", j);
  ASSERT_EQ(texts(f), std::vector<std::string>{"rate(cpu_seconds_total[5m])"});
  EXPECT_EQ(f.expressions[0].panel_title, "CPU");
  EXPECT_EQ(f.expressions[0].panel_id, 9);
  EXPECT_EQ(f.expressions[0].disabled_checks, std::vector<std::string>{"promql/x"});
  check_maps(f, j);
}

TEST(Dashboard, DatasourceFiltering) {
  std::string j = R"J({
    "templating": {"list": [
      {"name": "DS_LOGS", "type": "datasource", "query": "loki"},
      {"name": "DS_PROMETHEUS", "type": "datasource", "query": "prometheus"}]},
    "panels": [
      {"title": "loki obj", "datasource": {"type": "loki", "uid": "l"}, "targets": [{"expr": "{app=\"x\"} |= \"err\""}]},
      {"title": "loki name", "datasource": "Loki", "targets": [{"expr": "sum(count_over_time({a=\"b\"}[1m]))"}]},
      {"title": "grafana", "datasource": "-- Grafana --", "targets": [{"expr": "nope"}]},
      {"title": "grafana obj", "datasource": {"type": "grafana", "uid": "grafana"}, "targets": [{"expr": "nope2"}]},
      {"title": "ds_loki", "datasource": "${DS_LOKI}", "targets": [{"expr": "{job=\"varlogs\"}"}]},
      {"title": "ds_logs var", "datasource": {"uid": "${DS_LOGS}"}, "targets": [{"expr": "{job=\"x\"} |= \"a\""}]},
      {"title": "prom var", "datasource": "${DS_PROMETHEUS}", "targets": [{"expr": "p1"}]},
      {"title": "prom var obj", "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}, "targets": [{"expr": "p2"}]},
      {"title": "unset", "targets": [{"expr": "p3"}]},
      {"title": "named", "datasource": "Prometheus", "targets": [{"expr": "p4"}]},
      {"title": "null", "datasource": null, "targets": [{"expr": "p5"}]},
      {"title": "mixed", "datasource": {"type": "datasource", "uid": "-- Mixed --"},
       "targets": [{"expr": "p6", "datasource": {"type": "prometheus", "uid": "x"}},
                   {"expr": "{a=\"b\"} |= \"c\"", "datasource": {"type": "loki", "uid": "y"}},
                   {"expr": "p7"}]},
      {"title": "target overrides", "datasource": {"type": "loki"},
       "targets": [{"expr": "p8", "datasource": {"type": "prometheus"}}]},
      {"title": "victoria", "datasource": {"type": "victoriametrics-datasource"}, "targets": [{"expr": "p9"}]}
    ]})J";
  SourceFile f = load_dashboard("ds.json", j);
  EXPECT_EQ(texts(f), (std::vector<std::string>{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"}));
}

TEST(Dashboard, AnnotationsAndTemplating) {
  std::string j = R"J({
    "annotations": {"list": [
      {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "name": "Annotations & Alerts"},
      {"name": "Deploys", "datasource": "Prometheus", "expr": "changes(build_info[5m]) > 0"},
      {"name": "Loki", "datasource": {"type": "loki"}, "expr": "{app=\"x\"}"},
      {"name": "New style", "datasource": {"type": "prometheus"}, "target": {"expr": "ALERTS", "refId": "Anno"}}]},
    "templating": {"list": [
      {"name": "job", "type": "query", "query": "label_values(up{env=\"prod\"}, job)"},
      {"name": "inst", "type": "query", "query": {"query": "label_values(node_uname_info{job=\"$job\"}, instance)", "refId": "PrometheusVariableQueryEditor-VariableQuery"}},
      {"name": "lbl", "type": "query", "query": "label_values(job)"},
      {"name": "names", "type": "query", "query": "label_names()"},
      {"name": "m", "type": "query", "query": "metrics(node_.*)"},
      {"name": "top", "type": "query", "query": "query_result(topk(5, sum by (pod) (rate(x_total[5m]))))"},
      {"name": "raw", "type": "query", "query": "up{job=\"a\"}"},
      {"name": "lokiq", "type": "query", "datasource": {"type": "loki"}, "query": "label_values(app)"},
      {"name": "c", "type": "custom", "query": "a,b"}]}})J";
  SourceFile f = load_dashboard("at.json", j);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"changes(build_info[5m]) > 0", "ALERTS", "up{env=\"prod\"}",
                                                "node_uname_info{job=\"x\"}",
                                                "topk(5, sum by (pod) (rate(x_total[5m])))", "up{job=\"a\"}"}));
  EXPECT_EQ(f.expressions[0].kind, ExpressionKind::Annotation);
  EXPECT_EQ(f.expressions[0].panel_title, "Deploys");
  EXPECT_EQ(f.expressions[2].kind, ExpressionKind::TemplateQuery);
  EXPECT_EQ(f.expressions[2].panel_title, "variable job");
  // `$job` has no current value and no options: the placeholder `x`, noted as used.
  EXPECT_EQ(f.expressions[3].variables_used, std::vector<std::string>{"job"});
  EXPECT_EQ(f.expressions[3].ref_id, "PrometheusVariableQueryEditor-VariableQuery");
  EXPECT_EQ(f.expressions[2].map.at(0), j.find("up{env="));
  EXPECT_EQ(f.expressions[4].map.at(0), j.find("topk(5"));
  check_maps(f, j);
  for (const auto& e : f.expressions) EXPECT_TRUE(promql::parse(e.text).ok()) << e.text;
}

TEST(Dashboard, DisableMarkers) {
  std::string j =
      R"J({"panels": [{"title": "P", "description": "noisy: promvet:disable=promql/rate-on-gauge,naming/x\nmore",
    "targets": [{"expr": "rate(temp[5m])"}]}, {"title": "Q", "description": "promvet: disable=a", "targets": [{"expr": "b"}]}]})J";
  SourceFile f = load_dashboard("d.json", j);
  ASSERT_EQ(f.expressions.size(), 2u);
  EXPECT_EQ(f.expressions[0].disabled_checks, (std::vector<std::string>{"promql/rate-on-gauge", "naming/x"}));
  EXPECT_EQ(f.expressions[1].disabled_checks, std::vector<std::string>{"a"});
}

TEST(Dashboard, EscapesMapToTheEscapeStart) {
  // \" \\ \n \u00e9 and a surrogate pair: every byte maps to its escape's backslash.
  std::string j =
      R"J({"panels": [{"title": "E", "targets": [{"expr": "x{a=\"\\\\\"} # \u00e9\ud83d\ude00\n+ y )"}]}]})J";
  SourceFile f = load_dashboard("e.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  EXPECT_EQ(e.text, "x{a=\"\\\\\"} # \xC3\xA9\xF0\x9F\x98\x80\n+ y )");
  size_t base = j.find("x{a=");
  EXPECT_EQ(e.map.at(4), base + 4);  // \" → its backslash
  EXPECT_EQ(e.map.at(5), base + 6);  // first \\ (a regex-escaped backslash in PromQL)
  EXPECT_EQ(e.map.at(6), base + 8);
  EXPECT_EQ(e.map.at(7), base + 10);  // \"
  size_t eacute = j.find("\\u00e9");
  EXPECT_EQ(e.map.at(12), eacute);
  EXPECT_EQ(e.map.at(13), eacute);
  for (uint32_t i = 14; i < 18; ++i) EXPECT_EQ(e.map.at(i), j.find("\\ud83d"));
  EXPECT_EQ(e.map.at(18), j.find("\\n+"));
  // The parse error at `)` points at the `)` in the file, after all those escapes.
  auto r = promql::parse(e.text);
  ASSERT_FALSE(r.ok());
  size_t paren = e.text.rfind(')');
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(paren)), j.find(" )\"") + 1);
  EXPECT_EQ(line_col(j, e.map.at(static_cast<uint32_t>(paren))), "1:" + std::to_string(j.find(" )\"") + 2));
  uint32_t err = e.map.at(r.error->range.begin);
  EXPECT_GE(err, j.find(" )\"") + 1);
  EXPECT_LE(err, j.find(" )\"") + 2);
}

TEST(Dashboard, ParseErrorAfterEscapedQuoteOnLaterLine) {
  std::string j =
      "{\n  \"panels\": [\n    {\"title\": \"P\",\n     \"targets\": [{\"expr\": \"sum(x{job=\\\"api\\\"}) by\"}]}]}\n";
  SourceFile f = load_dashboard("l.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  auto r = promql::parse(e.text);
  ASSERT_FALSE(r.ok());
  uint32_t off = e.map.at(r.error->range.begin);
  EXPECT_EQ(line_col(j, f.expressions[0].map.at(0)), "4:28");
  // The error is at the end of the expression: the closing quote of the JSON string.
  EXPECT_EQ(off, j.find(" by\"") + 3);
  EXPECT_EQ(line_col(j, off), "4:" + std::to_string(off - j.rfind('\n', off)));
}

TEST(Dashboard, VariablesExpandWithPositions) {
  std::string j = R"J({"title": "V", "uid": "v",
    "templating": {"list": [
      {"name": "job", "type": "query", "current": {"text": "api", "value": "api"}, "options": []},
      {"name": "inst", "type": "query", "multi": true, "includeAll": true, "allValue": ".+",
       "current": {"text": ["All"], "value": ["$__all"]}},
      {"name": "q", "type": "custom", "query": "0.99,0.5", "current": {"value": "0.5"},
       "options": [{"text": "0.99", "value": "0.99"}, {"text": "0.5", "value": "0.5", "selected": true}]}]},
    "panels": [{"title": "Lat", "targets": [{"expr": "histogram_quantile($q, rate(x_bucket{job=\"$job\",instance=~\"${inst}\"}[$__rate_interval])) > $unknown"}]}]})J";
  SourceFile f = load_dashboard("v.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  EXPECT_EQ(e.text, "histogram_quantile(0.5, rate(x_bucket{job=\"api\",instance=~\".+\"}[1m])) > 1");
  EXPECT_EQ(e.original,
            "histogram_quantile($q, rate(x_bucket{job=\"$job\",instance=~\"${inst}\"}[$__rate_interval])) > $unknown");
  EXPECT_EQ(e.variables_used, (std::vector<std::string>{"q", "job", "inst", "__rate_interval", "unknown"}));
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(e.text.find("api"))), j.find("$job"));
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(e.text.find(".+"))), j.find("${inst}"));
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(e.text.find("1m"))), j.find("$__rate_interval"));
  EXPECT_EQ(e.map.at(static_cast<uint32_t>(e.text.find("\"api"))), j.find("\\\"$job"));
  EXPECT_TRUE(promql::parse(e.text).ok());
  // Undefined variables are dashboard/undefined-variable's finding now, not a loader diagnostic.
  EXPECT_TRUE(f.diagnostics.empty());
  ASSERT_EQ(e.variable_spans.size(), 5u);
  const VariableSpan& unknown = e.variable_spans.back();
  EXPECT_EQ(unknown.name, "unknown");
  EXPECT_EQ(e.map.at(unknown.begin), j.find("$unknown"));
  check_maps(f, j);
}

TEST(Dashboard, VariableSpansCarryPositionsAndMultiValue) {
  std::string j = R"J({"title": "V", "uid": "v",
    "templating": {"list": [
      {"name": "job", "type": "query", "current": {"text": "api", "value": "api"}, "options": []},
      {"name": "inst", "type": "query", "multi": true, "includeAll": false,
       "current": {"text": ["a", "b"], "value": ["a", "b"]}},
      {"name": "pod", "type": "query", "includeAll": true, "current": {"value": "$__all"}}]},
    "panels": [{"title": "Lat", "targets": [{"expr": "rate(x{job=\"$job\",instance=~\"${inst}\",pod=~\"[[pod]]\"}[$__rate_interval])"}]}]})J";
  SourceFile f = load_dashboard("v.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  ASSERT_EQ(e.variable_spans.size(), 4u);
  const char* refs[] = {"$job", "${inst}", "[[pod]]", "$__rate_interval"};
  const char* names[] = {"job", "inst", "pod", "__rate_interval"};
  const char* values[] = {"api", "(a|b)", ".*", "1m"};
  bool multi[] = {false, true, true, false};
  for (size_t i = 0; i < 4; ++i) {
    const VariableSpan& v = e.variable_spans[i];
    EXPECT_EQ(v.name, names[i]);
    EXPECT_EQ(e.text.substr(v.begin, v.end - v.begin), values[i]) << names[i];
    EXPECT_EQ(e.map.at(v.begin), j.find(refs[i])) << names[i];
    EXPECT_EQ(v.multi_value, multi[i]) << names[i];
  }
}

TEST(Dashboard, RecordsDefinedVariablesWithNameOffsets) {
  std::string j = R"J({"dashboard": {"title": "T", "uid": "u", "templating": {"list": [
    {"name": "DS_PROMETHEUS", "type": "datasource", "query": "prometheus"},
    {"name": "job", "type": "query", "multi": true, "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
     "query": {"query": "label_values(up, job)", "refId": "A"}},
    {"name": "env", "type": "custom", "includeAll": true, "query": "a,b"},
    {"name": "", "type": "textbox"},
    {"name": "w\u0069n", "type": "interval", "query": "1m,5m"}]},
    "panels": []}})J";
  SourceFile f = load_dashboard("t.json", j);
  ASSERT_EQ(f.dashboard_variables.size(), 4u);  // the nameless one is skipped
  struct Want {
    const char* name;
    const char* type;
    bool multi;
    size_t offset;
  } want[] = {{"DS_PROMETHEUS", "datasource", false, j.find("DS_PROMETHEUS\"")},
              {"job", "query", true, j.find("job\"")},
              {"env", "custom", true, j.find("env\"")},
              {"win", "interval", false, j.find("w\\u0069n")}};
  for (size_t i = 0; i < 4; ++i) {
    const DashboardVariable& v = f.dashboard_variables[i];
    EXPECT_EQ(v.name, want[i].name);
    EXPECT_EQ(v.type, want[i].type);
    EXPECT_EQ(v.multi_value, want[i].multi) << v.name;
    EXPECT_EQ(v.offset, want[i].offset) << v.name;
    EXPECT_EQ(j[v.end_offset], '"') << v.name;  // the closing quote
  }
  EXPECT_EQ(f.dashboard_variables[3].end_offset, j.find("w\\u0069n") + 8);
}

TEST(Dashboard, RecordsEveryDatasourceReference) {
  std::string j = R"J({"title": "T", "uid": "u",
    "annotations": {"list": [{"name": "A", "datasource": {"type": "grafana", "uid": "-- Grafana --"}}]},
    "templating": {"list": [{"name": "job", "type": "query", "datasource": "Prometheus", "query": "label_values(up, job)"}]},
    "panels": [
      {"type": "row", "title": "R", "datasource": {"type": "prometheus", "uid": "row-uid"}, "panels": [
        {"type": "timeseries", "title": "Nested", "datasource": {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"},
         "targets": [{"refId": "A", "expr": "up", "datasource": {"type": "prometheus", "uid": "${datasource}"}}]}]},
      {"type": "stat", "title": "S", "datasource": {"type": "prometheus"},
       "targets": [{"refId": "B", "expr": "up", "datasource": {"uid": "abc"}}]}]})J";
  SourceFile f = load_dashboard("t.json", j);
  std::vector<std::string> uids;
  for (const DatasourceRef& d : f.datasources) {
    uids.push_back(d.uid);
    EXPECT_EQ(d.offset, j.find("\"" + d.uid + "\"") + 1) << d.uid;
    EXPECT_EQ(d.end_offset, d.offset + d.uid.size()) << d.uid;
  }
  // Variables first (they are read with the templating list), then panels and their targets in
  // file order, then annotations. The row's own datasource and the uid-less object are left out.
  EXPECT_EQ(uids,
            (std::vector<std::string>{"Prometheus", "P1809F7CD0C75ACF3", "${datasource}", "abc", "-- Grafana --"}));
  EXPECT_EQ(f.datasources[1].type, "prometheus");
  EXPECT_EQ(f.datasources[0].type, "");
}

TEST(Dashboard, SalvagedDashboardsRecordNoVariablesOrDatasources) {
  std::string j =
      R"J({"panels": [{"title": "P", "datasource": {"uid": "x"}, "targets": [{"expr": "rate(up[$w])"}]}], "templating": ,})J";
  SourceFile f = load_dashboard("s.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_TRUE(f.dashboard_variables.empty());
  EXPECT_TRUE(f.datasources.empty());
  ASSERT_EQ(f.expressions[0].variable_spans.size(), 1u);
  EXPECT_EQ(f.expressions[0].variable_spans[0].name, "w");
}

TEST(Dashboard, VariableContextFromTemplating) {
  std::string j = R"J({"dashboard": {"title": "T", "uid": "u", "templating": {"list": [
    {"name": "win", "type": "interval", "query": "1m,5m", "current": {"value": ""}},
    {"name": "env", "type": "custom", "query": "prod : p1, dev : d1", "multi": true, "includeAll": true, "allValue": null,
     "current": {"value": ["$__all"]}},
    {"name": "c", "type": "constant", "query": "7"}]},
    "panels": [{"title": "P", "targets": [{"expr": "rate(x{env=~\"$env\"}[$win]) * $c"}]}]}})J";
  VariableContext v = dashboard_variables(j);
  EXPECT_EQ(v.dashboard_title, "T");
  ASSERT_EQ(v.variables.size(), 3u);
  EXPECT_TRUE(v.variables[0].current.empty());
  EXPECT_EQ(v.variables[1].options, (std::vector<std::string>{"p1", "d1"}));
  EXPECT_FALSE(v.variables[1].has_all_value);
  SourceFile f = load_dashboard("v.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_EQ(f.expressions[0].text, "rate(x{env=~\"(p1|d1)\"}[1m]) * 7");
  EXPECT_TRUE(f.diagnostics.empty());
}

TEST(Dashboard, InvalidJsonPosition) {
  std::string j = "{\"a\": [1, 2,, 3]}";
  SourceFile f = load_dashboard("bad.json", j);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].check_id, "source/invalid-json");
  EXPECT_EQ(f.diagnostics[0].offset, 12u);
  EXPECT_NE(f.diagnostics[0].message.find("unexpected ','"), std::string::npos) << f.diagnostics[0].message;
  SourceFile g = load_dashboard("bad2.json", "{\n  \"panels\": [\n    {\"title\": \"x\" \"targets\": []}\n  ]\n}");
  ASSERT_EQ(g.diagnostics.size(), 1u);
  EXPECT_EQ(line_col("{\n  \"panels\": [\n    {\"title\": \"x\" \"targets\": []}\n  ]\n}", g.diagnostics[0].offset),
            "3:19");
  SourceFile h = load_dashboard("trunc.json", "{\"panels\": [");
  ASSERT_EQ(h.diagnostics.size(), 1u);
  EXPECT_EQ(h.diagnostics[0].check_id, "source/invalid-json");
  EXPECT_LE(h.diagnostics[0].offset, 12u);
  for (std::string s : {"", "   ", "nul", "\"abc", "{\"a\": \"\\x\"}", "[1] [2]", "{\"a\": \"\x01\"}"}) {
    SourceFile x = load_dashboard("x.json", s);
    EXPECT_TRUE(has_diag(x, "source/invalid-json")) << s;
    for (const auto& d : x.diagnostics) EXPECT_LE(d.offset, s.size());
  }
}

TEST(Dashboard, NotADashboard) {
  for (std::string s : {"[]", "1", "\"x\"", "null", "{}", "{\"panels\": 3}", "{\"panels\": [1, \"x\", null]}",
                        "{\"panels\": [{\"targets\": {\"expr\": \"up\"}}]}", "{\"dashboard\": []}"}) {
    SourceFile f = load_dashboard("x.json", s);
    EXPECT_TRUE(f.diagnostics.empty()) << s;
    EXPECT_TRUE(f.expressions.empty()) << s;
  }
}

TEST(Dashboard, SalvagesExpressionsFromInvalidJson) {
  std::string j =
      "\"panels\": [\n\"targets\": [\n\"expr\": \"rate(x{a=\\\"b\\\"}[5m])\",\n\"refId\": \"A\"\n],\n\"title\": \"Broken\"\n";
  SourceFile f = load_dashboard("s.json", j);
  ASSERT_TRUE(has_diag(f, "source/invalid-json"));
  ASSERT_TRUE(has_diag(f, "source/salvaged"));
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_EQ(f.expressions[0].text, "rate(x{a=\"b\"}[5m])");
  EXPECT_EQ(f.expressions[0].panel_title, "Broken");
  EXPECT_EQ(f.expressions[0].ref_id, "A");
  check_maps(f, j);
}

TEST(Dashboard, DeepNestingIsADiagnostic) {
  for (std::string open : {"[", "{\"a\":"}) {
    std::string j;
    for (int i = 0; i < 100000; ++i) j += open;
    auto t0 = std::chrono::steady_clock::now();
    SourceFile f = load_dashboard("deep.json", j);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 5000);
    ASSERT_FALSE(f.diagnostics.empty());
    EXPECT_EQ(f.diagnostics[0].check_id, "source/too-deep");
    EXPECT_EQ(f.diagnostics[0].offset, 512 * open.size());
  }
  // A deep spec.json string: the inner depth limit applies too.
  std::string inner;
  for (int i = 0; i < 2000; ++i) inner += "[";
  SourceFile f = load_dashboard("deep2.json", "{\"spec\": {\"json\": \"" + inner + "\"}}");
  EXPECT_TRUE(has_diag(f, "source/too-deep"));
  LoadOptions small;
  small.max_depth = 3;
  EXPECT_TRUE(has_diag(load_dashboard("d.json", "{\"a\": {\"b\": {\"c\": {}}}}", small), "source/too-deep"));
  EXPECT_FALSE(has_diag(load_dashboard("d.json", "{\"a\": {\"b\": {}}}", small), "source/too-deep"));
}

TEST(Dashboard, TooLarge) {
  LoadOptions o;
  o.max_bytes = 10;
  SourceFile f = load_dashboard("big.json", "{\"panels\": []}", o);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].check_id, "source/too-large");
}

TEST(Dashboard, TwentyMegabytesInBoundedTime) {
  std::string j = "{\"title\": \"big\", \"panels\": [";
  int n = 0;
  while (j.size() < (20u << 20)) {
    if (n) j += ",";
    j += "{\"id\": " + std::to_string(n) + ", \"title\": \"panel " + std::to_string(n) +
         "\", \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": 0, \"y\": 0}, \"options\": {\"legend\": [1,2,3,4,5,6,7,8]},"
         " \"targets\": [{\"refId\": \"A\", \"expr\": \"sum(rate(http_requests_total{job=\\\"api\\\"}[5m]))\"}]}";
    ++n;
  }
  j += "]}";
  auto t0 = std::chrono::steady_clock::now();
  SourceFile f = load_dashboard("big.json", j);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 20000);
  EXPECT_TRUE(f.diagnostics.empty());
  ASSERT_EQ(f.expressions.size(), static_cast<size_t>(n));
  EXPECT_EQ(f.expressions.back().panel_title, "panel " + std::to_string(n - 1));
  // A 20 MB array of numbers and a 20 MB string.
  std::string nums = "{\"a\": [";
  while (nums.size() < (20u << 20)) nums += "1,";
  nums += "1]}";
  EXPECT_TRUE(load_dashboard("nums.json", nums).diagnostics.empty());
  std::string str = "{\"description\": \"" + std::string(20u << 20, 'x') + "\"}";
  EXPECT_TRUE(load_dashboard("str.json", str).diagnostics.empty());
}

TEST(Dashboard, FixtureFiles) {
  for (std::string name : {"operator_spec_json.json", "library_and_rows.json"}) {
    std::string path = testdata("sources/dashboards/" + name);
    std::string c = read_file(path);
    ASSERT_FALSE(c.empty()) << path;
    SourceFile f = load_dashboard(path, c);
    EXPECT_TRUE(f.diagnostics.empty()) << name << ": " << (f.diagnostics.empty() ? "" : f.diagnostics[0].message);
    EXPECT_FALSE(f.expressions.empty()) << name;
    check_maps(f, c);
    for (const auto& e : f.expressions) {
      auto r = promql::parse(e.text);
      EXPECT_TRUE(r.ok()) << name << " " << e.panel_title << ": " << e.text;
    }
  }
}

// ---- Grafana dashboard schema v2 ("dynamic dashboards") ----

std::vector<std::string> kinds_of(const SourceFile& f) {
  std::vector<std::string> out;
  for (const auto& e : f.expressions) out.push_back(to_string(e.kind));
  return out;
}

TEST(DashboardV2, Beta1ResourcePanelsAndPositions) {
  std::string c = read_file(testdata("sources/dashboards/v2beta1.json"));
  ASSERT_FALSE(c.empty());
  SourceFile f = load_dashboard("v2beta1.json", c);
  EXPECT_TRUE(f.diagnostics.empty());
  check_maps(f, c);
  // Panels (the loki query and the library panel skipped), then annotations (the built-in Grafana
  // one skipped), then template queries.
  ASSERT_EQ(texts(f), (std::vector<std::string>{
                          "sum by (job) (rate(workflow_started_total{job=~\"(api|worker)\", namespace=\"prod\"}[1m]))",
                          "max by (queue) (workflow_queue_depth{queue!~\"\\\\.tmp\"})",
                          "changes(kube_deployment_status_observed_generation{namespace=\"prod\"}[5m]) > 0",
                          "workflow_started_total{namespace=\"prod\"}"}));
  EXPECT_EQ(kinds_of(f), (std::vector<std::string>{"panel target", "panel target", "annotation", "template query"}));
  for (const auto& e : f.expressions) {
    EXPECT_EQ(e.dashboard_uid, "workflow-overview");
    EXPECT_EQ(e.dashboard_title, "Workflow overview");
    EXPECT_TRUE(promql::parse(e.text).ok()) << e.text;
  }
  const Expression& a = f.expressions[0];
  EXPECT_EQ(a.panel_title, "Workflow starts");
  EXPECT_EQ(a.panel_id, 1);
  EXPECT_EQ(a.ref_id, "A");
  EXPECT_EQ(a.datasource, "${datasource}");
  EXPECT_EQ(line_col(c, a.map.at(0)), "77:34");
  // The multi-value `$job` (two selected values) expands to a regex; its characters map to `$`.
  size_t job = a.text.find("(api|worker)");
  EXPECT_EQ(line_col(c, a.map.at(static_cast<uint32_t>(job))), "77:83");
  EXPECT_EQ(line_col(c, a.map.at(static_cast<uint32_t>(job + 5))), "77:83");
  ASSERT_EQ(a.variable_spans.size(), 3u);
  EXPECT_EQ(a.variable_spans[0].name, "job");
  EXPECT_TRUE(a.variable_spans[0].multi_value);
  EXPECT_EQ(a.variable_spans[1].name, "namespace");
  EXPECT_FALSE(a.variable_spans[1].multi_value);
  EXPECT_EQ(a.variables_used, (std::vector<std::string>{"job", "namespace", "__rate_interval"}));

  const Expression& b = f.expressions[1];
  EXPECT_EQ(b.panel_title, "Queue depth");
  EXPECT_EQ(b.panel_id, 2);
  EXPECT_EQ(b.datasource, "P1809F7CD0C75ACF3");
  EXPECT_EQ(b.disabled_checks, (std::vector<std::string>{"promql/regex"}));
  EXPECT_EQ(line_col(c, b.map.at(0)), "112:41");
  // `"` came from `\"`, the second `\` of `\\.` from the third `\` of `\\\\`, `.` after them.
  size_t q = b.text.find('"');
  EXPECT_EQ(line_col(c, b.map.at(static_cast<uint32_t>(q))), "112:85");
  size_t dot = b.text.find(".tmp");
  EXPECT_EQ(line_col(c, b.map.at(static_cast<uint32_t>(dot - 1))), "112:89");
  EXPECT_EQ(line_col(c, b.map.at(static_cast<uint32_t>(dot))), "112:91");

  const Expression& ann = f.expressions[2];
  EXPECT_EQ(ann.panel_title, "Deploys");
  EXPECT_EQ(ann.datasource, "${datasource}");
  EXPECT_EQ(c.substr(ann.map.at(0), 8), "changes(");

  const Expression& tq = f.expressions[3];
  EXPECT_EQ(tq.panel_title, "variable job");
  EXPECT_EQ(tq.ref_id, "PrometheusVariableQueryEditor-VariableQuery");
  EXPECT_EQ(c.substr(tq.map.at(0), 23), "workflow_started_total{");
  EXPECT_EQ(c.substr(tq.map.at(0) - 13, 13), "label_values(");
}

TEST(DashboardV2, Beta1VariablesAndDatasources) {
  std::string c = read_file(testdata("sources/dashboards/v2beta1.json"));
  SourceFile f = load_dashboard("v2beta1.json", c);
  ASSERT_EQ(f.dashboard_variables.size(), 3u);
  EXPECT_EQ(f.dashboard_variables[0].name, "datasource");
  EXPECT_EQ(f.dashboard_variables[0].type, "datasource");
  EXPECT_EQ(f.dashboard_variables[1].name, "job");
  EXPECT_EQ(f.dashboard_variables[1].type, "query");
  EXPECT_TRUE(f.dashboard_variables[1].multi_value);
  EXPECT_EQ(line_col(c, f.dashboard_variables[1].offset), "177:20");
  EXPECT_EQ(
      c.substr(f.dashboard_variables[1].offset, f.dashboard_variables[1].end_offset - f.dashboard_variables[1].offset),
      "job");
  EXPECT_EQ(f.dashboard_variables[2].name, "namespace");
  EXPECT_EQ(f.dashboard_variables[2].type, "custom");
  EXPECT_FALSE(f.dashboard_variables[2].multi_value);

  std::vector<std::string> refs;
  for (const auto& d : f.datasources) {
    refs.push_back(d.uid + "/" + d.type);
    EXPECT_EQ(c.substr(d.offset, d.end_offset - d.offset), d.uid);
  }
  EXPECT_EQ(refs, (std::vector<std::string>{"${datasource}/prometheus", "${datasource}/prometheus",
                                            "P1809F7CD0C75ACF3/prometheus", "loki-main/loki", "-- Grafana --/grafana",
                                            "${datasource}/prometheus"}));

  VariableContext ctx = dashboard_variables(c);
  EXPECT_EQ(ctx.dashboard_uid, "workflow-overview");
  EXPECT_EQ(ctx.dashboard_title, "Workflow overview");
  ASSERT_EQ(ctx.variables.size(), 3u);
  const GrafanaVariable* job = ctx.find("job");
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->type, "query");
  EXPECT_TRUE(job->multi);
  EXPECT_TRUE(job->include_all);
  EXPECT_TRUE(job->has_all_value);
  EXPECT_EQ(job->all_value, ".*");
  EXPECT_EQ(job->current, (std::vector<std::string>{"api", "worker"}));
  EXPECT_EQ(job->query, "label_values(workflow_started_total{namespace=\"$namespace\"}, job)");
  const GrafanaVariable* ds = ctx.find("datasource");
  ASSERT_NE(ds, nullptr);
  EXPECT_EQ(ds->query, "prometheus");  // pluginId, as a classic datasource variable's query
  const GrafanaVariable* ns = ctx.find("namespace");
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(ns->options, (std::vector<std::string>{"prod", "staging"}));
}

TEST(DashboardV2, Alpha1Resource) {
  std::string c = read_file(testdata("sources/dashboards/v2alpha1.json"));
  ASSERT_FALSE(c.empty());
  SourceFile f = load_dashboard("v2alpha1.json", c);
  EXPECT_TRUE(f.diagnostics.empty());
  check_maps(f, c);
  // `$handler` is "All" with allValue ".+"; `$interval` is 5m; query C has no datasource at all
  // (treated as Prometheus, like a classic target without one); the loki query B is skipped.
  ASSERT_EQ(
      texts(f),
      (std::vector<std::string>{
          "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{handler=~\".+\"}[1m])))",
          "sum(rate(http_requests_total{code=~\"5..\", handler=~\".+\"}[5m]))", "sum(up{job=\"api\"})",
          "increase(kube_pod_container_status_restarts_total{container=\"api\"}[5m]) > 0",
          "http_requests_total{job=\"api\"}"}));
  EXPECT_EQ(kinds_of(f),
            (std::vector<std::string>{"panel target", "panel target", "panel target", "annotation", "template query"}));
  EXPECT_EQ(f.expressions[0].dashboard_uid, "api-latency");
  EXPECT_EQ(f.expressions[0].panel_id, 7);
  EXPECT_EQ(f.expressions[0].datasource, "$datasource");
  EXPECT_EQ(f.expressions[1].panel_title, "Errors and logs");
  EXPECT_EQ(f.expressions[1].datasource, "prometheus");
  EXPECT_EQ(f.expressions[2].ref_id, "C");
  EXPECT_EQ(line_col(c, f.expressions[2].map.at(0)), "98:71");
  EXPECT_EQ(f.expressions[3].panel_title, "Restarts");
  EXPECT_EQ(line_col(c, f.expressions[3].map.at(0)), "32:61");
  EXPECT_EQ(f.expressions[4].panel_title, "variable handler");
  for (const auto& e : f.expressions) EXPECT_TRUE(promql::parse(e.text).ok()) << e.text;
  ASSERT_EQ(f.dashboard_variables.size(), 3u);
  EXPECT_EQ(f.dashboard_variables[1].name, "handler");
  EXPECT_EQ(line_col(c, f.dashboard_variables[1].offset), "132:20");
  EXPECT_EQ(f.dashboard_variables[2].type, "interval");
  std::vector<std::string> refs;
  for (const auto& d : f.datasources) refs.push_back(d.uid + "/" + d.type);
  EXPECT_EQ(refs, (std::vector<std::string>{"$datasource/prometheus", "$datasource/prometheus", "prometheus/prometheus",
                                            "loki/loki", "-- Grafana --/grafana", "$datasource/prometheus"}));
}

// A minimal v2beta1 spec with one Prometheus query, for the wrapper shapes.
const char* kV2Spec = R"J({"title": "Small", "elements": {"p": {"kind": "Panel", "spec": {"id": 5, "title": "Up",
  "data": {"kind": "QueryGroup", "spec": {"queries": [{"kind": "PanelQuery", "spec": {"refId": "A",
  "query": {"kind": "DataQuery", "group": "prometheus", "version": "v0", "datasource": {"name": "prom"},
  "spec": {"expr": "up{job=~\"$job\"}"}}}}]}}}}},
  "layout": {"kind": "AutoGridLayout", "spec": {"items": []}},
  "variables": [{"kind": "CustomVariable", "spec": {"name": "job", "query": "api, worker", "multi": true,
  "current": {"text": ["api", "worker"], "value": ["api", "worker"]}}}]})J";

TEST(DashboardV2, BareSpec) {
  std::string j = kV2Spec;
  SourceFile f = load_dashboard("bare.json", j);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"up{job=~\"(api|worker)\"}"}));
  EXPECT_EQ(f.expressions[0].dashboard_title, "Small");
  EXPECT_EQ(f.expressions[0].dashboard_uid, "");
  EXPECT_EQ(f.expressions[0].panel_id, 5);
  EXPECT_EQ(f.expressions[0].map.at(0), j.find("up{job"));
  ASSERT_EQ(f.dashboard_variables.size(), 1u);
  EXPECT_EQ(f.dashboard_variables[0].type, "custom");
  check_maps(f, j);
  EXPECT_EQ(dashboard_variables(j).variables.size(), 1u);
}

TEST(DashboardV2, KubernetesAndOperatorWrappers) {
  std::string resource = std::string(R"J({"apiVersion": "dashboard.grafana.app/v2", "kind": "Dashboard",)J") +
                         R"J( "metadata": {"name": "small-uid", "namespace": "default"}, "spec": )J" + kV2Spec + "}";
  std::vector<std::string> docs = {
      resource,
      // the HTTP API shape
      R"J({"meta": {}, "dashboard": )J" + resource + "}",
      // grafana-operator GrafanaManifest: spec.template holds the resource
      R"J({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaManifest", "metadata": {"name": "m"},)J"
      R"J( "spec": {"instanceSelector": {"matchLabels": {"dashboards": "grafana"}}, "template": )J" +
          resource + "}}",
  };
  for (const std::string& j : docs) {
    SourceFile f = load_dashboard("k8s.json", j);
    ASSERT_EQ(texts(f), (std::vector<std::string>{"up{job=~\"(api|worker)\"}"})) << j;
    EXPECT_EQ(f.expressions[0].dashboard_uid, "small-uid");
    EXPECT_EQ(f.expressions[0].panel_title, "Up");
    EXPECT_EQ(f.expressions[0].map.at(0), j.find("up{job"));
    ASSERT_EQ(f.datasources.size(), 1u);
    EXPECT_EQ(f.datasources[0].uid, "prom");
    EXPECT_EQ(f.datasources[0].offset, j.find("\"prom\"") + 1);
    check_maps(f, j);
    EXPECT_EQ(dashboard_variables(j).dashboard_uid, "small-uid");
  }
  // A GrafanaDashboard whose spec.json string holds a v2 resource: offsets through two escapes.
  std::string inner = nlohmann::json(resource).dump();
  std::string op =
      R"J({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard", "spec": {"json": )J" + inner +
      "}}";
  SourceFile f = load_dashboard("op.json", op);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"up{job=~\"(api|worker)\"}"}));
  EXPECT_EQ(f.expressions[0].map.at(0), op.find("up{job"));
  EXPECT_EQ(op.substr(f.expressions[0].map.at(8), 4), "\\\\\\\"");  // `"` from `\\\"`: its first `\`
  EXPECT_EQ(op.substr(f.expressions[0].map.at(9), 4), "$job");      // the expansion: the `$`
  check_maps(f, op);
  // Not v2: another apiVersion with a classic spec keeps the classic reading.
  std::string v1 =
      R"J({"apiVersion": "dashboard.grafana.app/v1beta1", "kind": "Dashboard", "metadata": {"name": "c"},)J"
      R"J( "spec": {"title": "Classic", "panels": [{"title": "P", "targets": [{"expr": "up"}]}]}})J";
  EXPECT_EQ(texts(load_dashboard("v1.json", v1)), (std::vector<std::string>{"up"}));
}

TEST(DashboardV2, SkipsOtherDatasourcesAndLibraryPanels) {
  std::string j = R"J({"apiVersion": "dashboard.grafana.app/v2alpha1", "kind": "Dashboard", "metadata": {"name": "x"},
  "spec": {"title": "T", "layout": {}, "elements": {
    "lib": {"kind": "LibraryPanel", "spec": {"id": 1, "title": "L", "libraryPanel": {"uid": "u", "name": "n"},
            "data": {"spec": {"queries": [{"spec": {"query": {"kind": "prometheus", "spec": {"expr": "lib_up"}}}}]}}}},
    "p": {"kind": "Panel", "spec": {"id": 2, "title": "P", "data": {"kind": "QueryGroup", "spec": {"queries": [
      {"kind": "PanelQuery", "spec": {"refId": "A", "datasource": {"type": "loki", "uid": "l"}, "query": {"kind": "loki", "spec": {"expr": "{a=\"b\"}"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "B", "query": {"kind": "DataQuery", "group": "elasticsearch", "datasource": {"name": "es"}, "spec": {"expr": "x:y"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "C", "query": {"kind": "DataQuery", "group": "__expr__", "spec": {"expression": "$A", "expr": "$A * 2"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "D", "datasource": {"uid": "loki-logs"}, "query": {"spec": {"expr": "{app=\"x\"}"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "E", "datasource": {"type": "prometheus", "uid": "p"}, "query": {"kind": "prometheus", "spec": {"expr": "up"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "F", "query": {"kind": "DataQuery", "group": "grafana-amazonprometheus-datasource", "spec": {"expr": "up2"}}}},
      {"kind": "PanelQuery", "spec": {"refId": "G", "query": {"kind": "DataQuery", "datasource": {"name": "${ds}"}, "spec": {"expr": "up3"}}}}
    ]}}}}},
  "variables": [{"kind": "DatasourceVariable", "spec": {"name": "ds", "pluginId": "prometheus"}}],
  "annotations": [
    {"kind": "AnnotationQuery", "spec": {"builtIn": true, "name": "Annotations & Alerts", "query": {"kind": "DataQuery", "group": "grafana", "spec": {}}}},
    {"kind": "AnnotationQuery", "spec": {"name": "Logs", "datasource": {"type": "loki", "uid": "l"}, "query": {"kind": "loki", "spec": {"expr": "{a=\"b\"}"}}}},
    {"kind": "AnnotationQuery", "spec": {"name": "Legacy", "datasource": {"type": "prometheus", "uid": "p"}, "legacyOptions": {"expr": "ALERTS"}}}
  ]}})J";
  SourceFile f = load_dashboard("skip.json", j);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"up", "up2", "up3", "ALERTS"}));
  EXPECT_EQ(f.expressions[0].ref_id, "E");
  EXPECT_EQ(f.expressions[2].ref_id, "G");
  EXPECT_EQ(f.expressions[3].kind, ExpressionKind::Annotation);
  EXPECT_EQ(f.expressions[3].panel_title, "Legacy");
  check_maps(f, j);
}

TEST(DashboardV2, TemplateQueries) {
  std::string j = R"J({"elements": {}, "layout": {}, "variables": [
    {"kind": "QueryVariable", "spec": {"name": "a", "query": {"kind": "DataQuery", "group": "prometheus", "spec": {"query": "label_values(up{env=\"prod\"}, job)"}}}},
    {"kind": "QueryVariable", "spec": {"name": "b", "datasource": {"type": "prometheus", "uid": "p"}, "query": {"kind": "prometheus", "spec": {"expr": "query_result(topk(5, sum by (x) (rate(y_total[5m]))))"}}}},
    {"kind": "QueryVariable", "spec": {"name": "c", "query": "label_values(node_uname_info, nodename)"}},
    {"kind": "QueryVariable", "spec": {"name": "d", "query": {"kind": "DataQuery", "group": "prometheus", "spec": {"__legacyStringValue": "label_names()"}}}},
    {"kind": "QueryVariable", "spec": {"name": "e", "query": {"kind": "DataQuery", "group": "loki", "spec": {"query": "label_values(app)"}}}},
    {"kind": "QueryVariable", "spec": {"name": "f", "query": {"kind": "DataQuery", "group": "prometheus", "spec": {"query": "label_values(job)"}}}},
    {"kind": "CustomVariable", "spec": {"name": "g", "query": "label_values(up, job)"}}
  ]})J";
  SourceFile f = load_dashboard("tq.json", j);
  ASSERT_EQ(texts(f), (std::vector<std::string>{"up{env=\"prod\"}", "topk(5, sum by (x) (rate(y_total[5m])))",
                                                "node_uname_info"}));
  for (const auto& e : f.expressions) EXPECT_EQ(e.kind, ExpressionKind::TemplateQuery);
  EXPECT_EQ(f.expressions[1].panel_title, "variable b");
  EXPECT_EQ(f.expressions[1].datasource, "p");
  EXPECT_EQ(f.expressions[0].map.at(0), j.find("up{env"));
  check_maps(f, j);
  EXPECT_EQ(f.dashboard_variables.size(), 7u);
}

TEST(DashboardV2, VariableKindsMapToClassicTypes) {
  std::string j = R"J({"elements": {}, "layout": {}, "variables": [
    {"kind": "QueryVariable", "spec": {"name": "q"}}, {"kind": "CustomVariable", "spec": {"name": "cu", "query": "a : 1, b : 2"}},
    {"kind": "ConstantVariable", "spec": {"name": "co", "query": "k8s"}}, {"kind": "IntervalVariable", "spec": {"name": "i", "query": "1m,5m"}},
    {"kind": "DatasourceVariable", "spec": {"name": "ds", "pluginId": "prometheus"}}, {"kind": "TextVariable", "spec": {"name": "t", "query": "x"}},
    {"kind": "AdhocVariable", "spec": {"name": "ad"}}, {"kind": "GroupByVariable", "spec": {"name": "gb", "multi": true}},
    {"kind": "FancyNewVariable", "spec": {"name": "n"}}]})J";
  VariableContext ctx = dashboard_variables(j);
  std::vector<std::string> types;
  for (const auto& v : ctx.variables) types.push_back(v.name + "=" + v.type);
  EXPECT_EQ(types, (std::vector<std::string>{"q=query", "cu=custom", "co=constant", "i=interval", "ds=datasource",
                                             "t=textbox", "ad=adhoc", "gb=groupby", "n=fancynew"}));
  EXPECT_EQ(ctx.find("cu")->options, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(ctx.find("i")->options, (std::vector<std::string>{"1m", "5m"}));
  SourceFile f = load_dashboard("kinds.json", j);
  ASSERT_EQ(f.dashboard_variables.size(), 9u);
  EXPECT_TRUE(f.dashboard_variables[7].multi_value);
  EXPECT_EQ(f.dashboard_variables[6].type, "adhoc");
}

// Every value of the v2 fixtures replaced by every other JSON type: never a crash, every map sane.
void collect_pointers(const nlohmann::json& j, const nlohmann::json::json_pointer& at,
                      std::vector<nlohmann::json::json_pointer>& out) {
  out.push_back(at);
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) collect_pointers(it.value(), at / it.key(), out);
  else if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) collect_pointers(j[i], at / i, out);
}

TEST(DashboardV2, WrongTypesAnywhereNeverCrash) {
  const std::vector<nlohmann::json> replacements = {nullptr,
                                                    1,
                                                    "s",
                                                    true,
                                                    nlohmann::json::array(),
                                                    nlohmann::json::object(),
                                                    nlohmann::json::array({1, "x", nullptr})};
  size_t loads = 0;
  for (std::string name : {"v2beta1.json", "v2alpha1.json"}) {
    nlohmann::json doc = nlohmann::json::parse(read_file(testdata("sources/dashboards/" + name)));
    std::vector<nlohmann::json::json_pointer> pointers;
    collect_pointers(doc, nlohmann::json::json_pointer(), pointers);
    for (const auto& p : pointers) {
      for (const auto& r : replacements) {
        nlohmann::json mutated = doc;
        mutated[p] = r;
        std::string text = mutated.dump();
        SourceFile f = load_dashboard(name, text);
        check_maps(f, text);
        for (const auto& d : f.datasources) ASSERT_LE(d.end_offset, text.size());
        for (const auto& v : f.dashboard_variables) ASSERT_LE(v.end_offset, text.size());
        (void)dashboard_variables(text);
        ++loads;
      }
    }
  }
  EXPECT_GT(loads, 1000u);
}

// The real-world dashboards (testdata/examples/dashboards, cut out of /work/shared/seeds).
struct SeedResult {
  size_t total = 0, ok = 0;
  std::vector<std::string> failures;
};

SeedResult run_seed(const std::string& name, SourceFile* out = nullptr) {
  std::string path = testdata("examples/dashboards/" + name);
  std::string c = read_file(path);
  EXPECT_FALSE(c.empty()) << path;
  SourceFile f = load_dashboard(path, c);
  SeedResult r;
  check_maps(f, c);
  for (const auto& e : f.expressions) {
    EXPECT_FALSE(e.panel_title.empty()) << name << ": " << e.text;
    ++r.total;
    std::printf("seed expression: %s:%s [%s] %s\n", name.c_str(), line_col(c, e.map.at(0)).c_str(),
                e.panel_title.c_str(), e.text.c_str());
    auto p = promql::parse(e.text);
    if (p.ok()) {
      ++r.ok;
    } else {
      uint32_t off = e.map.at(p.error->range.begin);
      std::string msg =
          name + ":" + line_col(c, off) + ": [" + e.panel_title + "] " + p.error->message + " in: " + e.text;
      r.failures.push_back(msg);
      std::printf("seed failure: %s\n", msg.c_str());
    }
  }
  for (const auto& d : f.diagnostics)
    std::printf("seed diagnostic: %s:%s: %s %s\n", name.c_str(), line_col(c, d.offset).c_str(), d.check_id.c_str(),
                d.message.c_str());
  if (out) *out = std::move(f);
  return r;
}

TEST(DashboardSeeds, ManaLlm) {
  SourceFile f;
  SeedResult r = run_seed("mana_llm.json", &f);
  EXPECT_TRUE(f.diagnostics.empty());
  EXPECT_EQ(r.total, SEED_MANA_TOTAL);
  EXPECT_EQ(r.ok, SEED_MANA_OK);
}

TEST(DashboardSeeds, VllmGrafanaScraped) {
  SourceFile f;
  SeedResult r = run_seed("vllm_grafana_scraped.json", &f);
  ASSERT_TRUE(has_diag(f, "source/invalid-json"));
  EXPECT_EQ(r.total, SEED_VLLM_TOTAL);
  EXPECT_EQ(r.ok, SEED_VLLM_OK);
}

TEST(DashboardSeeds, MonkeysConductorScraped) {
  SourceFile f;
  SeedResult r = run_seed("conductor_monkeys_scraped.json", &f);
  ASSERT_TRUE(has_diag(f, "source/invalid-json"));
  EXPECT_EQ(r.total, SEED_COND_TOTAL);
  EXPECT_EQ(r.ok, SEED_COND_OK);
}

TEST(DashboardSeeds, MonkeysVllmScraped) {
  SourceFile f;
  SeedResult r = run_seed("vllm_monkeys_scraped.json", &f);
  ASSERT_TRUE(has_diag(f, "source/invalid-json"));
  EXPECT_EQ(r.total, SEED_MVLLM_TOTAL);
  EXPECT_EQ(r.ok, SEED_MVLLM_OK);
}

}  // namespace
}  // namespace promvet::sources
