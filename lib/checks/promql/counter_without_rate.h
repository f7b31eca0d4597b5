#pragma once
// Flags a counter used by its raw value: graphed, aggregated or compared without rate(),
// irate() or increase(). User docs: docs/checks/promql/counter-without-rate.md
#include "checks/check.h"

namespace promvet::checks {

class CounterWithoutRateCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/counter-without-rate";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
