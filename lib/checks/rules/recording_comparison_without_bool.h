#pragma once
// Flags a recording rule whose expression is a filtering comparison (records a partial series set).
// User docs: docs/checks/rules/recording-comparison-without-bool.md
#include "checks/check.h"

namespace promvet::checks {

class RecordingComparisonWithoutBoolCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "rules/recording-comparison-without-bool";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
