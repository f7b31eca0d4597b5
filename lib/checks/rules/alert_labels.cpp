#include "checks/rules/alert_labels.h"

namespace promvet::checks {

CheckInfo AlertLabelsCheck::info() const {
  return {kId, Severity::kWarning, "an alerting rule without the labels required_alert_labels asks for"};
}

void AlertLabelsCheck::run(const FileContext& ctx, Reporter& out) const {
  const std::vector<std::string>& required = ctx.settings.required_alert_labels;
  if (required.empty()) return;
  for (const sources::Expression& e : ctx.file.expressions) {
    if (e.kind != sources::ExpressionKind::AlertingRule) continue;
    std::string missing;
    size_t count = 0;
    for (const std::string& name : required) {
      bool found = false;
      // Prometheus drops labels with an empty value: `severity: ""` is no label.
      for (const sources::RuleEntry& l : e.rule.labels) found = found || (l.name == name && !l.value.empty());
      if (found) continue;
      missing += (missing.empty() ? "" : ", ") + quote(name);
      ++count;
    }
    if (count == 0) continue;
    out.report_file(e.rule.name_offset, e.rule.name_end,
                    "alerting rule " + quote(e.rule_name) + " has no " + missing + (count > 1 ? " labels" : " label") +
                        "; add " + (count > 1 ? "them" : "it") +
                        " under \"labels:\" so Alertmanager can route and silence it (required_alert_labels)",
                    &e);
  }
}

}  // namespace promvet::checks
