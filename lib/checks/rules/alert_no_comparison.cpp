#include "checks/rules/alert_no_comparison.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// Whether the result of `e` can be a strict subset of the series that exist: a comparison
// without `bool` somewhere in the top-level operator chain, absent(), or vector() (a
// deliberate always-firing alert such as a dead man's switch).
bool filters(const Expr* e) {
  e = promql::unwrap_parens(e);
  if (!e) return true;  // unsure: stay quiet
  switch (e->kind) {
    case promql::NodeKind::Number:
    case promql::NodeKind::String: return true;  // not an instant vector: not ours to judge
    case promql::NodeKind::VectorSelector:
    case promql::NodeKind::MatrixSelector: return false;
    case promql::NodeKind::Subquery: return filters(promql::as<promql::Subquery>(e)->expr.get());
    case promql::NodeKind::Unary: return filters(promql::as<promql::Unary>(e)->expr.get());
    case promql::NodeKind::Paren: return true;  // unreachable after unwrap_parens
    case promql::NodeKind::Aggregate: {
      const auto* a = promql::as<promql::Aggregate>(e);
      return filters(a->body());
    }
    case promql::NodeKind::Call: {
      const auto* c = promql::as<promql::Call>(e);
      if (c->name == "absent" || c->name == "absent_over_time" || c->name == "vector") return true;
      if (!c->func) return true;
      for (const auto& arg : c->args)
        if (arg && filters(arg.get()) && promql::type_of(*arg) != promql::ValueType::Scalar &&
            promql::type_of(*arg) != promql::ValueType::String)
          return true;
      return false;
    }
    case promql::NodeKind::Binary: {
      const auto* b = promql::as<promql::Binary>(e);
      if (promql::is_comparison(b->op) && !b->return_bool) return true;
      // `x > 1 or y`: the `y` side fires for all its series.
      if (b->op == promql::BinaryOp::Or) return filters(b->lhs.get()) && filters(b->rhs.get());
      // and, unless, arithmetic and `bool` comparisons keep at most the series of each side:
      // one filtered side is enough.
      auto vector_filters = [](const Expr* side) {
        return side && promql::type_of(*side) == promql::ValueType::Vector && filters(side);
      };
      return vector_filters(b->lhs.get()) || vector_filters(b->rhs.get());
    }
  }
  return true;
}

}  // namespace

CheckInfo AlertNoComparisonCheck::info() const {
  return {kId, Severity::kWarning, "an alerting rule with no comparison: it fires for every series that exists"};
}

void AlertNoComparisonCheck::check(const ExprContext& ctx, Reporter& out) const {
  if (ctx.source.kind != sources::ExpressionKind::AlertingRule) return;
  if (promql::type_of(ctx.ast) != promql::ValueType::Vector || filters(&ctx.ast)) return;
  const auto* top = promql::as<promql::Binary>(promql::unwrap_parens(&ctx.ast));
  if (top && promql::is_comparison(top->op) && top->return_bool) {
    // `x > bool 1` returns 0 or 1 for every series: the alert fires whatever the values.
    out.report(ctx.source, top->op_range,
               "alerting rule " + quote(ctx.source.rule_name) + " compares with \"bool\", which returns 0 or 1 for "
                   "every series instead of filtering, so it always fires; drop \"bool\"");
    return;
  }
  out.report(ctx.source, ctx.ast.range,
             "alerting rule " + quote(ctx.source.rule_name) +
                 " has no comparison in its expression, so it fires for every series it returns; add a condition "
                 "such as \"> 0\" or \"== 0\"");
}

}  // namespace promvet::checks
