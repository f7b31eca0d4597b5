#include "promql/ast.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

#include "promql/functions.h"

namespace promvet::promql {

const char* to_string(ValueType t) {
  switch (t) {
    case ValueType::None: return "none";
    case ValueType::Scalar: return "scalar";
    case ValueType::Vector: return "instant vector";
    case ValueType::Matrix: return "range vector";
    case ValueType::String: return "string";
  }
  return "none";
}

const char* to_string(BinaryOp op) {
  static constexpr const char* names[] = {
      "+", "-", "*", "/", "%", "^", "atan2", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless", "</", ">/"};
  return names[static_cast<int>(op)];
}

bool is_comparison(BinaryOp op) { return op >= BinaryOp::Eql && op <= BinaryOp::Lte; }
bool is_trim_operator(BinaryOp op) { return op == BinaryOp::TrimUpper || op == BinaryOp::TrimLower; }
bool is_set_operator(BinaryOp op) { return op >= BinaryOp::And && op <= BinaryOp::Unless; }

int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or: return 1;
    case BinaryOp::And:
    case BinaryOp::Unless: return 2;
    case BinaryOp::Add:
    case BinaryOp::Sub: return 4;
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod:
    case BinaryOp::Atan2: return 5;
    case BinaryOp::Pow: return 6;
    default: return 3;  // comparisons and the trim operators
  }
}

bool is_right_associative(BinaryOp op) { return op == BinaryOp::Pow; }

const char* to_string(AggregateOp op) {
  static constexpr const char* names[] = {"sum",      "avg",          "count",  "min",        "max",
                                          "group",    "stddev",       "stdvar", "topk",       "bottomk",
                                          "quantile", "count_values", "limitk", "limit_ratio"};
  return names[static_cast<int>(op)];
}

bool takes_parameter(AggregateOp op) {
  switch (op) {
    case AggregateOp::Topk:
    case AggregateOp::Bottomk:
    case AggregateOp::Quantile:
    case AggregateOp::CountValues:
    case AggregateOp::Limitk:
    case AggregateOp::LimitRatio: return true;
    default: return false;
  }
}

const char* to_string(MatchOp op) {
  static constexpr const char* names[] = {"=", "!=", "=~", "!~"};
  return names[static_cast<int>(op)];
}

const char* to_string(DurationExpr::Op op) {
  switch (op) {
    case DurationExpr::Op::Literal: return "literal";
    case DurationExpr::Op::Add: return "+";
    case DurationExpr::Op::Sub:
    case DurationExpr::Op::Neg: return "-";
    case DurationExpr::Op::Mul: return "*";
    case DurationExpr::Op::Div: return "/";
    case DurationExpr::Op::Mod: return "%";
    case DurationExpr::Op::Pow: return "^";
    case DurationExpr::Op::Step: return "step()";
    case DurationExpr::Op::Range: return "range()";
    case DurationExpr::Op::MinOf: return "min_of";
    case DurationExpr::Op::MaxOf: return "max_of";
  }
  return "?";
}

bool Duration::is_literal() const { return !expr || expr->op == DurationExpr::Op::Literal; }

std::string VectorSelector::metric_name() const {
  if (!name.empty()) return name;
  for (const Matcher& m : matchers)
    if (m.name == "__name__" && m.op == MatchOp::Equal) return m.value;
  return {};
}

const Expr* Aggregate::param() const { return takes_parameter(op) && args.size() == 2 ? args[0].get() : nullptr; }

const Expr* Aggregate::body() const {
  size_t want = takes_parameter(op) ? 2 : 1;
  return args.size() == want ? args.back().get() : nullptr;
}

ValueType type_of(const Expr& e) {
  switch (e.kind) {
    case NodeKind::Number: return ValueType::Scalar;
    case NodeKind::String: return ValueType::String;
    case NodeKind::VectorSelector: return ValueType::Vector;
    case NodeKind::MatrixSelector:
    case NodeKind::Subquery: return ValueType::Matrix;
    case NodeKind::Call: {
      const Function* f = static_cast<const Call&>(e).func;
      return f ? f->return_type : ValueType::Vector;
    }
    case NodeKind::Aggregate: return ValueType::Vector;
    case NodeKind::Binary: {
      const auto& b = static_cast<const Binary&>(e);
      return type_of(*b.lhs) == ValueType::Scalar && type_of(*b.rhs) == ValueType::Scalar ? ValueType::Scalar
                                                                                          : ValueType::Vector;
    }
    case NodeKind::Unary: return type_of(*static_cast<const Unary&>(e).expr);
    case NodeKind::Paren: return type_of(*static_cast<const Paren&>(e).expr);
  }
  return ValueType::None;
}

namespace {

bool same_number(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Prometheus folds `-literal` into the literal and keeps no parentheses around a literal.
bool literal_seconds(const DurationExpr* d, double& v) {
  if (d->op == DurationExpr::Op::Literal) {
    v = d->seconds;
    return true;
  }
  if (d->op == DurationExpr::Op::Neg && d->rhs && literal_seconds(d->rhs.get(), v)) {
    v = -v;
    return true;
  }
  return false;
}

bool equal(const DurationExpr* a, const DurationExpr* b) {
  if (!a || !b) return a == b;
  double x = 0;
  double y = 0;
  bool la = literal_seconds(a, x);
  bool lb = literal_seconds(b, y);
  if (la || lb) return la && lb && same_number(x, y);
  if (a->op != b->op || a->wrapped != b->wrapped) return false;
  return equal(a->lhs.get(), b->lhs.get()) && equal(a->rhs.get(), b->rhs.get());
}

bool literal_like(const Duration& d) {
  double v = 0;
  return !d.expr || literal_seconds(d.expr.get(), v);
}

bool equal(const Duration& a, const Duration& b) {
  if (literal_like(a) && literal_like(b)) return a.ms == b.ms;
  return equal(a.expr.get(), b.expr.get());
}

// Prometheus does not tell `offset 0s` from no offset.
bool equal(const std::optional<Duration>& a, const std::optional<Duration>& b) {
  bool za = !a || (literal_like(*a) && a->ms == 0);
  bool zb = !b || (literal_like(*b) && b->ms == 0);
  if (za || zb) return za == zb;
  return equal(*a, *b);
}

bool equal(const Modifiers& a, const Modifiers& b) {
  return equal(a.offset, b.offset) && a.at == b.at && (a.at != AtKind::Timestamp || a.at_ms == b.at_ms);
}

using MatcherKey = std::tuple<std::string, int, std::string>;

std::vector<MatcherKey> matcher_keys(const VectorSelector& v) {
  std::vector<MatcherKey> keys;
  for (const Matcher& m : v.matchers) keys.emplace_back(m.name, static_cast<int>(m.op), m.value);
  // A name outside the braces is the same selection as a __name__ equality matcher.
  if (!v.name.empty()) keys.emplace_back("__name__", static_cast<int>(MatchOp::Equal), v.name);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool same_fill(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return same_number(*a, *b);
}

bool equal_args(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(*a[i], *b[i])) return false;
  return true;
}

}  // namespace

bool equal(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case NodeKind::Number:
      return same_number(static_cast<const NumberLiteral&>(a).value, static_cast<const NumberLiteral&>(b).value);
    case NodeKind::String:
      return static_cast<const StringLiteral&>(a).value == static_cast<const StringLiteral&>(b).value;
    case NodeKind::VectorSelector: {
      const auto& x = static_cast<const VectorSelector&>(a);
      const auto& y = static_cast<const VectorSelector&>(b);
      return matcher_keys(x) == matcher_keys(y) && equal(x.mods, y.mods) && x.anchored == y.anchored &&
             x.smoothed == y.smoothed;
    }
    case NodeKind::MatrixSelector: {
      const auto& x = static_cast<const MatrixSelector&>(a);
      const auto& y = static_cast<const MatrixSelector&>(b);
      return equal(x.range_duration, y.range_duration) && equal(*x.selector, *y.selector);
    }
    case NodeKind::Subquery: {
      const auto& x = static_cast<const Subquery&>(a);
      const auto& y = static_cast<const Subquery&>(b);
      return equal(x.range_duration, y.range_duration) && equal(x.step, y.step) && equal(x.mods, y.mods) &&
             equal(*x.expr, *y.expr);
    }
    case NodeKind::Call: {
      const auto& x = static_cast<const Call&>(a);
      const auto& y = static_cast<const Call&>(b);
      return x.name == y.name && equal_args(x.args, y.args);
    }
    case NodeKind::Aggregate: {
      const auto& x = static_cast<const Aggregate&>(a);
      const auto& y = static_cast<const Aggregate&>(b);
      // `sum by () (x)` and `sum(x)` select the same thing and print the same.
      return x.op == y.op && x.without == y.without && x.grouping == y.grouping && equal_args(x.args, y.args);
    }
    case NodeKind::Binary: {
      const auto& x = static_cast<const Binary&>(a);
      const auto& y = static_cast<const Binary&>(b);
      const VectorMatching& m = x.matching;
      const VectorMatching& n = y.matching;
      return x.op == y.op && x.return_bool == y.return_bool && m.card == n.card && m.on == n.on &&
             m.labels == n.labels && m.include == n.include && same_fill(m.fill_lhs, n.fill_lhs) &&
             same_fill(m.fill_rhs, n.fill_rhs) && equal(*x.lhs, *y.lhs) && equal(*x.rhs, *y.rhs);
    }
    case NodeKind::Unary: {
      const auto& x = static_cast<const Unary&>(a);
      const auto& y = static_cast<const Unary&>(b);
      return x.negative == y.negative && equal(*x.expr, *y.expr);
    }
    case NodeKind::Paren: return equal(*static_cast<const Paren&>(a).expr, *static_cast<const Paren&>(b).expr);
  }
  return false;
}

LineIndex::LineIndex(std::string_view source) {
  line_starts_.push_back(0);
  // memchr finds the next newline many bytes at a time; a whole file is indexed this way for
  // every file linted (checks' FileLines), three times per dashboard.
  const char* const begin = source.data();
  const char* const end = begin + source.size();
  for (const char* p = begin; p < end;) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (nl == nullptr) break;
    line_starts_.push_back(static_cast<uint32_t>(nl - begin + 1));
    p = nl + 1;
  }
}

LineIndex::Location LineIndex::locate(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

}  // namespace promvet::promql
