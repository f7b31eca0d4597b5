#include "checks/fix_edit.h"

#include <algorithm>
#include <optional>
#include <string>

#include "base/duration.h"
#include "checks/promql/range_too_short.h"
#include "checks/promql/regex.h"
#include "promql/parse.h"

namespace promvet::checks {
namespace {

bool dashboard_query(const sources::Expression& e) {
  return e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation;
}

// `"^x$"` → `"x"`: the same quoted string without a leading `^` and/or a trailing `$`. A
// repetition right after a removed `^` (`^*x`) would no longer compile, so that is not one.
bool drops_anchors(std::string_view old_text, std::string_view new_text) {
  if (old_text.size() < 3 || new_text.size() < 2 || old_text.front() != new_text.front() ||
      old_text.back() != new_text.back())
    return false;
  std::string_view inner = old_text.substr(1, old_text.size() - 2);
  std::string_view kept = new_text.substr(1, new_text.size() - 2);
  bool lead = !inner.empty() && inner.front() == '^';
  if (lead) inner.remove_prefix(1);
  bool trail = inner.size() >= 1 && inner.back() == '$' && inner.substr(0, inner.size() - 1) == kept;
  if (trail) inner.remove_suffix(1);
  if (!(lead || trail) || inner != kept) return false;
  if (lead && !kept.empty() && std::string_view("*+?{").find(kept.front()) != std::string_view::npos) return false;
  return true;
}

bool safe_to_insert(char c) {
  // Needs no escape in a JSON string nor in any YAML scalar style, and starts no comment.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_$.=!~[](),").find(c) != std::string_view::npos;
}

bool in_variable(const sources::Expression& e, uint32_t begin, uint32_t end) {
  for (const sources::VariableSpan& v : e.variable_spans)
    if (v.begin < std::max(end, begin + 1) && v.end > begin) return true;
  return false;
}

// `[5m]`, `[1h30m]`: brackets around one positive duration with its units and nothing else, which
// the lexer makes `[`, one DURATION token, `]` wherever it stands (a range, or inside a string or
// a comment).
bool bracketed_duration(std::string_view s) {
  if (s.size() < 4 || s.front() != '[' || s.back() != ']') return false;
  const std::string_view d = s.substr(1, s.size() - 2);
  if (d.front() < '0' || d.front() > '9') return false;
  bool unit = false;
  for (char c : d) {
    if (c >= 'a' && c <= 'z') unit = true;
    else if (c < '0' || c > '9') return false;
  }
  const base::DurationResult parsed = base::parse_duration(d);
  return unit && parsed.error.empty() && parsed.ms > 0;
}

}  // namespace

bool suggestion_parses(const sources::Expression& e, promql::Range r, std::string_view suggestion,
                       bool expression_parses) {
  if (r.begin > r.end || r.end > e.text.size()) return false;
  std::string text = e.text.substr(0, r.begin);
  std::string replacement(suggestion);
  if (dashboard_query(e)) {
    // Grafana fills these in before Prometheus sees the query: any duration stands for them.
    for (std::string_view var : {"$__rate_interval", "$__interval", "$__range"})
      for (size_t at; (at = replacement.find(var)) != std::string::npos;) replacement.replace(at, var.size(), "1m");
  }
  promql::ParseOptions options;
  for (std::string_view f : promql::kFeatures) promql::enable_feature(options, f);
  // One duration for another between the same brackets (range-too-short's `[5m]` → `[1m]`): the
  // tokens are those of the expression, one DURATION's text aside, so the parser takes the same
  // path; the new duration is valid and positive, so building the tree and type-checking it do
  // not fail on it either. What was parsed before is what parses now.
  if (expression_parses && bracketed_duration(std::string_view(e.text).substr(r.begin, r.end - r.begin)) &&
      bracketed_duration(replacement) && e.text.size() - (r.end - r.begin) + replacement.size() <= options.max_bytes)
    return true;
  text += replacement;
  text += std::string_view(e.text).substr(r.end);
  return promql::parse(text, options).ok();
}

bool equivalent_fix(std::string_view check_id, const sources::Expression& e, std::string_view old_text,
                    std::string_view new_text) {
  if (check_id == RegexCheck::kId)
    return (old_text == "=~" && new_text == "=") || (old_text == "!~" && new_text == "!=") ||
           drops_anchors(old_text, new_text);
  if (check_id == RangeTooShortCheck::kId)
    return dashboard_query(e) && new_text == "[$__rate_interval]" && old_text.find('$') == std::string_view::npos;
  return false;
}

namespace {

// One edit of text[b, e) → `repl`, checked against the file's bytes.
std::optional<FixEdit> map_edit(const sources::Expression& ex, uint32_t b, uint32_t e, std::string_view repl,
                                std::string_view content) {
  const std::string_view text = ex.text;
  const std::vector<uint32_t>& to_file = ex.map.to_file;
  for (char c : repl)
    if (!safe_to_insert(c)) return std::nullopt;
  if (in_variable(ex, b, e)) return std::nullopt;
  // Each edited character must be one byte of the file, itself (no escape, no folded line break);
  // an insertion goes between two such characters.
  if (b == e) {
    if (b == 0 || to_file[b] != to_file[b - 1] + 1 || to_file[b - 1] >= content.size() ||
        content[to_file[b - 1]] != text[b - 1])
      return std::nullopt;
  }
  for (uint32_t i = b; i < e; ++i)
    if (to_file[i] >= content.size() || content[to_file[i]] != text[i] || to_file[i + 1] != to_file[i] + 1)
      return std::nullopt;
  FixEdit edit;
  edit.begin = to_file[b];
  edit.end = edit.begin + (e - b);
  edit.old_text = std::string(text.substr(b, e - b));
  edit.new_text = std::string(repl);
  return edit;
}

}  // namespace

std::vector<FixEdit> exact_file_edits(const sources::Expression& ex, promql::Range r, std::string_view replacement,
                                      std::string_view content) {
  const std::string_view text = ex.text;
  if (r.begin > r.end || r.end > text.size() || ex.map.to_file.size() != text.size() + 1) return {};
  // Only the characters that differ are edited: `=~` → `=` deletes the `~`.
  uint32_t b = r.begin, e = r.end;
  std::string_view repl = replacement;
  while (b < e && !repl.empty() && text[b] == repl.front()) ++b, repl.remove_prefix(1);
  while (e > b && !repl.empty() && text[e - 1] == repl.back()) --e, repl.remove_suffix(1);
  if (b == e && repl.empty()) return {};  // nothing to change
  std::vector<std::optional<FixEdit>> edits;
  // What is left of the replacement inside what it replaces: deletions on either side of it.
  size_t kept = repl.empty() ? std::string_view::npos : text.substr(b, e - b).find(repl);
  if (!repl.empty() && kept != std::string_view::npos) {
    uint32_t mid = b + static_cast<uint32_t>(kept), mid_end = mid + static_cast<uint32_t>(repl.size());
    if (mid > b) edits.push_back(map_edit(ex, b, mid, {}, content));
    if (e > mid_end) edits.push_back(map_edit(ex, mid_end, e, {}, content));
  } else {
    edits.push_back(map_edit(ex, b, e, repl, content));
  }
  std::vector<FixEdit> out;
  for (std::optional<FixEdit>& edit : edits) {
    if (!edit) return {};
    out.push_back(std::move(*edit));
  }
  return out;
}

}  // namespace promvet::checks
