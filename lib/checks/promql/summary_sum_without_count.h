#pragma once
// Flags a graphed rate()/increase() of a histogram's or summary's `_sum` that is never divided
// by the rate of its `_count`: the total of all observations per second, not their average.
// User docs: docs/checks/promql/summary-sum-without-count.md
#include "checks/check.h"

namespace promvet::checks {

class SummarySumWithoutCountCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/summary-sum-without-count";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
