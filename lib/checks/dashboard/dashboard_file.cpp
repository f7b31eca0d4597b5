#include "checks/dashboard/dashboard_file.h"

namespace promvet::checks::dashboard {

bool from_dashboard(const sources::Expression& e) {
  return e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation ||
         e.kind == sources::ExpressionKind::TemplateQuery;
}

bool parsed_dashboard(const sources::SourceFile& file) {
  for (const sources::Diagnostic& d : file.diagnostics)
    if (d.check_id == "source/invalid-json" || d.check_id == "source/salvaged" || d.check_id == "source/too-deep" ||
        d.check_id == "source/too-large")
      return false;
  if (!file.dashboard_variables.empty() || !file.datasources.empty()) return true;
  for (const sources::Expression& e : file.expressions)
    if (from_dashboard(e)) return true;
  return false;
}

}  // namespace promvet::checks::dashboard
