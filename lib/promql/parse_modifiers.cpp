// The AST builder's durations (literals, arithmetic, step(), range(), min_of/max_of, folded to a
// value where constant) and postfix modifiers (ranges, subqueries, offset, @, anchored/smoothed),
// with the errors Prometheus' grammar actions raise for them.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "promql/literals.h"
#include "promql/parse_builder_internal.h"

namespace promvet::promql::parse_detail {

DurationExprPtr Builder::duration_expr(P::DurationExprContext* c) {
  auto node = std::make_unique<DurationExpr>();
  node->range = ctx_range(c);
  // NUMBER | DURATION | durationCall | op durationExpr | '(' durationExpr ')' | durationExpr op durationExpr
  const auto& kids = c->children;
  const auto sub = [&](size_t i) { return duration_expr(static_cast<P::DurationExprContext*>(kids[i])); };
  if (kids.size() == 1 && !is_terminal(kids[0])) return duration_call(static_cast<P::DurationCallContext*>(kids[0]));
  if (kids.size() == 1) {  // a literal
    const Token* t = c->getStart();
    node->op = DurationExpr::Op::Literal;
    node->seconds = number_value(t, &node->literal_is_duration);
    return node;
  }
  if (kids.size() == 3 && token_type(kids[0]) == P::LEFT_PAREN) {  // ( expr )
    DurationExprPtr inner = sub(1);
    inner->wrapped = true;
    inner->range = node->range;
    return inner;
  }
  if (kids.size() == 2) {  // unary sign
    DurationExprPtr inner = sub(1);
    bool negative = token_type(kids[0]) == P::SUB;
    if (inner->op == DurationExpr::Op::Literal && !inner->wrapped) {
      if (negative) inner->seconds = -inner->seconds;
      inner->range = node->range;
      return inner;
    }
    if (!negative) return inner;
    node->op = DurationExpr::Op::Neg;
    node->rhs = std::move(inner);
    return node;
  }
  node->lhs = sub(0);
  node->rhs = sub(2);
  const Token* op = symbol(kids[1]);
  switch (op->getType()) {
    case P::ADD: node->op = DurationExpr::Op::Add; break;
    case P::SUB: node->op = DurationExpr::Op::Sub; break;
    case P::MUL: node->op = DurationExpr::Op::Mul; break;
    case P::DIV: node->op = DurationExpr::Op::Div; break;
    case P::MOD: node->op = DurationExpr::Op::Mod; break;
    default: node->op = DurationExpr::Op::Pow; break;
  }
  if ((node->op == DurationExpr::Op::Div || node->op == DurationExpr::Op::Mod) &&
      node->rhs->op == DurationExpr::Op::Literal && node->rhs->seconds == 0)
    fail(node->op == DurationExpr::Op::Div ? "division by zero" : "modulo by zero", token_range(op));
  return node;
}

DurationExprPtr Builder::duration_call(P::DurationCallContext* c) {
  auto node = std::make_unique<DurationExpr>();
  node->range = ctx_range(c);
  // IDENTIFIER '(' (durationExpr ',' durationExpr)? ')'
  const auto& kids = c->children;
  std::string_view name = text(symbol(kids[0]));
  bool has_args = kids.size() > 3;
  // Prometheus' lexer takes step, range, min_of and max_of as keywords, in any letter case.
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "step" && !has_args) {
    node->op = DurationExpr::Op::Step;
  } else if (lower == "range" && !has_args) {
    node->op = DurationExpr::Op::Range;
  } else if ((lower == "min_of" || lower == "max_of") && has_args) {
    node->op = lower == "min_of" ? DurationExpr::Op::MinOf : DurationExpr::Op::MaxOf;
    node->lhs = duration_expr(static_cast<P::DurationExprContext*>(kids[2]));
    node->rhs = duration_expr(static_cast<P::DurationExprContext*>(kids[4]));
  } else {
    fail(fmt::format("unexpected function {} in duration expression, expected step() or range()",
                     literals::go_quote(name)),
         node->range);
  }
  return node;
}

// Folds literal arithmetic so a constant expression has a value (ms); step()/range() do not.
std::optional<double> Builder::fold(const DurationExpr& d) {
  using Op = DurationExpr::Op;
  if (d.op == Op::Literal) return d.seconds;
  if (d.op == Op::Step || d.op == Op::Range) return std::nullopt;
  std::optional<double> r = fold(*d.rhs);
  if (!r) return std::nullopt;
  if (d.op == Op::Neg) return -*r;
  std::optional<double> l = fold(*d.lhs);
  if (!l) return std::nullopt;
  switch (d.op) {
    case Op::MinOf: return std::min(*l, *r);
    case Op::MaxOf: return std::max(*l, *r);
    case Op::Add: return *l + *r;
    case Op::Sub: return *l - *r;
    case Op::Mul: return *l * *r;
    case Op::Div: return *l / *r;
    case Op::Mod: return std::fmod(*l, *r);
    default: return std::pow(*l, *r);
  }
}

Duration Builder::duration(DurationExprPtr e, Range range, bool positive) {
  Duration d;
  d.range = range;
  std::optional<double> seconds = fold(*e);
  if (seconds) {
    // Prometheus keeps durations as int64 nanoseconds.
    if (!std::isfinite(*seconds) || std::fabs(*seconds) > 9223372036.854775807) fail("duration out of range", range);
    double ms = std::round(*seconds * 1000.0);
    d.ms = static_cast<int64_t>(ms);
    if (positive && d.ms <= 0 && e->op == DurationExpr::Op::Literal) fail("duration must be greater than 0", range);
  }
  if (e->op != DurationExpr::Op::Literal && !options_.enable_duration_expressions)
    fail("experimental duration expression is not enabled", range);
  d.expr = std::move(e);
  return d;
}

// ----- postfix modifiers

ExprPtr Builder::range_selector(P::RangeSelectorContext* c) {
  // expression '[' durationExpr ']'
  ExprPtr inner = expr(static_cast<P::ExpressionContext*>(c->children[0]));
  Range brackets = merge(token_range(symbol(c->children[1])), token_range(symbol(c->children[3])));
  auto* vs = as<VectorSelector>(inner.get());
  if (!vs) fail("ranges only allowed for vector selectors", brackets);
  if (vs->mods.offset) fail("no offset modifiers allowed before range", brackets);
  if (vs->mods.at != AtKind::None) fail("no @ modifiers allowed before range", brackets);
  auto node = std::make_unique<MatrixSelector>();
  auto* d = static_cast<P::DurationExprContext*>(c->children[2]);
  node->range_duration = duration(duration_expr(d), ctx_range(d), true);
  node->bracket_range = brackets;
  node->range = merge(inner->range, brackets);
  node->selector = std::move(inner);
  return node;
}

ExprPtr Builder::subquery(P::SubqueryContext* c) {
  auto node = std::make_unique<Subquery>();
  // expression '[' durationExpr ':' durationExpr? ']'
  const auto& kids = c->children;
  node->expr = expr(static_cast<P::ExpressionContext*>(kids[0]));
  std::vector<P::DurationExprContext*> ds{static_cast<P::DurationExprContext*>(kids[2])};
  if (!is_terminal(kids[4])) ds.push_back(static_cast<P::DurationExprContext*>(kids[4]));
  node->range_duration = duration(duration_expr(ds[0]), ctx_range(ds[0]), true);
  if (ds.size() > 1) node->step = duration(duration_expr(ds[1]), ctx_range(ds[1]), true);
  node->bracket_range = merge(token_range(symbol(kids[1])), token_range(symbol(kids.back())));
  node->range = merge(node->expr->range, node->bracket_range);
  return node;
}

// The modifiers of the selector or subquery `e` (a matrix's live on its vector selector).
Modifiers* Builder::modifiers_of(Expr* e, const char* what) {
  if (auto* v = as<VectorSelector>(e)) return &v->mods;
  if (auto* m = as<MatrixSelector>(e)) return &as<VectorSelector>(m->selector.get())->mods;
  if (auto* s = as<Subquery>(e)) return &s->mods;
  fail(fmt::format("{} modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                   what),
       e->range);
}

ExprPtr Builder::offset(P::OffsetModifierContext* c) {
  // expression OFFSET offsetValue
  ExprPtr inner = expr(static_cast<P::ExpressionContext*>(c->children[0]));
  Modifiers* mods = modifiers_of(inner.get(), "offset");
  if (mods->offset && !(mods->offset->is_literal() && mods->offset->ms == 0))
    fail("offset may not be set multiple times", inner->range);
  // (ADD | SUB)? then (NUMBER | DURATION), durationCall or '(' durationExpr ')'
  auto* v = static_cast<P::OffsetValueContext*>(c->children[2]);
  const auto& kids = v->children;
  bool negative = token_type(kids[0]) == P::SUB;
  const size_t value_at = token_type(kids[0]) == P::SUB || token_type(kids[0]) == P::ADD ? 1 : 0;
  DurationExprPtr d;
  if (rule_of(kids[value_at]) == P::RuleDurationCall) {
    d = duration_call(static_cast<P::DurationCallContext*>(kids[value_at]));
  } else if (token_type(kids[value_at]) == P::LEFT_PAREN) {
    d = duration_expr(static_cast<P::DurationExprContext*>(kids[value_at + 1]));
    d->wrapped = true;
    d->range = merge(token_range(symbol(kids[value_at])), token_range(symbol(kids[value_at + 2])));
  } else {
    d = std::make_unique<DurationExpr>();
    const Token* t = v->getStop();
    d->seconds = number_value(t, &d->literal_is_duration);
    d->range = token_range(t);
  }
  if (negative) {
    if (d->op == DurationExpr::Op::Literal && !d->wrapped) {
      d->seconds = -d->seconds;
    } else {
      auto neg = std::make_unique<DurationExpr>();
      neg->op = DurationExpr::Op::Neg;
      neg->rhs = std::move(d);
      d = std::move(neg);
    }
  }
  d->range = ctx_range(v);
  mods->offset = duration(std::move(d), ctx_range(v), false);
  mods->offset_range = merge(token_range(symbol(c->children[1])), ctx_range(v));
  inner->range = ctx_range(c);
  return inner;
}

ExprPtr Builder::at(P::AtModifierContext* c) {
  // expression AT atValue
  ExprPtr inner = expr(static_cast<P::ExpressionContext*>(c->children[0]));
  Modifiers* mods = modifiers_of(inner.get(), "@");
  if (mods->at != AtKind::None) fail("@ <timestamp> may not be set multiple times", inner->range);
  // (ADD | SUB)? (NUMBER | DURATION) | (START | END) '(' ')'
  auto* v = static_cast<P::AtValueContext*>(c->children[2]);
  const size_t first = token_type(v->children[0]);
  if (first == P::START) {
    mods->at = AtKind::Start;
  } else if (first == P::END) {
    mods->at = AtKind::End;
  } else {
    bool is_duration = false;
    double ts = number_value(v->getStop(), &is_duration);
    if (first == P::SUB) ts = -ts;
    if (!std::isfinite(ts) || ts >= 9.223372036854775807e18 || ts <= -9.223372036854775808e18)
      fail(fmt::format("timestamp out of bounds for @ modifier: {}", go_float(ts)), inner->range);
    double ms = std::round(ts * 1000.0);
    if (!(std::fabs(ms) < 9.2e18))
      fail(fmt::format("timestamp out of bounds for @ modifier: {}", go_float(ts)), inner->range);
    mods->at = AtKind::Timestamp;
    mods->at_ms = static_cast<int64_t>(ms);
  }
  mods->at_range = merge(token_range(symbol(c->children[1])), ctx_range(v));
  inner->range = ctx_range(c);
  return inner;
}

// `anchored` / `smoothed` after a selector (Prometheus' setAnchored / setSmoothed).
ExprPtr Builder::extended_range(P::ExtendedRangeContext* c) {
  // expression (ANCHORED | SMOOTHED)
  ExprPtr inner = expr(static_cast<P::ExpressionContext*>(c->children[0]));
  bool anchored = token_type(c->children[1]) == P::ANCHORED;
  const char* name = anchored ? "anchored" : "smoothed";
  if (!options_.enable_extended_range_selectors)
    fail(fmt::format("{} modifier is experimental and not enabled", name), inner->range);
  VectorSelector* vs = as<VectorSelector>(inner.get());
  if (auto* m = as<MatrixSelector>(inner.get())) vs = as<VectorSelector>(m->selector.get());
  if (!vs) {
    if (as<Subquery>(inner.get())) fail(fmt::format("{} modifier is not supported for subqueries", name), inner->range);
    fail(fmt::format("{} modifier not implemented", name), inner->range);
  }
  (anchored ? vs->anchored : vs->smoothed) = true;
  if (vs->anchored && vs->smoothed) fail("anchored and smoothed modifiers cannot be used together", inner->range);
  inner->range = ctx_range(c);
  return inner;
}

// Go's %f.
std::string Builder::go_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.6f}", v);
}

}  // namespace promvet::promql::parse_detail
