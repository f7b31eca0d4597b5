#pragma once
// Pieces of Prometheus' String() that Pretty() reuses (printer.cpp, prettier.cpp). Not installed.
#include <cstddef>
#include <string>

#include "promql/ast.h"

namespace promvet::promql::printer_detail {

// `[5m:1m]` and the modifiers after a subquery's inner expression.
std::string subquery_suffix(const Subquery& s);
// The aggregation operator with its grouping clause: `sum`, `sum by (a) `, `sum without () `.
std::string aggregate_head(const Aggregate& a);
// The operator line of a binary expression: `+`, `> bool`, `- on (b) group_left (c)`.
std::string binary_op_string(const Binary& b);
// Drops the "+" of a printed "+Inf" that begins at out[at], for the left operand of ^ and the
// expression of a subquery.
void unsign_inf_operand(std::string& out, size_t at);

}  // namespace promvet::promql::printer_detail
