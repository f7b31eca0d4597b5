#pragma once
// The `rate(x[5m])` several checks advise for a selector used raw, written so Prometheus accepts
// it: the range goes between the selector and its offset/@ modifiers
// (`rate(x[5m] offset 1h)`, never `rate(x offset 1h[5m])`, which is a parse error).
#include <string>
#include <string_view>

#include "checks/check.h"
#include "promql/ast.h"

namespace promvet::checks::promql_labels {

// "[$__rate_interval]" in a dashboard's panel or annotation, "[5m]" elsewhere.
std::string rate_range(const sources::Expression& e);

// `fn(<selector as written>[range] <modifiers as written>)`; range e.g. "[5m]".
std::string call_over_range(const ExprContext& ctx, const promql::VectorSelector& s, std::string_view fn,
                            std::string_view range);

}  // namespace promvet::checks::promql_labels
