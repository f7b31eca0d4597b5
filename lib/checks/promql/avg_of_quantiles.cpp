#include "checks/promql/avg_of_quantiles.h"

#include <algorithm>

#include "checks/metric_types.h"
#include "checks/promql/labels.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// The expression of a recording rule in this file that records `name` as a histogram_quantile().
const Expr* recorded_quantile(const ExprContext& ctx, const std::string& name) {
  const ParsedExpression* p = ctx.file.recording_rule(name);
  return p && promql_labels::call_named(p->ast, "histogram_quantile") ? p->ast : nullptr;
}

// What makes `leaf` a quantile, for the message, or empty.
std::string quantile_source(const ExprContext& ctx, const Expr& leaf) {
  if (const auto* c = promql::as<promql::Call>(&leaf)) {
    if (c->name == "histogram_quantile") return c->name + "()";
    return {};
  }
  const auto* s = promql::as<promql::VectorSelector>(&leaf);
  if (!s) return {};
  std::string name = s->metric_name();
  for (const promql::Matcher& m : s->matchers) {
    // `quantile!="0.99"` or `quantile=~".+"` still selects quantiles; only `quantile=""` does not.
    if (m.name == "quantile" && !(m.op == promql::MatchOp::Equal && m.value.empty()))
      return "summary quantile series " + quote(name.empty() ? std::string(ctx.text(s->range)) : name);
  }
  if (name.empty()) return {};
  if (recorded_quantile(ctx, name)) return "the recording rule " + quote(name) + ", which records histogram_quantile()";
  SeriesType t = ctx.types().of(name);
  if (t.family_type == FamilyType::Summary && t.role == SeriesRole::Plain)
    return "summary quantile series " + quote(name) + " (" + describe(t.origin) + ")";
  return {};
}

// `sum(histogram_quantile(0.9, sum by (le) (...)))`: one quantile series per group, nothing is
// averaged.
bool one_series_per_group(const ExprContext& ctx, const promql::Aggregate& a, const Expr& leaf) {
  const Expr* produced = &leaf;
  if (const auto* s = promql::as<promql::VectorSelector>(&leaf))
    if (const Expr* recorded = recorded_quantile(ctx, s->metric_name())) produced = recorded;
  promql_labels::LabelSet l = promql_labels::output_labels(*produced);
  if (!l.closed) return false;
  for (const std::string& label : l.labels) {
    bool listed = std::find(a.grouping.begin(), a.grouping.end(), label) != a.grouping.end();
    if (listed == a.without) return false;
  }
  return true;
}

}  // namespace

CheckInfo AvgOfQuantilesCheck::info() const {
  return {kId, Severity::kWarning, "avg() or sum() over quantiles, which is not a quantile of anything"};
}

void AvgOfQuantilesCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* a = promql::as<promql::Aggregate>(&e);
    if (!a || (a->op != promql::AggregateOp::Avg && a->op != promql::AggregateOp::Sum) || !a->body()) return;
    for (const Expr* leaf : promql_labels::value_leaves(*a->body())) {
      std::string what = quantile_source(ctx, *leaf);
      if (what.empty() || one_series_per_group(ctx, *a, *leaf)) continue;
      bool histogram = what.rfind("histogram_quantile", 0) == 0;
      std::string fix =
          histogram ? "aggregate the buckets inside instead: histogram_quantile(q, sum by (le) (rate(x_bucket[5m])))"
                    : "summary quantiles cannot be aggregated; use max() for a worst case, or a histogram";
      out.report(ctx.source, a->op_range,
                 std::string(promql::to_string(a->op)) + "() over " + what +
                     ": an average or sum of quantiles is not a quantile of the combined data; " + fix);
      return;
    }
  });
}

}  // namespace promvet::checks
