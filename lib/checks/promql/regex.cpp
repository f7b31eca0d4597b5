#include "checks/promql/regex.h"

#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::MatchOp;

constexpr std::string_view kMeta = "\\.^$*+?()[]{}|";

const sources::VariableSpan* span_in(const sources::Expression& e, uint32_t begin, uint32_t end) {
  for (const sources::VariableSpan& s : e.variable_spans)
    if (s.begin < end && begin < s.end) return &s;
  return nullptr;
}

bool from_variable(const sources::Expression& e, uint32_t pos) { return span_in(e, pos, pos + 1) != nullptr; }

// The operator token between the label name and the value.
promql::Range op_range(const ExprContext& ctx, const promql::Matcher& m) {
  std::string_view op = promql::to_string(m.op);
  size_t at = ctx.source.text.find(op, m.name_range.end);
  if (at == std::string::npos || at >= m.value_range.begin) return m.range;
  return {static_cast<uint32_t>(at), static_cast<uint32_t>(at + op.size())};
}

// A `$` at the end of the regex that is an anchor, not an escaped dollar.
bool ends_with_anchor(std::string_view v) {
  if (v.empty() || v.back() != '$') return false;
  size_t backslashes = 0;
  for (size_t i = v.size() - 1; i > 0 && v[i - 1] == '\\'; --i) ++backslashes;
  return backslashes % 2 == 0;
}

// Under absent(), `{instance=~".*"}` is the Prometheus docs' own example; leave it.
bool in_absent(const promql::Ancestors& up) {
  for (const promql::Expr* a : up)
    if (const auto* c = promql::as<promql::Call>(a); c && (c->name == "absent" || c->name == "absent_over_time"))
      return true;
  return false;
}

void check_matcher(const ExprContext& ctx, const promql::Matcher& m, bool under_absent, Reporter& out) {
  const sources::Expression& e = ctx.source;
  if (m.bare_name || m.value_range.end < m.value_range.begin + 2) return;
  uint32_t inner_begin = m.value_range.begin + 1, inner_end = m.value_range.end - 1;
  bool regex = m.op == MatchOp::Regex || m.op == MatchOp::NotRegex;
  if (!regex) {
    const sources::VariableSpan* s = span_in(e, inner_begin, inner_end);
    if (s && s->multi_value) {
      std::string op = m.op == MatchOp::Equal ? "=~" : "!~";
      out.report(e, op_range(ctx, m),
                 "multi-value variable " + quote("$" + s->name) + " compared with " + quote(promql::to_string(m.op)) +
                     " matches nothing once two values are selected; use " + quote(op),
                 op);
    }
    return;
  }
  const std::string& v = m.value;
  // Anchors: only those written in the query, not ones a variable's value brought in.
  bool lead = !v.empty() && v.front() == '^' && !from_variable(e, inner_begin);
  bool trail = ends_with_anchor(v) && !from_variable(e, inner_end - 1);
  if (lead || trail) {
    std::string_view written = ctx.text(m.value_range);
    std::string fix;
    size_t start = lead ? 2 : 1, stop = written.size() - (trail ? 2 : 1);
    // Only when the anchors are written as such (not as escapes) and no variable is involved.
    if (!span_in(e, inner_begin, inner_end) && written.size() >= 2 && start <= stop && (!lead || written[1] == '^') &&
        (!trail || written[stop] == '$'))
      fix = std::string(1, written.front()) + std::string(written.substr(start, stop - start)) + written.back();
    std::string what = lead && trail ? "\"^\" and \"$\"" : lead ? "\"^\"" : "\"$\"";
    out.report(e, m.value_range,
               "regex " + quote(v) + " is anchored with " + what +
                   ", which prometheus already does for every regex matcher; remove " + (lead && trail ? "them" : "it"),
               fix);
    return;
  }
  // Values that came from a variable are Grafana's business (`.*` is the usual "All" value).
  if (span_in(e, inner_begin, inner_end)) return;
  if (m.op == MatchOp::Regex && v == ".*" && !under_absent) {
    out.report(
        e, m.value_range,
        "regex \".*\" on " + quote(m.name) +
            " matches every series, also those without the label; remove the matcher (use \".+\" to require the label)");
    return;
  }
  if (!v.empty() && v.find_first_of(kMeta) == std::string::npos) {
    std::string op = m.op == MatchOp::Regex ? "=" : "!=";
    out.report(e, op_range(ctx, m),
               "regex " + quote(v) + " has no metacharacters; use " + quote(op) + " for an exact match", op);
  }
}

}  // namespace

CheckInfo RegexCheck::info() const {
  return {kId, Severity::kWarning, "a label matcher regex that is redundant, a no-op, or misused with a variable"};
}

void RegexCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const promql::Expr& e, const promql::Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s) return;
    for (const promql::Matcher& m : s->matchers) check_matcher(ctx, m, in_absent(up), out);
  });
}

}  // namespace promvet::checks
