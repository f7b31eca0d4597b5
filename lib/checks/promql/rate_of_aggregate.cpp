#include "checks/promql/rate_of_aggregate.h"

#include <array>

#include "checks/metric_types.h"
#include "promql/functions.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// rate, irate, increase: a counter in, its growth out.
bool is_counter_function(std::string_view name) {
  return promql::function_has(name, promql::kTakesCounter) && promql::function_has(name, promql::kReturnsGauge);
}

// Arithmetic that merges series or values; comparisons and set operators only filter.
bool combines(const Expr& e) {
  if (const auto* a = promql::as<promql::Aggregate>(&e)) {
    // count/group/topk/bottomk/limitk keep or count series: no value is summed.
    switch (a->op) {
      case promql::AggregateOp::Sum:
      case promql::AggregateOp::Avg:
      case promql::AggregateOp::Min:
      case promql::AggregateOp::Max:
      case promql::AggregateOp::Quantile:
      case promql::AggregateOp::Stddev:
      case promql::AggregateOp::Stdvar: return true;
      default: return false;
    }
  }
  if (const auto* b = promql::as<promql::Binary>(&e)) {
    if (promql::is_comparison(b->op) || promql::is_trim_operator(b->op) || promql::is_set_operator(b->op) || !b->lhs ||
        !b->rhs)
      return false;
    // `x_total * 8` scales one counter: its resets stay resets.
    return promql::type_of(*b->lhs) == promql::ValueType::Vector &&
           promql::type_of(*b->rhs) == promql::ValueType::Vector;
  }
  return false;
}

// The first counter read by its raw value inside the subquery body (not under a range, whose
// own function already turned it into something else), or null. One known by more than a bare
// `_count`/`_sum` name is preferred: the finding is then a warning.
const promql::VectorSelector* raw_counter(const Expr& body, const MetricTypes& types) {
  const promql::VectorSelector* found = nullptr;
  bool found_guess = false;
  promql::visit(body, [&](const Expr& e, const promql::Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s || (found && !found_guess)) return;
    for (const Expr* a : up)
      if (a->kind == promql::NodeKind::MatrixSelector || a->kind == promql::NodeKind::Subquery ||
          a->kind == promql::NodeKind::Call)
        return;
    std::string name = s->metric_name();
    if (name.empty()) return;
    SeriesType t = types.of(name);
    if (!t.counter_like() || (found && t.name_guess)) return;
    found = s;
    found_guess = t.name_guess;
  });
  return found;
}

// `sum by (job) (x_total)` under `rate(…[5m:])` → `sum by (job) (rate(x_total[5m]))`, when the
// body is one aggregation of one plain selector.
std::string suggestion(const ExprContext& ctx, const promql::Call& c, const promql::Subquery& sq, const Expr& body,
                       const promql::VectorSelector& sel) {
  const auto* a = promql::as<promql::Aggregate>(&body);
  if (!a || a->op != promql::AggregateOp::Sum || promql::unwrap_parens(a->body()) != &sel) return {};
  if (sel.mods.offset || sel.mods.at != promql::AtKind::None || sq.mods.offset || sq.mods.at != promql::AtKind::None)
    return {};
  // Text from an expanded Grafana variable (`[$__range:]`) would be written back expanded.
  for (const sources::VariableSpan& v : ctx.source.variable_spans)
    if (v.begin < c.range.end && v.end > c.range.begin) return {};
  std::string_view range = ctx.text(sq.range_duration.range);
  if (range.empty()) return {};
  std::string out(ctx.text({a->range.begin, sel.range.begin}));
  out += c.name + "(" + std::string(ctx.text(sel.range)) + "[" + std::string(range) + "])";
  out += ctx.text({sel.range.end, a->range.end});
  return out;
}

}  // namespace

CheckInfo RateOfAggregateCheck::info() const {
  return {kId, Severity::kWarning, "rate() or increase() over a subquery that aggregates raw counters"};
}

void RateOfAggregateCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c || !is_counter_function(c->name) || c->args.empty()) return;
    const auto* sq = promql::as<promql::Subquery>(promql::unwrap_parens(c->args[0].get()));
    if (!sq || !sq->expr) return;
    const Expr* body = promql::unwrap_parens(sq->expr.get());
    if (!body || !combines(*body)) return;
    const promql::VectorSelector* sel = raw_counter(*body, ctx.types());
    if (!sel) return;
    std::string name = sel->metric_name();
    SeriesType t = ctx.types().of(name);
    std::string what = promql::as<promql::Aggregate>(body)
                           ? std::string(promql::to_string(promql::as<promql::Aggregate>(body)->op)) + "()"
                           : std::string("\"") + promql::to_string(promql::as<promql::Binary>(body)->op) + "\"";
    std::string fix = suggestion(ctx, *c, *sq, *body, *sel);
    out.report(ctx.source, c->range,
               c->name + "() over a subquery that combines " + quote(name) + ", a " + t.describe_kind() + " (" +
                   t.evidence() + "), with " + what + ": a reset of one series looks like a drop of the total; apply " +
                   c->name + "() to each series first, then aggregate" + (fix.empty() ? std::string() : ": " + fix),
               fix, t.finding_severity());
  });
}

}  // namespace promvet::checks
