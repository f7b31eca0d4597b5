#include "checks/rules/recording_name.h"

#include "base/names.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

// Prometheus metric names: [a-zA-Z_:][a-zA-Z0-9_:]*. Anything else is rules/invalid-record-name's.
using base::is_legacy_metric_name;

bool uses_rate(const promql::Expr& root) {
  bool found = false;
  promql::visit(root, [&](const promql::Expr& e, const promql::Ancestors&) {
    if (const auto* c = promql::as<promql::Call>(&e))
      found = found || c->name == "rate" || c->name == "irate" || c->name == "increase";
  });
  return found;
}

}  // namespace

CheckInfo RecordingNameCheck::info() const {
  return {kId, Severity::kInfo, "a recording rule name that breaks the level:metric:operations convention"};
}

void RecordingNameCheck::check(const ExprContext& ctx, Reporter& out) const {
  if (ctx.source.kind != sources::ExpressionKind::RecordingRule) return;
  const std::string& name = ctx.source.rule_name;
  if (!is_legacy_metric_name(name)) return;
  const sources::RuleInfo& r = ctx.source.rule;
  const size_t first = name.find(':');
  if (first == std::string::npos) {
    out.report_file(r.name_offset, r.name_end,
                    "recording rule name " + quote(name) +
                        " has no colons, so it reads like a scraped metric; name it level:metric:operations, e.g. "
                        "\"job:http_requests:rate5m\"",
                    &ctx.source);
    return;
  }
  const size_t second = name.find(':', first + 1);
  if (second == std::string::npos || first == 0) return;  // "level:metric" or ":x": unsure of the parts
  const std::string metric = name.substr(first + 1, second - first - 1);
  constexpr std::string_view kTotal = "_total";
  if (metric.size() <= kTotal.size() || metric.compare(metric.size() - kTotal.size(), kTotal.size(), kTotal) != 0)
    return;
  if (!uses_rate(ctx.ast)) return;
  std::string better =
      name.substr(0, first + 1) + metric.substr(0, metric.size() - kTotal.size()) + name.substr(second);
  out.report_file(r.name_offset, r.name_end,
                  "recording rule name " + quote(name) + " keeps \"_total\" after a rate; name it " + quote(better),
                  &ctx.source);
}

}  // namespace promvet::checks
