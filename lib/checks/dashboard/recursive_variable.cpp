#include "checks/dashboard/recursive_variable.h"

#include "checks/dashboard/dashboard_file.h"
#include "sources/grafana_vars.h"

namespace promvet::checks {

CheckInfo RecursiveVariableCheck::info() const {
  return {kId, Severity::kWarning, "a grafana variable whose value refers back to itself, or a too long chain of them",
          Stage::kFile, kNeedsParsedDashboard};
}

void RecursiveVariableCheck::run(const FileContext& ctx, Reporter& out) const {
  using Kind = sources::VariableIssue::Kind;
  for (const sources::Expression& e : ctx.file.expressions) {
    if (!dashboard::from_dashboard(e)) continue;
    for (const sources::VariableIssue& issue : e.variable_issues) {
      if (issue.kind != Kind::Cycle && issue.kind != Kind::TooDeep) continue;
      uint32_t begin = e.map.at(issue.begin);
      size_t len = sources::reference_length(ctx.content, begin);
      if (len == 0) len = 1 + issue.name.size();
      std::string checked = quote(e.text.substr(issue.begin, issue.end - issue.begin));
      std::string msg = issue.kind == Kind::Cycle
                            ? "the value of variable " + quote("$" + issue.name) +
                                  " refers back to a variable being expanded (" + issue.chain +
                                  "), so it has no value; fix the variable values (checked as " + checked + ")"
                            : "the value of variable " + quote("$" + issue.name) + " leads through more than " +
                                  std::to_string(sources::kMaxVariableNesting) + " variables or grows too large (" +
                                  issue.chain + "); promvet stops there (checked as " + checked + ")";
      out.report_file(begin, begin + static_cast<uint32_t>(len), msg, &e);
    }
  }
}

}  // namespace promvet::checks
