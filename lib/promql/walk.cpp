#include "promql/walk.h"

#include <deque>

namespace promvet::promql {
namespace {

// Calls f on each direct child without building a vector (visit runs once per check per
// expression: allocation-free traversal matters on big rule files).
template <class F>
void for_each_child(const Expr& e, F&& f) {
  auto each = [&](const ExprPtr& p) {
    if (p) f(*p);
  };
  switch (e.kind) {
    case NodeKind::Number:
    case NodeKind::String:
    case NodeKind::VectorSelector: break;
    case NodeKind::MatrixSelector: each(static_cast<const MatrixSelector&>(e).selector); break;
    case NodeKind::Subquery: each(static_cast<const Subquery&>(e).expr); break;
    case NodeKind::Call:
      for (const ExprPtr& a : static_cast<const Call&>(e).args) each(a);
      break;
    case NodeKind::Aggregate:
      for (const ExprPtr& a : static_cast<const Aggregate&>(e).args) each(a);
      break;
    case NodeKind::Binary:
      each(static_cast<const Binary&>(e).lhs);
      each(static_cast<const Binary&>(e).rhs);
      break;
    case NodeKind::Unary: each(static_cast<const Unary&>(e).expr); break;
    case NodeKind::Paren: each(static_cast<const Paren&>(e).expr); break;
  }
}

}  // namespace


std::vector<const Expr*> children(const Expr& e) {
  std::vector<const Expr*> out;
  for_each_child(e, [&](const Expr& c) { out.push_back(&c); });
  return out;
}

namespace {

void visit_rec(const Expr& e, Ancestors& up, Visitor fn) {
  fn(e, up);
  up.push_back(&e);
  for_each_child(e, [&](const Expr& c) { visit_rec(c, up, fn); });
  up.pop_back();
}

void list_preorder(const Expr& e, uint32_t depth, std::vector<PreorderScope::Entry>& out) {
  out.push_back({&e, depth});
  for_each_child(e, [&](const Expr& c) { list_preorder(c, depth + 1, out); });
}

thread_local PreorderScope* innermost_scope = nullptr;

}  // namespace

PreorderScope::PreorderScope(const Expr& root) : root_(&root), outer_(innermost_scope) {
  nodes_.reserve(32);
  list_preorder(root, 0, nodes_);
  innermost_scope = this;
}

PreorderScope::~PreorderScope() { innermost_scope = outer_; }

void visit(const Expr& root, Visitor fn) {
  // The ancestor stacks are kept per thread and reused (a visit per check per rule would otherwise
  // allocate one); one per level of nested visits, since a visitor may visit a subtree. A deque
  // keeps an outer visit's stack in place when an inner one adds a level.
  thread_local std::deque<Ancestors> stacks;
  thread_local size_t nested = 0;
  if (stacks.size() <= nested) stacks.emplace_back().reserve(16);
  Ancestors& up = stacks[nested];
  up.clear();
  struct Level {
    size_t& nested;
    explicit Level(size_t& n) : nested(n) { ++nested; }
    ~Level() { --nested; }
  } level(nested);
  for (const PreorderScope* scope = innermost_scope; scope; scope = scope->outer_) {
    if (scope->root_ != &root) continue;
    for (const PreorderScope::Entry& n : scope->nodes_) {
      up.resize(n.depth);  // only ever shrinks: a node is at most one level below the one before
      fn(*n.node, up);
      up.push_back(n.node);
    }
    return;
  }
  visit_rec(root, up, fn);
}

const Expr* unwrap_parens(const Expr* e) {
  while (const Paren* p = as<Paren>(e)) e = p->expr.get();
  return e;
}

const Expr* parent_skipping_parens(const Ancestors& up) {
  for (auto it = up.rbegin(); it != up.rend(); ++it)
    if ((*it)->kind != NodeKind::Paren) return *it;
  return nullptr;
}

std::vector<const VectorSelector*> selectors(const Expr& e) {
  std::vector<const VectorSelector*> out;
  visit(e, [&](const Expr& n, const Ancestors&) {
    if (const VectorSelector* s = as<VectorSelector>(&n)) out.push_back(s);
  });
  return out;
}

}  // namespace promvet::promql
