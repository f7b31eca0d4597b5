// Rule files → expressions with positions, and the validations of `promtool check rules`
// (Prometheus 2.42). Messages were observed from /usr/bin/promtool 2.42 and are hard-coded; when
// promtool is installed the parity test also runs it on each case and checks that the message
// appears in its output.
#include "sources/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "test_support.h"

namespace promvet::sources {
namespace {

std::vector<std::string> ids(const SourceFile& f) {
  std::vector<std::string> r;
  for (const auto& d : f.diagnostics) r.push_back(d.check_id);
  return r;
}

std::string dump(const SourceFile& f) {
  std::string r;
  for (const auto& d : f.diagnostics) r += d.check_id + " @" + std::to_string(d.offset) + ": " + d.message + "\n";
  return r;
}

const Diagnostic* find_diag(const SourceFile& f, const std::string& id, const std::string& msg) {
  for (const auto& d : f.diagnostics)
    if (d.check_id == id && d.message == msg) return &d;
  return nullptr;
}

// Every character of the expression text maps to the file byte it came from: the same
// character, or the backslash of an escape, or the line break a fold turned into a space or
// newline, or the first quote of a '' pair. Offsets never go backwards.
void expect_map_consistent(const std::string& file, const Expression& e) {
  ASSERT_EQ(e.map.to_file.size(), e.text.size() + 1) << e.text;
  uint32_t prev = 0;
  for (size_t i = 0; i < e.text.size(); ++i) {
    uint32_t at = e.map.to_file[i];
    ASSERT_LT(at, file.size()) << "char " << i << " of " << e.text;
    char t = e.text[i], f = file[at];
    bool ok = t == f || f == '\\' || ((t == ' ' || t == '\n') && (f == '\n' || f == '\r'));
    EXPECT_TRUE(ok) << "text[" << i << "]='" << t << "' maps to file[" << at << "]='" << f << "' in " << e.text;
    EXPECT_GE(at, prev) << i;
    prev = at;
  }
  EXPECT_GE(e.map.to_file.back(), prev);
  EXPECT_LE(e.map.to_file.back(), file.size());
}

// Checks that `text[i] == file[map[i]]` for every i (no escapes or folds in the expression).
void expect_map_exact(const std::string& file, const Expression& e) {
  for (size_t i = 0; i < e.text.size(); ++i) EXPECT_EQ(e.text[i], file[e.map.at(static_cast<uint32_t>(i))]) << i;
}

// ---------------------------------------------------------------------------------------------

struct Case {
  const char* name;
  const char* yaml;
  const char* check_id;
  const char* message;  // ours; promtool prints it (prefixed with group/rule for rule errors)
};

const Case kCases[] = {
    {"unknown_group_field", "groups:\n  - name: g\n    foo: bar\n    rules: []\n", "rules/unknown-field",
     "field foo not found in type rulefmt.RuleGroup"},
    {"unknown_rule_field", "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        bogus: 1\n",
     "rules/unknown-field", "field bogus not found in type rulefmt.RuleNode"},
    {"unknown_top_field", "foo: 1\n", "rules/unknown-field", "field foo not found in type rulefmt.RuleGroups"},
    {"duplicate_key", "groups:\n  - name: g\n    rules:\n      - record: a\n        record: b\n        expr: up\n",
     "rules/duplicate-key", "mapping key \"record\" already defined at line 4"},
    {"empty_group_name", "groups:\n  - name: \"\"\n    rules: []\n", "rules/empty-group-name",
     "Groupname must not be empty"},
    {"duplicate_group", "groups:\n  - name: g1\n    rules: []\n  - name: g1\n    rules: []\n", "rules/duplicate-group",
     "groupname: \"g1\" is repeated in the same file"},
    {"record_and_alert", "groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n",
     "rules/record-and-alert", "only one of 'record' and 'alert' must be set"},
    {"neither", "groups:\n  - name: g\n    rules:\n      - expr: up\n", "rules/missing-record-or-alert",
     "one of 'record' or 'alert' must be set"},
    {"missing_expr", "groups:\n  - name: g\n    rules:\n      - alert: C\n        expr: \"\"\n", "rules/missing-expr",
     "field 'expr' must be set in rule"},
    {"record_name", "groups:\n  - name: g\n    rules:\n      - record: bad-name\n        expr: up\n",
     "rules/invalid-record-name", "invalid recording rule name: bad-name"},
    {"recording_annotations",
     "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        annotations:\n          a: b\n",
     "rules/invalid-recording-field", "invalid field 'annotations' in recording rule"},
    {"recording_for", "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        for: 5m\n",
     "rules/invalid-recording-field", "invalid field 'for' in recording rule"},
    {"recording_keep_firing_for",
     "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        keep_firing_for: 5m\n",
     "rules/invalid-recording-field", "invalid field 'keep_firing_for' in recording rule"},
    {"label_name",
     "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        labels:\n          0bad: x\n",
     "rules/invalid-label-name", "invalid label name: 0bad"},
    {"label_name_metric",
     "groups:\n  - name: g\n    rules:\n      - alert: a\n        expr: up\n        labels:\n          __name__: x\n",
     "rules/invalid-label-name", "invalid label name: __name__"},
    {"annotation_name",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          a-b: x\n",
     "rules/invalid-annotation-name", "invalid annotation name: a-b"},
    {"for_duration", "groups:\n  - name: g\n    rules:\n      - alert: x\n        expr: up\n        for: 5x\n",
     "rules/invalid-duration", "not a valid duration string: \"5x\""},
    {"for_negative", "groups:\n  - name: g\n    rules:\n      - alert: x\n        expr: up\n        for: \"-5m\"\n",
     "rules/invalid-duration", "not a valid duration string: \"-5m\""},
    {"for_empty", "groups:\n  - name: g\n    rules:\n      - alert: x\n        expr: up\n        for: \"\"\n",
     "rules/invalid-duration", "empty duration string"},
    {"keep_firing_for",
     "groups:\n  - name: g\n    rules:\n      - alert: x\n        expr: up\n        keep_firing_for: 1x\n",
     "rules/invalid-duration", "not a valid duration string: \"1x\""},
    {"interval", "groups:\n  - name: g\n    interval: 1y2\n    rules: []\n", "rules/invalid-duration",
     "not a valid duration string: \"1y2\""},
    {"interval_unitless", "groups:\n  - name: g\n    interval: 5\n    rules: []\n", "rules/invalid-duration",
     "not a valid duration string: \"5\""},
    {"limit", "groups:\n  - name: g\n    limit: abc\n    rules: []\n", "rules/invalid-type",
     "cannot unmarshal !!str `abc` into int"},
    {"label_seq",
     "groups:\n  - name: g\n    rules:\n      - record: a\n        expr: up\n        labels:\n          x: [1]\n",
     "rules/invalid-type", "cannot unmarshal !!seq into string"},
    {"template_unclosed",
     "groups:\n  - name: g\n    rules:\n      - alert: B\n        expr: up\n        labels:\n          l: \"{{ $labels.x \"\n",
     "rules/invalid-template", "label \"l\": template: __alert_B:1: unclosed action"},
    {"template_operand",
     "groups:\n  - name: g\n    rules:\n      - alert: B\n        expr: up\n        annotations:\n          s: \"{{ .Foo }\"\n",
     "rules/invalid-template", "annotation \"s\": template: __alert_B:1: unexpected \"}\" in operand"},
    {"template_range",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          c: \"{{ range }}\"\n",
     "rules/invalid-template", "annotation \"c\": template: __alert_b:1: missing value for range"},
    {"template_end",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          d: \"{{ end }}\"\n",
     "rules/invalid-template", "annotation \"d\": template: __alert_b:1: unexpected {{end}}"},
    {"template_func",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          e: \"{{ .x | nofunc }}\"\n",
     "rules/invalid-template", "annotation \"e\": template: __alert_b:1: function \"nofunc\" not defined"},
    {"template_string",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          f: '{{/* c */}} {{ \"str }}'\n",
     "rules/invalid-template", "annotation \"f\": template: __alert_b:1: unterminated quoted string"},
    {"template_empty",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          a: \"{{ }}\"\n",
     "rules/invalid-template", "annotation \"a\": template: __alert_b:1: missing value for command"},
    {"template_variable",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          b: \"{{ $foo }}\"\n",
     "rules/invalid-template", "annotation \"b\": template: __alert_b:1: undefined variable \"$foo\""},
    {"template_eof",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          c: \"{{ if .x }}\"\n",
     "rules/invalid-template", "annotation \"c\": template: __alert_b:1: unexpected EOF"},
    {"template_paren",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          d: \"x\\n{{ ( }}\"\n",
     "rules/invalid-template", "annotation \"d\": template: __alert_b:2: unclosed left paren"},
    {"template_rparen",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          e: \"{{ ) }}\"\n",
     "rules/invalid-template", "annotation \"e\": template: __alert_b:1: unexpected \")\" in command"},
    {"template_else",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          f: \"{{ else }}\"\n",
     "rules/invalid-template", "annotation \"f\": template: __alert_b:1: unexpected {{else}}"},
    {"template_comment",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          g: \"{{/* x\"\n",
     "rules/invalid-template", "annotation \"g\": template: __alert_b:1: unclosed comment"},
    {"template_raw",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          i: \"{{ `abc }}\"\n",
     "rules/invalid-template", "annotation \"i\": template: __alert_b:1: unterminated raw quoted string"},
    {"template_if_empty",
     "groups:\n  - name: g\n    rules:\n      - alert: b\n        expr: up\n        annotations:\n          j: \"{{ if }}{{ end }}\"\n",
     "rules/invalid-template", "annotation \"j\": template: __alert_b:1: missing value for if"},
};

TEST(SourcesRules, PromtoolMessages) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    SourceFile f = load_rules("t.yaml", c.yaml);
    EXPECT_NE(find_diag(f, c.check_id, c.message), nullptr) << dump(f);
    // Only the expected check fires.
    for (const auto& d : f.diagnostics) EXPECT_EQ(d.check_id, c.check_id) << dump(f);
  }
}

TEST(SourcesRules, PromtoolParity) {
  if (!test::have_program("promtool")) GTEST_SKIP() << "promtool not installed";
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    std::string path = test::write_temp(std::string("rules-") + c.name + ".yaml", c.yaml);
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << "promtool said:\n" << r.out;
    std::remove(path.c_str());
  }
}

TEST(SourcesRules, ValidFilesAreCleanInBoth) {
  const std::string yaml =
      "groups:\n"
      "  - name: ok\n"
      "    interval: 1m30s\n"
      "    limit: 10\n"
      "    rules:\n"
      "      - record: job:up:sum\n"
      "        expr: sum by (job) (up)\n"
      "        labels:\n"
      "          team: a\n"
      "          n: 1\n"
      "      - alert: Down\n"
      "        expr: up == 0\n"
      "        for: 0\n"
      "        keep_firing_for: 1h\n"
      "        labels:\n"
      "          severity: '{{ if gt $value 1.0 }}critical{{ else }}warning{{ end }}'\n"
      "        annotations:\n"
      "          summary: \"{{ $labels.instance }} down {{ $value | humanize }} {{- /* c */ -}}\"\n"
      "          d: '{{ $x := 1 }}{{ $x }} {{ with $labels.job }}{{ . }}{{ end }} {{ range $i, $e := query \"up\" }}{{ $e.Value }}{{ end }}'\n"
      "          t: '{{ printf \"%.2f\" $value }} {{ (index $labels \"a\") | toUpper }} {{ $externalLabels.x }} {{ `raw` }} {{ 0.5 }}'\n";
  SourceFile f = load_rules("ok.yaml", yaml);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  ASSERT_EQ(f.expressions.size(), 2u);
  EXPECT_EQ(f.expressions[0].kind, ExpressionKind::RecordingRule);
  EXPECT_EQ(f.expressions[0].rule_name, "job:up:sum");
  EXPECT_EQ(f.expressions[0].group, "ok");
  EXPECT_EQ(f.expressions[0].scrape_interval_hint, "1m30s");
  EXPECT_EQ(f.expressions[1].kind, ExpressionKind::AlertingRule);
  EXPECT_EQ(f.expressions[1].text, "up == 0");
  EXPECT_EQ(f.expressions[1].rule_name, "Down");
  if (test::have_program("promtool")) {
    std::string path = test::write_temp("rules-ok.yaml", yaml);
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::remove(path.c_str());
  }
}

TEST(SourcesRules, SeveralErrorsWithPositions) {
  const std::string yaml =
      "groups:\n"
      "  - name: g1\n"
      "    rules:\n"
      "      - record: \"bad-name\"\n"
      "        expr: up\n"
      "      - alert: A\n"
      "        record: b\n"
      "        expr: up\n"
      "  - name: g1\n"
      "    rules: []\n";
  SourceFile f = load_rules("t.yaml", yaml);
  const Diagnostic* d = find_diag(f, "rules/invalid-record-name", "invalid recording rule name: bad-name");
  ASSERT_NE(d, nullptr) << dump(f);
  EXPECT_EQ(d->offset, yaml.find("\"bad-name\""));
  d = find_diag(f, "rules/duplicate-group", "groupname: \"g1\" is repeated in the same file");
  ASSERT_NE(d, nullptr) << dump(f);
  EXPECT_EQ(d->offset, yaml.rfind("name: g1"));
  d = find_diag(f, "rules/record-and-alert", "only one of 'record' and 'alert' must be set");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->offset, yaml.find("b\n        expr"));
  EXPECT_EQ(f.expressions.size(), 2u);
}

TEST(SourcesRules, DuplicateRules) {
  // promtool: "lint error 2 duplicate rule(s) found. Metric: B Label(s): Metric: a Label(s): x: 1"
  // (exit code 0); only repetitions within one group count.
  const std::string yaml =
      "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    labels: {x: \"1\"}\n"
      "  - record: a\n    expr: down\n    labels: {x: \"1\"}\n  - alert: B\n    expr: up\n  - alert: B\n    expr: up\n"
      "  - alert: B\n    expr: up\n    labels: {y: z}\n"
      "- name: h\n  rules:\n  - record: a\n    expr: up\n    labels: {x: \"1\"}\n";
  SourceFile f = load_rules("dup.yaml", yaml);
  ASSERT_EQ(ids(f), (std::vector<std::string>{"rules/duplicate-rule", "rules/duplicate-rule"})) << dump(f);
  EXPECT_EQ(f.diagnostics[0].severity, base::Severity::kWarning);
  EXPECT_EQ(f.diagnostics[0].message,
            "duplicate rule found: metric: a, label(s): {x: 1}; might cause inconsistency while recording expressions");
  EXPECT_EQ(f.diagnostics[0].offset, yaml.find("record: a", yaml.find("record: a") + 1));
  // Alerting rules: one alert with several conditions is a common pattern, so only info.
  EXPECT_EQ(f.diagnostics[1].severity, base::Severity::kInfo);
  EXPECT_EQ(f.diagnostics[1].message,
            "duplicate rule found: metric: B, label(s): {}; might cause inconsistency while recording expressions "
            "(for alerting rules: several conditions of one alert, fine if that is what is meant)");
  if (test::have_program("promtool")) {
    std::string path = test::write_temp("rules-dup.yaml", yaml);
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    EXPECT_NE(r.out.find("2 duplicate rule(s) found"), std::string::npos) << r.out;
    std::remove(path.c_str());
  }
}

TEST(SourcesRules, CrdOperatorFields) {
  const std::string yaml =
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n"
      "    partial_response_strategy: warn\n    rules:\n    - record: r\n      expr: up\n";
  SourceFile f = load_rules("crd.yaml", yaml);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  // Outside the CRD the strategy is a Thanos field: a Prometheus file rejects it; without a
  // declared dialect the field makes the file a Thanos one (sources_rule_dialects_test.cpp).
  LoadOptions prometheus;
  prometheus.rules_dialect = RulesDialect::Prometheus;
  SourceFile plain = load_rules("g.yaml", yaml.substr(yaml.find("  groups")).replace(0, 2, ""), prometheus);
  EXPECT_FALSE(plain.diagnostics.empty());
  EXPECT_TRUE(load_rules("g.yaml", yaml.substr(yaml.find("  groups")).replace(0, 2, "")).diagnostics.empty());
}

TEST(SourcesRules, QueryOffsetAccepted) {
  // Newer Prometheus (2.53+) field; promtool 2.42 does not know it.
  SourceFile f = load_rules("t.yaml", "groups:\n  - name: g\n    query_offset: 1m\n    rules: []\n");
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  f = load_rules("t.yaml", "groups:\n  - name: g\n    query_offset: 1q\n    rules: []\n");
  EXPECT_NE(find_diag(f, "rules/invalid-duration", "not a valid duration string: \"1q\""), nullptr) << dump(f);
}

TEST(SourcesRules, GoTemplateChecker) {
  EXPECT_EQ(check_go_template("plain text"), "");
  EXPECT_EQ(check_go_template("{{ $labels.instance }} is {{ $value | humanizePercentage }}"), "");
  EXPECT_EQ(check_go_template("{{- if eq $labels.severity \"critical\" -}}x{{- end -}}"), "");
  EXPECT_EQ(check_go_template("{{ .Labels.x"), "1: unclosed action");
  EXPECT_EQ(check_go_template("a\nb\n{{ end }}"), "3: unexpected {{end}}");
  EXPECT_EQ(check_go_template("{{ if .x }}\n{{ else if }}{{ end }}"), "2: missing value for if");
  EXPECT_EQ(check_go_template("{{ 'a }}"), "1: unterminated character constant");
}

// ---------------------------------------------------------------------------------------------
// Positions for every scalar style.

struct StyleCase {
  const char* name;
  const char* yaml;
  const char* text;  // expected expression text
};

const StyleCase kStyles[] = {
    {"plain", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: sum(rate(x{a=\"b\"}[5m])) by (job)\n",
     "sum(rate(x{a=\"b\"}[5m])) by (job)"},
    {"plain_multiline",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: sum(rate(x[5m]))\n      by (job)\n\n      > 1\n",
     "sum(rate(x[5m])) by (job)\n> 1"},
    {"plain_comment", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up == 1   # trailing comment\n",
     "up == 1"},
    {"single", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: 'up{job=''a''}   ==\n      1'\n",
     "up{job='a'}   == 1"},
    {"double",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: \"up{job=\\\"a\\\\b\\\"}\\t== \\u00e9\\x41 \\\n      or vector(1)\"\n",
     "up{job=\"a\\b\"}\t== \xc3\xa9"
     "A or vector(1)"},
    {"double_fold", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: \"sum(x)\n      by (a)\n\n      > 0\"\n",
     "sum(x) by (a)\n> 0"},
    {"literal",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: |\n      sum(x)\n        by (a)\n\n      > 0\n  - record: s\n    expr: up\n",
     "sum(x)\n  by (a)\n\n> 0\n"},
    {"literal_strip", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: |-\n      sum(x)\n      > 0\n\n\n",
     "sum(x)\n> 0"},
    {"literal_keep",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: |+\n      sum(x)\n\n\n  - record: s\n    expr: up\n",
     "sum(x)\n\n\n"},
    {"literal_indent", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: |2\n        sum(x)\n      > 0\n",
     "  sum(x)\n> 0\n"},
    {"folded",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: >\n      sum(rate(x[5m]))\n      by (job)\n\n      > 1\n",
     "sum(rate(x[5m])) by (job)\n> 1\n"},
    {"folded_more_indented",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: >-\n      sum(x)\n        by (a)\n      > 0\n",
     "sum(x)\n  by (a)\n> 0"},
    {"folded_keep",
     "groups:\n- name: g\n  rules:\n  - record: r\n    expr: >+ # comment\n      a\n      b\n\n  - record: s\n    expr: up\n",
     "a b\n\n"},
    {"folded_indent_strip", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: >2-\n       a\n      b\n", " a\nb"},
    {"crlf", "groups:\r\n- name: g\r\n  rules:\r\n  - record: r\r\n    expr: >-\r\n      a\r\n      b\r\n", "a b"},
    {"utf8", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: 'x{l=\"h\xc3\xa9llo\"}' # caf\xc3\xa9\n",
     "x{l=\"h\xc3\xa9llo\"}"},
    {"bom", "\xef\xbb\xbfgroups:\n- name: g\n  rules:\n  - record: r\n    expr: up + 1\n", "up + 1"},
    {"anchor", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: &e sum(x)\n  - record: s\n    expr: *e\n",
     "sum(x)"},
    {"flow", "groups: [{name: g, rules: [{record: r, expr: \"sum(x)\"}, {record: s, expr: 'y'}]}]\n", "sum(x)"},
};

TEST(SourcesRules, ScalarStylePositions) {
  for (const StyleCase& c : kStyles) {
    SCOPED_TRACE(c.name);
    SourceFile f = load_rules("t.yaml", c.yaml);
    EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
    ASSERT_FALSE(f.expressions.empty());
    const Expression& e = f.expressions[0];
    EXPECT_EQ(e.text, c.text);
    expect_map_consistent(c.yaml, e);
    for (const auto& x : f.expressions) expect_map_consistent(c.yaml, x);
    // The first character maps to the first content character in the file.
    std::string file = c.yaml;
    EXPECT_EQ(file[e.map.at(0)], e.text[0]);
  }
}

TEST(SourcesRules, PlainPositionsAreExact) {
  const std::string yaml = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: sum by (job) (rate(x[5m]))\n";
  SourceFile f = load_rules("t.yaml", yaml);
  ASSERT_EQ(f.expressions.size(), 1u);
  expect_map_exact(yaml, f.expressions[0]);
  EXPECT_EQ(f.expressions[0].map.at(0), yaml.find("sum"));
  EXPECT_EQ(f.expressions[0].map.to_file.back(), yaml.find("\n", yaml.find("sum")));
}

TEST(SourcesRules, EscapesAndFoldsMapToTheirSource) {
  const std::string yaml =
      "groups:\n- name: g\n  rules:\n  - record: r\n    expr: \"a\\\"b\\n\"\n  - record: s\n    expr: >\n      x\n      y\n";
  SourceFile f = load_rules("t.yaml", yaml);
  ASSERT_EQ(f.expressions.size(), 2u);
  const Expression& d = f.expressions[0];
  EXPECT_EQ(d.text, "a\"b\n");
  EXPECT_EQ(d.map.at(1), yaml.find("\\\"b"));  // the escaped quote maps to its backslash
  const Expression& fo = f.expressions[1];
  EXPECT_EQ(fo.text, "x y\n");
  EXPECT_EQ(fo.map.at(1), yaml.find("x\n") + 1);  // the folded space maps to the line break
}

// ---------------------------------------------------------------------------------------------

TEST(SourcesRules, PrometheusRuleCrd) {
  const std::string yaml =
      "apiVersion: monitoring.coreos.com/v1\n"
      "kind: PrometheusRule\n"
      "metadata:\n"
      "  name: example\n"
      "  labels: {prometheus: k8s}\n"
      "spec:\n"
      "  groups:\n"
      "    - name: crd\n"
      "      interval: 1m\n"
      "      rules:\n"
      "        - alert: HighErrors\n"
      "          expr: |\n"
      "            sum(rate(errors_total[5m])) > 1\n"
      "          for: 5mm\n";
  SourceFile f = load_rules("crd.yaml", yaml);
  ASSERT_EQ(f.expressions.size(), 1u) << dump(f);
  EXPECT_EQ(f.expressions[0].text, "sum(rate(errors_total[5m])) > 1\n");
  EXPECT_EQ(f.expressions[0].group, "crd");
  EXPECT_EQ(f.expressions[0].scrape_interval_hint, "1m");
  EXPECT_EQ(f.expressions[0].map.at(0), yaml.find("sum("));
  expect_map_consistent(yaml, f.expressions[0]);
  EXPECT_EQ(ids(f), std::vector<std::string>{"rules/invalid-duration"});
  EXPECT_EQ(f.diagnostics[0].offset, yaml.find("5mm"));
}

// A rendered bundle (kustomize build, helm template): other Kubernetes objects next to a
// PrometheusRule are not rules, even from monitoring.coreos.com; a document without apiVersion
// and kind is still read strictly.
TEST(SourcesRules, OtherKubernetesObjectsInABundleAreNotRules) {
  const std::string yaml =
      "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints: [{port: web}]\n"
      "---\n"
      "apiVersion: v1\nkind: ConfigMap\ndata:\n  a.json: '{}'\n"
      "---\n"
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n    rules:\n"
      "    - record: job:up:sum\n      expr: sum by (job) (up)\n"
      "---\n"
      "groups: []\nextra: 1\n";
  SourceFile f = load_rules("bundle.yaml", yaml);
  ASSERT_EQ(f.expressions.size(), 1u) << dump(f);
  EXPECT_EQ(f.expressions[0].text, "sum by (job) (up)");
  EXPECT_FALSE(f.not_a_rule_file);
  EXPECT_EQ(ids(f), std::vector<std::string>{"rules/unknown-field"}) << dump(f);
  EXPECT_EQ(f.diagnostics.at(0).offset, yaml.find("extra"));
  // Alone, such an object is read as rules when asked (--kind rules): strictly.
  SourceFile alone = load_rules("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
  EXPECT_TRUE(alone.not_a_rule_file);
  EXPECT_EQ(ids(alone), (std::vector<std::string>{"rules/unknown-field", "rules/unknown-field"})) << dump(alone);
}

TEST(SourcesRules, MultipleDocuments) {
  const std::string yaml =
      "groups:\n  - name: a\n    rules:\n      - record: r1\n        expr: up\n"
      "---\n"
      "# second\n"
      "groups:\n  - name: b\n    rules:\n      - alert: A2\n        expr: down > 0\n"
      "---\n"
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: c\n    rules:\n    - record: r3\n      expr: x\n"
      "---\n";
  SourceFile f = load_rules("multi.yaml", yaml);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  ASSERT_EQ(f.expressions.size(), 3u);
  EXPECT_EQ(f.expressions[1].group, "b");
  EXPECT_EQ(f.expressions[1].map.at(0), yaml.find("down"));
  EXPECT_EQ(f.expressions[2].group, "c");
  EXPECT_EQ(f.expressions[2].map.at(0), yaml.rfind("x\n"));
}

TEST(SourcesRules, Suppressions) {
  const std::string yaml =
      "# promvet: disable-file=promql/a, promql/b\n"
      "groups:\n"
      "  # promvet: disable=g/above\n"
      "  - name: g1  # promvet: disable=g/name\n"
      "    # promvet: disable=g/after\n"
      "    rules:\n"
      "      # promvet: disable=r/above\n"
      "      - record: r1  # promvet: disable=r/line,r/line2\n"
      "        expr: up\n"
      "      - alert: A2\n"
      "        expr: up  # promvet: disable=r/expr\n"
      "      # promvet: disable=r3/above\n"
      "\n"
      "      - alert: A3\n"
      "        expr: up\n"
      "  - name: g2\n"
      "    rules:\n"
      "      - record: r4\n"
      "        expr: up\n";
  SourceFile f = load_rules("s.yaml", yaml);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  EXPECT_EQ(f.file_disabled_checks, (std::vector<std::string>{"promql/a", "promql/b"}));
  ASSERT_EQ(f.expressions.size(), 4u);
  auto has = [](const Expression& e, const std::string& id) {
    return std::find(e.disabled_checks.begin(), e.disabled_checks.end(), id) != e.disabled_checks.end();
  };
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(has(f.expressions[i], "g/above"));
    EXPECT_TRUE(has(f.expressions[i], "g/name"));
    EXPECT_TRUE(has(f.expressions[i], "g/after"));
  }
  EXPECT_TRUE(has(f.expressions[0], "r/above"));
  EXPECT_TRUE(has(f.expressions[0], "r/line"));
  EXPECT_TRUE(has(f.expressions[0], "r/line2"));
  EXPECT_FALSE(has(f.expressions[0], "r/expr"));
  EXPECT_TRUE(has(f.expressions[1], "r/expr"));
  EXPECT_FALSE(has(f.expressions[1], "r/line"));
  EXPECT_FALSE(has(f.expressions[1], "r3/above"));  // separated from A3 by a blank line, not A2's
  EXPECT_FALSE(has(f.expressions[2], "r/expr"));
  EXPECT_TRUE(f.expressions[3].disabled_checks.empty());
}

// YAML (libyaml) ends a line at \r\n, \n, a lone \r, NEL, LS and PS alike, and its marks' line
// numbers say where a group or rule is: the suppression comments must be counted in the same
// lines, or they apply to the wrong rule (docs/fuzzing.md, campaign 2026-12-07, finding 1).
TEST(SourcesRules, SuppressionsWithEveryKindOfLineBreak) {
  const std::string lf =
      "groups:\n"
      "  # promvet: disable=g/above\n"
      "  - name: g1  # promvet: disable=g/name\n"
      "    rules:\n"
      "      # promvet: disable=r/above\n"
      "      - record: r1  # promvet: disable=r/line\n"
      "        expr: up\n"
      "      - alert: A2\n"
      "        expr: up  # promvet: disable=r/expr\n"
      "      - alert: A3\n"
      "        expr: up\n";
  for (std::string_view line_break : {"\n", "\r\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    std::string yaml;
    for (char c : lf) {
      if (c == '\n') yaml.append(line_break);
      else yaml.push_back(c);
    }
    SCOPED_TRACE(testing::PrintToString(std::string(line_break)));
    SourceFile f = load_rules("s.yaml", yaml);
    EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
    ASSERT_EQ(f.expressions.size(), 3u);
    const std::vector<std::vector<std::string>> want = {
        {"r/line", "r/above", "g/name", "g/above"}, {"r/expr", "g/name", "g/above"}, {"g/name", "g/above"}};
    for (size_t i = 0; i < want.size(); ++i) {
      std::vector<std::string> got = f.expressions[i].disabled_checks, expected = want[i];
      std::sort(got.begin(), got.end());
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(got, expected) << "expression " << i;
    }
  }
}

// Found by lint_rules_fuzz under ASan: YAML counts each lone \r as a line break, the suppression
// scan counts \n only, so the group's YAML line (11) lay past the scan's 6 lines and the look for
// a comment block above it read past the table. Seed: fuzz/corpus/lint_rules/regression_lone_cr.
TEST(SourcesRules, LoneCarriageReturnsBeforeAGroup) {
  const std::string yaml =
      "groups:\n\r\r\r\r\r\r\r\r\r\r  - name: g\n    rules:\n      - record: r\n        expr: up\n";
  SourceFile f = load_rules("cr.yaml", yaml);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_EQ(f.expressions[0].group, "g");
  EXPECT_EQ(f.expressions[0].text, "up");
  EXPECT_TRUE(f.expressions[0].disabled_checks.empty());
}

// ---------------------------------------------------------------------------------------------
// Bad input.

TEST(SourcesRules, InvalidYaml) {
  const std::string yaml = "groups:\n  - name: g1\n    rules:\n      - record: a\n        expr: [up\n";
  SourceFile f = load_rules("bad.yaml", yaml);
  ASSERT_EQ(ids(f), std::vector<std::string>{"source/invalid-yaml"});
  EXPECT_EQ(f.diagnostics[0].message.rfind("yaml: line ", 0), 0u) << f.diagnostics[0].message;
  EXPECT_GT(f.diagnostics[0].offset, yaml.find("expr"));
  EXPECT_TRUE(f.expressions.empty());
  f = load_rules("bad.yaml", "groups:\n  - name: g1\n   rules: x\n");
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/invalid-yaml"});
  f = load_rules("bad.yaml", "\t\"unterminated");
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/invalid-yaml"});
}

TEST(SourcesRules, AliasBombIsRefusedQuickly) {
  std::string yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int k = 0; k < 9; ++k) yaml += std::string(k ? "," : "") + "*" + prev;
    yaml += "]\n";
    prev = c;
  }
  yaml += "groups: [*j]\n";
  auto t0 = std::chrono::steady_clock::now();
  SourceFile f = load_rules("bomb.yaml", yaml);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("alias bomb refused in %.2f ms\n", ms);
  EXPECT_LT(ms, 2000);
  ASSERT_EQ(ids(f), std::vector<std::string>{"source/yaml-too-complex"}) << dump(f);
  EXPECT_NE(f.diagnostics[0].message.find("aliases"), std::string::npos);
}

TEST(SourcesRules, DeepNestingIsBounded) {
  for (const std::string& open : {std::string("["), std::string("{a: ")}) {
    std::string yaml = "groups: ";
    for (int i = 0; i < 200000; ++i) yaml += open;
    SourceFile f = load_rules("deep.yaml", yaml);
    ASSERT_EQ(ids(f), std::vector<std::string>{"source/too-deep"}) << open;
  }
  // Block nesting.
  std::string yaml;
  for (int i = 0; i < 5000; ++i) yaml += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  SourceFile f = load_rules("deep.yaml", yaml);
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/too-deep"});
  std::string dashes = "groups:\n";
  for (int i = 0; i < 5000; ++i) dashes += "- ";
  dashes += "x\n";
  f = load_rules("deep.yaml", dashes);
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/too-deep"});
  // Within a lower limit, still refused by the parse-time bound.
  LoadOptions small;
  small.max_depth = 4;
  f = load_rules("deep.yaml", "groups: [[[[[[1]]]]]]\n", small);
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/too-deep"});
}

TEST(SourcesRules, TooLarge) {
  LoadOptions o;
  o.max_bytes = 10;
  SourceFile f = load_rules("big.yaml", "groups: []\n# padding\n", o);
  EXPECT_EQ(ids(f), std::vector<std::string>{"source/too-large"});
}

TEST(SourcesRules, OddInputsDoNotCrash) {
  const char* inputs[] = {
      "",
      "---\n",
      "~\n",
      "42\n",
      "[1, 2]\n",
      "groups:\n",
      "groups: 3\n",
      "groups: [1, null, [2]]\n",
      "groups:\n- name: g\n  rules: {a: 1}\n",
      "groups:\n- name: [x]\n  rules: [3, null, {record: [1], expr: {a: b}}]\n",
      "groups:\n- name: g\n  rules:\n  - record: r\n    expr: *undefined\n",
      "groups:\n- name: g\n  rules:\n  - record: r\n    expr: !!str |\n      up\n",
      "\xef\xbb\xbfgroups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n",
      "groups:\n- name: g\n  rules:\n  - alert: r\n    expr: up\n    labels: {a: \"\xff\"}\n    annotations: [1]\n"};
  for (const char* in : inputs) {
    SCOPED_TRACE(in);
    SourceFile f = load_rules("odd.yaml", in);
    for (const auto& e : f.expressions) {
      EXPECT_EQ(e.map.to_file.size(), e.text.size() + 1);
      for (uint32_t o : e.map.to_file) EXPECT_LE(o, std::string(in).size());
    }
  }
}

// ---------------------------------------------------------------------------------------------

TEST(SourcesRules, LargeGeneratedFile) {
  std::string shared = test::shared_dir();
  std::string gen = shared + "/tools/gen_rules.py";
  if (shared.empty() || !test::have_program("python3")) GTEST_SKIP() << "generator not available";
  std::string path = test::write_temp("rules-20k.yaml", "");
  test::CommandResult r = test::run("python3 " + test::shell_quote(gen) + " 200 100 > " + test::shell_quote(path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string content = test::read_file(path);
  auto t0 = std::chrono::steady_clock::now();
  SourceFile f = load_rules(path, content);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("loaded 20,000 rules (%zu bytes) in %.3f s\n", content.size(), s);
  EXPECT_LT(s, 5.0);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f).substr(0, 2000);
  ASSERT_EQ(f.expressions.size(), 20000u);
  for (size_t i = 0; i < f.expressions.size(); i += 997) expect_map_exact(content, f.expressions[i]);
  std::remove(path.c_str());
}

TEST(SourcesRules, ManaLlmAlerts) {
  std::string path = test::testdata("examples/rules/mana_llm_alerts.yaml");
  std::string content = test::read_file(path);
  ASSERT_FALSE(content.empty());
  SourceFile f = load_rules(path, content);
  ASSERT_EQ(f.expressions.size(), 4u) << dump(f);
  for (const auto& e : f.expressions) {
    EXPECT_EQ(e.group, "llm_alerts");
    EXPECT_EQ(e.kind, ExpressionKind::AlertingRule);
    expect_map_consistent(content, e);
  }
  EXPECT_EQ(f.expressions[0].rule_name, "LLMServiceDown");
  if (test::have_program("promtool")) {
    test::CommandResult r = test::run("promtool check rules " + test::shell_quote(path) + " 2>&1");
    // Same verdict as promtool: clean iff promtool succeeds.
    EXPECT_EQ(r.exit_code == 0, f.diagnostics.empty()) << r.out << dump(f);
  }
}

// The file text at [begin, end).
std::string at(const std::string& content, uint32_t begin, uint32_t end) {
  if (begin > end || end > content.size())
    return "<bad range " + std::to_string(begin) + "," + std::to_string(end) + ">";
  return content.substr(begin, end - begin);
}

TEST(SourcesRulesInfo, OffsetsOfRuleNameForLabelsAndAnnotations) {
  const std::string content =
      "groups:\n"
      "  - name: g\n"
      "    rules:\n"
      "      - alert: \"HighErrors\"\n"
      "        expr: rate(errors_total[5m]) > 1\n"
      "        for: 10m\n"
      "        keep_firing_for: 2m\n"
      "        labels:\n"
      "          severity: 'page'\n"
      "          team: core\n"
      "        annotations:\n"
      "          summary: \"errors on {{ $labels.instance }}\"\n"
      "          description: |\n"
      "            job {{ $labels.job }}\n"
      "            is failing\n"
      "      - record: job:errors:rate5m\n"
      "        expr: sum by (job) (rate(errors_total[5m]))\n";
  SourceFile f = load_rules("x.yaml", content);
  ASSERT_EQ(f.expressions.size(), 2u) << dump(f);
  const RuleInfo& a = f.expressions[0].rule;
  EXPECT_EQ(at(content, a.offset, a.offset + 6), "alert:");
  EXPECT_EQ(at(content, a.name_offset, a.name_end), "\"HighErrors\"");
  EXPECT_TRUE(a.has_for);
  EXPECT_EQ(a.for_duration, "10m");
  EXPECT_EQ(at(content, a.for_offset, a.for_end), "10m");
  EXPECT_EQ(a.keep_firing_for, "2m");
  ASSERT_EQ(a.labels.size(), 2u);
  EXPECT_EQ(a.labels[0].name, "severity");
  EXPECT_EQ(a.labels[0].value, "page");
  EXPECT_EQ(at(content, a.labels[0].name_offset, a.labels[0].name_offset + 8), "severity");
  EXPECT_EQ(at(content, a.labels[0].value_offset, a.labels[0].value_end), "'page'");
  EXPECT_EQ(at(content, a.labels[1].value_offset, a.labels[1].value_end), "core");
  ASSERT_EQ(a.annotations.size(), 2u);
  EXPECT_EQ(a.annotations[0].name, "summary");
  EXPECT_EQ(a.annotations[0].value, "errors on {{ $labels.instance }}");
  EXPECT_EQ(at(content, a.annotations[0].value_offset, a.annotations[0].value_end),
            "\"errors on {{ $labels.instance }}\"");
  EXPECT_EQ(a.annotations[1].value, "job {{ $labels.job }}\nis failing\n");
  // A block scalar: from its indicator to the end of its last content line.
  EXPECT_EQ(at(content, a.annotations[1].value_offset, a.annotations[1].value_end),
            "|\n            job {{ $labels.job }}\n            is failing");
  const RuleInfo& r = f.expressions[1].rule;
  EXPECT_EQ(at(content, r.offset, r.offset + 7), "record:");
  EXPECT_EQ(at(content, r.name_offset, r.name_end), "job:errors:rate5m");
  EXPECT_FALSE(r.has_for);
  EXPECT_TRUE(r.labels.empty());
  EXPECT_TRUE(r.annotations.empty());
}

TEST(SourcesRulesInfo, GroupSuppressionsReachDiagnosticsOfItsRulesOnly) {
  const std::string content =
      "groups:\n"
      "  - name: g  # promvet: disable=rules/unknown-field\n"
      "    rules:\n"
      "      - record: a:b:c\n"
      "        expr: up\n"
      "        colour: red\n"
      "  - name: h\n"
      "    rules:\n"
      "      - record: a:b:d\n"
      "        expr: up\n"
      "        colour: blue\n";
  SourceFile f = load_rules("x.yaml", content);
  ASSERT_EQ(f.diagnostics.size(), 2u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].disabled_checks, std::vector<std::string>{"rules/unknown-field"});
  EXPECT_TRUE(f.diagnostics[1].disabled_checks.empty());
}

TEST(SourcesRulesInfo, EmptyForIsPresentWithoutDuration) {
  const std::string content = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for:\n";
  SourceFile f = load_rules("x.yaml", content);
  ASSERT_EQ(f.expressions.size(), 1u) << dump(f);
  EXPECT_TRUE(f.expressions[0].rule.has_for);
  EXPECT_EQ(f.expressions[0].rule.for_duration, "");
  EXPECT_LE(f.expressions[0].rule.for_end, content.size());
}

TEST(SourcesRulesInfo, RuleSuppressionsReachItsStructureDiagnostics) {
  const std::string content =
      "groups:\n"
      "  - name: g\n"
      "    rules:\n"
      "      # promvet: disable=rules/invalid-record-name\n"
      "      - record: bad-name\n"
      "        expr: up\n"
      "      - record: other-bad\n"
      "        expr: up  # promvet: disable=rules/unknown-field\n";
  SourceFile f = load_rules("x.yaml", content);
  ASSERT_EQ(f.diagnostics.size(), 2u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].check_id, "rules/invalid-record-name");
  EXPECT_EQ(f.diagnostics[0].disabled_checks, std::vector<std::string>{"rules/invalid-record-name"});
  // The second rule's own marker, not the first rule's.
  EXPECT_EQ(f.diagnostics[1].disabled_checks, std::vector<std::string>{"rules/unknown-field"});
  EXPECT_EQ(f.expressions[1].disabled_checks, std::vector<std::string>{"rules/unknown-field"});
}

}  // namespace
}  // namespace promvet::sources

namespace promvet::sources {
namespace {

// Found by lint_rules_fuzz (a 10 s timeout) when yaml-cpp was the parser: on this malformed
// 1 KB file it produced nodes from nothing, a million of them. libyaml refuses it at once, with
// the words promtool prints; the node budget (about one per byte) stays as a guard, tested in
// io_yaml_tree_test.
TEST(SourcesRules, ParserRunawayFileIsRefused) {
  std::string text = test::read_file(test::testdata("sources/rules/yaml_cpp_runaway.yaml"));
  ASSERT_EQ(text.size(), 1028u);
  SourceFile f = load_rules("runaway.yaml", text);
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].check_id, "source/invalid-yaml");
  EXPECT_EQ(f.diagnostics[0].message, "yaml: line 1: did not find expected node content");
  // The densest YAML stays under the budget: a null key and its null value per two bytes (each
  // is an unknown field of a rule file, but the document is read).
  std::string dense = "groups: []\n";
  for (int i = 0; i < 2000; ++i) dense += "?\n";
  SourceFile d = load_rules("dense.yaml", dense);
  EXPECT_EQ(d.diagnostics.size(), 2000u);
  for (const auto& diag : d.diagnostics) EXPECT_EQ(diag.check_id, "rules/unknown-field");
}

}  // namespace
}  // namespace promvet::sources

namespace promvet::sources {
namespace {

// An empty value is a null node just after its colon (libyaml's mark, go-yaml's): promtool says
// 5:10 for this file. yaml-cpp put it at the next key (6:5).
TEST(SourcesRules, EmptyValueIsPositionedAfterItsColonAsPromtoolDoes) {
  const std::string yaml = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr:\n    for: 1m\n";
  SourceFile f = load_rules("empty.yaml", yaml);
  ASSERT_EQ(ids(f), std::vector<std::string>{"rules/missing-expr"}) << dump(f);
  EXPECT_EQ(f.diagnostics[0].offset, yaml.find("expr:") + 5);
}

}  // namespace
}  // namespace promvet::sources
