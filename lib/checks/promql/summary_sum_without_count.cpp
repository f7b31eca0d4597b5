#include "checks/promql/summary_sum_without_count.h"

#include <array>
#include <cctype>
#include <string>

#include "base/strings.h"
#include "checks/metric_types.h"
#include "promql/functions.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

bool mentions(const Expr& root, const std::string& series) {
  for (const promql::VectorSelector* s : promql::selectors(root))
    if (s->metric_name() == series) return true;
  return false;
}

// Grafana panels often query `_sum` and `_count` in two targets and divide them with an
// expression or a transformation: any target of the same panel naming `_count` is enough.
bool panel_mentions(const ExprContext& ctx, const std::string& series) {
  if (mentions(ctx.ast, series)) return true;
  const sources::Expression& self = ctx.source;
  if (self.kind != sources::ExpressionKind::PanelTarget || self.panel_id < 0) return false;
  for (const ParsedExpression& p : ctx.file.expressions) {
    const sources::Expression& other = *p.source;
    if (other.kind == self.kind && other.panel_id == self.panel_id && other.dashboard_uid == self.dashboard_uid &&
        mentions(*p.ast, series))
      return true;
  }
  return false;
}

// A panel titled "GC time/s", "Compaction rate" or "Busy time per second" shows the time spent
// per second on purpose (a utilisation), which is exactly what rate() of a `_seconds_sum` is.
bool title_says_per_second(const sources::Expression& e) {
  return panel_title_mentions(e, {"/s", "/ s", "per second", "per sec", "rate", "utiliz", "utilis", "busy", "spent"});
}

// Only a rate that reaches the result as is (through parentheses or scaling by a number, as in
// `* 1000` for milliseconds) is flagged. Aggregated (`sum(rate(x_sum[5m]))`, busy seconds per
// second), divided by anything, compared or passed to a function: the author did something on
// purpose with it.
bool reaches_result_alone(const Expr& call, const promql::Ancestors& up) {
  const Expr* child = &call;
  for (auto it = up.rbegin(); it != up.rend(); ++it) {
    const Expr* parent = *it;
    if (parent->kind == promql::NodeKind::Paren) {
      child = parent;
      continue;
    }
    const auto* b = promql::as<promql::Binary>(parent);
    if (!b || !b->lhs || !b->rhs) return false;
    if (b->op != promql::BinaryOp::Mul && !(b->op == promql::BinaryOp::Div && b->lhs.get() == child)) return false;
    const Expr* other = b->lhs.get() == child ? b->rhs.get() : b->lhs.get();
    if (promql::type_of(*other) != promql::ValueType::Scalar) return false;
    child = parent;
  }
  return true;
}

}  // namespace

CheckInfo SummarySumWithoutCountCheck::info() const {
  return {kId, Severity::kWarning, "rate() of a histogram's or summary's _sum without dividing by its _count"};
}

void SummarySumWithoutCountCheck::check(const ExprContext& ctx, Reporter& out) const {
  // A recording rule of the `_sum` rate is a building block, divided in a later rule.
  if (ctx.source.kind == sources::ExpressionKind::RecordingRule ||
      ctx.source.kind == sources::ExpressionKind::TemplateQuery)
    return;
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors& up) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c || c->args.empty()) return;
    // rate, irate, increase: a counter in, its growth out.
    if (!promql::function_has(c->name, promql::kTakesCounter) || !promql::function_has(c->name, promql::kReturnsGauge))
      return;
    const auto* m = promql::as<promql::MatrixSelector>(promql::unwrap_parens(c->args[0].get()));
    const auto* sel = m ? promql::as<promql::VectorSelector>(m->selector.get()) : nullptr;
    if (!sel) return;
    std::string name = sel->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    if (t.role != SeriesRole::Sum || !t.counter_like()) return;
    // Bytes or tokens per second is the usual reading of a size histogram's `_sum`: throughput.
    if (base::ends_with(t.family, "_bytes") || base::ends_with(t.family, "_tokens")) return;
    if (!reaches_result_alone(e, up) || title_says_per_second(ctx.source)) return;
    std::string count = t.family + "_count";
    if (panel_mentions(ctx, count)) return;
    out.report(ctx.source, c->range,
               c->name + "() of " + quote(name) + ", a " + t.describe_kind() + " (" + t.evidence() +
                   "), is the total of all observations " + (c->name == "increase" ? "in the window" : "per second") +
                   ", not their average; divide it by " + c->name + "() of " + quote(count) +
                   " for the average per observation",
               {}, t.finding_severity());
  });
}

}  // namespace promvet::checks
