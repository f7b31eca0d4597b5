#pragma once
// Flags an equality matcher whose value the inventory never saw for that label (when it saw all values).
// User docs: docs/checks/inventory/unknown-label-value.md
#include "checks/check.h"

namespace promvet::checks {

class UnknownLabelValueCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "inventory/unknown-label-value";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
