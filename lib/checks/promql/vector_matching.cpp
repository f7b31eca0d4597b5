#include "checks/promql/vector_matching.h"

#include "checks/promql/labels.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;
using promql_labels::LabelSet;

std::string list(const std::set<std::string>& labels) {
  std::string s = "(";
  for (const std::string& l : labels) s += (s.size() > 1 ? ", " : "") + l;
  return s + ")";
}

// Vector matching never looks at the metric name.
LabelSet matchable(const Expr& e) {
  LabelSet l = promql_labels::output_labels(e);
  l.labels.erase("__name__");
  return l;
}

void check_binary(const ExprContext& ctx, const promql::Binary& b, Reporter& out) {
  if (!b.lhs || !b.rhs || b.op == promql::BinaryOp::Or) return;
  if (promql::type_of(*b.lhs) != promql::ValueType::Vector || promql::type_of(*b.rhs) != promql::ValueType::Vector)
    return;
  const promql::VectorMatching& m = b.matching;
  LabelSet left = matchable(*b.lhs), right = matchable(*b.rhs);
  std::string op = quote(promql::to_string(b.op));
  // fill(...) (Prometheus 3.x) gives an unmatched series a result, so "never finds a match"
  // would not mean an empty result there: those claims are left out.
  const bool filled = m.fill_lhs || m.fill_rhs;

  if (filled) {
    // only the group_left/group_right claim below applies
  } else if (m.has_on_or_ignoring && m.on) {
    // on(x): a side that certainly lacks x matches only series of the other side that lack it too.
    for (const std::string& l : m.labels) {
      if (l == "__name__") continue;
      bool left_lost = left.closed && !left.has(l), right_lost = right.closed && !right.has(l);
      if (left_lost == right_lost) continue;
      const LabelSet& lost = left_lost ? left : right;
      const LabelSet& kept = left_lost ? right : left;
      if (!kept.has(l)) continue;
      out.report(ctx.source, m.range,
                 std::string("on(") + l + ") matches on " + quote(l) + ", but the " + (left_lost ? "left" : "right") +
                     " side only keeps " + list(lost.labels) + ", so " + op + " never finds a match; keep " + quote(l) +
                     " in that side's by (...)");
      return;
    }
  } else if (left.closed && right.closed) {
    // No on(): all labels must be equal; ignoring(x): all but x.
    std::set<std::string> l = left.labels, r = right.labels;
    if (m.has_on_or_ignoring)
      for (const std::string& ig : m.labels) l.erase(ig), r.erase(ig);
    if (l != r) {
      promql::Range where = m.has_on_or_ignoring ? m.range : b.op_range;
      out.report(ctx.source, where,
                 "the left side of " + op + " has the labels " + list(l) + " and the right side " + list(r) +
                     (m.has_on_or_ignoring ? " apart from ignoring(...)" : "") +
                     ", so no series ever match; aggregate both sides by the same labels, or match with on(...)");
      return;
    }
  }

  // group_left(x) copies x from the "one" side (right); group_right from the left.
  if (!m.has_group_modifier || m.include.empty()) return;
  bool group_left = m.card == promql::Cardinality::ManyToOne;
  const LabelSet& one = group_left ? right : left;
  if (!one.closed) return;
  for (const std::string& inc : m.include) {
    if (one.has(inc)) continue;
    out.report(ctx.source, m.range,
               std::string(group_left ? "group_left(" : "group_right(") + inc + ") copies " + quote(inc) +
                   " from the " + (group_left ? "right" : "left") + " side, which only keeps " + list(one.labels) +
                   "; add " + quote(inc) + " to that side's by (...)");
    return;
  }
}

}  // namespace

CheckInfo VectorMatchingCheck::info() const {
  return {kId, Severity::kWarning, "a binary operation whose two sides can never match"};
}

void VectorMatchingCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    if (const auto* b = promql::as<promql::Binary>(&e)) check_binary(ctx, *b, out);
  });
}

}  // namespace promvet::checks
