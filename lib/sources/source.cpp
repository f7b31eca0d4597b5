#include "sources/source.h"

namespace promvet::sources {

const char* to_string(ExpressionKind k) {
  switch (k) {
    case ExpressionKind::PanelTarget: return "panel target";
    case ExpressionKind::Annotation: return "annotation";
    case ExpressionKind::TemplateQuery: return "template query";
    case ExpressionKind::RecordingRule: return "recording rule";
    case ExpressionKind::AlertingRule: return "alerting rule";
    case ExpressionKind::Query: return "query";
  }
  return "expression";
}

}  // namespace promvet::sources
