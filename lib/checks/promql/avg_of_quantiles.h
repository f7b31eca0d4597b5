#pragma once
// Flags avg()/sum() over quantiles (histogram_quantile() results or summary quantile series).
// User docs: docs/checks/promql/avg-of-quantiles.md
#include "checks/check.h"

namespace promvet::checks {

class AvgOfQuantilesCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/avg-of-quantiles";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
