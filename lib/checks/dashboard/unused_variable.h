#pragma once
// Flags a variable defined in a dashboard's templating.list that nothing in the dashboard
// references. User docs: docs/checks/dashboard/unused-variable.md
#include "checks/check.h"

namespace promvet::checks {

class UnusedVariableCheck final : public Check {
 public:
  static constexpr std::string_view kId = "dashboard/unused-variable";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
