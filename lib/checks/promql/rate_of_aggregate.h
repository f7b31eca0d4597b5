#pragma once
// Flags rate()/irate()/increase() over a subquery that sums (or otherwise combines) raw
// counters: `rate(sum(x_total)[5m:])`. Rate first, then aggregate.
// User docs: docs/checks/promql/rate-of-aggregate.md
#include "checks/check.h"

namespace promvet::checks {

class RateOfAggregateCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/rate-of-aggregate";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
