#include "checks/dashboard/undefined_variable.h"

#include "checks/dashboard/dashboard_file.h"
#include "sources/grafana_vars.h"

namespace promvet::checks {

CheckInfo UndefinedVariableCheck::info() const {
  return {kId, Severity::kWarning, "a grafana variable used in a query that the dashboard does not define",
          Stage::kFile, kNeedsParsedDashboard};
}

void UndefinedVariableCheck::run(const FileContext& ctx, Reporter& out) const {
  auto defined = [&](const std::string& name) {
    for (const sources::DashboardVariable& v : ctx.file.dashboard_variables)
      if (v.name == name) return true;
    return false;
  };
  for (const sources::Expression& e : ctx.file.expressions) {
    if (!dashboard::from_dashboard(e)) continue;
    for (const sources::VariableSpan& s : e.variable_spans) {
      if (defined(s.name) || sources::is_grafana_global(s.name)) continue;
      uint32_t begin = e.map.at(s.begin);
      size_t len = sources::reference_length(ctx.content, begin);
      if (len == 0) len = 1 + s.name.size();  // written with JSON escapes: point at its start
      std::string placeholder = e.text.substr(s.begin, s.end - s.begin);
      out.report_file(begin, begin + static_cast<uint32_t>(len),
                      "variable " + quote("$" + s.name) + " is not defined in this dashboard (checked as " +
                          quote(placeholder) + "); add it to templating.list or fix the name",
                      &e);
    }
  }
}

}  // namespace promvet::checks
