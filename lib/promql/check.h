#pragma once
// Type checking of a parsed expression, reproducing Prometheus' checkAST: the same rules, the
// same message wording, the same error ranges. Reports the first error in Prometheus' order.
#include <optional>
#include <string>
#include <string_view>

#include "promql/ast.h"

namespace promvet::promql {

struct CheckOptions {
  bool enable_experimental_functions = false;
};

struct CheckError {
  std::string message;  // e.g. `expected type range vector in call to function "rate", got instant vector`
  Range range;          // where Prometheus points
};

// `source` is the text the expression was parsed from (some ranges are trimmed against it).
std::optional<CheckError> check(const Expr& root, std::string_view source, const CheckOptions& options = {});

}  // namespace promvet::promql
