#include "checks/promql/range_suggestion.h"

#include <algorithm>

namespace promvet::checks::promql_labels {

std::string rate_range(const sources::Expression& e) {
  bool dashboard = e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation;
  return dashboard ? "[$__rate_interval]" : "[5m]";
}

std::string call_over_range(const ExprContext& ctx, const promql::VectorSelector& s, std::string_view fn,
                            std::string_view range) {
  uint32_t mods_begin = s.range.end;
  if (s.mods.offset) mods_begin = std::min(mods_begin, s.mods.offset_range.begin);
  if (s.mods.at != promql::AtKind::None) mods_begin = std::min(mods_begin, s.mods.at_range.begin);
  std::string selector(ctx.text({s.range.begin, mods_begin}));
  while (!selector.empty() && (selector.back() == ' ' || selector.back() == '\t' || selector.back() == '\n'))
    selector.pop_back();
  std::string mods = mods_begin < s.range.end ? " " + std::string(ctx.text({mods_begin, s.range.end})) : "";
  return std::string(fn) + "(" + selector + std::string(range) + mods + ")";
}

}  // namespace promvet::checks::promql_labels
