#include "checks/dashboard/dashboard_file.h"

namespace promvet::checks::dashboard {

bool from_dashboard(const sources::Expression& e) {
  return e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation ||
         e.kind == sources::ExpressionKind::TemplateQuery;
}

}  // namespace promvet::checks::dashboard
