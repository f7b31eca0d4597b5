#pragma once
// The parse tree → AST builder, one class over two files: parse_builder.cpp (expressions,
// selectors, calls, aggregations, literals) and parse_modifiers.cpp (durations and the postfix
// modifiers: ranges, subqueries, offset, @, anchored/smoothed).
#include <initializer_list>
#include <optional>
#include <typeinfo>
#include <string>
#include <string_view>
#include <vector>

#include "promql/parse_internal.h"
#include "promql/parse_runtime_internal.h"

namespace promvet::promql::parse_detail {

// Parse-tree navigation by position, token type and rule index: the generated accessors
// (ctx->ON(), ctx->expression(), ...) dynamic_cast every child on each call.
// Leaves are PooledTerminals (Parser::consume); the runtime's own kind is there for completeness.
inline bool is_terminal(antlr4::tree::ParseTree* t) {
  const std::type_info& type = typeid(*t);
  return type == typeid(PooledTerminal) || type == typeid(antlr4::tree::TerminalNodeImpl);
}
inline const Token* symbol(antlr4::tree::ParseTree* t) {
  return static_cast<antlr4::tree::TerminalNode*>(t)->getSymbol();
}
// The token type of a terminal child, INVALID_TYPE for a rule.
inline size_t token_type(antlr4::tree::ParseTree* t) {
  return is_terminal(t) ? symbol(t)->getType() : Token::INVALID_TYPE;
}
// The rule index of a rule child, SIZE_MAX for a terminal.
inline size_t rule_of(antlr4::tree::ParseTree* t) {
  return is_terminal(t) ? SIZE_MAX : static_cast<antlr4::RuleContext*>(t)->getRuleIndex();
}
// The first child of `c` that is an invocation of `rule`, or null.
template <class Context>
Context* child_rule(ParserRuleContext* c, size_t rule) {
  for (antlr4::tree::ParseTree* k : c->children)
    if (rule_of(k) == rule) return static_cast<Context*>(k);
  return nullptr;
}
// The first terminal child of `c` with one of the token types, or null.
inline const Token* child_token(ParserRuleContext* c, std::initializer_list<size_t> types) {
  for (antlr4::tree::ParseTree* k : c->children) {
    size_t t = token_type(k);
    for (size_t want : types)
      if (t == want) return symbol(k);
  }
  return nullptr;
}

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
  void modifiers(P::BinModifiersContext* m, Binary* node);
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
