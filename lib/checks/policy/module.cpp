// The policy/* ids: policy/deprecated-metric is a check of `promvet lint` (and of `promvet
// metrics`); the others are the naming-policy checks `promvet metrics --policy` runs over an
// exposition (naming::PolicyChecker), info entries here.
#include "checks/policy/deprecated_metric.h"
#include "checks/registry.h"
#include "naming/policy.h"

namespace promvet::checks {

void register_policy_checks(Registry& r) {
  r.add(std::make_unique<DeprecatedMetricCheck>());
  auto exposition = [&r](std::string_view id, std::string_view summary) {
    r.add_info({id, Severity::kWarning, summary, Stage::kExposition, kNeedsPolicies, kMetricsCommand});
  };
  exposition(naming::kPolicyForbiddenLabel, "a series carries a label the pack forbids");
  exposition(naming::kPolicyLabelNamePattern, "a label name does not match the pack's label_name_pattern");
  exposition(naming::kPolicyNamePattern, "a metric name does not match the pack's name_pattern");
  exposition(naming::kPolicyRequiredLabel, "a series lacks a label the pack requires");
  exposition(naming::kPolicyRequiredPrefix, "a metric name does not start with the pack's required prefix");
  exposition(naming::kPolicyUnit, "a metric name uses a unit the pack's unit conventions replace");
}

}  // namespace promvet::checks
