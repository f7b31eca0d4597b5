#pragma once
// Flags binary operations between two vectors whose label sets can never match: sides aggregated
// by different labels, on(x) where one side lost x, group_left(x) whose "one" side lost x.
// User docs: docs/checks/promql/vector-matching.md
#include "checks/check.h"

namespace promvet::checks {

class VectorMatchingCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/vector-matching";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
