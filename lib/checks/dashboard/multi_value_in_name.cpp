#include "checks/dashboard/multi_value_in_name.h"

#include "checks/dashboard/dashboard_file.h"
#include "sources/grafana_vars.h"

namespace promvet::checks {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }

// The regex matcher that selects what the query means: the whole metric name around the
// reference, the reference as written (`reference`) inside a `__name__=~` matcher, where the
// regex Grafana sends is what it should be.
std::string name_fix(const sources::Expression& e, const sources::VariableIssue& issue, const std::string& reference) {
  const std::string& t = e.text;
  uint32_t left = issue.begin, right = issue.end;
  while (left > 0 && name_char(t[left - 1])) --left;
  while (right < t.size() && name_char(t[right])) ++right;
  std::string regex = t.substr(left, issue.begin - left) + reference + t.substr(issue.end, right - issue.end);
  size_t next = t.find_first_not_of(" \t\r\n", right);
  bool more_matchers = next != std::string::npos && t[next] == '{' &&
                       t.find_first_not_of(" \t\r\n", next + 1) != std::string::npos &&
                       t[t.find_first_not_of(" \t\r\n", next + 1)] != '}';
  return "{__name__=~" + quote(regex) + (more_matchers ? ", …}" : "}");
}

std::string message(const sources::Expression& e, const sources::VariableIssue& issue, const std::string& reference) {
  std::string var = quote("$" + issue.name);
  std::string checked = quote(e.text.substr(issue.begin, issue.end - issue.begin));
  std::string sent = issue.selection + " Grafana sends " + quote(issue.sent) + " there";
  if (issue.place == sources::VariableIssue::Place::LabelName)
    return "multi-value variable " + var + " is part of a label name: " + sent +
           ", which is not a label name, and a label name cannot be a regex; use a single-value variable (checked as " +
           checked + ")";
  if (issue.place == sources::VariableIssue::Place::LabelList)
    return "multi-value variable " + var + " in a label list: " + sent + ", which is not a list of label names; use " +
           quote("${" + issue.name + ":csv}") + " to send the values separated by commas (checked as " + checked + ")";
  return "multi-value variable " + var + " is part of a metric name: " + sent +
         ", which is not a metric name (a regex matches names only in a matcher); select the names with " +
         name_fix(e, issue, reference) + " (checked as " + checked + ")";
}

}  // namespace

CheckInfo MultiValueInNameCheck::info() const {
  return {kId, Severity::kWarning,
          "a multi-value grafana variable inside a metric or label name, where the regex grafana sends cannot stand",
          Stage::kFile, kNeedsParsedDashboard};
}

void MultiValueInNameCheck::run(const FileContext& ctx, Reporter& out) const {
  for (const sources::Expression& e : ctx.file.expressions) {
    if (!dashboard::from_dashboard(e)) continue;
    for (const sources::VariableIssue& issue : e.variable_issues) {
      if (issue.kind != sources::VariableIssue::Kind::MultiValueInName) continue;
      uint32_t begin = e.map.at(issue.begin);
      size_t len = sources::reference_length(ctx.content, begin);
      // Written with JSON escapes: point at its start, and show it as `${name}`.
      std::string reference = len ? std::string(ctx.content.substr(begin, len)) : "${" + issue.name + "}";
      if (len == 0) len = 1 + issue.name.size();
      out.report_file(begin, begin + static_cast<uint32_t>(len), message(e, issue, reference), &e);
    }
  }
}

}  // namespace promvet::checks
