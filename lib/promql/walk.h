#pragma once
// Tree traversal for checks: the children of a node in source order, and a pre-order visit that
// hands each node its chain of ancestors (nearest last), so a check can ask "what consumes
// this selector?" without keeping parent pointers in the AST.
//
//   promql::visit(*root, [&](const Expr& e, const Ancestors& up) {
//     if (auto* sel = as<VectorSelector>(&e); sel && !up.empty()) ...
//   });
#include <functional>
#include <vector>

#include "promql/ast.h"

namespace promvet::promql {

using Ancestors = std::vector<const Expr*>;

// Direct children, left to right (a Call's arguments, an Aggregate's param then body, ...).
std::vector<const Expr*> children(const Expr& e);

// Pre-order; `up` holds root..parent. Depth is bounded by the parser's nesting limit.
void visit(const Expr& root, const std::function<void(const Expr&, const Ancestors& up)>& fn);

// Skips Paren nodes: the expression a parenthesised expression stands for.
const Expr* unwrap_parens(const Expr* e);

// The nearest ancestor that is not a Paren, or null.
const Expr* parent_skipping_parens(const Ancestors& up);

// Every vector selector under `e` (including inside matrix selectors and subqueries).
std::vector<const VectorSelector*> selectors(const Expr& e);

}  // namespace promvet::promql
