#include "checks/promql/counter_without_rate.h"

#include <array>

#include "checks/metric_types.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Ancestors;
using promql::Expr;

// Consumers that look only at which series exist or when, never at the counter's value.
constexpr std::array<std::string_view, 2> kValueBlindFunctions = {"absent", "timestamp"};

bool value_blind(const Expr& parent, const Expr& child) {
  if (const auto* c = promql::as<promql::Call>(&parent)) {
    for (std::string_view f : kValueBlindFunctions)
      if (c->name == f) return true;
    // histogram_quantile over raw buckets is promql/histogram-quantile's finding.
    return c->name == "histogram_quantile";
  }
  if (const auto* a = promql::as<promql::Aggregate>(&parent)) {
    if (a->op == promql::AggregateOp::Count || a->op == promql::AggregateOp::Group) return true;
    if (a->op == promql::AggregateOp::CountValues) return false;
    return a->param() == &child;  // topk(k, …): the parameter is not the counter
  }
  if (const auto* b = promql::as<promql::Binary>(&parent)) {
    // `x and on(job) y_total`: only y's label sets matter.
    return promql::is_set_operator(b->op) && b->rhs.get() == &child;
  }
  return false;
}

// The counter's raw value reaches the result unless something on the way up ignores values.
// Selectors under a range (matrix selector or subquery) belong to the range function's checks.
bool used_raw(const Expr& selector, const Ancestors& up) {
  const Expr* child = &selector;
  for (auto it = up.rbegin(); it != up.rend(); ++it) {
    const Expr& parent = **it;
    if (parent.kind == promql::NodeKind::MatrixSelector || parent.kind == promql::NodeKind::Subquery) return false;
    if (value_blind(parent, *child)) return false;
    child = &parent;
  }
  return true;
}

// A recording rule that aggregates a raw counter records a counter (rated later): that is the
// documented way to pre-aggregate, not a misuse.
bool records_counter(const ExprContext& ctx) {
  if (ctx.source.kind != sources::ExpressionKind::RecordingRule) return false;
  const Expr* e = promql::unwrap_parens(&ctx.ast);
  while (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (a->op != promql::AggregateOp::Sum && a->op != promql::AggregateOp::Max && a->op != promql::AggregateOp::Min)
      return false;
    e = promql::unwrap_parens(a->body());
  }
  return e && e->kind == promql::NodeKind::VectorSelector;
}

std::string range_hint(const sources::Expression& e) {
  bool dashboard = e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation;
  return dashboard ? "[$__rate_interval]" : "[5m]";
}

}  // namespace

CheckInfo CounterWithoutRateCheck::info() const {
  return {kId, Severity::kWarning, "a counter graphed, aggregated or compared by its raw value"};
}

void CounterWithoutRateCheck::check(const ExprContext& ctx, Reporter& out) const {
  // Template variable queries list label values; a counter's value does not matter there.
  if (ctx.source.kind == sources::ExpressionKind::TemplateQuery || records_counter(ctx)) return;
  promql::visit(ctx.ast, [&](const Expr& e, const Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s || !used_raw(e, up)) return;
    std::string name = s->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    if (!t.counter_like()) return;
    std::string selector(ctx.text(s->range));
    std::string fix = "rate(" + selector + range_hint(ctx.source) + ")";
    out.report(ctx.source, s->range,
               quote(name) + " is a " + t.describe_kind() + " (" + describe(t.origin) +
                   ") used without rate() or increase(); use " + fix,
               s->mods.offset || s->mods.at != promql::AtKind::None ? std::string() : fix);
  });
}

}  // namespace promvet::checks
