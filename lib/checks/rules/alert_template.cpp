#include "checks/rules/alert_template.h"

#include <algorithm>

#include "checks/promql/labels.h"
#include "checks/rules/template_text.h"
#include "sources/rules.h"

namespace promvet::checks {
namespace {

bool label_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct Reference {
  std::string token;  // "$labels.instance" as written
  std::string label;  // "instance"
  size_t at = 0;      // index in the value
};

// `$labels.x` always names the alert's labels; `.Labels.x` only outside range/with blocks,
// where the dot is rebound (e.g. to query results), so those are skipped when present.
std::vector<Reference> references(const std::string& v) {
  std::vector<Reference> out;
  if (v.find("$labels :=") != std::string::npos || v.find("$labels:=") != std::string::npos) return out;
  const bool dot_rebound = v.find("range") != std::string::npos || v.find("with") != std::string::npos;
  for (std::string_view prefix : {std::string_view("$labels."), std::string_view(".Labels.")}) {
    if (prefix[0] == '.' && dot_rebound) continue;
    for (size_t i = v.find(prefix); i != std::string::npos; i = v.find(prefix, i + 1)) {
      if (prefix[0] == '.' && i > 0 && (label_char(v[i - 1]) || v[i - 1] == ')')) continue;
      size_t b = i + prefix.size(), e = b;
      while (e < v.size() && label_char(v[e])) ++e;
      if (e == b || (v[b] >= '0' && v[b] <= '9')) continue;
      out.push_back({v.substr(i, e - i), v.substr(b, e - b), i});
    }
  }
  return out;
}

// Prometheus fills $labels from the expression's sample only, but users also reference the
// rule's own labels and alertname there; whether that expands is not this check's question.
bool own_label(const sources::RuleInfo& rule, const std::string& label) {
  if (label == "alertname") return true;
  for (const sources::RuleEntry& l : rule.labels)
    if (l.name == label) return true;
  return false;
}

}  // namespace

CheckInfo AlertTemplateCheck::info() const {
  return {kId, Severity::kWarning, "an alert template uses a label the expression's result cannot have"};
}

void AlertTemplateCheck::check(const ExprContext& ctx, Reporter& out) const {
  if (ctx.source.kind != sources::ExpressionKind::AlertingRule) return;
  const promql_labels::LabelSet labels = promql_labels::output_labels(ctx.ast);
  if (!labels.closed && labels.dropped.empty()) return;  // nothing known to be missing
  auto scan = [&](const std::vector<sources::RuleEntry>& entries, const char* what) {
    for (const sources::RuleEntry& entry : entries) {
      std::vector<Reference> missing = references(entry.value);
      missing.erase(std::remove_if(missing.begin(), missing.end(),
                                   [&](const Reference& ref) {
                                     return labels.has(ref.label) || own_label(ctx.source.rule, ref.label);
                                   }),
                    missing.end());
      // The template is parsed only when there is something to report (most values are fine).
      if (missing.empty() || !sources::check_go_template(entry.value).empty()) continue;  // rules/invalid-template's
      for (const Reference& ref : missing) {
        auto [begin, end] = templates::place(ctx.file.content, entry, ref.token, ref.at);
        out.report_file(begin, end,
                        std::string(what) + " " + quote(entry.name) + " uses " + quote(ref.token) +
                            ", but the expression's result has no " + quote(ref.label) +
                            " label (aggregated or matched away), so it expands to an empty string; keep " +
                            quote(ref.label) + " in the expression's by()/on()/group_left() or drop the reference",
                        &ctx.source);
      }
    }
  };
  scan(ctx.source.rule.labels, "label");
  scan(ctx.source.rule.annotations, "annotation");
}

}  // namespace promvet::checks
