#pragma once
// Flags a query selecting a metric that a naming-policy pack lists as deprecated or removed
// (vLLM's `vllm:gpu_cache_usage_perc` → `vllm:kv_cache_usage_perc`). The same id reports the
// metric in expositions (`promvet metrics --policy`). User docs: docs/checks/policy/deprecated-metric.md
#include "checks/check.h"

namespace promvet::checks {

class DeprecatedMetricCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "policy/deprecated-metric";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
