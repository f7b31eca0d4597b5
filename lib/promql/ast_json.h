#pragma once
// The PromQL AST as JSON (`promvet parse --json`): every node with its kind, byte range
// [begin, end) and 1-based line:column of both ends, plus the node's own fields.
#include <string>
#include <string_view>

#include "promql/ast.h"

namespace promvet::promql {

// `source` is the text the expression was parsed from (for line:column and durations as
// written). indent < 0: one line; otherwise pretty-printed with that many spaces.
std::string to_json(const Expr& e, std::string_view source, int indent = -1);

}  // namespace promvet::promql
