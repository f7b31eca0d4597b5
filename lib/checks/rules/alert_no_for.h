#pragma once
// Flags an alerting rule without `for` (fires on one evaluation) or with `for` shorter than a scrape.
// User docs: docs/checks/rules/alert-no-for.md
#include "checks/check.h"

namespace promvet::checks {

class AlertNoForCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/alert-no-for";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
