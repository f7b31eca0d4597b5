// Type checking, reproducing Prometheus' parser semantics (promql/parser/parse.go and the actions
// of generated_parser.y, 3.x). Prometheus reports errors from two phases, and so do we:
//
//  1. Semantic errors raised by grammar actions while parsing (unknown or disabled function,
//     aggregate arity, experimental aggregations, invalid grouping label names, regular
//     expressions that do not compile). They are raised as rules are reduced: children before
//     parents, left to right. checkAST only runs when parsing produced no error at all.
//  2. checkAST: a recursive walk that type-checks every node.
//
// Prometheus collects every error and prints the first one; we stop at the first one, which is
// the same error since both phases append in traversal order.
#include "promql/check.h"

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/go_quote.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "promql/functions.h"
#include "promql/literals.h"

namespace promvet::promql {

namespace {

using base::go_quote;  // Go's %q
using base::valid_utf8;

// Prometheus' DocumentedType.
const char* documented(ValueType t) {
  switch (t) {
    case ValueType::Vector: return "instant vector";
    case ValueType::Matrix: return "range vector";
    case ValueType::Scalar: return "scalar";
    case ValueType::String: return "string";
    case ValueType::None: return "none";
  }
  return "none";
}

// Prometheus' ValueType as a string (used unconverted by the subquery message).
const char* go_value_type(ValueType t) {
  switch (t) {
    case ValueType::Vector: return "vector";
    case ValueType::Matrix: return "matrix";
    case ValueType::Scalar: return "scalar";
    case ValueType::String: return "string";
    case ValueType::None: return "none";
  }
  return "none";
}

// Go's regexp/syntax error codes, by RE2 code.
const char* go_regexp_code(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorUnexpectedParen: return "unexpected )";
    case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    case RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "regexp/syntax: internal error";
  }
}

RE2::Options regexp_options() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_dot_nl(true);  // Prometheus 3.x: syntax.Perl|syntax.DotNL, compiled as ^(?s:re)$
  return o;
}

// Go's regexp/syntax and RE2 share their syntax, with two differences that matter here: Go (1.22+)
// accepts `(?<name>re)`, which this RE2 rejects, and Go rejects `\C`, which RE2 accepts. The
// pattern is adapted for RE2; *has_C tells whether it uses `\C` outside `\Q...\E`.
std::string for_re2(const std::string& p, bool* has_C) {
  std::string out;
  out.reserve(p.size() + 4);
  *has_C = false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      if (p[i + 1] == 'Q') {
        const size_t e = p.find("\\E", i + 2);
        const size_t stop = e == std::string::npos ? p.size() : e + 2;
        out.append(p, i, stop - i);
        if (e == std::string::npos) out += "\\E";  // closed, so that the pattern can be wrapped
        i = stop - 1;
        continue;
      }
      if (p[i + 1] == 'C') *has_C = true;
      out += p[i];
      out += p[++i];
      continue;
    }
    if (p.compare(i, 3, "(?<") == 0) {  // Go: a named group; `(?<=` is an invalid name there too
      out += "(?P<";
      i += 2;
      continue;
    }
    out += p[i];
  }
  return out;
}

// Prometheus 3.x labels.NewFastRegexMatcher: the pattern is parsed on its own first (Perl flags
// and DotNL), so an error names the pattern as written. Empty when it compiles, else Go's message.
std::string regexp_error(const std::string& pattern) {
  bool has_C = false;
  const std::string adapted = for_re2(pattern, &has_C);
  RE2 re(adapted, regexp_options());
  if (re.ok()) return has_C ? "error parsing regexp: invalid escape sequence: `\\C`" : std::string();
  std::string arg = re.error_arg();
  if (re.error_code() == RE2::ErrorBadUTF8) arg = pattern;  // Go names the whole pattern
  if (adapted != pattern && pattern.find(arg) == std::string::npos) {
    const size_t at = arg.find("(?P<");
    if (at != std::string::npos) arg.erase(at + 2, 1);
  }
  return std::string("error parsing regexp: ") + go_regexp_code(re.error_code()) + ": `" + arg + "`";
}

// What the checker needs to know about a regex, cached per thread: compiling with RE2 dominated
// the cost of checking selectors, and dashboards and rule files repeat their patterns.
struct RegexFacts {
  std::string error;           // Go's message, empty when the pattern compiles
  bool matches_empty = false;  // the anchored pattern matches ""
};

const RegexFacts& regex_facts(const std::string& pattern) {
  thread_local std::unordered_map<std::string, RegexFacts> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 4096) cache.clear();  // bounded memory on adversarial input
  RegexFacts facts;
  facts.error = regexp_error(pattern);
  if (facts.error.empty()) {
    bool has_C = false;
    RE2 re("(?s:" + for_re2(pattern, &has_C) + ")", regexp_options());
    facts.matches_empty = re.ok() && RE2::FullMatch("", re);
  }
  return cache.emplace(pattern, std::move(facts)).first->second;
}

// labels.Matcher.Matches("").
bool matches_empty(const Matcher& m) {
  switch (m.op) {
    case MatchOp::Equal: return m.value.empty();
    case MatchOp::NotEqual: return !m.value.empty();
    case MatchOp::Regex: return regex_facts(m.value).matches_empty;
    case MatchOp::NotRegex: return !regex_facts(m.value).matches_empty;
  }
  return false;
}

using base::is_space_or_newline;

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The label tokens written inside the parentheses of a binary expression's modifiers
// (`on(a, "b") group_left(c)`), in order: their ranges, for error positions.
std::vector<Range> modifier_label_ranges(std::string_view src, Range r) {
  std::vector<Range> out;
  const uint32_t end = std::min<uint32_t>(r.end, static_cast<uint32_t>(src.size()));
  int depth = 0;
  for (uint32_t i = r.begin; i < end;) {
    const char c = src[i];
    if (c == '(') {
      ++depth, ++i;
    } else if (c == ')') {
      --depth, ++i;
    } else if (c == '"' || c == '\'' || c == '`') {
      const uint32_t start = i++;
      while (i < end && src[i] != c) i += (src[i] == '\\' && c != '`') ? 2 : 1;
      if (i < end) ++i;
      if (depth > 0) out.push_back({start, std::min(i, end)});
    } else if (is_label_char(c)) {
      const uint32_t start = i;
      while (i < end && is_label_char(src[i])) ++i;
      if (depth > 0) out.push_back({start, i});
    } else {
      ++i;
    }
  }
  return out;
}

class Checker {
 public:
  Checker(std::string_view source, const CheckOptions& options) : src_(source), opts_(options) {}

  std::optional<CheckError> run(const Expr& root) {
    grammar(root);
    if (!err_) ast(root);
    return err_;
  }

 private:
  std::string_view src_;
  const CheckOptions& opts_;
  std::optional<CheckError> err_;

  void fail(Range r, std::string message) {
    if (!err_) err_ = CheckError{std::move(message), r};
  }

  // ----- phase 1: errors of the grammar actions, in reduction order

  // grouping_label: `model.UTF8Validation.IsValidLabelName` (any non-empty valid UTF-8).
  void grouping_label(const std::string& name, Range r) {
    if (name.empty() || !valid_utf8(name)) fail(r, "invalid label name for grouping: " + go_quote(name));
  }

  void grammar(const Expr& e) {
    if (err_) return;
    switch (e.kind) {
      case NodeKind::Number:
      case NodeKind::String: return;
      case NodeKind::VectorSelector: return grammar_selector(static_cast<const VectorSelector&>(e));
      case NodeKind::MatrixSelector:
        if (const Expr* s = static_cast<const MatrixSelector&>(e).selector.get()) grammar(*s);
        return;
      case NodeKind::Subquery:
        if (const Expr* s = static_cast<const Subquery&>(e).expr.get()) grammar(*s);
        return;
      case NodeKind::Paren:
        if (const Expr* s = static_cast<const Paren&>(e).expr.get()) grammar(*s);
        return;
      case NodeKind::Unary:
        if (const Expr* s = static_cast<const Unary&>(e).expr.get()) grammar(*s);
        return;
      case NodeKind::Call: {
        const auto& c = static_cast<const Call&>(e);
        for (const auto& a : c.args) grammar(*a);
        if (err_) return;
        if (!c.func) return fail(c.name_range, "unknown function with name " + go_quote(c.name));
        if (c.func->experimental && !opts_.enable_experimental_functions)
          return fail(c.name_range, "function " + go_quote(c.name) + " is not enabled");
        return;
      }
      case NodeKind::Aggregate: return grammar_aggregate(static_cast<const Aggregate&>(e));
      case NodeKind::Binary: return grammar_binary(static_cast<const Binary&>(e));
    }
  }

  void grammar_selector(const VectorSelector& vs) {
    for (const Matcher& m : vs.matchers) {
      if (m.op != MatchOp::Regex && m.op != MatchOp::NotRegex) continue;
      std::string msg = regex_facts(m.value).error;
      if (!msg.empty()) return fail(Range{m.range.begin, m.value_range.end ? m.value_range.end : m.range.end}, msg);
    }
  }

  // The grouping labels and the arguments in source order, then newAggregateExpr's checks.
  void grammar_aggregate(const Aggregate& a) {
    auto check_grouping = [&] {
      for (size_t i = 0; i < a.grouping.size(); ++i)
        grouping_label(a.grouping[i], i < a.grouping_ranges.size() ? a.grouping_ranges[i] : a.op_range);
    };
    const bool grouping_first = !a.grouping.empty() && (a.args.empty() || a.grouping_ranges.empty() ||
                                                        a.grouping_ranges.front().begin < a.args.front()->range.begin);
    if (grouping_first) check_grouping();
    for (const auto& arg : a.args) grammar(*arg);
    if (!grouping_first) check_grouping();
    if (err_) return;
    // newAggregateExpr.
    if (a.args.empty()) return fail(a.range, "no arguments for aggregate expression provided");
    size_t want = 1;
    if (takes_parameter(a.op)) {
      const bool experimental = a.op == AggregateOp::Limitk || a.op == AggregateOp::LimitRatio;
      if (experimental && !opts_.enable_experimental_functions)
        return fail(a.range, std::string(to_string(a.op)) +
                                 "() is experimental and must be enabled with "
                                 "--enable-feature=promql-experimental-functions");
      want = 2;
    }
    if (a.args.size() != want)
      return fail(a.range, "wrong number of arguments for aggregate expression provided, expected " +
                               std::to_string(want) + ", got " + std::to_string(a.args.size()));
  }

  void grammar_binary(const Binary& b) {
    grammar(*b.lhs);
    if (err_) return;
    const VectorMatching& vm = b.matching;
    if (!vm.labels.empty() || !vm.include.empty()) {
      const std::vector<Range> ranges = modifier_label_ranges(src_, vm.range);
      size_t k = 0;
      for (const auto* list : {&vm.labels, &vm.include})
        for (const std::string& l : *list) {
          grouping_label(l, k < ranges.size() ? ranges[k] : (vm.range.end > vm.range.begin ? vm.range : b.op_range));
          ++k;
        }
    }
    grammar(*b.rhs);
  }

  // ----- phase 2: checkAST

  void expect_type(const Expr& e, ValueType want, const char* context) {
    const ValueType t = ast(e);
    if (t != want)
      fail(e.range, std::string("expected type ") + documented(want) + " in " + context + ", got " + documented(t));
  }

  // The operator's range, from the end of the left operand to the start of the right one,
  // with whitespace trimmed (Prometheus' opRange).
  Range op_range(const Binary& b) const {
    const auto n = static_cast<uint32_t>(src_.size());
    uint32_t start = std::min(b.lhs->range.end, n);
    while (start < n && is_space_or_newline(src_[start])) ++start;
    uint32_t last = b.rhs->range.begin > 0 ? std::min(b.rhs->range.begin - 1, n ? n - 1 : 0) : 0;
    while (last > start && last < n && is_space_or_newline(src_[last])) --last;
    return Range{start, std::max(start, last + 1)};
  }

  ValueType ast(const Expr& e, bool bypass_empty_matcher_check = false) {
    const ValueType type = type_of(e);
    if (err_) return type;
    switch (e.kind) {
      case NodeKind::Number:
      case NodeKind::String: break;

      case NodeKind::VectorSelector:
        check_selector(static_cast<const VectorSelector&>(e), bypass_empty_matcher_check);
        break;

      case NodeKind::MatrixSelector:
        if (const Expr* s = static_cast<const MatrixSelector&>(e).selector.get()) ast(*s);
        break;

      case NodeKind::Subquery: {
        const auto& sq = static_cast<const Subquery&>(e);
        const ValueType t = ast(*sq.expr);
        if (t != ValueType::Vector)
          fail(sq.range,
               std::string("subquery is only allowed on instant vector, got ") + go_value_type(t) + " instead");
        break;
      }

      case NodeKind::Paren: ast(*static_cast<const Paren&>(e).expr); break;

      case NodeKind::Unary: {
        const ValueType t = ast(*static_cast<const Unary&>(e).expr);
        if (t != ValueType::Scalar && t != ValueType::Vector)
          fail(e.range,
               std::string("unary expression only allowed on expressions of type scalar or instant vector, got \"") +
                   documented(t) + "\"");
        break;
      }

      case NodeKind::Call: check_call(static_cast<const Call&>(e)); break;

      case NodeKind::Aggregate: check_aggregate(static_cast<const Aggregate&>(e)); break;

      case NodeKind::Binary: check_binary(static_cast<const Binary&>(e)); break;
    }
    return type;
  }

  void check_selector(const VectorSelector& vs, bool bypass_empty_matcher_check) {
    if (!vs.name.empty()) {
      for (const Matcher& m : vs.matchers)
        if (m.name == "__name__")
          fail(vs.range, "metric name must not be set twice: " + go_quote(vs.name) + " or " + go_quote(m.value));
      return;  // an explicit metric name is a non-empty matcher
    }
    if (bypass_empty_matcher_check) return;
    for (const Matcher& m : vs.matchers)
      if (!matches_empty(m)) return;
    fail(vs.range, "vector selector must contain at least one non-empty matcher");
  }

  void check_aggregate(const Aggregate& a) {
    if (const Expr* body = a.body()) expect_type(*body, ValueType::Vector, "aggregation expression");
    const Expr* param = a.param();
    switch (a.op) {
      case AggregateOp::Topk:
      case AggregateOp::Bottomk:
      case AggregateOp::Quantile:
      case AggregateOp::Limitk:
      case AggregateOp::LimitRatio:
        if (param) expect_type(*param, ValueType::Scalar, "aggregation parameter");
        break;
      case AggregateOp::CountValues:
        if (param) expect_type(*param, ValueType::String, "aggregation parameter");
        break;
      default: break;
    }
  }

  void check_call(const Call& c) {
    const Function* f = c.func;
    if (!f) return fail(c.name_range, "unknown function with name " + go_quote(c.name));
    const int nargs = static_cast<int>(f->arg_types.size());
    const int given = static_cast<int>(c.args.size());
    const auto name = [f] { return go_quote(f->name); };  // for messages only
    if (f->variadic == 0) {
      if (nargs != given)
        fail(c.range, "expected " + std::to_string(nargs) + " argument(s) in call to " + name() + ", got " +
                          std::to_string(given));
    } else {
      const int at_least = nargs - 1;
      if (at_least > given) {
        fail(c.range, "expected at least " + std::to_string(at_least) + " argument(s) in call to " + name() + ", got " +
                          std::to_string(given));
      } else if (const int at_most = at_least + f->variadic; f->variadic > 0 && at_most < given) {
        fail(c.range, "expected at most " + std::to_string(at_most) + " argument(s) in call to " + name() + ", got " +
                          std::to_string(given));
      }
    }

    bool bypass_second = false;
    if (f->name == "info" && given > 1) {
      const Expr& second = *c.args[1];
      const ValueType t = type_of(second);
      if (t != ValueType::Vector)
        fail(c.range,
             std::string("expected type instant vector in call to function ") + name() + ", got " + documented(t));
      const auto* vs = as<VectorSelector>(&second);
      if (vs && !vs->name.empty()) {
        fail(second.range, "expected label selectors only, got vector selector instead");
      } else if (vs) {
        bypass_second = true;
      } else {
        fail(second.range, "expected label selectors only");
      }
    }

    for (int i = 0; i < given; ++i) {
      int k = i;
      if (k >= nargs) {
        if (f->variadic == 0) break;  // not a vararg function: extra arguments are not checked
        k = nargs - 1;
      }
      const Expr& arg = *c.args[i];
      const ValueType t = ast(arg, bypass_second && i == 1);
      if (t != f->arg_types[k])
        fail(arg.range, std::string("expected type ") + documented(f->arg_types[k]) + " in call to function " + name() +
                            ", got " + documented(t));
    }
  }

  void check_binary(const Binary& b) {
    const ValueType lt = ast(*b.lhs);
    const ValueType rt = ast(*b.rhs);
    if (err_) return;

    if (b.return_bool && !is_comparison(b.op))
      fail(op_range(b), "bool modifier can only be used on comparison operators");
    if (is_comparison(b.op) && !b.return_bool && rt == ValueType::Scalar && lt == ValueType::Scalar)
      fail(op_range(b), "comparisons between scalars must use BOOL modifier");

    // Set operators are many-to-many unless told otherwise (Prometheus rewrites the AST; we
    // compute the effective cardinality locally).
    Cardinality card = b.matching.card;
    if (is_set_operator(b.op) && card == Cardinality::OneToOne) card = Cardinality::ManyToMany;

    if (b.matching.on)
      for (const std::string& l1 : b.matching.labels)
        for (const std::string& l2 : b.matching.include)
          if (l1 == l2) fail(op_range(b), "label " + go_quote(l1) + " must not occur in ON and GROUP clause at once");

    if (lt != ValueType::Scalar && lt != ValueType::Vector)
      fail(b.lhs->range, "binary expression must contain only scalar and instant vector types");
    if (rt != ValueType::Scalar && rt != ValueType::Vector)
      fail(b.rhs->range, "binary expression must contain only scalar and instant vector types");

    const auto op = [&b] { return go_quote(to_string(b.op)); };  // for messages only
    const bool filled = b.matching.fill_lhs || b.matching.fill_rhs;
    if (lt != ValueType::Vector || rt != ValueType::Vector) {
      if (!b.matching.labels.empty()) fail(b.range, "vector matching only allowed between instant vectors");
      if (filled) fail(b.range, "filling in missing series only allowed between instant vectors");
    } else if (is_set_operator(b.op)) {
      if (card == Cardinality::OneToMany || card == Cardinality::ManyToOne)
        fail(b.range, "no grouping allowed for " + op() + " operation");
      if (card != Cardinality::ManyToMany) fail(b.range, "set operations must always be many-to-many");
      if (filled) fail(b.range, "filling in missing series not allowed for set operators");
    }

    if ((lt == ValueType::Scalar || rt == ValueType::Scalar) && is_set_operator(b.op))
      fail(b.range, "set operator " + op() + " not allowed in binary scalar expression");
  }
};

}  // namespace

std::optional<CheckError> check(const Expr& root, std::string_view source, const CheckOptions& options) {
  return Checker(source, options).run(root);
}

}  // namespace promvet::promql
