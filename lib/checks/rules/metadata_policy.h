#pragma once
// Applies the rule-metadata policies (`rule_policies:` of .promvet.yaml and of policy packs,
// naming/rule_policy.h) to each alerting and recording rule: required labels and annotations,
// their allowed values, the rule name's pattern.
// User docs: docs/checks/rules/metadata-policy.md
#include "checks/check.h"

namespace promvet::checks {

class MetadataPolicyCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/metadata-policy";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
