#pragma once
// Flags an alerting rule without the labels .promvet.yaml requires (required_alert_labels).
// User docs: docs/checks/rules/alert-labels.md
#include "checks/check.h"

namespace promvet::checks {

class AlertLabelsCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/alert-labels";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
