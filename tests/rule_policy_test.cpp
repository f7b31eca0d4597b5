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
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- kind: alerts\n  labels:\n    severity: {requird: true}\n"),
            (std::vector<std::string>{
                "pack.yaml:3:9: rule_policies: \"kind\" must be alert, record or any, not \"alerts\"",
                "pack.yaml:5:15: rule_policies: \"severity\" asks for nothing: give required, allowed or pattern",
                "pack.yaml:5:16: rule_policies: unknown key \"requird\" in a labels entry (known: required, allowed, pattern)"}));
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- annotations:\n    runbook_url: {pattern: '('}\n"),
            (std::vector<std::string>{"pack.yaml:4:28: rule_policies: \"pattern\": invalid RE2 pattern \"(\": missing ): ("}));
  EXPECT_EQ(errors_of("name: t\nrule_policies: {kind: alert}\n"),
            (std::vector<std::string>{"pack.yaml:2:16: rule_policies: must be a list of policies"}));
  EXPECT_EQ(errors_of("name: t\nrule_policies:\n- kind: record\n  annotations: {summary: {required: true}}\n"),
            (std::vector<std::string>{"pack.yaml:4:16: rule_policies: recording rules have no annotations; use kind: alert"}));
}

class MetadataPolicy : public ::testing::Test {
 protected:
  std::vector<std::string> lint(const std::string& rules, const std::string& policies) {
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> pack = naming::Policy::parse("name: t\nrule_policies:\n" + policies, "pack.yaml", &errors);
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
  EXPECT_EQ(lint(rules, kMixin),
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
            (std::vector<std::string>{
                "13:20 label team=\"Platform\" does not match ^[a-z]+$ (rule_policies)"}));
  EXPECT_EQ(lint(rules, "- kind: any\n  labels: {team: {required: true}}\n"),
            (std::vector<std::string>{"9:12 alerting rule \"B\" has no \"team\" label (rule_policies)"}));
}

TEST(MixinPack, BundledPackParses) {
  std::vector<naming::PolicyError> errors;
  std::optional<naming::Policy> p =
      naming::Policy::parse(test::read_file(test::source_dir() + "/rules/mixin.yaml"), "mixin.yaml", &errors);
  ASSERT_TRUE(p.has_value()) << (errors.empty() ? "" : errors[0].to_string());
  ASSERT_EQ(p->rule_policies().size(), 1u);
  EXPECT_EQ(p->rule_policies()[0].kind, "alert");
  EXPECT_EQ(p->rule_policies()[0].labels.size(), 1u);
  EXPECT_EQ(p->rule_policies()[0].annotations.size(), 2u);
}

}  // namespace
}  // namespace promvet
