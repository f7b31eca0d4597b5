#pragma once
// Flags grouping by __name__: after rate()/arithmetic the name is gone, and over one metric name
// it only adds the name as a label.
// User docs: docs/checks/promql/aggregate-by-name.md
#include "checks/check.h"

namespace promvet::checks {

class AggregateByNameCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "promql/aggregate-by-name";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
