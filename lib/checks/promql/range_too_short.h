#pragma once
// Flags ranges too short for the function reading them (fewer than the samples it needs at the
// configured scrape interval), `$__interval` as a rate() range, and fixed rate() ranges in
// dashboards where `$__rate_interval` belongs. User docs: docs/checks/promql/range-too-short.md
#include "checks/check.h"

namespace promvet::checks {

class RangeTooShortCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/range-too-short";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
