#pragma once
// PromQL parsing: a hand-written lexer and an ANTLR4 parser (grammar/PromQLParser.g4, generated
// at build time) → promvet AST.
// Reports one error per expression: the first, in Prometheus' wording where it has one.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // Prometheus 3.x `[5m] anchored` / `[5m] smoothed` (promql-extended-range-selectors).
  bool enable_extended_range_selectors = false;
  // Prometheus 3.x `fill(0)`, `fill_left(...)`, `fill_right(...)` on binary operators
  // (promql-binop-fill-modifiers).
  bool enable_binop_fill_modifiers = false;
  bool type_check = true;  // run check() after a successful parse
};

struct ParseError {
  std::string message;
  Range range;
};

struct ParseResult {
  ExprPtr expr;  // null on error
  std::optional<ParseError> error;
  bool ok() const { return !error.has_value(); }
};

ParseResult parse(std::string_view source, const ParseOptions& options = {});

// The Prometheus feature flags (`--enable-feature=...`) that change what the parser accepts.
inline constexpr std::string_view kFeatureExperimentalFunctions = "promql-experimental-functions";
inline constexpr std::string_view kFeatureDurationExpr = "promql-duration-expr";
inline constexpr std::string_view kFeatureExtendedRangeSelectors = "promql-extended-range-selectors";
inline constexpr std::string_view kFeatureBinopFillModifiers = "promql-binop-fill-modifiers";
// All of them, in the order the help texts list them.
inline constexpr std::array<std::string_view, 4> kFeatures = {
    kFeatureExperimentalFunctions, kFeatureDurationExpr, kFeatureExtendedRangeSelectors, kFeatureBinopFillModifiers};
// "promql-experimental-functions, promql-duration-expr, ...": for help texts and error messages.
std::string feature_names();

// Turns on the option of a Prometheus feature flag; false when `name` is not one of the above.
bool enable_feature(ParseOptions& options, std::string_view name);
// Options as Prometheus has them with exactly `features` enabled (duration expressions off
// unless listed, unlike promvet's default).
ParseOptions options_for_features(const std::vector<std::string>& features);

// "LINE:COL: parse error: MESSAGE", LINE:COL 1-based, COL in bytes (Prometheus' ParseErr format).
std::string format_error(std::string_view source, const ParseError& error);

}  // namespace promvet::promql
