#pragma once
// Flags a multi-value or include-all Grafana variable inside a metric name, a label name or a
// by/without list, where the regex Grafana sends for several values cannot stand. User docs:
// docs/checks/dashboard/multi-value-in-name.md
#include "checks/check.h"

namespace promvet::checks {

class MultiValueInNameCheck final : public Check {
 public:
  static constexpr std::string_view kId = "dashboard/multi-value-in-name";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
