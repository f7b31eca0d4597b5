#pragma once
// Flags `x and absent(y)` (and `unless`) where the series of `x` carry labels that absent()'s one
// series lacks: they never match, so the expression never returns anything (`unless`: removes
// nothing). Closed label sets and on(...) are promql/vector-matching's.
// User docs: docs/checks/promql/and-absent.md
#include "checks/check.h"

namespace promvet::checks {

class AndAbsentCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/and-absent";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
