#pragma once
// Tree traversal for checks: the children of a node in source order, and a pre-order visit that
// hands each node its chain of ancestors (nearest last), so a check can ask "what consumes
// this selector?" without keeping parent pointers in the AST.
//
//   promql::visit(*root, [&](const Expr& e, const Ancestors& up) {
//     if (auto* sel = as<VectorSelector>(&e); sel && !up.empty()) ...
//   });
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "promql/ast.h"

namespace promvet::promql {

using Ancestors = std::vector<const Expr*>;

// Direct children, left to right (a Call's arguments, an Aggregate's param then body, ...).
std::vector<const Expr*> children(const Expr& e);

// What visit calls on each node: a reference to the caller's callable, not a copy (checks visit
// every rule's tree; a std::function would put each capturing lambda on the heap per visit).
class Visitor {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Visitor>>>
  Visitor(F&& f)  // implicit: a lambda converts, as it did to std::function
      : fn_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* fn, const Expr& e, const Ancestors& up) {
          (*static_cast<std::remove_reference_t<F>*>(fn))(e, up);
        }) {}
  void operator()(const Expr& e, const Ancestors& up) const { call_(fn_, e, up); }

 private:
  void* fn_;
  void (*call_)(void*, const Expr&, const Ancestors&);
};

// Pre-order; `up` holds root..parent. Depth is bounded by the parser's nesting limit. `fn` must
// outlive the call (a lambda written in the call does).
void visit(const Expr& root, Visitor fn);

// While one is alive on a thread, visits of `root` there walk a list of its nodes in pre-order,
// made once, instead of the tree: the same calls with the same ancestors, for less work per node
// (every check of an expression visits it; the driver makes one per expression). Scopes nest;
// `root` must outlive the scope.
class PreorderScope {
 public:
  explicit PreorderScope(const Expr& root);
  ~PreorderScope();
  PreorderScope(const PreorderScope&) = delete;
  PreorderScope& operator=(const PreorderScope&) = delete;

  struct Entry {
    const Expr* node;
    uint32_t depth;  // ancestors above it
  };

 private:
  friend void visit(const Expr& root, Visitor fn);
  const Expr* root_;
  std::vector<Entry> nodes_;
  PreorderScope* outer_;
};

// Skips Paren nodes: the expression a parenthesised expression stands for.
const Expr* unwrap_parens(const Expr* e);

// The nearest ancestor that is not a Paren, or null.
const Expr* parent_skipping_parens(const Ancestors& up);

// Every vector selector under `e` (including inside matrix selectors and subqueries).
std::vector<const VectorSelector*> selectors(const Expr& e);

}  // namespace promvet::promql
