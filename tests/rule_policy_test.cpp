// Rule-metadata policies: the `rule_policies:` schema (through a policy pack, the same parser
// .promvet.yaml uses) and the rules/metadata-policy check on rule files, positioned at the
// offending value or the rule's name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/lint_source.h"
#include "checks/registry.h"
#include "naming/policy.h"
#include "sources/rules.h"
#include "test_support.h"

namespace promvet {
namespace {

std::vector<std::string> errors_of(const std::string& yaml) {
  std::vector<naming::PolicyError> errors;
  std::optional<naming::Policy> p = naming::Policy::parse(yaml, "pack.yaml", &errors);
  EXPECT_FALSE(p.has_value());
  std::vector<std::string> out;
  for (const naming::PolicyError& e : errors) out.push_back(e.to_string());
  return out;
}

TEST(RulePolicySchema, UnknownKeysAndBadValuesArePositionedErrors) {
  EXPECT_EQ(
      errors_of("name: t\nrule_policies:\n- kind: alerts\n  labels:\n    severity: {requird: true}\n"),
      (std::vector<std::string>{
          "pack.yaml:3:9: rule_policies: \"kind\" must be alert, record or any, not \"alerts\"",
          "pack.yaml:5:15: rule_policies: \"severity\" asks for nothing: give required, allowed, pattern, url or forbidden",
          "pack.yaml:5:16: rule_policies: unknown key \"requird\" in a labels entry (known: required, allowed, pattern, forbidden, url)"}));
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- annotations:\n    runbook_url: {pattern: '('}\n"),
            (std::vector<std::string>{
                "pack.yaml:4:28: rule_policies: \"pattern\": invalid RE2 pattern \"(\": missing ): ("}));
  EXPECT_EQ(errors_of("name: t\nrule_policies: {kind: alert}\n"),
            (std::vector<std::string>{"pack.yaml:2:16: rule_policies: must be a list of policies"}));
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- kind: record\n  annotations: {summary: {required: true}}\n"),
            (std::vector<std::string>{
                "pack.yaml:4:16: rule_policies: recording rules have no annotations; use kind: alert"}));
}

TEST(RulePolicySchema, BoundsFilesAndForbiddenAreValidated) {
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- for: {min: 1h, max: 5m}\n  keep_firing_for: {mni: 1m}\n"),
            (std::vector<std::string>{
                "pack.yaml:3:8: rule_policies: \"for\": min 1h is greater than max 5m",
                "pack.yaml:4:20: rule_policies: \"keep_firing_for\" asks for nothing: give min, max or both",
                "pack.yaml:4:21: rule_policies: unknown key \"mni\" in \"keep_firing_for\" (known: min, max)"}));
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- interval: {min: 5 minutes}\n  max_rules_per_group: 0\n"),
            (std::vector<std::string>{
                "pack.yaml:3:19: rule_policies: \"interval.min\": unknown unit \" minutes\" in duration \"5 minutes\"",
                "pack.yaml:4:24: rule_policies: \"max_rules_per_group\" must be a positive integer"}));
  EXPECT_EQ(
      errors_of("name: t\nrule_policies:\n- files: {a: b}\n  labels: {pod: {forbidden: true, required: true}}\n"),
      (std::vector<std::string>{
          "pack.yaml:3:10: rule_policies: \"files\" must be a glob or a non-empty list of globs",
          "pack.yaml:4:17: rule_policies: \"pod\" is forbidden: required, allowed, pattern and url say nothing then"}));
  EXPECT_EQ(
      errors_of("name: t\nrule_policies:\n- kind: record\n  for: {min: 1m}\n  labels: {x: {url: yes}}\n"),
      (std::vector<std::string>{
          "pack.yaml:4:8: rule_policies: recording rules have no for; use kind: alert",
          "pack.yaml:5:15: rule_policies: \"x\" asks for nothing: give required, allowed, pattern, url or forbidden",
          "pack.yaml:5:21: rule_policies: \"url\" must be true or false"}));
}

TEST(RulePolicySchema, FileGlobsMatchThePathOrATailOfIt) {
  std::vector<naming::PolicyError> errors;
  std::optional<naming::Policy> p = naming::Policy::parse(
      "name: t\nrule_policies:\n- files: ['alerts/*.yaml', 'critical.yml']\n  labels: {a: {required: true}}\n",
      "pack.yaml", &errors);
  ASSERT_TRUE(p.has_value());
  const naming::RulePolicy& policy = p->rule_policies().at(0);
  EXPECT_TRUE(policy.applies_to(true, "g", "alerts/api.yaml"));
  EXPECT_TRUE(policy.applies_to(true, "g", "/repo/deploy/alerts/api.yaml"));
  EXPECT_TRUE(policy.applies_to(true, "g", "rules/critical.yml"));
  EXPECT_FALSE(policy.applies_to(true, "g", "rules/api.yaml"));
  EXPECT_FALSE(policy.applies_to(true, "g", "myalerts/api.yaml"));
  EXPECT_FALSE(policy.applies_to(true, "g", "noncritical.yml"));
}

TEST(RulePolicySchema, UrlShapeIsFormatOnly) {
  naming::MetadataRule r;
  r.url = true;
  EXPECT_EQ(r.check_value("https://runbooks.example.com/a?b=c#d"), "");
  EXPECT_EQ(r.check_value("http://wiki:8080"), "");
  EXPECT_NE(r.check_value("runbooks/disk"), "");
  EXPECT_NE(r.check_value("https://"), "");
  EXPECT_NE(r.check_value("https://wiki/a page"), "");
  EXPECT_NE(r.check_value(" https://wiki/a"), "");
  EXPECT_NE(r.check_value("://wiki/a"), "");
}

class MetadataPolicy : public ::testing::Test {
 protected:
  std::vector<std::string> lint(const std::string& rules, const std::string& policies) {
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> pack =
        naming::Policy::parse("name: t\nrule_policies:\n" + policies, "pack.yaml", &errors);
    EXPECT_TRUE(pack.has_value()) << (errors.empty() ? "" : errors[0].to_string());
    if (!pack) return {};
    checks::Registry registry = checks::make_registry();
    checks::LintOptions options;
    options.registry = &registry;
    options.settings.required_alert_labels = {};
    options.settings.rule_policies = pack->rule_policies();
    std::vector<std::string> out;
    for (const checks::Finding& f : checks::lint_source(sources::load_rules("r.yml", rules), rules, options))
      if (f.check_id == "rules/metadata-policy")
        out.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.message);
    return out;
  }
};

const char* kMixin =
    "- name: mixin\n  kind: alert\n  name_pattern: '^[A-Z][A-Za-z0-9]*$'\n"
    "  labels: {severity: {required: true, allowed: [critical, warning, info]}}\n"
    "  annotations: {summary: {required: true}, runbook_url: {pattern: '^https://runbooks\\.'}}\n";

TEST_F(MetadataPolicy, RequiredAllowedPatternAndName) {
  std::string rules =
      "groups:\n- name: g\n  rules:\n"
      "  - alert: high_error_rate\n    expr: up == 0\n    labels: {severity: bogus}\n"
      "    annotations: {summary: s, runbook_url: 'http://wiki/x'}\n"
      "  - alert: Down\n    expr: up == 0\n    labels: {severity: critical}\n    annotations: {summary: s}\n"
      "  - alert: NoSeverity\n    expr: up == 0\n    labels: {severity: ''}\n"
      "  - record: job:up:sum\n    expr: sum(up)\n";
  EXPECT_EQ(
      lint(rules, kMixin),
      (std::vector<std::string>{
          "4:12 alert name \"high_error_rate\" does not match ^[A-Z][A-Za-z0-9]*$ (rule policy \"mixin\")",
          "6:24 label severity=\"bogus\" is not one of critical, warning, info (rule policy \"mixin\")",
          "7:44 annotation runbook_url=\"http://wiki/x\" does not match ^https://runbooks\\. (rule policy \"mixin\")",
          "12:12 alerting rule \"NoSeverity\" has no \"severity\" label (rule policy \"mixin\")",
          "12:12 alerting rule \"NoSeverity\" has no \"summary\" annotation (rule policy \"mixin\")"}));
}

TEST_F(MetadataPolicy, ScopedByKindAndGroupAndTemplatesSkipped) {
  std::string rules =
      "groups:\n- name: api-alerts\n  rules:\n  - alert: A\n    expr: up == 0\n"
      "    labels: {team: '{{ $labels.team }}'}\n"
      "- name: other\n  rules:\n  - alert: B\n    expr: up == 0\n"
      "  - record: job:x\n    expr: sum(up)\n    labels: {team: Platform}\n";
  EXPECT_EQ(lint(rules, "- group: '^api-'\n  labels: {team: {required: true, pattern: '^[a-z]+$'}}\n"),
            std::vector<std::string>{});
  EXPECT_EQ(lint(rules, "- kind: record\n  labels: {team: {pattern: '^[a-z]+$'}}\n"),
            (std::vector<std::string>{"13:20 label team=\"Platform\" does not match ^[a-z]+$ (rule_policies)"}));
  EXPECT_EQ(lint(rules, "- kind: any\n  labels: {team: {required: true}}\n"),
            (std::vector<std::string>{"9:12 alerting rule \"B\" has no \"team\" label (rule_policies)"}));
}

TEST_F(MetadataPolicy, DurationBoundsGroupLimitsAndForbiddenKeys) {
  std::string rules =
      "groups:\n- name: g\n  interval: 2m\n  rules:\n"
      "  - alert: A\n    expr: up == 0\n    for: 30s\n    keep_firing_for: 2h\n    labels: {pod: x}\n"
      "  - alert: B\n    expr: up == 0\n    for: 10m\n"
      "  - alert: C\n    expr: up == 0\n"
      "- name: h\n  rules:\n  - alert: D\n    expr: up == 0\n    for: 1m\n";
  EXPECT_EQ(lint(rules,
                 "- kind: alert\n  for: {min: 1m, max: 5m}\n  keep_firing_for: {max: 1h}\n"
                 "  interval: {max: 1m}\n  max_rules_per_group: 2\n  labels: {pod: {forbidden: true}}\n"),
            (std::vector<std::string>{"2:9 group \"g\" has 3 rules, more than the maximum 2 (rule_policies)",
                                      "3:13 group \"g\": interval 2m is longer than the maximum 1m (rule_policies)",
                                      "7:10 for 30s is shorter than the minimum 1m (rule_policies)",
                                      "8:22 keep_firing_for 2h is longer than the maximum 1h (rule_policies)",
                                      "9:14 label \"pod\" is forbidden (rule_policies)",
                                      "12:10 for 10m is longer than the maximum 5m (rule_policies)",
                                      "13:12 alerting rule \"C\" has no for (the minimum is 1m) (rule_policies)"}));
}

TEST_F(MetadataPolicy, ScopedByFileGlob) {
  std::string rules = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n";
  EXPECT_EQ(lint(rules, "- files: 'other/*.yml'\n  for: {min: 1m}\n"), std::vector<std::string>{});
  EXPECT_EQ(lint(rules, "- files: ['other/*.yml', 'r.yml']\n  for: {min: 1m}\n"),
            (std::vector<std::string>{"4:12 alerting rule \"A\" has no for (the minimum is 1m) (rule_policies)"}));
}

TEST(MixinPack, BundledPackParses) {
  std::vector<naming::PolicyError> errors;
  std::optional<naming::Policy> p =
      naming::Policy::parse(test::read_file(test::source_dir() + "/policies/mixin.yaml"), "mixin.yaml", &errors);
  ASSERT_TRUE(p.has_value()) << (errors.empty() ? "" : errors[0].to_string());
  ASSERT_EQ(p->rule_policies().size(), 1u);
  EXPECT_EQ(p->rule_policies()[0].kind, "alert");
  EXPECT_EQ(p->rule_policies()[0].labels.size(), 1u);
  EXPECT_EQ(p->rule_policies()[0].annotations.size(), 3u);
}

}  // namespace
}  // namespace promvet
