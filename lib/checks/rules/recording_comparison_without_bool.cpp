#include "checks/rules/recording_comparison_without_bool.h"

#include "promql/walk.h"

namespace promvet::checks {

CheckInfo RecordingComparisonWithoutBoolCheck::info() const {
  return {kId, Severity::kInfo, "a recording rule that records a filtering comparison (a partial series set)"};
}

void RecordingComparisonWithoutBoolCheck::check(const ExprContext& ctx, Reporter& out) const {
  if (ctx.source.kind != sources::ExpressionKind::RecordingRule) return;
  const auto* b = promql::as<promql::Binary>(promql::unwrap_parens(&ctx.ast));
  if (!b || !promql::is_comparison(b->op) || b->return_bool) return;
  if (promql::type_of(*b) != promql::ValueType::Vector) return;
  const std::string op = promql::to_string(b->op);
  out.report(ctx.source, b->op_range,
             "recording rule " + quote(ctx.source.rule_name) + " records only the series where \"" + op +
                 "\" holds, so the recorded series come and go; use \"" + op +
                 " bool\" to record 0/1 for every series, or filter where it is read");
}

}  // namespace promvet::checks
