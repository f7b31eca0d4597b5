#include "checks/promql/and_absent.h"

#include <set>
#include <string>

#include "checks/promql/labels.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;
using Labels = std::set<std::string>;

const promql::Call* absent_call(const Expr* e) {
  const auto* c = promql::as<promql::Call>(promql::unwrap_parens(e));
  return c && (c->name == "absent" || c->name == "absent_over_time") ? c : nullptr;
}

// The labels of absent()'s one series: the `=` matchers of its selector (Prometheus'
// createLabelsForAbsentFunction), none for any other argument.
Labels absent_labels(const promql::Call& c) {
  Labels out;
  if (c.args.empty() || !c.args[0]) return out;
  const Expr* e = promql::unwrap_parens(c.args[0].get());
  if (const auto* m = promql::as<promql::MatrixSelector>(e)) e = m->selector.get();
  if (const auto* s = promql::as<promql::VectorSelector>(e))
    for (const promql::Matcher& m : s->matchers)
      if (m.op == promql::MatchOp::Equal && m.name != "__name__") out.insert(m.name);
  return out;
}


// Labels that every series of `e` certainly carries (besides __name__): the `=` matchers with a
// value of its selectors, and `job` for a series scraped from a target (a selector of a metric
// that is not a recording rule's: Prometheus sets `job` on every scraped series). A recording
// rule of this file contributes what its own expression certainly carries; one recorded
// elsewhere (a name with a colon) nothing. Unsure shapes give nothing, which keeps the check quiet.
Labels certain(const ExprContext& ctx, const Expr* e, int depth) {
  e = promql::unwrap_parens(e);
  if (!e || depth > 8) return {};
  switch (e->kind) {
    case promql::NodeKind::VectorSelector: {
      const auto* s = promql::as<promql::VectorSelector>(e);
      Labels out;
      for (const promql::Matcher& m : s->matchers)
        if (m.op == promql::MatchOp::Equal && m.name != "__name__" && !m.value.empty()) out.insert(m.name);
      const std::string name = s->metric_name();
      if (name.empty()) return out;
      if (const ParsedExpression* rule = ctx.file.recording_rule(name)) {
        Labels recorded = certain(ctx, rule->ast, depth + 1);
        out.insert(recorded.begin(), recorded.end());
      } else if (name.find(':') == std::string::npos) {
        out.insert("job");
      }
      return out;
    }
    case promql::NodeKind::MatrixSelector:
      return certain(ctx, promql::as<promql::MatrixSelector>(e)->selector.get(), depth + 1);
    case promql::NodeKind::Subquery: return certain(ctx, promql::as<promql::Subquery>(e)->expr.get(), depth + 1);
    case promql::NodeKind::Unary: return certain(ctx, promql::as<promql::Unary>(e)->expr.get(), depth + 1);
    case promql::NodeKind::Aggregate: {
      const auto* a = promql::as<promql::Aggregate>(e);
      Labels body = certain(ctx, a->body(), depth + 1);
      if (!promql_labels::merges_series(a->op)) return body;
      Labels out;
      for (const std::string& l : body) {
        bool grouped = false;
        for (const std::string& g : a->grouping) grouped = grouped || g == l;
        if (grouped != a->without) out.insert(l);
      }
      return out;
    }
    case promql::NodeKind::Call: {
      const auto* c = promql::as<promql::Call>(e);
      if (!c->func) return {};
      if (c->name == "absent" || c->name == "absent_over_time") return absent_labels(*c);
      const Expr* arg = promql_labels::first_series_arg(*c);
      if (!arg || c->name == "vector") return {};
      Labels out = certain(ctx, arg, depth + 1);
      if (c->name == "histogram_quantile" || c->name == "histogram_fraction") out.erase("le");
      // label_replace/label_join may set the label to "" (removing it).
      if ((c->name == "label_replace" || c->name == "label_join") && c->args.size() > 1)
        if (const auto* dst = promql::as<promql::StringLiteral>(promql::unwrap_parens(c->args[1].get())))
          out.erase(dst->value);
      return out;
    }
    case promql::NodeKind::Binary: {
      const auto* b = promql::as<promql::Binary>(e);
      if (!b->lhs || !b->rhs) return {};
      bool ls = promql::type_of(*b->lhs) == promql::ValueType::Scalar;
      bool rs = promql::type_of(*b->rhs) == promql::ValueType::Scalar;
      if (ls && rs) return {};
      if (ls || rs) return certain(ctx, ls ? b->rhs.get() : b->lhs.get(), depth + 1);
      if (b->op == promql::BinaryOp::Or) {
        Labels l = certain(ctx, b->lhs.get(), depth + 1), r = certain(ctx, b->rhs.get(), depth + 1), both;
        for (const std::string& x : l)
          if (r.count(x)) both.insert(x);
        return both;
      }
      const bool right_many = b->matching.card == promql::Cardinality::OneToMany;
      Labels out = certain(ctx, right_many ? b->rhs.get() : b->lhs.get(), depth + 1);
      if (promql::is_set_operator(b->op) || !b->matching.has_on_or_ignoring ||
          b->matching.card != promql::Cardinality::OneToOne)
        return out;
      Labels kept;
      for (const std::string& l : out) {
        bool listed = false;
        for (const std::string& m : b->matching.labels) listed = listed || m == l;
        if (listed == b->matching.on) kept.insert(l);
      }
      return kept;
    }
    default: return {};
  }
}

std::string label_list(const Labels& l) {
  std::string out;
  for (const std::string& x : l) out += (out.empty() ? "" : ", ") + quote(x);
  return out;
}

void check_binary(const ExprContext& ctx, const promql::Binary& b, Reporter& out) {
  if (b.op != promql::BinaryOp::And && b.op != promql::BinaryOp::Unless) return;
  // on(...) and label sets known on both sides: promql/vector-matching.
  if (b.matching.has_on_or_ignoring && b.matching.on) return;
  const promql::Call* absent = absent_call(b.rhs.get());
  const Expr* other = b.lhs.get();
  if (!absent && b.op == promql::BinaryOp::And) {
    absent = absent_call(b.lhs.get());
    other = b.rhs.get();
  }
  if (!absent || !other || absent_call(other)) return;
  if (promql::type_of(*other) != promql::ValueType::Vector) return;
  const promql_labels::LabelSet may = promql_labels::output_labels(*other);
  if (may.closed) return;
  const Labels theirs = absent_labels(*absent);
  Labels ignored(b.matching.labels.begin(), b.matching.labels.end());
  std::string extra, missing;
  for (const std::string& l : certain(ctx, other, 0))
    if (!theirs.count(l) && !ignored.count(l) && may.has(l)) extra = l;
  for (const std::string& l : theirs)
    if (!ignored.count(l) && !may.has(l)) missing = l;
  if (extra.empty() && missing.empty()) return;
  const bool absent_left = absent_call(b.lhs.get()) == absent;
  const std::string side = absent_left ? "right" : "left";
  std::string why = !extra.empty() ? "the " + side + " side's series carry " + quote(extra) +
                                         (extra == "job" ? " (every scraped series has one)" : "") + ", which it lacks"
                                   : "the " + side + " side's series lack " + quote(missing) + ", which it has";
  std::string what = b.op == promql::BinaryOp::And ? "never returns anything" : "never removes anything";
  out.report(ctx.source, b.op_range,
             quote(promql::to_string(b.op)) + " with " + absent->name + "() " + what + ": " + absent->name +
                 "() returns one series " +
                 (theirs.empty() ? "without labels (it keeps only the \"=\" matchers of its selector)"
                                 : "with only " + label_list(theirs) + " (the \"=\" matchers of its selector)") +
                 ", and " + why + ", so no series match; match on nothing with \"" + promql::to_string(b.op) +
                 " on() " + absent->name + "(...)\"");
}

}  // namespace

CheckInfo AndAbsentCheck::info() const {
  return {kId, Severity::kWarning, "`x and absent(y)` where x's labels can never match absent()'s one series"};
}

void AndAbsentCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    if (const auto* b = promql::as<promql::Binary>(&e)) check_binary(ctx, *b, out);
  });
}

}  // namespace promvet::checks
