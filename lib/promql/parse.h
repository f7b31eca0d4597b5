#pragma once
// PromQL parsing: ANTLR4 grammar (grammar/*.g4, generated at build time) → promvet AST.
// Reports one error per expression: the first, in Prometheus' wording where it has one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "promql/ast.h"
#include "promql/check.h"

namespace promvet::promql {

struct ParseOptions {
  // Nesting of brackets, unary and binary operators beyond this is an error, not a stack overflow.
  uint32_t max_depth = 1000;
  size_t max_bytes = 4 << 20;  // longer input is refused
  bool enable_experimental_functions = false;
  // Prometheus 3.x duration arithmetic (`[5m+30s]`, `offset -(1h)`, `step()`); Prometheus itself
  // needs --enable-feature=promql-duration-expr for these.
  bool enable_duration_expressions = true;
  bool type_check = true;  // run check() after a successful parse
};

struct ParseError {
  std::string message;
  Range range;
};

struct ParseResult {
  ExprPtr expr;                      // null on error
  std::optional<ParseError> error;
  bool ok() const { return !error.has_value(); }
};

ParseResult parse(std::string_view source, const ParseOptions& options = {});

// "LINE:COL: parse error: MESSAGE", LINE:COL 1-based, COL in bytes (Prometheus' ParseErr format).
std::string format_error(std::string_view source, const ParseError& error);

}  // namespace promvet::promql
