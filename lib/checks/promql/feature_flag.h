#pragma once
// Reports each use of PromQL that Prometheus accepts only behind a feature flag (experimental
// functions and aggregations, duration expressions, anchored/smoothed ranges, fill modifiers),
// naming the flag; silent for the features .promvet.yaml's prometheus_features (or
// --enable-feature) says the server has. User docs: docs/checks/promql/feature-flag.md
#include "checks/check.h"

namespace promvet::checks {

class FeatureFlagCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/feature-flag";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
