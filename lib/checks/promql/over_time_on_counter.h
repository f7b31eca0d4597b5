#pragma once
// Flags sum/avg/min/max/quantile/stddev/stdvar_over_time() over a counter, where increase() or
// rate() was meant. User docs: docs/checks/promql/over-time-on-counter.md
#include "checks/check.h"

namespace promvet::checks {

class OverTimeOnCounterCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/over-time-on-counter";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
