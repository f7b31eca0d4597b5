#include "checks/promql/irate_in_rule.h"

#include "promql/walk.h"

namespace promvet::checks {

CheckInfo IrateInRuleCheck::info() const {
  return {kId, Severity::kWarning, "irate() in an alerting or recording rule"};
}

void IrateInRuleCheck::check(const ExprContext& ctx, Reporter& out) const {
  sources::ExpressionKind kind = ctx.source.kind;
  if (kind != sources::ExpressionKind::AlertingRule && kind != sources::ExpressionKind::RecordingRule) return;
  const char* consequence = kind == sources::ExpressionKind::AlertingRule
                                ? "so the alert flaps with every spike and dip"
                                : "so the recorded series is as jumpy as its last two samples";
  promql::visit(ctx.ast, [&](const promql::Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c || c->name != "irate") return;
    out.report(ctx.source, c->name_range,
               std::string("irate() in ") + (kind == sources::ExpressionKind::AlertingRule ? "an " : "a ") +
                   sources::to_string(kind) + " uses only the last two samples of the window, " + consequence +
                   "; use rate()",
               "rate");
  });
}

}  // namespace promvet::checks
