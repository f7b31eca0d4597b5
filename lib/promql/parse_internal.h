#pragma once
// Shared by the parts of the PromQL front end (never installed: it includes the ANTLR runtime and
// the generated parser). parse.cpp drives the runtime; parse_scan.cpp finds the errors
// Prometheus' lexer would raise; parse_errors.cpp phrases ANTLR's syntax errors in Prometheus'
// words; parse_builder.cpp and parse_modifiers.cpp turn the parse tree into the AST.
#include <antlr4-runtime.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "PromQLParser.h"
#include "promql/ast.h"
#include "promql/parse.h"

namespace promvet::promql::parse_detail {

using P = promvet_antlr::PromQLParser;
using antlr4::ParserRuleContext;
using antlr4::Token;

// A semantic error found while building the AST; parse() turns it into its result.
struct Failure {
  ParseError error;
};

[[noreturn]] inline void fail(std::string message, Range range) {
  throw Failure{ParseError{std::move(message), range}};
}

inline Range token_range(const Token* t) {
  if (t->getType() == Token::EOF) {
    auto at = static_cast<uint32_t>(t->getStartIndex());
    return {at, at};
  }
  return {static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
}

inline Range ctx_range(ParserRuleContext* c) {
  Range r = token_range(c->getStart());
  if (c->getStop() && c->getStop()->getType() != Token::EOF && c->getStop()->getStopIndex() + 1 >= r.begin)
    r.end = static_cast<uint32_t>(c->getStop()->getStopIndex() + 1);
  return r;
}

inline Range merge(Range a, Range b) { return {std::min(a.begin, b.begin), std::max(a.end, b.end)}; }

// Token classes as Prometheus' lexer has them (Item.IsOperator, IsAggregator, IsKeyword).
bool is_operator_token(size_t t);
bool is_aggregator_token(size_t t);

// ---- parse_scan.cpp: the lexical errors and the nesting limit, from the token stream.

struct LexicalError {
  ParseError error;
  uint32_t token_begin;  // for ordering against a syntax error: the token the lexer stopped at
};

std::optional<LexicalError> scan_tokens(const std::vector<Token*>& tokens, std::string_view src,
                                        const ParseOptions& options);

// ---- parse_errors.cpp: ANTLR's syntax errors in Prometheus' words.

// The token Prometheus would name for ANTLR's `offending` one.
const Token* refine_offending(const std::vector<Token*>& tokens, const Token* offending);
// "unexpected <token>[ in <context>, expected <what>]".
std::string syntax_message(const std::vector<Token*>& tokens, const Token* offending, std::string_view src);

// ---- parse_builder.cpp, parse_modifiers.cpp: parse tree → AST. Throws Failure.

ExprPtr build_ast(P::ExpressionContext* root, std::string_view src, const ParseOptions& options);

}  // namespace promvet::promql::parse_detail
