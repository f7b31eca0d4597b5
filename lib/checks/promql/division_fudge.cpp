#include "checks/promql/division_fudge.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

// Larger constants (`/ (count + 1)`) are as often a deliberate smoothing as a dodge; stay quiet.
constexpr double kLargestFudge = 0.01;

const promql::NumberLiteral* small_positive(const Expr* e) {
  const auto* n = promql::as<promql::NumberLiteral>(promql::unwrap_parens(e));
  return n && !n->is_duration && n->value > 0 && n->value <= kLargestFudge ? n : nullptr;
}

}  // namespace

CheckInfo DivisionFudgeCheck::info() const {
  return {kId, Severity::kInfo, "a small number added to a divisor to avoid division by zero"};
}

void DivisionFudgeCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* div = promql::as<promql::Binary>(&e);
    if (!div || div->op != promql::BinaryOp::Div || !div->rhs) return;
    const auto* add = promql::as<promql::Binary>(promql::unwrap_parens(div->rhs.get()));
    if (!add || add->op != promql::BinaryOp::Add || !add->lhs || !add->rhs) return;
    const promql::NumberLiteral* fudge = small_positive(add->rhs.get());
    const Expr* divisor = add->lhs.get();
    if (!fudge) {
      fudge = small_positive(add->lhs.get());
      divisor = add->rhs.get();
    }
    // `x / (0.5 + 0.001)` is arithmetic on numbers, not a dodge.
    if (!fudge || promql::type_of(*divisor) != promql::ValueType::Vector) return;
    std::string divisor_text(ctx.text(promql::unwrap_parens(divisor)->range));
    out.report(ctx.source, add->range,
               "adding " + std::string(ctx.text(fudge->range)) +
                   " to the divisor hides division by zero and skews the result when the divisor is small; "
                   "divide by (" +
                   divisor_text + " > 0) to get no result instead");
  });
}

}  // namespace promvet::checks
