#pragma once
// Flags a Grafana variable referenced in a dashboard query that the dashboard does not define and
// that is not a Grafana global. User docs: docs/checks/dashboard/undefined-variable.md
#include "checks/check.h"

namespace promvet::checks {

class UndefinedVariableCheck final : public Check {
 public:
  static constexpr std::string_view kId = "dashboard/undefined-variable";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
