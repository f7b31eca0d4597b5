#pragma once
// Flags a label matcher or by/without label that no series of the metric has in the inventory.
// User docs: docs/checks/inventory/unknown-label.md
#include "checks/check.h"

namespace promvet::checks {

class UnknownLabelCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "inventory/unknown-label";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
