#include "checks/promql/invalid.h"

namespace promvet::checks {

CheckInfo InvalidCheck::info() const {
  return {kId, Severity::kError, "a PromQL expression Prometheus would reject (syntax or types)", Stage::kParse};
}

void InvalidCheck::run(const FileContext& ctx, Reporter& out) const {
  if (!ctx.parse_errors) return;
  // An error at the end of the expression (e.g. "unexpected end of input") is an empty range
  // there: it points just past the expression's last character in the file.
  for (const auto& [e, error] : *ctx.parse_errors) out.report(*e, error.range, error.message);
}

}  // namespace promvet::checks
