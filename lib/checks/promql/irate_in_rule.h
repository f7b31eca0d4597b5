#pragma once
// Flags irate() in alerting and recording rules: it reads only the last two samples, so the
// rule's result jumps around and alerts flap. User docs: docs/checks/promql/irate-in-rule.md
#include "checks/check.h"

namespace promvet::checks {

class IrateInRuleCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/irate-in-rule";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
