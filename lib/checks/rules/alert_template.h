#pragma once
// Flags $labels.x in alert labels/annotations when the expression's result cannot carry x.
// User docs: docs/checks/rules/alert-template.md
#include "checks/check.h"

namespace promvet::checks {

class AlertTemplateCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "rules/alert-template";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
