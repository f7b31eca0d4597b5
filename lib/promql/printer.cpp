// Canonical one-line PromQL text: Prometheus' String() (printer.go), in C++. Pretty() is in
// prettier.cpp.
#include "promql/printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/go_quote.h"
#include "base/names.h"
#include "promql/printer_internal.h"

namespace promvet::promql {
namespace {

using namespace printer_detail;

using base::is_legacy_label_name;
using base::is_legacy_metric_name;

// model.Duration(ns).String() of seconds * 1e9, which prints milliseconds at most. Go truncates
// the nanoseconds, which prints the literal 9h30m5ms (34205.005 s, just below in binary) as
// 9h30m4ms; and seconds * 1e9 is inexact above 2^53 ns (1h7777777777s printed ...36s999ms).
// Rounding seconds * 1e3 to the nearest millisecond keeps parse(print(e)) == e for every
// duration a literal can write (found by promql_fuzz); the int64 nanosecond range still clamps.
std::string seconds_as_duration(double seconds) {
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / 1000000;
  double ns = seconds * 1e9;
  int64_t ms;
  if (std::isnan(ns)) {
    ms = 0;
  } else if (ns >= 9.2233720368547758e18) {
    ms = kMaxMs;
  } else if (ns <= -9.2233720368547758e18) {
    ms = -kMaxMs;
  } else {
    ms = std::llround(seconds * 1e3);
  }
  return format_duration_ms(ms);
}

// NumberLiteral.String(): durations as durations (sign first), other numbers via FormatFloat.
std::string number_string(double v, bool is_duration) {
  if (is_duration && !std::isnan(v) && !std::isinf(v)) {
    if (v < 0) return "-" + seconds_as_duration(-v);
    return seconds_as_duration(v);
  }
  return format_number(v);
}

std::string at_timestamp(int64_t ms) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

void write_labels(std::string& out, const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += format_label_name(labels[i]);
  }
}


// A literal, or a literal under unary minus signs: Prometheus folds `-5m` and `-(5m)` into one
// literal and keeps no trace of parentheses around it.
const DurationExpr* folded_literal(const DurationExpr& d, double& seconds) {
  if (d.op == DurationExpr::Op::Literal) {
    seconds = d.seconds;
    return &d;
  }
  if (d.op == DurationExpr::Op::Neg && d.rhs) {
    const DurationExpr* lit = folded_literal(*d.rhs, seconds);
    if (lit) seconds = -seconds;
    return lit;
  }
  return nullptr;
}

void write_duration_expr(std::string& out, const DurationExpr& d) {
  double seconds = 0;
  if (const DurationExpr* lit = folded_literal(d, seconds)) {
    out += number_string(seconds, lit->literal_is_duration);
    return;
  }
  if (d.wrapped) out += '(';
  switch (d.op) {
    case DurationExpr::Op::Step: out += "step()"; break;
    case DurationExpr::Op::Range: out += "range()"; break;
    case DurationExpr::Op::MinOf:
    case DurationExpr::Op::MaxOf:
      out += d.op == DurationExpr::Op::MinOf ? "min_of(" : "max_of(";
      if (d.lhs) write_duration_expr(out, *d.lhs);
      out += ", ";
      if (d.rhs) write_duration_expr(out, *d.rhs);
      out += ')';
      break;
    case DurationExpr::Op::Neg:
      out += '-';
      if (d.rhs) write_duration_expr(out, *d.rhs);
      break;
    default:
      if (d.lhs) write_duration_expr(out, *d.lhs);
      out += ' ';
      out += to_string(d.op);
      out += ' ';
      if (d.rhs) write_duration_expr(out, *d.rhs);
      break;
  }
  if (d.wrapped) out += ')';
}

// Printed from its value in milliseconds, as Prometheus prints Range/OriginalOffset/Step.
bool duration_is_literal(const Duration& d) {
  double seconds;
  return !d.expr || folded_literal(*d.expr, seconds) != nullptr;
}

// " @ ..." and " offset ..." as Prometheus prints them.
std::string at_string(const Modifiers& m) {
  switch (m.at) {
    case AtKind::Timestamp: return " @ " + at_timestamp(m.at_ms);
    case AtKind::Start: return " @ start()";
    case AtKind::End: return " @ end()";
    case AtKind::None: break;
  }
  return "";
}

std::string offset_string(const Modifiers& m) {
  if (!m.offset) return "";
  const Duration& d = *m.offset;
  if (!duration_is_literal(d)) {
    std::string out = " offset ";
    write_duration_expr(out, *d.expr);
    return out;
  }
  if (d.ms > 0) return " offset " + format_duration_ms(d.ms);
  if (d.ms < 0) return " offset -" + format_duration_ms(-d.ms);
  return "";
}

std::string matcher_string(const std::string& name, MatchOp op, const std::string& value) {
  return format_label_name(name) + to_string(op) + quote_string(value);
}

// Prometheus prints these after the range and before @ on a range, after @ on an instant selector.
std::string extended_range_string(const VectorSelector& vs) {
  if (vs.anchored) return " anchored";
  if (vs.smoothed) return " smoothed";
  return "";
}

std::string selector_string(const VectorSelector& vs, bool with_modifiers) {
  std::vector<std::string> items;
  items.reserve(vs.matchers.size() + 1);
  std::string out;
  if (!vs.name.empty()) {
    if (is_legacy_metric_name(vs.name)) {
      out = vs.name;
    } else {
      // Only reachable for hand-built trees: keep the output parseable.
      items.push_back(matcher_string("__name__", MatchOp::Equal, vs.name));
    }
  }
  // Prometheus skips the __name__ matcher equal to the name because its tree holds the name twice
  // (as Name and as a matcher); ours holds it once, so a matcher here was written in the braces.
  // A typed tree never has one next to a name ("metric name must not be set twice"); the untyped
  // tree of m{"m"} must print as m{__name__="m"} to parse back equal (found by promql_fuzz).
  for (const Matcher& m : vs.matchers) items.push_back(matcher_string(m.name, m.op, m.value));
  if (!items.empty()) {
    std::sort(items.begin(), items.end());
    out += '{';
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += ',';
      out += items[i];
    }
    out += '}';
  } else if (out.empty()) {
    // `{}` selects nothing and the type checker rejects it; Prometheus prints it as "", but the
    // printer must keep every tree the parser accepts re-parseable (found by promql_fuzz).
    out = "{}";
  }
  if (with_modifiers) {
    out += at_string(vs.mods);
    out += extended_range_string(vs);
    out += offset_string(vs.mods);
  }
  return out;
}

std::string range_string(const Duration& d) {
  if (duration_is_literal(d)) return format_duration_ms(d.ms);
  std::string out;
  write_duration_expr(out, *d.expr);
  return out;
}


std::string matching_string(const Binary& b) {
  const VectorMatching& vm = b.matching;
  bool grouped = vm.card == Cardinality::ManyToOne || vm.card == Cardinality::OneToMany;
  std::string out;
  if (!vm.labels.empty() || vm.on || grouped) {
    out += vm.on ? " on (" : " ignoring (";
    write_labels(out, vm.labels);
    out += ')';
  }
  if (grouped) {
    out += vm.card == Cardinality::ManyToOne ? " group_left (" : " group_right (";
    write_labels(out, vm.include);
    out += ')';
  }
  if (vm.fill_lhs && vm.fill_rhs && *vm.fill_lhs == *vm.fill_rhs) {
    out += " fill (" + number_string(*vm.fill_lhs, false) + ')';
  } else {
    if (vm.fill_lhs) out += " fill_left (" + number_string(*vm.fill_lhs, false) + ')';
    if (vm.fill_rhs) out += " fill_right (" + number_string(*vm.fill_rhs, false) + ')';
  }
  return out;
}


void write_expr(std::string& out, const Expr& e);

void write_args(std::string& out, const std::vector<ExprPtr>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    if (args[i]) write_expr(out, *args[i]);
  }
}


void write_expr(std::string& out, const Expr& e) {
  switch (e.kind) {
    case NodeKind::Number: {
      const auto& n = static_cast<const NumberLiteral&>(e);
      out += number_string(n.value, n.is_duration);
      break;
    }
    case NodeKind::String: out += quote_string(static_cast<const StringLiteral&>(e).value); break;
    case NodeKind::VectorSelector: out += selector_string(static_cast<const VectorSelector&>(e), true); break;
    case NodeKind::MatrixSelector: {
      const auto& m = static_cast<const MatrixSelector&>(e);
      const Modifiers* mods = nullptr;
      if (const auto* vs = as<VectorSelector>(m.selector.get())) {
        out += selector_string(*vs, false);
        mods = &vs->mods;
      } else if (m.selector) {
        write_expr(out, *m.selector);
      }
      out += '[';
      out += range_string(m.range_duration);
      out += ']';
      if (const auto* vs = as<VectorSelector>(m.selector.get())) out += extended_range_string(*vs);
      if (mods) {
        out += at_string(*mods);
        out += offset_string(*mods);
      }
      break;
    }
    case NodeKind::Subquery: {
      const auto& s = static_cast<const Subquery&>(e);
      const size_t expr_at = out.size();
      if (s.expr) write_expr(out, *s.expr);
      unsign_inf_operand(out, expr_at);
      out += subquery_suffix(s);
      break;
    }
    case NodeKind::Call: {
      const auto& c = static_cast<const Call&>(e);
      out += c.name;
      out += '(';
      write_args(out, c.args);
      out += ')';
      break;
    }
    case NodeKind::Aggregate: {
      const auto& a = static_cast<const Aggregate&>(e);
      out += aggregate_head(a);
      out += '(';
      write_args(out, a.args);
      out += ')';
      break;
    }
    case NodeKind::Binary: {
      const auto& b = static_cast<const Binary&>(e);
      size_t lhs_at = out.size();
      if (b.lhs) write_expr(out, *b.lhs);
      if (b.op == BinaryOp::Pow) unsign_inf_operand(out, lhs_at);
      out += ' ';
      out += binary_op_string(b);
      out += ' ';
      if (b.rhs) write_expr(out, *b.rhs);
      break;
    }
    case NodeKind::Unary: {
      const auto& u = static_cast<const Unary&>(e);
      out += u.negative ? '-' : '+';
      if (u.expr) write_expr(out, *u.expr);
      break;
    }
    case NodeKind::Paren: {
      const auto& p = static_cast<const Paren&>(e);
      out += '(';
      if (p.expr) write_expr(out, *p.expr);
      out += ')';
      break;
    }
  }
}

}  // namespace

namespace printer_detail {

std::string subquery_suffix(const Subquery& s) {
  std::string out = "[";
  out += range_string(s.range_duration);
  out += ':';
  if (s.step) {
    if (!duration_is_literal(*s.step)) {
      write_duration_expr(out, *s.step->expr);
    } else if (s.step->ms != 0) {
      out += format_duration_ms(s.step->ms);
    }
  }
  out += ']';
  out += at_string(s.mods);
  out += offset_string(s.mods);
  return out;
}

// The aggregation operator with its grouping clause: `sum`, `sum by (a) `, `sum without () `.
std::string aggregate_head(const Aggregate& a) {
  std::string out = to_string(a.op);
  if (a.without) {
    out += " without (";
    write_labels(out, a.grouping);
    out += ") ";
  } else if (!a.grouping.empty()) {
    out += " by (";
    write_labels(out, a.grouping);
    out += ") ";
  }
  return out;
}

// The operator line of a binary expression: `+`, `> bool`, `- on (b) group_left (c)`.
std::string binary_op_string(const Binary& b) {
  std::string out = to_string(b.op);
  if (b.return_bool) out += " bool";
  out += matching_string(b);
  return out;
}

// Prometheus prints an infinite literal as "+Inf", but as the left operand of ^ or the
// expression of a subquery that sign would parse back as a unary + over the whole power or
// subquery (+(Inf ^ 0), +(Inf[5s:])), which binds looser: there it is printed "Inf" (both found
// by promql_fuzz). `at` is where the operand's text begins.
void unsign_inf_operand(std::string& out, size_t at) {
  while (at < out.size() && out[at] == ' ') ++at;
  if (out.compare(at, 4, "+Inf") == 0) out.erase(at, 1);
}

}  // namespace printer_detail

std::string to_string(const Expr& e) {
  std::string out;
  write_expr(out, e);
  return out;
}

std::string to_string(const Duration& d) {
  if (duration_is_literal(d)) {
    if (d.ms < 0) return "-" + format_duration_ms(-d.ms);
    return format_duration_ms(d.ms);
  }
  std::string out;
  write_duration_expr(out, *d.expr);
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  // FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, laid out without an
  // exponent (1.5e300 is "15" and 299 zeros, not the exact binary value).
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "-1.2345e+06"
  std::string out;
  size_t i = 0;
  if (sci[i] == '-') {
    out += '-';
    ++i;
  }
  size_t e = sci.find('e', i);
  std::string digits;
  for (size_t k = i; k < e; ++k)
    if (sci[k] != '.') digits += sci[k];
  int dp = std::stoi(sci.substr(e + 1)) + 1;  // position of the decimal point in digits
  if (digits == "0") dp = 1;
  const int nd = static_cast<int>(digits.size());
  if (dp > 0) {
    int m = std::min(nd, dp);
    out.append(digits, 0, static_cast<size_t>(m));
    out.append(static_cast<size_t>(dp - m), '0');
  } else {
    out += '0';
  }
  int frac = std::max(nd - dp, 0);
  if (frac > 0) {
    out += '.';
    for (int k = 1; k <= frac; ++k) {
      int j = dp + k - 1;
      out += (j >= 0 && j < nd) ? digits[static_cast<size_t>(j)] : '0';
    }
  }
  return out;
}

std::string format_label_name(const std::string& name) {
  if (is_legacy_label_name(name)) return name;
  return quote_string(name);
}

std::string quote_string(const std::string& value) { return base::go_quote(value); }

}  // namespace promvet::promql
