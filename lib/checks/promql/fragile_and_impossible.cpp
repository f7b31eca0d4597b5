#include "checks/promql/fragile_and_impossible.h"

#include <limits>

#include "checks/promql/labels.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::BinaryOp;
using promql::Expr;

constexpr double kInf = std::numeric_limits<double>::infinity();

// The values an expression can take when it returns anything, and whether it can return nothing.
struct Bounds {
  double lo = -kInf, hi = kInf;
  bool may_be_empty = true;  // count(x) returns nothing when x has no series; vector(1) never does
  std::string why;           // "count() is at least 1", for messages
  std::string fix;           // what to write instead, for messages
};

constexpr const char* kCountFix =
    "count() returns nothing, not 0, when no series match: use absent(...) to alert on missing series";

std::optional<Bounds> bounds(const Expr* e) {
  e = promql::unwrap_parens(e);
  if (!e) return std::nullopt;
  if (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (a->op == promql::AggregateOp::Count)
      return Bounds{1, kInf, true, "count() is at least 1 when it returns anything", kCountFix};
    if (a->op == promql::AggregateOp::Group) return Bounds{1, 1, true, "group() is always 1", kCountFix};
    return std::nullopt;
  }
  if (const auto* c = promql::as<promql::Call>(e)) {
    if (c->name == "absent" || c->name == "absent_over_time")
      return Bounds{1, 1, true, c->name + "() is 1 or returns nothing", "use " + c->name + "(...) alone"};
    if (c->name == "present_over_time") return Bounds{1, 1, true, "present_over_time() is 1 or returns nothing", {}};
    if (c->name == "count_over_time")
      return Bounds{1, kInf, true, "count_over_time() is at least 1 when it returns anything", kCountFix};
    if (c->name == "vector" && c->args.size() == 1)
      if (auto v = promql_labels::literal_number(c->args[0].get()))
        return Bounds{*v,
                      *v,
                      false,
                      "vector(" + promql_labels::format_for_message(*v) + ") is always " +
                          promql_labels::format_for_message(*v),
                      {}};
    return std::nullopt;
  }
  if (const auto* b = promql::as<promql::Binary>(e); b && b->return_bool && promql::is_comparison(b->op))
    return Bounds{0, 1, true, "a \"bool\" comparison is 0 or 1", {}};
  if (const auto* s = promql::as<promql::VectorSelector>(e); s && s->metric_name() == "up")
    return Bounds{0, 1, true, "\"up\" is 0 or 1", {}};
  return std::nullopt;
}

BinaryOp flip(BinaryOp op) {
  switch (op) {
    case BinaryOp::Gtr: return BinaryOp::Lss;
    case BinaryOp::Lss: return BinaryOp::Gtr;
    case BinaryOp::Gte: return BinaryOp::Lte;
    case BinaryOp::Lte: return BinaryOp::Gte;
    default: return op;
  }
}

enum class Verdict { Undecided, AlwaysTrue, NeverTrue };

Verdict decide(BinaryOp op, const Bounds& b, double c) {
  switch (op) {
    case BinaryOp::Gtr: return b.lo > c ? Verdict::AlwaysTrue : b.hi <= c ? Verdict::NeverTrue : Verdict::Undecided;
    case BinaryOp::Gte: return b.lo >= c ? Verdict::AlwaysTrue : b.hi < c ? Verdict::NeverTrue : Verdict::Undecided;
    case BinaryOp::Lss: return b.hi < c ? Verdict::AlwaysTrue : b.lo >= c ? Verdict::NeverTrue : Verdict::Undecided;
    case BinaryOp::Lte: return b.hi <= c ? Verdict::AlwaysTrue : b.lo > c ? Verdict::NeverTrue : Verdict::Undecided;
    case BinaryOp::Eql:
      if (c < b.lo || c > b.hi) return Verdict::NeverTrue;
      return b.lo == c && b.hi == c ? Verdict::AlwaysTrue : Verdict::Undecided;
    case BinaryOp::Neq:
      if (c < b.lo || c > b.hi) return Verdict::AlwaysTrue;
      return b.lo == c && b.hi == c ? Verdict::NeverTrue : Verdict::Undecided;
    default: return Verdict::Undecided;
  }
}

// `count(x) > 0`, `count(x) >= 1`, `absent(x) == 1`: the usual way to say "when there is any",
// redundant but not wrong, so not reported. `count(x) >= 0` is, since it reads as if count()
// could be 0.
bool existence_guard(BinaryOp op, const Bounds& b, double c) {
  if (!b.may_be_empty) return false;
  return (op == BinaryOp::Gtr && c == b.lo - 1) || (op == BinaryOp::Gte && c == b.lo) ||
         (op == BinaryOp::Eql && c == b.lo && b.hi == b.lo) || (op == BinaryOp::Neq && c == 0 && b.lo > 0);
}

void check_comparison(const ExprContext& ctx, const promql::Binary& b, Reporter& out) {
  if (!promql::is_comparison(b.op) || !b.lhs || !b.rhs) return;
  BinaryOp op = b.op;
  std::optional<Bounds> bd = bounds(b.lhs.get());
  std::optional<double> c = promql_labels::literal_number(b.rhs.get());
  if (!bd || !c) {
    bd = bounds(b.rhs.get());
    c = promql_labels::literal_number(b.lhs.get());
    op = flip(op);
  }
  if (!bd || !c) return;
  Verdict v = decide(op, *bd, *c);
  if (v == Verdict::Undecided || (v == Verdict::AlwaysTrue && existence_guard(op, *bd, *c))) return;
  std::string cmp = std::string(promql::to_string(b.op)) + (b.return_bool ? " bool" : "");
  std::string msg = "comparison " + quote(cmp) + " with " + promql_labels::format_for_message(*c) + " is " +
                    (v == Verdict::AlwaysTrue ? "always true" : "never true") + ": " + bd->why;
  if (v == Verdict::AlwaysTrue && !bd->may_be_empty) msg += ", so the expression always returns a series";
  else if (v == Verdict::NeverTrue && !b.return_bool) msg += ", so the expression never returns anything";
  std::string fix = bd->fix;
  if (fix.empty())
    fix = v == Verdict::AlwaysTrue ? "remove the comparison or compare with what you mean"
                                   : "compare with a value it can take";
  out.report(ctx.source, b.op_range, msg + "; " + fix);
}

}  // namespace

CheckInfo FragileAndImpossibleCheck::info() const {
  return {kId, Severity::kWarning, "a comparison or set operation whose result is known before it runs"};
}

void FragileAndImpossibleCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* b = promql::as<promql::Binary>(&e);
    if (!b || !b->lhs || !b->rhs) return;
    if (b->op == BinaryOp::Unless && promql::equal(*b->lhs, *b->rhs)) {
      out.report(ctx.source, b->op_range,
                 "\"unless\" with the same expression on both sides is always empty: every series on the left "
                 "has itself as a match on the right; compare different selectors or time ranges (offset)");
      return;
    }
    check_comparison(ctx, *b, out);
  });
}

}  // namespace promvet::checks
