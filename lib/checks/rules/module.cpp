// The rules/* checks and the rule-file loader's ids, in id order.
#include "checks/registry.h"
#include "checks/rules/alert_labels.h"
#include "checks/rules/alert_no_comparison.h"
#include "checks/rules/alert_no_for.h"
#include "checks/rules/alert_template.h"
#include "checks/rules/duplicate.h"
#include "checks/rules/invalid_template_query.h"
#include "checks/rules/metadata_policy.h"
#include "checks/rules/recording_comparison_without_bool.h"
#include "checks/rules/recording_name.h"
#include "checks/rules/value_in_alert_label.h"
#include "sources/diagnostic_ids.h"

namespace promvet::checks {

void register_rules_checks(Registry& r) {
  r.add(std::make_unique<AlertLabelsCheck>());
  r.add(std::make_unique<AlertNoComparisonCheck>());
  r.add(std::make_unique<AlertNoForCheck>());
  r.add(std::make_unique<AlertTemplateCheck>());
  r.add(std::make_unique<DuplicateCheck>());
  r.add(std::make_unique<InvalidTemplateQueryCheck>());
  r.add(std::make_unique<MetadataPolicyCheck>());
  r.add(std::make_unique<RecordingComparisonWithoutBoolCheck>());
  r.add(std::make_unique<RecordingNameCheck>());
  r.add(std::make_unique<ValueInAlertLabelCheck>());

  // What the rule-file loader (lib/sources/rules.cpp) reports, as promtool's rulefmt does.
  namespace ids = sources::ids;
  auto loader = [&r](std::string_view id, Severity severity, std::string_view summary) {
    r.add_info({id, severity, summary, Stage::kLoad});
  };
  loader(ids::kDuplicateGroup, Severity::kError, "two rule groups with the same name in one file");
  loader(ids::kDuplicateKey, Severity::kError, "a YAML key repeated in one mapping");
  loader(ids::kDuplicateRule, Severity::kWarning, "the same rule name and labels twice in one group");
  loader(ids::kEmptyGroupName, Severity::kError, "a rule group without a name");
  loader(ids::kInvalidAnnotationName, Severity::kError, "an annotation name that is not a valid label name");
  loader(ids::kInvalidDuration, Severity::kError, "for, keep_firing_for, interval or query_offset is not a duration");
  loader(ids::kInvalidLabelName, Severity::kError, "a rule label name Prometheus rejects");
  loader(ids::kInvalidLabelValue, Severity::kError, "a rule label value that is not valid UTF-8");
  loader(ids::kInvalidRecordName, Severity::kError, "a recording rule name that is not a valid metric name");
  loader(ids::kInvalidRecordingField, Severity::kError, "for, keep_firing_for or annotations on a recording rule");
  loader(ids::kInvalidTemplate, Severity::kError, "a Go template in labels or annotations that does not parse");
  loader(ids::kInvalidType, Severity::kError, "a field with a value of the wrong YAML type or one its tool rejects");
  loader(ids::kLogqlSkipped, Severity::kInfo, "LogQL expressions of a Loki rule file, not checked as PromQL");
  loader(ids::kMissingExpr, Severity::kError, "a rule without expr");
  loader(ids::kMissingRecordOrAlert, Severity::kError, "a rule with neither record nor alert");
  loader(ids::kRecordAndAlert, Severity::kError, "a rule with both record and alert");
  loader(ids::kUnknownField, Severity::kError, "a field promtool does not know in a rule file");
}

}  // namespace promvet::checks
