#include "checks/rules/alert_no_comparison.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// The right side of `and`/`unless` that selects series: an instant vector other than vector(...),
// which has one series without labels and only matches with on().
bool condition_side(const Expr* rhs) {
  rhs = promql::unwrap_parens(rhs);
  if (!rhs || promql::type_of(*rhs) != promql::ValueType::Vector) return false;
  const auto* c = promql::as<promql::Call>(rhs);
  return !(c && c->name == "vector");
}

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
      // `a unless b`, `a and b`: only the series of `a` with (without) a match in `b` remain: a
      // condition on which series exist (`x unless x offset 2h`: new series), whatever `b` is.
      if ((b->op == promql::BinaryOp::Unless || b->op == promql::BinaryOp::And) && condition_side(b->rhs.get()))
        return true;
      // Arithmetic and `bool` comparisons keep at most the series of each side: one filtered
      // side is enough.
      auto vector_filters = [](const Expr* side) {
        return side && promql::type_of(*side) == promql::ValueType::Vector && filters(side);
      };
      return vector_filters(b->lhs.get()) || vector_filters(b->rhs.get());
    }
  }
  return true;
}

// The selector of a presence alert: `kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}`,
// possibly aggregated or relabelled (`count by (namespace) (...)`, `label_replace(...)`), whose
// series may exist only while something is wrong. Null for computed values (rate(), arithmetic).
const promql::VectorSelector* presence_selector(const Expr* e) {
  e = promql::unwrap_parens(e);
  if (!e) return nullptr;
  if (const auto* s = promql::as<promql::VectorSelector>(e)) return s;
  if (const auto* a = promql::as<promql::Aggregate>(e)) return presence_selector(a->body());
  if (const auto* c = promql::as<promql::Call>(e)) {
    static const char* const kRelabel[] = {"label_replace", "label_join",    "sort",
                                           "sort_desc",     "sort_by_label", "sort_by_label_desc"};
    for (const char* f : kRelabel)
      if (c->name == f && !c->args.empty()) return presence_selector(c->args.front().get());
  }
  return nullptr;
}

}  // namespace

CheckInfo AlertNoComparisonCheck::info() const {
  return {kId, Severity::kWarning,
          "an alerting rule with no comparison: it fires for every series that exists (info for a bare selector)"};
}

void AlertNoComparisonCheck::check(const ExprContext& ctx, Reporter& out) const {
  if (ctx.source.kind != sources::ExpressionKind::AlertingRule) return;
  if (promql::type_of(ctx.ast) != promql::ValueType::Vector || filters(&ctx.ast)) return;
  const auto* top = promql::as<promql::Binary>(promql::unwrap_parens(&ctx.ast));
  if (top && promql::is_comparison(top->op) && top->return_bool) {
    // `x > bool 1` returns 0 or 1 for every series: the alert fires whatever the values.
    out.report(ctx.source, top->op_range,
               "alerting rule " + quote(ctx.source.rule_name) +
                   " compares with \"bool\", which returns 0 or 1 for "
                   "every series instead of filtering, so it always fires; drop \"bool\"");
    return;
  }
  if (const promql::VectorSelector* sel = presence_selector(&ctx.ast)) {
    // Whether those series exist only during a problem is a fact about the exporter: ask.
    out.report(ctx.source, sel->range,
               "alerting rule " + quote(ctx.source.rule_name) + " has no comparison and fires for every series of " +
                   std::string(ctx.text(sel->range)) +
                   ": do these series exist only while something is wrong? If not, add a condition such as "
                   "\"> 0\" or \"== 0\"",
               {}, Severity::kInfo);
    return;
  }
  out.report(ctx.source, ctx.ast.range,
             "alerting rule " + quote(ctx.source.rule_name) +
                 " has no comparison in its expression, so it fires for every series it returns; add a condition "
                 "such as \"> 0\" or \"== 0\"");
}

}  // namespace promvet::checks
