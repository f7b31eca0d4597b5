#pragma once
// Flags `$value` / `.Value` in an alerting rule's labels: labels are the alert's identity, so a
// label that follows the value makes a new alert whenever the value changes.
// User docs: docs/checks/rules/value-in-alert-label.md
#include "checks/check.h"

namespace promvet::checks {

class ValueInAlertLabelCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/value-in-alert-label";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
