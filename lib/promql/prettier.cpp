// Prometheus' Pretty() (prettier.go), in C++: a node whose one-line String() is wider than the
// limit is split over lines, its children indented; the pieces are printer.cpp's.
#include "promql/printer.h"

#include <string>
#include <vector>

#include "promql/printer_internal.h"

namespace promvet::promql {
namespace {

using namespace printer_detail;

struct Prettier {
  size_t max_width;

  static std::string indent(int level) { return std::string(static_cast<size_t>(level) * 2, ' '); }

  // Prometheus' needsSplitting: whether the one-line form is wider than the limit. That form is
  // kept in `line`, to be returned as it is when it fits.
  bool needs_split(const Expr& e, std::string& line) const {
    line = to_string(e);
    return line.size() > max_width;
  }

  std::string args(const std::vector<ExprPtr>& list, int level) const {
    // Expressions.Pretty: each argument indents itself; joined with ",\n".
    std::string s;
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) s += ",\n";
      if (list[i]) s += pretty(*list[i], level);
    }
    return s;
  }

  std::string pretty(const Expr& e, int level) const {
    switch (e.kind) {
      case NodeKind::Aggregate: {
        const auto& a = static_cast<const Aggregate&>(e);
        std::string s = indent(level);
        std::string line;
        if (!needs_split(e, line)) return s + line;
        s += aggregate_head(a);
        s += "(\n";
        for (size_t i = 0; i < a.args.size(); ++i) {
          if (!a.args[i]) continue;
          s += pretty(*a.args[i], level + 1);
          s += i + 1 < a.args.size() ? ",\n" : "\n";
        }
        s += indent(level);
        s += ')';
        return s;
      }
      case NodeKind::Binary: {
        const auto& b = static_cast<const Binary&>(e);
        std::string line;
        if (!needs_split(e, line)) return indent(level) + line;
        std::string s;
        if (b.lhs) s += pretty(*b.lhs, level + 1);
        if (b.op == BinaryOp::Pow) unsign_inf_operand(s, 0);
        s += '\n';
        s += indent(level);
        s += binary_op_string(b);
        s += '\n';
        if (b.rhs) s += pretty(*b.rhs, level + 1);
        return s;
      }
      case NodeKind::Call: {
        const auto& c = static_cast<const Call&>(e);
        std::string s = indent(level);
        // Prometheus panics on a split call without arguments; `time()` stays whole.
        std::string line;
        if (!needs_split(e, line) || c.args.empty()) return s + line;
        s += c.name;
        s += "(\n";
        s += args(c.args, level + 1);
        s += '\n';
        s += indent(level);
        s += ')';
        return s;
      }
      case NodeKind::Paren: {
        const auto& p = static_cast<const Paren&>(e);
        std::string s = indent(level);
        std::string line;
        if (!needs_split(e, line)) return s + line;
        s += "(\n";
        if (p.expr) s += pretty(*p.expr, level + 1);
        s += '\n';
        s += indent(level);
        s += ')';
        return s;
      }
      case NodeKind::Subquery: {
        // As in Prometheus, a subquery that fits is returned without indentation.
        const auto& sq = static_cast<const Subquery&>(e);
        std::string line;
        if (!needs_split(e, line) || !sq.expr) return line;
        return pretty(*sq.expr, level) + subquery_suffix(sq);
      }
      case NodeKind::Unary: {
        const auto& u = static_cast<const Unary&>(e);
        std::string child = u.expr ? pretty(*u.expr, level) : std::string();
        size_t b = child.find_first_not_of(" \t\n\r\v\f");
        size_t en = child.find_last_not_of(" \t\n\r\v\f");
        child = b == std::string::npos ? std::string() : child.substr(b, en - b + 1);
        return indent(level) + (u.negative ? "-" : "+") + child;
      }
      case NodeKind::Number:
      case NodeKind::String:
      case NodeKind::VectorSelector:
      case NodeKind::MatrixSelector: return indent(level) + to_string(e);
    }
    return to_string(e);
  }
};

}  // namespace

std::string pretty(const Expr& e, size_t max_width) {
  Prettier p{max_width};
  return p.pretty(e, 0);
}

}  // namespace promvet::promql
