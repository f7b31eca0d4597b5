#pragma once
// Flags comparisons that are always true or never true, and `x unless x`. (`bool` as an alert's
// whole comparison: rules/alert-no-comparison.)
// User docs: docs/checks/promql/fragile-and-impossible.md
#include "checks/check.h"

namespace promvet::checks {

class FragileAndImpossibleCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/fragile-and-impossible";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
