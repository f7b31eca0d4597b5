#pragma once
// Flags absent() forms that do not do what they look like: a regex alternation, a grouped
// aggregation. (`$labels.x` that absent() does not produce: rules/alert-template.)
// User docs: docs/checks/promql/absent.md
#include "checks/check.h"

namespace promvet::checks {

class AbsentCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/absent";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
