#pragma once
// Parses the PromQL of `{{ query "..." }}` in alert labels and annotations: Prometheus only
// parses it when the alert fires, and a parse error then leaves the text unexpanded.
// User docs: docs/checks/rules/invalid-template-query.md
#include "checks/check.h"

namespace promvet::checks {

class InvalidTemplateQueryCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/invalid-template-query";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
