#pragma once
// Flags recording rule names that break the level:metric:operations convention.
// User docs: docs/checks/rules/recording-name.md
#include "checks/check.h"

namespace promvet::checks {

class RecordingNameCheck final : public ExpressionCheck {
 public:
  static constexpr std::string_view kId = "rules/recording-name";
  CheckInfo info() const override;

 protected:
  void check(const ExprContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
