#pragma once
// Flags a selector whose metric the inventory does not have: a typo, a metric renamed by a new
// release, or one that was never exposed. User docs: docs/checks/inventory/unknown-metric.md
#include "checks/check.h"

namespace promvet::checks {

class UnknownMetricCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "inventory/unknown-metric";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
