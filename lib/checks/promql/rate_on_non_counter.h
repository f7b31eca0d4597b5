#pragma once
// Flags a counter function (rate, irate, increase, resets) over a gauge, and a gauge function
// (delta, idelta, deriv, predict_linear) over a counter.
// User docs: docs/checks/promql/rate-on-non-counter.md
#include "checks/check.h"

namespace promvet::checks {

class RateOnNonCounterCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/rate-on-non-counter";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
