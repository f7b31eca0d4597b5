// Rule files of Thanos, Mimir and Loki (sources/rule_dialects.h): the dialect is recognised or
// set, each dialect's own fields are decoded as its tool decodes them, another dialect's fields
// stay unknown, and LogQL is kept away from the PromQL parser with one note per file.
#include "sources/rule_dialects.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sources/rules.h"

namespace promvet::sources {
namespace {

std::string dump(const SourceFile& f) {
  std::string r;
  for (const auto& d : f.diagnostics) r += d.check_id + " @" + std::to_string(d.offset) + ": " + d.message + "\n";
  return r;
}

const Diagnostic* find_diag(const SourceFile& f, const std::string& id) {
  for (const auto& d : f.diagnostics)
    if (d.check_id == id) return &d;
  return nullptr;
}

SourceFile load(const std::string& yaml, RulesDialect d = RulesDialect::Auto) {
  LoadOptions o;
  o.rules_dialect = d;
  return load_rules("t.yaml", yaml, o);
}

TEST(RuleDialects, NamesParseAndPrint) {
  for (const char* n : {"auto", "prometheus", "thanos", "mimir", "loki"}) {
    auto d = parse_rules_dialect(n);
    ASSERT_TRUE(d.has_value()) << n;
    EXPECT_STREQ(dialect_name(*d), n);
  }
  EXPECT_FALSE(parse_rules_dialect("cortex").has_value());
  EXPECT_FALSE(parse_rules_dialect("Thanos").has_value());
}

TEST(RuleDialects, FieldsBelongToTheirDialects) {
  const DialectField* prs = dialect_group_field("partial_response_strategy");
  ASSERT_NE(prs, nullptr);
  EXPECT_TRUE(dialect_has(RulesDialect::Thanos, *prs));
  EXPECT_FALSE(dialect_has(RulesDialect::Mimir, *prs));
  EXPECT_FALSE(dialect_has(RulesDialect::Prometheus, *prs));
  EXPECT_EQ(dialects_having(*prs), "Thanos");
  EXPECT_EQ(evidence_of(*prs), RulesDialect::Thanos);
  for (const char* mimir_only : {"source_tenants", "evaluation_delay", "align_evaluation_time_on_interval"}) {
    const DialectField* f = dialect_group_field(mimir_only);
    ASSERT_NE(f, nullptr) << mimir_only;
    EXPECT_EQ(dialects_having(*f), "Mimir") << mimir_only;
    EXPECT_EQ(evidence_of(*f), RulesDialect::Mimir) << mimir_only;
  }
  const DialectField* rw = dialect_group_field("remote_write");
  ASSERT_NE(rw, nullptr);
  EXPECT_EQ(dialects_having(*rw), "Mimir and Loki");
  EXPECT_EQ(evidence_of(*rw), RulesDialect::Auto);
  const DialectField* labels = dialect_group_field("labels");
  ASSERT_NE(labels, nullptr);
  EXPECT_EQ(dialects_having(*labels), "Thanos, Mimir and Loki");
  EXPECT_FALSE(evidence_of(*labels).has_value());       // says nothing about the dialect
  EXPECT_EQ(dialect_group_field("interval"), nullptr);  // Prometheus' own
  EXPECT_EQ(dialect_group_field("partial_response"), nullptr);
  ASSERT_NE(dialect_top_field("namespace"), nullptr);
  EXPECT_EQ(dialect_top_field("groups"), nullptr);
}

TEST(RuleDialects, BoolsAsYamlV3DecodesThemIntoAGoBool) {
  for (const char* yes : {"true", "False", "TRUE", "yes", "Off", "n"}) EXPECT_TRUE(go_yaml_bool(yes)) << yes;
  for (const char* no : {"1", "0", "tRue", "enabled", "", "~"}) EXPECT_FALSE(go_yaml_bool(no)) << no;
}

TEST(RuleDialects, DetectionTakesTheFirstDecisiveEvidence) {
  EXPECT_EQ(detect_dialect({}).dialect, RulesDialect::Prometheus);
  EXPECT_EQ(detect_dialect({}).because, nullptr);
  std::vector<DialectEvidence> ev = {{"namespace", 0, RulesDialect::Auto}, {"LogQL `|=`", 40, RulesDialect::Loki}};
  DetectedDialect d = detect_dialect(ev);
  EXPECT_EQ(d.dialect, RulesDialect::Loki);
  ASSERT_NE(d.because, nullptr);
  EXPECT_EQ(d.because->what, "LogQL `|=`");
  ev = {{"namespace", 0, RulesDialect::Auto}};
  EXPECT_EQ(detect_dialect(ev).dialect, RulesDialect::Mimir);
  ev = {{"partial_response_strategy", 10, RulesDialect::Thanos}, {"source_tenants", 30, RulesDialect::Mimir}};
  EXPECT_EQ(detect_dialect(ev).dialect, RulesDialect::Thanos);
}

// pkg/store/storepb/custom.go: upper-cased lookup in {ABORT, WARN}, "" is abort.
TEST(RuleDialects, PartialResponseStrategyAsThanosDecodesIt) {
  for (const char* ok : {"warn", "WARN", "Warn", "abort", "ABORT", "aBoRt", ""})
    EXPECT_EQ(partial_response_strategy_error(ok), "") << ok;
  EXPECT_EQ(partial_response_strategy_error("partial"),
            "failed to unmarshal \"partial\" as 'partial_response_strategy'. Possible values are ABORT,WARN");
  EXPECT_EQ(partial_response_strategy_error(" warn"),
            "failed to unmarshal \" warn\" as 'partial_response_strategy'. Possible values are ABORT,WARN");
  EXPECT_NE(partial_response_strategy_error("a\"b").find("failed to unqote"), std::string::npos);
}

TEST(RuleDialects, LogqlIsRecognised) {
  struct Case {
    const char* expr;
    const char* sign;
  } cases[] = {
      {R"({app="api"} |= "error")", "|="},
      {R"(sum(rate({app="api"} |~ "err(or)?" [5m])))", "|~"},
      {R"(count_over_time({app="api"} |> "<_> 500 <_>" [1m]))", "|>"},
      {R"({app="api"} != "debug")", "!="},
      {R"({app="api"}  !~ `health.*`)", "!~"},
      {R"(sum by (level) (count_over_time({app="api"} | json [5m])))", "| json"},
      {R"({app="api"} | logfmt | duration > 10s)", "| logfmt"},
      {R"(quantile_over_time(0.99, {app="api"} | unwrap latency_ms [5m]) by (pod))", "| unwrap"},
      {R"(rate({app="api"} | status >= 500 [5m]))", "| status"},
      {R"(sum(bytes_rate({app="api"}[5m])))", "bytes_rate"},
      {R"(bytes_over_time ({app="api"}[1h]))", "bytes_over_time"},
  };
  for (const Case& c : cases) {
    std::optional<LogqlSign> s = find_logql(c.expr);
    ASSERT_TRUE(s.has_value()) << c.expr;
    EXPECT_EQ(s->sign, c.sign) << c.expr;
    EXPECT_EQ(std::string(c.expr).substr(s->offset, 1), std::string(c.sign).substr(0, 1)) << c.expr;
  }
  // PromQL, or LogQL that is also PromQL: not recognised.
  for (const char* promql : {
           R"(up{job=~"api|web"} == 0)",
           R"(sum(rate(errors_total[5m])) != 0)",
           R"(count_over_time({app="api"}[5m]))",
           R"({app="api"} != 1)",
           R"(a or b)",
           R"q(label_replace(up, "x", "$1", "job", "(a|b)"))q",
           "up # | json in a comment\n",
           R"(x{a='|= "q"'})",
           R"(sum(rate(x[5m]) | 2))",  // a PromQL typo stays PromQL, and is reported
           R"(my_bytes_rate(x))",
       })
    EXPECT_FALSE(find_logql(promql).has_value()) << promql;
}

TEST(RuleDialects, ThanosFileIsRecognisedAndItsValuesChecked) {
  const std::string yaml =
      "groups:\n"
      "  - name: a\n"
      "    partial_response_strategy: \"warn\"\n"
      "    labels: {team: storage}\n"
      "    rules:\n"
      "      - record: r\n"
      "        expr: up\n"
      "  - name: b\n"
      "    partial_response_strategy: sometimes\n"
      "    rules: []\n";
  SourceFile f = load(yaml);
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].check_id, "rules/invalid-type");
  EXPECT_EQ(f.diagnostics[0].message,
            "failed to unmarshal \"sometimes\" as 'partial_response_strategy'. Possible values are ABORT,WARN");
  EXPECT_EQ(f.diagnostics[0].offset, yaml.find("sometimes"));
  ASSERT_EQ(f.expressions.size(), 1u);
  EXPECT_FALSE(f.expressions[0].logql);

  // The same file declared Prometheus: Thanos' fields are unknown, and the message says why.
  f = load(yaml, RulesDialect::Prometheus);
  std::vector<std::string> messages;
  for (const auto& d : f.diagnostics) messages.push_back(d.check_id + ": " + d.message);
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "rules/unknown-field: field partial_response_strategy not found in type rulefmt.RuleGroup "
                          "(a Thanos field; this file is read as Prometheus, as configured)",
                          "rules/unknown-field: field labels not found in type rulefmt.RuleGroup (a Thanos, Mimir "
                          "and Loki field; this file is read as Prometheus, as configured)",
                          "rules/unknown-field: field partial_response_strategy not found in type rulefmt.RuleGroup "
                          "(a Thanos field; this file is read as Prometheus, as configured)",
                      }))
      << dump(f);
}

TEST(RuleDialects, MimirFileIsRecognisedAndItsValuesChecked) {
  const std::string good =
      "namespace: ns\n"
      "groups:\n"
      "- name: g\n"
      "  source_tenants: [tenant-1, tenant-2]\n"
      "  evaluation_delay: 3m\n"
      "  query_offset: 2m\n"
      "  align_evaluation_time_on_interval: true\n"
      "  remote_write:\n"
      "    - url: http://x/api/v1/push\n"
      "  rules:\n"
      "  - expr: sum(up)\n"
      "    record: summed_up\n";
  SourceFile f = load(good);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  EXPECT_EQ(load(good, RulesDialect::Mimir).diagnostics.size(), 0u);
  // Loki's tool has namespace and remote_write too, but not source_tenants and the rest.
  f = load(good, RulesDialect::Loki);
  EXPECT_EQ(f.diagnostics.size(), 4u) << dump(f);  // 3 unknown fields and the LogQL note

  const std::string bad =
      "groups:\n"
      "- name: g\n"
      "  source_tenants: {a: b}\n"
      "  evaluation_delay: 3 minutes\n"
      "  align_evaluation_time_on_interval: \"true\"\n"
      "  partial_response_strategy: warn\n"
      "  rules: []\n";
  f = load(bad);
  std::vector<std::string> messages;
  for (const auto& d : f.diagnostics) messages.push_back(d.check_id + ": " + d.message);
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "rules/invalid-type: cannot unmarshal !!map into []string",
                          "rules/invalid-duration: not a valid duration string: \"3 minutes\"",
                          "rules/invalid-type: cannot unmarshal !!str `true` into bool",
                          "rules/unknown-field: field partial_response_strategy not found in type rulefmt.RuleGroup "
                          "(a Thanos field; this file is read as Mimir because of source_tenants at line 3)",
                      }))
      << dump(f);
}

TEST(RuleDialects, ForeignFieldMessageNamesItsOwnDialect) {
  // Read as Mimir (source_tenants comes first); the Thanos field is reported as Thanos'.
  SourceFile f = load(
      "groups:\n- name: g\n  source_tenants: [a]\n  rules: []\n- name: h\n  partial_response_strategy: warn\n  rules: []\n");
  const Diagnostic* d = find_diag(f, "rules/unknown-field");
  ASSERT_NE(d, nullptr) << dump(f);
  EXPECT_EQ(d->message,
            "field partial_response_strategy not found in type rulefmt.RuleGroup (a Thanos field; this file is read as "
            "Mimir because of source_tenants at line 3)");
}

TEST(RuleDialects, LokiExpressionsAreMarkedWithOneNote) {
  const std::string yaml =
      "groups:\n"
      "  - name: logs\n"
      "    rules:\n"
      "      - alert: Quiet\n"
      "        expr: sum(count_over_time({app=\"api\"}[5m])) < 1\n"
      "      - alert: Errors\n"
      "        expr: sum(rate({app=\"api\"} |= \"error\" [5m])) > 1\n"
      "      - record: app:bytes:rate5m\n"
      "        expr: bytes_rate({app=\"api\"}[5m])\n";
  SourceFile f = load(yaml);
  ASSERT_EQ(f.expressions.size(), 3u);
  for (const Expression& e : f.expressions) EXPECT_TRUE(e.logql) << e.text;  // a Loki file: all of them
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  const Diagnostic& note = f.diagnostics[0];
  EXPECT_EQ(note.check_id, "rules/logql-skipped");
  EXPECT_EQ(note.severity, base::Severity::kInfo);
  EXPECT_EQ(note.message,
            "3 expressions not checked: this file is read as a Loki rule file (because of LogQL `|=` at line 7) and "
            "its expressions are LogQL; promvet checks PromQL");
  EXPECT_EQ(note.offset, yaml.find("sum(count"));

  f = load(yaml, RulesDialect::Loki);
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_NE(f.diagnostics[0].message.find("(as configured)"), std::string::npos) << dump(f);

  // Declared Prometheus: everything goes to the PromQL parser (which will reject the LogQL).
  f = load(yaml, RulesDialect::Prometheus);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  for (const Expression& e : f.expressions) EXPECT_FALSE(e.logql) << e.text;
}

TEST(RuleDialects, LogqlInAThanosFileIsSkippedAlone) {
  const std::string yaml =
      "groups:\n"
      "  - name: g\n"
      "    partial_response_strategy: warn\n"
      "    rules:\n"
      "      - record: a:up:sum\n"
      "        expr: sum(up)\n"
      "      - record: b:log:rate\n"
      "        expr: rate({app=\"x\"} | json [5m])\n";
  SourceFile f = load(yaml);
  ASSERT_EQ(f.expressions.size(), 2u);
  EXPECT_FALSE(f.expressions[0].logql);
  EXPECT_TRUE(f.expressions[1].logql);
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].message, "1 expression not checked: LogQL, not PromQL (LogQL `| json` at line 8)");
  // Declared Thanos: no guessing, the LogQL goes to the PromQL parser.
  f = load(yaml, RulesDialect::Thanos);
  EXPECT_TRUE(f.diagnostics.empty()) << dump(f);
  EXPECT_FALSE(f.expressions[1].logql);
}

// thanos-io/thanos cmd/thanos/testdata/rules-files/invalid-rules-data.yaml has this mistake.
TEST(RuleDialects, AGroupFieldOnARuleSaysWhereItBelongs) {
  SourceFile f = load(
      "groups:\n- name: g\n  partial_response_strategy: warn\n  rules:\n  - alert: A\n    partial_response_strategy: warn\n"
      "    expr: up == 0\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].message,
            "field partial_response_strategy not found in type rulefmt.RuleNode (a Thanos group field: it belongs on "
            "the group, not on a rule)");
  f = load("groups:\n- name: g\n  rules:\n  - alert: A\n    severity: page\n    expr: up == 0\n");
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].message, "field severity not found in type rulefmt.RuleNode");
}

TEST(RuleDialects, PrometheusRuleCrdStrategyIsValidated) {
  const std::string yaml =
      "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: g\n"
      "    partial_response_strategy: maybe\n    rules:\n    - record: r\n      expr: up\n";
  SourceFile f = load(yaml);
  ASSERT_EQ(f.diagnostics.size(), 1u) << dump(f);
  EXPECT_EQ(f.diagnostics[0].check_id, "rules/invalid-type");
}

TEST(RuleDialects, LabelsOfADialectAreValidatedLikeRuleLabels) {
  SourceFile f =
      load("groups:\n- name: g\n  partial_response_strategy: warn\n  labels: {__name__: x, ok: y}\n  rules: []\n");
  const Diagnostic* d = find_diag(f, "rules/invalid-label-name");
  ASSERT_NE(d, nullptr) << dump(f);
  EXPECT_EQ(d->message, "invalid label name: __name__");
  EXPECT_EQ(f.diagnostics.size(), 1u) << dump(f);
}

}  // namespace
}  // namespace promvet::sources
