#include "checks/rules/metadata_policy.h"

#include "naming/policy.h"

namespace promvet::checks {
namespace {

std::string by(const naming::RulePolicy& p) {
  return p.name.empty() ? std::string(" (rule_policies)") : " (rule policy " + quote(p.name) + ")";
}

// One kind of entry (labels or annotations) of one rule against one policy's rules for it.
void check_entries(const sources::Expression& e, const std::vector<sources::RuleEntry>& entries,
                   const std::vector<naming::MetadataRule>& rules, const char* what, const naming::RulePolicy& p,
                   Reporter& out) {
  const char* rule_kind = e.kind == sources::ExpressionKind::AlertingRule ? "alerting rule " : "recording rule ";
  for (const naming::MetadataRule& r : rules) {
    const sources::RuleEntry* found = nullptr;
    for (const sources::RuleEntry& entry : entries)
      if (entry.name == r.key) found = &entry;
    // Prometheus drops a label with an empty value: `severity: ""` is no label.
    if (!found || found->value.empty()) {
      if (r.required)
        out.report_file(e.rule.name_offset, e.rule.name_end,
                        rule_kind + quote(e.rule_name) + " has no " + quote(r.key) + " " + what + by(p), &e);
      continue;
    }
    // A templated value is only known when the alert fires.
    if (found->value.find("{{") != std::string::npos) continue;
    std::string why = r.check_value(found->value);
    if (why.empty()) continue;
    out.report_file(found->value_offset, found->value_end,
                    std::string(what) + " " + r.key + "=" + quote(found->value) + " " + why + by(p), &e);
  }
}

}  // namespace

CheckInfo MetadataPolicyCheck::info() const {
  return {kId, Severity::kWarning, "a rule's labels, annotations or name break a rule policy of .promvet.yaml or a pack"};
}

void MetadataPolicyCheck::run(const FileContext& ctx, Reporter& out) const {
  // .promvet.yaml's policies, then those of the --policy / policies: packs.
  std::vector<const naming::RulePolicy*> policies;
  for (const naming::RulePolicy& p : ctx.settings.rule_policies) policies.push_back(&p);
  if (ctx.policies)
    for (const naming::Policy& pack : *ctx.policies)
      for (const naming::RulePolicy& p : pack.rule_policies()) policies.push_back(&p);
  if (policies.empty()) return;
  for (const sources::Expression& e : ctx.file.expressions) {
    bool alerting = e.kind == sources::ExpressionKind::AlertingRule;
    if (!alerting && e.kind != sources::ExpressionKind::RecordingRule) continue;
    for (const naming::RulePolicy* policy : policies) {
      const naming::RulePolicy& p = *policy;
      if (!p.applies_to(alerting, e.group)) continue;
      if (!p.name_matches(e.rule_name))
        out.report_file(e.rule.name_offset, e.rule.name_end,
                        std::string(alerting ? "alert name " : "recorded series name ") + quote(e.rule_name) +
                            " does not match " + p.name_pattern + by(p),
                        &e);
      check_entries(e, e.rule.labels, p.labels, "label", p, out);
      if (alerting) check_entries(e, e.rule.annotations, p.annotations, "annotation", p, out);
    }
  }
}

}  // namespace promvet::checks
