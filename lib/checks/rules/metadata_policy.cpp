#include "checks/rules/metadata_policy.h"

#include <set>
#include <utility>

#include "base/duration.h"
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
    if (r.forbidden) {
      if (found)
        out.report_file(found->name_offset, found->name_offset + static_cast<uint32_t>(found->name.size()),
                        std::string(what) + " " + quote(r.key) + " is forbidden" + by(p), &e);
      continue;
    }
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

// `for` / `keep_firing_for` of an alerting rule against the policy's bounds. An unset duration
// is 0, which only a minimum can object to; it is reported at the rule's name.
void check_duration(const sources::Expression& e, const std::string& text, uint32_t begin, uint32_t end,
                    const naming::DurationBounds& bounds, const char* key, const naming::RulePolicy& p, Reporter& out) {
  if (bounds.empty()) return;
  if (text.empty()) {
    if (bounds.min_ms > 0)
      out.report_file(e.rule.name_offset, e.rule.name_end,
                      "alerting rule " + quote(e.rule_name) + " has no " + key + " (the minimum is " + bounds.min_text +
                          ")" + by(p),
                      &e);
    return;
  }
  base::DurationResult d = base::parse_duration(text);
  if (!d.error.empty()) return;  // rules/invalid-duration's finding
  std::string why = bounds.check(d.ms);
  if (!why.empty()) out.report_file(begin, end, std::string(key) + " " + text + " " + why + by(p), &e);
}

// A group's interval and size, once per group and policy.
void check_group(const sources::Expression& e, const naming::RulePolicy& p, Reporter& out) {
  const sources::RuleInfo& g = e.rule;
  if (!p.interval_bounds.empty() && !e.scrape_interval_hint.empty()) {
    base::DurationResult d = base::parse_duration(e.scrape_interval_hint);
    std::string why = d.error.empty() ? p.interval_bounds.check(d.ms) : std::string();
    if (!why.empty())
      out.report_file(g.interval_offset, g.interval_end,
                      "group " + quote(e.group) + ": interval " + e.scrape_interval_hint + " " + why + by(p), &e);
  }
  if (p.max_rules_per_group > 0 && g.group_rule_count > p.max_rules_per_group)
    out.report_file(g.group_name_offset, g.group_name_end,
                    "group " + quote(e.group) + " has " + std::to_string(g.group_rule_count) +
                        " rules, more than the maximum " + std::to_string(p.max_rules_per_group) + by(p),
                    &e);
}

}  // namespace

CheckInfo MetadataPolicyCheck::info() const {
  return {kId, Severity::kWarning,
          "a rule's labels, annotations or name break a rule policy of .promvet.yaml or a pack"};
}

void MetadataPolicyCheck::run(const FileContext& ctx, Reporter& out) const {
  // .promvet.yaml's policies, then those of the --policy / policies: packs.
  std::vector<const naming::RulePolicy*> policies;
  for (const naming::RulePolicy& p : ctx.settings.rule_policies) policies.push_back(&p);
  if (ctx.policies)
    for (const naming::Policy& pack : *ctx.policies)
      for (const naming::RulePolicy& p : pack.rule_policies()) policies.push_back(&p);
  if (policies.empty()) return;
  std::set<std::pair<const naming::RulePolicy*, uint32_t>> groups_checked;
  for (const sources::Expression& e : ctx.file.expressions) {
    bool alerting = e.kind == sources::ExpressionKind::AlertingRule;
    if (!alerting && e.kind != sources::ExpressionKind::RecordingRule) continue;
    for (const naming::RulePolicy* policy : policies) {
      const naming::RulePolicy& p = *policy;
      if (!p.applies_to(alerting, e.group, ctx.file.path)) continue;
      if (groups_checked.insert({policy, e.rule.group_offset}).second) check_group(e, p, out);
      if (!p.name_matches(e.rule_name))
        out.report_file(e.rule.name_offset, e.rule.name_end,
                        std::string(alerting ? "alert name " : "recorded series name ") + quote(e.rule_name) +
                            " does not match " + p.name_pattern + by(p),
                        &e);
      check_entries(e, e.rule.labels, p.labels, "label", p, out);
      if (!alerting) continue;
      check_entries(e, e.rule.annotations, p.annotations, "annotation", p, out);
      check_duration(e, e.rule.for_duration, e.rule.for_offset, e.rule.for_end, p.for_bounds, "for", p, out);
      check_duration(e, e.rule.keep_firing_for, e.rule.keep_firing_for_offset, e.rule.keep_firing_for_end,
                     p.keep_firing_for_bounds, "keep_firing_for", p, out);
    }
  }
}

}  // namespace promvet::checks
