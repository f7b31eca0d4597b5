// promql::visit: pre-order with each node's ancestors (root first, parent last), and a visit
// started inside a visitor (checks do this for subtrees) neither sees nor disturbs the outer
// visit's ancestors, since the ancestor stacks are reused per thread and nesting level.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "promql/parse.h"
#include "promql/walk.h"

namespace pv = promvet::promql;

namespace {

pv::ExprPtr parsed(const std::string& text) {
  pv::ParseResult r = pv::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return std::move(r.expr);
}

std::string kind(const pv::Expr& e) {
  switch (e.kind) {
    case pv::NodeKind::Number: return "num";
    case pv::NodeKind::String: return "str";
    case pv::NodeKind::VectorSelector: return "sel";
    case pv::NodeKind::MatrixSelector: return "matrix";
    case pv::NodeKind::Subquery: return "subquery";
    case pv::NodeKind::Call: return "call";
    case pv::NodeKind::Aggregate: return "agg";
    case pv::NodeKind::Binary: return "bin";
    case pv::NodeKind::Unary: return "unary";
    case pv::NodeKind::Paren: return "paren";
  }
  return "?";
}

// "kind<-parent<-...<-root" per node, in visiting order.
std::vector<std::string> walk(const pv::Expr& root) {
  std::vector<std::string> out;
  pv::visit(root, [&](const pv::Expr& e, const pv::Ancestors& up) {
    std::string line = kind(e);
    for (auto it = up.rbegin(); it != up.rend(); ++it) line += "<-" + kind(**it);
    out.push_back(line);
  });
  return out;
}

}  // namespace

TEST(PromqlVisit, PreOrderWithAncestorsNearestLast) {
  pv::ExprPtr e = parsed("sum(rate(x[5m])) / (y + 1)");
  EXPECT_EQ(walk(*e), (std::vector<std::string>{"bin", "agg<-bin", "call<-agg<-bin", "matrix<-call<-agg<-bin",
                                                "sel<-matrix<-call<-agg<-bin", "paren<-bin", "bin<-paren<-bin",
                                                "sel<-bin<-paren<-bin", "num<-bin<-paren<-bin"}));
}

TEST(PromqlVisit, AVisitInsideAVisitorHasItsOwnAncestors) {
  pv::ExprPtr e = parsed("sum(rate(x[5m])) / (y + 1)");
  std::vector<std::string> outer, inner;
  pv::visit(*e, [&](const pv::Expr& n, const pv::Ancestors& up) {
    const size_t depth = up.size();
    if (n.kind == pv::NodeKind::Paren) {
      std::vector<std::string> sub = walk(n);
      inner.insert(inner.end(), sub.begin(), sub.end());
    }
    EXPECT_EQ(up.size(), depth);  // the inner visit left the outer stack alone
    outer.push_back(kind(n) + "@" + std::to_string(up.size()));
  });
  EXPECT_EQ(inner, (std::vector<std::string>{"paren", "bin<-paren", "sel<-bin<-paren", "num<-bin<-paren"}));
  EXPECT_EQ(outer, (std::vector<std::string>{"bin@0", "agg@1", "call@2", "matrix@3", "sel@4", "paren@1", "bin@2",
                                             "sel@3", "num@3"}));
  EXPECT_EQ(walk(*e).size(), 9u);  // and a later visit starts from an empty stack
}

// A PreorderScope makes visits of its root walk a list of the nodes made once: the same calls
// with the same ancestors as the tree walk, for every kind of node, with visits of a subtree and
// of the root itself started inside a visitor, and nested scopes; other roots walk the tree.
TEST(PromqlVisit, AScopeWalksItsListAsTheTree) {
  const std::vector<std::string> texts = {
      "sum(rate(x[5m])) / (y + 1)",
      "-histogram_quantile(0.9, sum by (le) (rate(a_bucket{job=~\"x|y\"}[5m:1m] offset 1m)))",
      "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\") * on (job) group_left (x) (-(b > bool 1) or vector(1))",
      "((((x))))",
      "1",
      "\"s\"",
      "count_values(\"v\", x @ 100)",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    pv::ExprPtr e = parsed(text);
    pv::ExprPtr other = parsed("a + b");
    const std::vector<std::string> tree = walk(*e);
    // Inside a visitor: the root again, then each node's subtree (a scope only lists its root).
    auto nested = [&] {
      std::vector<std::string> out;
      pv::visit(*e, [&](const pv::Expr& n, const pv::Ancestors& up) {
        out.push_back(kind(n) + "@" + std::to_string(up.size()));
        if (up.empty()) {
          std::vector<std::string> again = walk(*e);
          out.insert(out.end(), again.begin(), again.end());
        }
        std::vector<std::string> sub = walk(n);
        out.insert(out.end(), sub.begin(), sub.end());
        out.push_back("back@" + std::to_string(up.size()));
      });
      return out;
    };
    const std::vector<std::string> nested_tree = nested();
    {
      const pv::PreorderScope scope(*e);
      EXPECT_EQ(walk(*e), tree);
      EXPECT_EQ(nested(), nested_tree);
      EXPECT_EQ(walk(*other), (std::vector<std::string>{"bin", "sel<-bin", "sel<-bin"}));
      {
        const pv::PreorderScope inner(*other);
        EXPECT_EQ(walk(*other), (std::vector<std::string>{"bin", "sel<-bin", "sel<-bin"}));
        EXPECT_EQ(walk(*e), tree);  // the outer scope still lists its root
      }
      EXPECT_EQ(walk(*e), tree);
    }
    EXPECT_EQ(walk(*e), tree);  // after the scope: the tree walk
  }
}
