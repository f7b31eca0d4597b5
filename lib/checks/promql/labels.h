#pragma once
// Static reasoning about PromQL results shared by several promql/* checks: which labels an
// expression's series can carry, whether the metric name survives, and which selectors feed an
// expression's values.
//
//   LabelSet l = output_labels(*ast);
//   if (l.closed && !l.has("le")) ...      // `sum by (job) (...)`: "le" is gone
//   if (drops_metric_name(*ast)) ...        // `rate(x[5m])`: no __name__ any more
//
// Pure functions over the AST; thread-safe. Unknown functions and shapes give the weakest answer
// (an open label set, "name kept"), so checks built on them stay quiet when unsure.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "promql/ast.h"

namespace promvet::checks::promql_labels {

// The first argument of `c` that is an instant vector or a range (the series a function reads),
// or null: `round(x, 5)` reads x, `label_replace(x, ...)` reads x.
const promql::Expr* first_series_arg(const promql::Call& c);

// The labels a result's series may carry. Closed: at most `labels` (after `by (...)`, or an
// aggregation without grouping). Open: any label except those in `dropped`.
struct LabelSet {
  bool closed = false;
  std::set<std::string> labels;   // closed: every label that may be present
  std::set<std::string> dropped;  // open: labels known to be absent
  bool has(const std::string& l) const { return closed ? labels.count(l) > 0 : dropped.count(l) == 0; }
  void remove(const std::string& l);
  void add(const std::string& l);
};

LabelSet output_labels(const promql::Expr& e);

// A number written as a literal (`0.9`, `-1`, `(95)`), if `e` is one.
std::optional<double> literal_number(const promql::Expr* e);
// `%g` formatting, for numbers quoted back in messages.
std::string format_for_message(double v);

// True when the result certainly has no __name__: functions, arithmetic, aggregations (Prometheus'
// default behaviour without the delayed-name-removal feature flag).
bool drops_metric_name(const promql::Expr& e);

// The node that removes __name__ on the way down from `e` (an aggregation, a function call, an
// arithmetic operator), or null. For messages.
const promql::Expr* name_dropper(const promql::Expr& e);

// Aggregations that merge series (sum, avg, count, ...), as opposed to topk/bottomk/limitk which
// select series and keep their labels.
bool merges_series(promql::AggregateOp op);

// The expressions whose sample values flow into `e`'s values, down to selectors and calls:
// through parentheses, unary minus, aggregation bodies, the first vector/range argument of
// label-preserving functions, ranges and subqueries, both sides of arithmetic and `or`, the left
// side of `and`/`unless`. Stops at (and includes) calls to functions not listed as
// value-preserving, e.g. histogram_quantile.
std::vector<const promql::Expr*> value_leaves(const promql::Expr& e);

// Is `e` a function call to `name` (ignoring parentheses)?
const promql::Call* call_named(const promql::Expr* e, std::string_view name);

}  // namespace promvet::checks::promql_labels
