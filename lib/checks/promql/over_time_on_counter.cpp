#include "checks/promql/over_time_on_counter.h"

#include <array>

#include "checks/metric_types.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// Functions that do arithmetic on the samples' values. Left out on purpose: count_over_time,
// present_over_time, absent_over_time (only whether samples exist), changes and resets (made
// for counters), last_over_time (reads the latest sample, the usual way to bridge gaps; the
// result is the counter itself).
struct Advice {
  std::string_view function;
  std::string_view fix;
};
constexpr std::array<Advice, 8> kValueFunctions = {{
    {"avg_over_time", "use rate() for the average per-second rate over the window"},
    {"mad_over_time", "apply it to a rate: mad_over_time(rate(…)[1h:])"},
    {"max_over_time", "use increase() for how much it grew, or max_over_time(rate(…)[1h:]) for the peak rate"},
    {"min_over_time", "use increase() for how much it grew, or min_over_time(rate(…)[1h:]) for the lowest rate"},
    {"quantile_over_time", "apply it to a rate: quantile_over_time(0.9, rate(…)[1h:])"},
    {"stddev_over_time", "apply it to a rate: stddev_over_time(rate(…)[1h:])"},
    {"stdvar_over_time", "apply it to a rate: stdvar_over_time(rate(…)[1h:])"},
    {"sum_over_time", "use increase() for how much it grew over the window"},
}};

const Advice* find(std::string_view name) {
  for (const Advice& a : kValueFunctions)
    if (a.function == name) return &a;
  return nullptr;
}

// The range-vector argument: the first for most, the second for quantile_over_time.
const promql::VectorSelector* counter_selector(const promql::Call& c) {
  for (const promql::ExprPtr& arg : c.args) {
    const Expr* a = promql::unwrap_parens(arg.get());
    if (const auto* m = promql::as<promql::MatrixSelector>(a))
      return promql::as<promql::VectorSelector>(m->selector.get());
    if (const auto* s = promql::as<promql::Subquery>(a))
      return promql::as<promql::VectorSelector>(promql::unwrap_parens(s->expr.get()));
  }
  return nullptr;
}

}  // namespace

CheckInfo OverTimeOnCounterCheck::info() const {
  return {kId, Severity::kWarning, "sum/avg/max/min…_over_time() over a counter's raw values"};
}

void OverTimeOnCounterCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c) return;
    const Advice* advice = find(c->name);
    if (!advice) return;
    const promql::VectorSelector* sel = counter_selector(*c);
    if (!sel) return;
    std::string name = sel->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    if (!t.counter_like()) return;
    out.report(ctx.source, c->name_range,
               c->name + "() over " + quote(name) + ", which is a " + t.describe_kind() + " (" + t.evidence() +
                   "), works on its ever-growing raw value; " + std::string(advice->fix),
               {}, t.finding_severity());
  });
}

}  // namespace promvet::checks
