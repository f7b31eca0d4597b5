#pragma once
// Flags a Prometheus datasource uid (or legacy name) written into a dashboard instead of a
// datasource variable. User docs: docs/checks/dashboard/datasource.md
#include "checks/check.h"

namespace promvet::checks {

class DatasourceCheck final : public Check {
 public:
  static constexpr std::string_view kId = "dashboard/datasource";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
