// The rules/* checks, in id order.
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
}

}  // namespace promvet::checks
