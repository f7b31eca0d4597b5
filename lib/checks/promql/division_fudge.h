#pragma once
// Flags `a / (b + 0.001)`: a small number added to a divisor to dodge division by zero.
// User docs: docs/checks/promql/division-fudge.md
#include "checks/check.h"

namespace promvet::checks {

class DivisionFudgeCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/division-fudge";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
