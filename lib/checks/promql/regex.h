#pragma once
// Flags label matchers whose regex is redundant or wrong: anchors Prometheus adds anyway, `=~".*"`
// that matches everything, `=~` on a plain string, and a multi-value Grafana variable compared
// with `=`/`!=`. User docs: docs/checks/promql/regex.md
#include "checks/check.h"

namespace promvet::checks {

class RegexCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/regex";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
