#pragma once
// PromQL abstract syntax tree. Small, owned by value (unique_ptr children), independent of the
// ANTLR parse tree. Every node carries the half-open byte range [begin, end) it was parsed from;
// line:column is derived from the source on demand (see LineIndex), as Prometheus does.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace promvet::promql {

struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
};

enum class ValueType { None, Scalar, Vector, Matrix, String };
// Prometheus' spelling in messages: "scalar", "instant vector", "range vector", "string".
const char* to_string(ValueType t);

// Binary and unary operators, aggregations and matchers. Spelled as Prometheus prints them.
// TrimUpper `</` and TrimLower `>/` (Prometheus 3.x native-histogram trimming) bind like comparisons.
enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Pow,
  Atan2,
  Eql,
  Neq,
  Gtr,
  Lss,
  Gte,
  Lte,
  And,
  Or,
  Unless,
  TrimUpper,
  TrimLower
};
const char* to_string(BinaryOp op);  // "+", "==", "and", "atan2", ...
bool is_comparison(BinaryOp op);     // == != > < >= <=
bool is_set_operator(BinaryOp op);   // and or unless
// </ >/: like a comparison filter they keep the metric name (Prometheus' changesMetricSchema).
bool is_trim_operator(BinaryOp op);
int precedence(BinaryOp op);             // or=1, and/unless=2, comparisons=3, +-=4, */%atan2=5, ^=6
bool is_right_associative(BinaryOp op);  // only ^

enum class AggregateOp {
  Sum,
  Avg,
  Count,
  Min,
  Max,
  Group,
  Stddev,
  Stdvar,
  Topk,
  Bottomk,
  Quantile,
  CountValues,
  Limitk,
  LimitRatio
};
const char* to_string(AggregateOp op);  // "sum", "count_values", "limit_ratio", ...
bool takes_parameter(AggregateOp op);   // topk bottomk quantile count_values limitk limit_ratio

enum class MatchOp { Equal, NotEqual, Regex, NotRegex };
const char* to_string(MatchOp op);  // "=", "!=", "=~", "!~"

struct Matcher {
  std::string name;  // label name, unquoted ("__name__" for a bare quoted metric name)
  MatchOp op = MatchOp::Equal;
  std::string value;  // unquoted value
  Range range;        // the whole matcher
  Range name_range;
  Range value_range;       // the quoted value token, quotes included
  bool bare_name = false;  // `{"my.metric"}`: a metric name written alone inside the braces
};

// A duration in a range, subquery step or offset: either a literal (`5m`, `90`, `-1h`) or,
// with Prometheus 3.x duration expressions, arithmetic over literals and step().
struct DurationExpr;
using DurationExprPtr = std::unique_ptr<DurationExpr>;
struct DurationExpr {
  enum class Op { Literal, Add, Sub, Mul, Div, Mod, Pow, Neg, Step, Range, MinOf, MaxOf };  // MinOf/MaxOf: lhs, rhs
  Op op = Op::Literal;
  double seconds = 0;                // Literal: the value in seconds (negative allowed for offsets)
  bool literal_is_duration = false;  // Literal written as `5m` (not as a plain number `300`)
  bool wrapped = false;              // written inside parentheses
  DurationExprPtr lhs, rhs;          // binary ops use both; Neg uses rhs
  Range range;
};

// "+", "-", "*", "/", "%", "^"; "-" for Neg; "step()", "range()"; "literal".
const char* to_string(DurationExpr::Op op);

struct Duration {
  int64_t ms = 0;        // value when it is a literal (or folds to one)
  DurationExprPtr expr;  // the written form; never null once parsed
  Range range;
  bool is_literal() const;
};

enum class AtKind { None, Timestamp, Start, End };

// Offset and @ modifiers; Prometheus allows each at most once, on selectors and subqueries.
struct Modifiers {
  std::optional<Duration> offset;  // signed: `offset -5m` has ms < 0
  AtKind at = AtKind::None;
  int64_t at_ms = 0;   // AtKind::Timestamp: milliseconds since the epoch
  Range offset_range;  // `offset 5m` as written
  Range at_range;      // `@ 123` as written
};

enum class NodeKind { Number, String, VectorSelector, MatrixSelector, Subquery, Call, Aggregate, Binary, Unary, Paren };

struct Function;  // functions.h

struct Expr {
  explicit Expr(NodeKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;
  const NodeKind kind;
  Range range;
};
using ExprPtr = std::unique_ptr<Expr>;

struct NumberLiteral : Expr {
  NumberLiteral() : Expr(NodeKind::Number) {}
  double value = 0;
  bool is_duration = false;  // written as `5m`: printed back as a duration
};

struct StringLiteral : Expr {
  StringLiteral() : Expr(NodeKind::String) {}
  std::string value;  // unquoted
};

struct VectorSelector : Expr {
  VectorSelector() : Expr(NodeKind::VectorSelector) {}
  std::string name;  // metric name written before the braces; empty if none
  Range name_range;
  std::vector<Matcher> matchers;  // as written inside the braces, in source order
  Modifiers mods;
  // `[5m] anchored` / `[5m] smoothed` (or on an instant selector): extended range selectors.
  bool anchored = false;
  bool smoothed = false;
  // The metric name from either place (`foo`, `{__name__="foo"}`, `{"foo"}`), or empty.
  std::string metric_name() const;
};

struct MatrixSelector : Expr {
  MatrixSelector() : Expr(NodeKind::MatrixSelector) {}
  ExprPtr selector;  // a VectorSelector (its Modifiers hold offset/@ written after the range)
  Duration range_duration;
  Range bracket_range;  // `[5m]`
};

struct Subquery : Expr {
  Subquery() : Expr(NodeKind::Subquery) {}
  ExprPtr expr;
  Duration range_duration;
  std::optional<Duration> step;  // `[30m:]` has no step
  Modifiers mods;
  Range bracket_range;  // `[30m:1m]`
};

struct Call : Expr {
  Call() : Expr(NodeKind::Call) {}
  std::string name;
  const Function* func = nullptr;  // null when the name is unknown
  std::vector<ExprPtr> args;
  Range name_range;
};

struct Aggregate : Expr {
  Aggregate() : Expr(NodeKind::Aggregate) {}
  AggregateOp op = AggregateOp::Sum;
  // Arguments as written: `topk(5, x)` has two. The checker validates the count.
  std::vector<ExprPtr> args;
  std::vector<std::string> grouping;  // labels of by/without, unquoted
  std::vector<Range> grouping_ranges;
  bool without = false;
  bool has_grouping_clause = false;  // `by ()` was written (even if empty)
  Range op_range;
  const Expr* param() const;  // topk's k etc., or null
  const Expr* body() const;   // the aggregated expression, or null when arity is wrong
};

enum class Cardinality { OneToOne, ManyToOne, OneToMany, ManyToMany };

struct VectorMatching {
  Cardinality card = Cardinality::OneToOne;  // group_left: ManyToOne, group_right: OneToMany
  bool on = false;                           // on(...) rather than ignoring(...)
  bool has_on_or_ignoring = false;
  std::vector<std::string> labels;   // on/ignoring labels
  std::vector<std::string> include;  // group_left/group_right labels
  bool has_group_modifier = false;   // group_left / group_right written
  // fill(v) / fill_left(v) / fill_right(v): the value a missing side is taken to have.
  std::optional<double> fill_lhs, fill_rhs;
  Range range;  // the modifier text, if any
};

struct Binary : Expr {
  Binary() : Expr(NodeKind::Binary) {}
  BinaryOp op = BinaryOp::Add;
  ExprPtr lhs, rhs;
  bool return_bool = false;
  VectorMatching matching;
  Range op_range;  // the operator token
};

struct Unary : Expr {
  Unary() : Expr(NodeKind::Unary) {}
  bool negative = true;  // `-x`; `+x` is kept as a node too
  ExprPtr expr;
};

struct Paren : Expr {
  Paren() : Expr(NodeKind::Paren) {}
  ExprPtr expr;
};

// Checked downcasts by kind.
template <class T>
const T* as(const Expr* e);
template <class T>
T* as(Expr* e);

// The type Prometheus assigns to an expression (Call: the function's return type; unknown
// functions are treated as returning an instant vector).
ValueType type_of(const Expr& e);

// Structural equality ignoring ranges (used by the printer round-trip property). Matchers are
// compared as sets; numbers compare equal when both are NaN.
bool equal(const Expr& a, const Expr& b);

// Byte offset → 1-based line and column (bytes), as Prometheus' ParseErr reports them.
class LineIndex {
 public:
  explicit LineIndex(std::string_view source);
  struct Location {
    uint32_t line;
    uint32_t column;
  };
  Location locate(uint32_t offset) const;

 private:
  std::vector<uint32_t> line_starts_;
};

// ----- implementation of the templates
template <class T>
struct KindOf;
template <>
struct KindOf<NumberLiteral> {
  static constexpr NodeKind value = NodeKind::Number;
};
template <>
struct KindOf<StringLiteral> {
  static constexpr NodeKind value = NodeKind::String;
};
template <>
struct KindOf<VectorSelector> {
  static constexpr NodeKind value = NodeKind::VectorSelector;
};
template <>
struct KindOf<MatrixSelector> {
  static constexpr NodeKind value = NodeKind::MatrixSelector;
};
template <>
struct KindOf<Subquery> {
  static constexpr NodeKind value = NodeKind::Subquery;
};
template <>
struct KindOf<Call> {
  static constexpr NodeKind value = NodeKind::Call;
};
template <>
struct KindOf<Aggregate> {
  static constexpr NodeKind value = NodeKind::Aggregate;
};
template <>
struct KindOf<Binary> {
  static constexpr NodeKind value = NodeKind::Binary;
};
template <>
struct KindOf<Unary> {
  static constexpr NodeKind value = NodeKind::Unary;
};
template <>
struct KindOf<Paren> {
  static constexpr NodeKind value = NodeKind::Paren;
};

template <class T>
const T* as(const Expr* e) {
  return e && e->kind == KindOf<T>::value ? static_cast<const T*>(e) : nullptr;
}
template <class T>
T* as(Expr* e) {
  return e && e->kind == KindOf<T>::value ? static_cast<T*>(e) : nullptr;
}

}  // namespace promvet::promql
