#include "checks/promql/aggregate_by_name.h"

#include <set>

#include "checks/promql/labels.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// The metric names the selectors feeding `body` can match: a set when every selector names one
// metric by equality, nullopt when any matches by regex or has no name.
std::optional<std::set<std::string>> selected_names(const Expr& body) {
  std::set<std::string> names;
  for (const promql::VectorSelector* s : promql::selectors(body)) {
    bool regex_name = false;
    for (const promql::Matcher& m : s->matchers)
      if (m.name == "__name__" && m.op != promql::MatchOp::Equal) regex_name = true;
    std::string name = s->metric_name();
    if (regex_name || name.empty()) return std::nullopt;
    names.insert(name);
  }
  return names;
}

std::string describe_dropper(const ExprContext& ctx, const Expr& e) {
  if (const auto* c = promql::as<promql::Call>(&e)) return c->name + "()";
  if (const auto* a = promql::as<promql::Aggregate>(&e)) return std::string(promql::to_string(a->op)) + "()";
  if (const auto* b = promql::as<promql::Binary>(&e))
    return "the \"" + std::string(ctx.text(b->op_range)) + "\" operator";
  return "unary minus";
}

}  // namespace

CheckInfo AggregateByNameCheck::info() const {
  return {kId, Severity::kWarning, "grouping by __name__ where the name is gone or there is only one"};
}

void AggregateByNameCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* a = promql::as<promql::Aggregate>(&e);
    if (!a || a->without || !a->body()) return;
    for (size_t i = 0; i < a->grouping.size() && i < a->grouping_ranges.size(); ++i) {
      if (a->grouping[i] != "__name__") continue;
      std::string op = promql::to_string(a->op);
      if (const Expr* dropper = promql_labels::name_dropper(*a->body())) {
        out.report(ctx.source, a->grouping_ranges[i],
                   op + " by (__name__) after " + describe_dropper(ctx, *dropper) +
                       ", which removes the metric name, so every series falls into one group without a name; "
                       "group by the labels you mean, or use label_replace() to keep the name in another label");
        return;
      }
      std::optional<std::set<std::string>> names = selected_names(*a->body());
      if (!names || names->size() != 1) return;  // `{__name__=~"a|b"}`: grouping by name is meaningful
      out.report(ctx.source, a->grouping_ranges[i],
                 op + " by (__name__) over the single metric " + quote(*names->begin()) + " is " + op +
                     "() with the name added back as a label; use " + op + "() or group by the labels you mean");
      return;
    }
  });
}

}  // namespace promvet::checks
