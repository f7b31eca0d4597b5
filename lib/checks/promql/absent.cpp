#include "checks/promql/absent.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

bool is_absent(const promql::Call* c) { return c && (c->name == "absent" || c->name == "absent_over_time"); }

// `a|b` outside a character class. An alternation at any depth counts, since
// `job=~"(a|b)"` is what a multi-value Grafana variable expands to.
bool has_alternation(std::string_view re) {
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\') {
      ++i;
      continue;
    }
    if (re[i] == '[') in_class = true;
    if (re[i] == ']') in_class = false;
    if (re[i] == '|' && !in_class) return true;
  }
  return false;
}

bool from_variable(const sources::Expression& src, promql::Range r) {
  for (const sources::VariableSpan& v : src.variable_spans)
    if (v.begin < r.end && r.begin < v.end) return true;
  return false;
}

const promql::VectorSelector* argument_selector(const Expr* arg) {
  if (const auto* m = promql::as<promql::MatrixSelector>(arg)) arg = m->selector.get();
  return promql::as<promql::VectorSelector>(arg);
}

void check_argument(const ExprContext& ctx, const promql::Call& c, Reporter& out) {
  if (c.args.empty() || !c.args[0]) return;
  const Expr* arg = promql::unwrap_parens(c.args[0].get());
  if (const promql::VectorSelector* s = argument_selector(arg)) {
    for (const promql::Matcher& m : s->matchers) {
      if (m.op != promql::MatchOp::Regex || !has_alternation(m.value) || from_variable(ctx.source, m.range)) continue;
      out.report(ctx.source, m.range,
                 c.name + "() over " + quote(m.name) + "=~" + quote(m.value) +
                     " returns 1 only when none of the alternatives has a series, and its result has no " +
                     quote(m.name) + " label; use one " + c.name + "() per value, joined with \"or\"");
      return;
    }
    return;
  }
  const auto* a = promql::as<promql::Aggregate>(arg);
  if (!a || !a->has_grouping_clause || a->grouping.empty() || a->grouping_ranges.empty()) return;
  promql::Range r{a->grouping_ranges.front().begin, a->grouping_ranges.back().end};
  out.report(ctx.source, r,
             c.name + "() over an aggregation " + (a->without ? "without" : "by") +
                 " (...) returns 1 only when every group is gone, never for one missing group, and has no labels; "
                 "to find missing groups compare with a list of expected ones, e.g. "
                 "group by (...) (up) unless group by (...) (...)");
}

}  // namespace

CheckInfo AbsentCheck::info() const {
  return {kId, Severity::kWarning, "absent() written in a way that cannot report what is missing"};
}

void AbsentCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (is_absent(c)) check_argument(ctx, *c, out);
  });
}

}  // namespace promvet::checks
