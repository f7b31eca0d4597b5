#include "checks/check.h"

#include "promql/literals.h"

namespace promvet::checks {

std::string_view ExprContext::text(promql::Range r) const {
  std::string_view t = source.text;
  if (r.begin >= t.size()) return {};
  return t.substr(r.begin, r.end > r.begin ? r.end - r.begin : 0);
}

void ExpressionCheck::run(const FileContext& ctx, Reporter& out) const {
  for (const ParsedExpression& p : ctx.expressions) check(ExprContext{ctx, *p.source, *p.ast}, out);
}

std::string quote(std::string_view s) { return promql::literals::go_quote(s); }

}  // namespace promvet::checks
