#pragma once
// The parse tree → AST builder, one class over two files: parse_builder.cpp (expressions,
// selectors, calls, aggregations, literals) and parse_modifiers.cpp (durations and the postfix
// modifiers: ranges, subqueries, offset, @, anchored/smoothed).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "promql/parse_internal.h"

namespace promvet::promql::parse_detail {

class Builder {
 public:
  Builder(std::string_view src, const ParseOptions& options) : src_(src), options_(options) {}

  ExprPtr expr(P::ExpressionContext* ctx);

 private:
  std::string_view text(const Token* t) const;
  std::string unquoted(const Token* t) const;
  double number_value(const Token* t, bool* is_duration);

  // parse_builder.cpp
  static BinaryOp binary_op(size_t type);
  static AggregateOp aggregate_op(size_t type);
  ExprPtr binary(P::BinaryContext* c);
  void fill_values(P::FillModifiersContext* f, VectorMatching* vm);
  std::vector<std::string> labels(P::GroupingLabelsContext* g, std::vector<Range>* ranges);
  ExprPtr selector(P::VectorSelectorContext* c);
  Matcher matcher(P::LabelMatcherContext* m);
  ExprPtr call(P::FunctionCallContext* c);
  void arguments(P::CallArgumentsContext* a, std::vector<ExprPtr>* out);
  ExprPtr aggregation(P::AggregationContext* c);
  ExprPtr number(P::NumberLiteralContext* c);
  ExprPtr string(P::StringLiteralContext* c);
  ExprPtr parens(P::ParensContext* c);
  ExprPtr unary(P::UnaryContext* c);

  // parse_modifiers.cpp
  DurationExprPtr duration_expr(P::DurationExprContext* c);
  DurationExprPtr duration_call(P::DurationCallContext* c);
  static std::optional<double> fold(const DurationExpr& d);
  Duration duration(DurationExprPtr e, Range range, bool positive);
  ExprPtr range_selector(P::RangeSelectorContext* c);
  ExprPtr subquery(P::SubqueryContext* c);
  Modifiers* modifiers_of(Expr* e, const char* what);
  ExprPtr offset(P::OffsetModifierContext* c);
  ExprPtr at(P::AtModifierContext* c);
  ExprPtr extended_range(P::ExtendedRangeContext* c);
  static std::string go_float(double v);

  std::string_view src_;
  const ParseOptions& options_;
};

}  // namespace promvet::promql::parse_detail
