// Grafana dashboards → PromQL expressions: shapes (top level, API wrapper, grafana-operator
// wrappers, rows, legacy rows, library panels), data source filtering, annotations and template
// queries, exact offsets through JSON escapes and variables, the real-world seed dashboards, and
// adversarial input.
#include <gtest/gtest.h>

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
  ASSERT_EQ(texts(f), (std::vector<std::string>{"sum(rate(http_requests_total[5m]))", "up", "node_load1", "count(up)"}));
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
  EXPECT_EQ(e.map.at(7), u + 7);           // the escaped quote
  EXPECT_EQ(j.substr(u + 7, 4), "\\\\\\\"");
  EXPECT_EQ(e.map.at(8), u + 11);          // `a`
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
  std::string a = R"J({"kind": "GrafanaDashboard", "spec": {"dashboard": {"title": "D", "panels": [{"title": "P", "targets": [{"expr": "up"}]}]}}})J";
  std::string b = R"J({"kind": "Dashboard", "spec": {"title": "S", "panels": [{"title": "P", "targets": [{"expr": "vector(1)"}]}]}})J";
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
  std::string j = R"J({"panels": [{"title": "P", "description": "noisy: promvet:disable=promql/rate-on-gauge,naming/x\nmore",
    "targets": [{"expr": "rate(temp[5m])"}]}, {"title": "Q", "description": "promvet: disable=a", "targets": [{"expr": "b"}]}]})J";
  SourceFile f = load_dashboard("d.json", j);
  ASSERT_EQ(f.expressions.size(), 2u);
  EXPECT_EQ(f.expressions[0].disabled_checks, (std::vector<std::string>{"promql/rate-on-gauge", "naming/x"}));
  EXPECT_EQ(f.expressions[1].disabled_checks, std::vector<std::string>{"a"});
}

TEST(Dashboard, EscapesMapToTheEscapeStart) {
  // \" \\ \n \u00e9 and a surrogate pair: every byte maps to its escape's backslash.
  std::string j = R"J({"panels": [{"title": "E", "targets": [{"expr": "x{a=\"\\\\\"} # \u00e9\ud83d\ude00\n+ y )"}]}]})J";
  SourceFile f = load_dashboard("e.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  EXPECT_EQ(e.text, "x{a=\"\\\\\"} # \xC3\xA9\xF0\x9F\x98\x80\n+ y )");
  size_t base = j.find("x{a=");
  EXPECT_EQ(e.map.at(4), base + 4);   // \" → its backslash
  EXPECT_EQ(e.map.at(5), base + 6);   // first \\ (a regex-escaped backslash in PromQL)
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
  std::string j = "{\n  \"panels\": [\n    {\"title\": \"P\",\n     \"targets\": [{\"expr\": \"sum(x{job=\\\"api\\\"}) by\"}]}]}\n";
  SourceFile f = load_dashboard("l.json", j);
  ASSERT_EQ(f.expressions.size(), 1u);
  const Expression& e = f.expressions[0];
  auto r = promql::parse(e.text);
  ASSERT_FALSE(r.ok());
  uint32_t off = e.map.at(r.error->range.begin);
  EXPECT_EQ(line_col(j, f.expressions[0].map.at(0)), "4:28");
  // The error is at the end of the expression: the closing quote of the JSON string.
  EXPECT_EQ(off, j.find(" by\"") + 3);
  EXPECT_EQ(line_col(j, off), "4:" + std::to_string(off - j.rfind('\n', off) ));
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
  EXPECT_EQ(e.original, "histogram_quantile($q, rate(x_bucket{job=\"$job\",instance=~\"${inst}\"}[$__rate_interval])) > $unknown");
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
  EXPECT_EQ(uids, (std::vector<std::string>{"Prometheus", "P1809F7CD0C75ACF3", "${datasource}", "abc", "-- Grafana --"}));
  EXPECT_EQ(f.datasources[1].type, "prometheus");
  EXPECT_EQ(f.datasources[0].type, "");
}

TEST(Dashboard, SalvagedDashboardsRecordNoVariablesOrDatasources) {
  std::string j = R"J({"panels": [{"title": "P", "datasource": {"uid": "x"}, "targets": [{"expr": "rate(up[$w])"}]}], "templating": ,})J";
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
  EXPECT_EQ(line_col("{\n  \"panels\": [\n    {\"title\": \"x\" \"targets\": []}\n  ]\n}", g.diagnostics[0].offset), "3:19");
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
  std::string j = "\"panels\": [\n\"targets\": [\n\"expr\": \"rate(x{a=\\\"b\\\"}[5m])\",\n\"refId\": \"A\"\n],\n\"title\": \"Broken\"\n";
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
      std::string msg = name + ":" + line_col(c, off) + ": [" + e.panel_title + "] " + p.error->message + " in: " + e.text;
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
