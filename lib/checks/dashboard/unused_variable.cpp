#include "checks/dashboard/unused_variable.h"

#include <algorithm>
#include <cctype>

#include "checks/dashboard/dashboard_file.h"

namespace promvet::checks {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `$name`, `${name}`, `${name:fmt}`, `${name.field}`, `[[name]]`, `[[name:fmt]]` anywhere in the
// file: queries, titles, legends, links, other variables' queries and regexes.
bool referenced(std::string_view t, const std::string& name) {
  for (size_t i = t.find(name); i != std::string_view::npos; i = t.find(name, i + 1)) {
    size_t after = i + name.size();
    char next = after < t.size() ? t[after] : '\0';
    if (i >= 1 && t[i - 1] == '$' && !is_word(next)) return true;
    if (i >= 2 && t[i - 2] == '$' && t[i - 1] == '{' && (next == '}' || next == ':' || next == '.')) return true;
    if (i >= 2 && t[i - 2] == '[' && t[i - 1] == '[' && (next == ']' || next == ':')) return true;
  }
  return false;
}

}  // namespace

CheckInfo UnusedVariableCheck::info() const {
  return {kId, Severity::kInfo, "a dashboard variable that no query, title or other variable references", Stage::kFile,
          kNeedsParsedDashboard};
}

void UnusedVariableCheck::run(const FileContext& ctx, Reporter& out) const {
  if (ctx.file.dashboard_variables.empty()) return;
  // Links (and dashboard lists) with includeVars hand every variable to the dashboards they
  // open: any may be used there.
  if (ctx.file.dashboard.passes_variables) return;
  for (const sources::DashboardVariable& v : ctx.file.dashboard_variables) {
    // Ad hoc filters apply themselves to every query of their data source.
    if (v.type == "adhoc") continue;
    if (referenced(ctx.content, v.name)) continue;
    // A repeated panel or row names its variable without `$`.
    const std::vector<std::string>& repeats = ctx.file.dashboard.repeat_variables;
    if (std::find(repeats.begin(), repeats.end(), v.name) != repeats.end()) continue;
    out.report_file(v.offset, v.end_offset,
                    "variable " + quote(v.name) +
                        " is defined but never used; remove it from the dashboard's variables");
  }
}

}  // namespace promvet::checks
