#include "checks/lint_catalogue.h"

#include <algorithm>

#include "checks/registry.h"

namespace promvet::checks {

namespace {

// Ids the loaders and the parser report (diagnostics), not Check objects.
const std::vector<LintCheckInfo>& diagnostic_ids() {
  static const std::vector<LintCheckInfo> catalogue = {
      {"promql/invalid", Severity::kError, "a PromQL expression Prometheus would reject (syntax or types)"},
      {"rules/duplicate-group", Severity::kError, "two rule groups with the same name in one file"},
      {"rules/duplicate-key", Severity::kError, "a YAML key repeated in one mapping"},
      {"rules/duplicate-rule", Severity::kWarning, "the same rule name and labels twice in one group"},
      {"rules/empty-group-name", Severity::kError, "a rule group without a name"},
      {"rules/invalid-annotation-name", Severity::kError, "an annotation name that is not a valid label name"},
      {"rules/invalid-duration", Severity::kError, "for, keep_firing_for, interval or query_offset is not a duration"},
      {"rules/invalid-label-name", Severity::kError, "a rule label name Prometheus rejects"},
      {"rules/invalid-label-value", Severity::kError, "a rule label value that is not valid UTF-8"},
      {"rules/invalid-record-name", Severity::kError, "a recording rule name that is not a valid metric name"},
      {"rules/invalid-recording-field", Severity::kError, "for, keep_firing_for or annotations on a recording rule"},
      {"rules/invalid-template", Severity::kError, "a Go template in labels or annotations that does not parse"},
      {"rules/invalid-type", Severity::kError, "a field with a value of the wrong YAML type or one its tool rejects"},
      {"rules/logql-skipped", Severity::kInfo, "LogQL expressions of a Loki rule file, not checked as PromQL"},
      {"rules/missing-expr", Severity::kError, "a rule without expr"},
      {"rules/missing-record-or-alert", Severity::kError, "a rule with neither record nor alert"},
      {"rules/record-and-alert", Severity::kError, "a rule with both record and alert"},
      {"rules/unknown-field", Severity::kError, "a field promtool does not know in a rule file"},
      {"source/expired-suppression", Severity::kWarning, "a suppression whose until= date has passed (it no longer suppresses)"},
      {"source/invalid-json", Severity::kError, "a dashboard file that is not valid JSON"},
      {"source/invalid-yaml", Severity::kError, "a rule file that is not valid YAML"},
      {"source/salvaged", Severity::kInfo, "expressions recovered from a dashboard that is not valid JSON"},
      {"source/too-deep", Severity::kError, "nesting deeper than the loader's limit"},
      {"source/too-large", Severity::kError, "a file larger than the loader's limit"},
      {"source/unused-suppression", Severity::kInfo, "a suppression marker that suppresses nothing"},
      {"source/yaml-too-complex", Severity::kError, "YAML aliases that expand too far (alias bomb)"},
  };
  return catalogue;
}

std::vector<LintCheckInfo> build() {
  std::vector<LintCheckInfo> all = diagnostic_ids();
  static const Registry registry = make_registry();  // immutable; its ids are static strings
  for (const auto& c : registry.checks()) {
    CheckInfo info = c->info();
    all.push_back({info.id, info.severity, info.summary});
  }
  std::sort(all.begin(), all.end(), [](const LintCheckInfo& a, const LintCheckInfo& b) { return a.id < b.id; });
  return all;
}

}  // namespace

const std::vector<LintCheckInfo>& lint_catalogue() {
  static const std::vector<LintCheckInfo> catalogue = build();
  return catalogue;
}

}  // namespace promvet::checks
