#pragma once
// Flags an alerting rule whose expression has no comparison or filter: it fires for every series
// (a question, at info, when the expression is a bare selector that may select only problems).
// User docs: docs/checks/rules/alert-no-comparison.md
#include "checks/check.h"

namespace promvet::checks {

class AlertNoComparisonCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "rules/alert-no-comparison";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
