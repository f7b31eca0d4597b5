#pragma once
// Flags a Grafana variable whose value refers back to itself through other variables, or a chain
// of values holding references deeper than promvet expands. User docs:
// docs/checks/dashboard/recursive-variable.md
#include "checks/check.h"

namespace promvet::checks {

class RecursiveVariableCheck final : public Check {
 public:
  static constexpr std::string_view kId = "dashboard/recursive-variable";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
