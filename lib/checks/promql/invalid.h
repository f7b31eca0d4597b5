#pragma once
// Reports an expression Prometheus would reject: the first error of promql::parse (lexical,
// syntactic or a type error of checkAST), in Prometheus' words and at its position. The driver
// parses each expression once and hands the failures over in FileContext::parse_errors; this
// check reports them like any other, through the same collector and suppressions.
// User docs: docs/checks/promql/invalid.md
#include "checks/check.h"

namespace promvet::checks {

class InvalidCheck final : public Check {
 public:
  static constexpr std::string_view kId = "promql/invalid";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
};

}  // namespace promvet::checks
