#include "checks/promql/rate_on_non_counter.h"

#include <array>

#include "checks/metric_types.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// What each misused function should have been. `replacement` is a drop-in name (same
// arguments), or empty when the fix needs more than a rename.
struct Advice {
  std::string_view function;
  std::string_view fix;
  std::string_view replacement;
};

// Counter functions read every decrease as a reset: over a gauge they invent increases.
constexpr std::array<Advice, 4> kCounterFunctions = {{
    {"increase", "use delta() for its change over the window", "delta"},
    {"irate", "use deriv() for its per-second change or avg_over_time() for its level", ""},
    {"rate", "use deriv() for its per-second change or avg_over_time() for its level", ""},
    {"resets", "use changes() to count how often it changed", "changes"},
}};

// Gauge functions take the raw difference: over a counter every restart is a huge drop.
constexpr std::array<Advice, 4> kGaugeFunctions = {{
    {"delta", "use increase(), which handles counter resets", "increase"},
    {"deriv", "use rate(), which handles counter resets", "rate"},
    {"idelta", "use irate() or increase(), which handle counter resets", ""},
    {"predict_linear", "use rate() for its per-second growth; predict_linear() breaks at every counter reset", ""},
}};

const Advice* find(std::string_view name, const std::array<Advice, 4>& table) {
  for (const Advice& a : table)
    if (a.function == name) return &a;
  return nullptr;
}

struct RangeArgument {
  const promql::VectorSelector* selector = nullptr;  // the series read, if a plain selector
  const promql::Call* gauge_call = nullptr;          // or a subquery over a gauge-producing call
};

RangeArgument range_argument(const promql::Call& c) {
  RangeArgument r;
  if (c.args.empty()) return r;
  const Expr* arg = promql::unwrap_parens(c.args[0].get());
  if (const auto* m = promql::as<promql::MatrixSelector>(arg)) {
    r.selector = promql::as<promql::VectorSelector>(m->selector.get());
  } else if (const auto* s = promql::as<promql::Subquery>(arg)) {
    const Expr* body = promql::unwrap_parens(s->expr.get());
    r.selector = promql::as<promql::VectorSelector>(body);
    // `sum(gauge)` is a gauge too (count() is not: it counts series).
    if (const auto* a = promql::as<promql::Aggregate>(body)) {
      bool keeps_values = a->op == promql::AggregateOp::Sum || a->op == promql::AggregateOp::Avg ||
                          a->op == promql::AggregateOp::Min || a->op == promql::AggregateOp::Max;
      if (keeps_values && a->body()) r.selector = promql::as<promql::VectorSelector>(promql::unwrap_parens(a->body()));
    }
    if (const auto* inner = promql::as<promql::Call>(body); inner && returns_gauge(inner->name)) r.gauge_call = inner;
  }
  return r;
}

// "a gauge", "an info metric".
std::string with_article(const SeriesType& t) {
  std::string kind = t.describe_kind();
  if (kind == "info" || kind == "stateset") kind += " metric";
  bool vowel = !kind.empty() && std::string_view("aeiou").find(kind[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + kind;
}

}  // namespace

CheckInfo RateOnNonCounterCheck::info() const {
  return {kId, Severity::kWarning, "a counter function over a gauge, or a gauge function over a counter"};
}

void RateOnNonCounterCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c) return;
    const Advice* counter_fn = find(c->name, kCounterFunctions);
    const Advice* gauge_fn = counter_fn ? nullptr : find(c->name, kGaugeFunctions);
    if (!counter_fn && !gauge_fn) return;
    RangeArgument arg = range_argument(*c);
    std::string fn = c->name + "()";
    if (counter_fn && arg.gauge_call) {
      out.report(ctx.source, c->name_range,
                 fn + " over the result of " + arg.gauge_call->name + "(), which is a gauge; " +
                     std::string(counter_fn->fix),
                 std::string(counter_fn->replacement));
      return;
    }
    if (!arg.selector) return;
    std::string name = arg.selector->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    const Advice* advice = counter_fn && t.gauge_like()   ? counter_fn
                           : gauge_fn && t.counter_like() ? gauge_fn
                                                          : nullptr;
    if (!advice) return;
    out.report(ctx.source, c->name_range,
               fn + " over " + quote(name) + ", which is " + with_article(t) + " (" + t.evidence() + "); " +
                   std::string(advice->fix),
               std::string(advice->replacement), t.finding_severity());
  });
}

}  // namespace promvet::checks
