#pragma once
// Flags histogram_quantile() calls that cannot give the quantile asked for: buckets aggregated
// without "le", raw bucket counters, non-histogram series, q outside [0, 1].
// User docs: docs/checks/promql/histogram-quantile.md
#include "checks/check.h"

namespace promvet::checks {

class HistogramQuantileCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/histogram-quantile";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
