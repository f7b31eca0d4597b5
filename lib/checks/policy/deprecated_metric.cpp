#include "checks/policy/deprecated_metric.h"

#include "inventory/inventory.h"
#include "naming/policy.h"
#include "promql/walk.h"
#include "sources/grafana_vars.h"

namespace promvet::checks {

namespace {

// A metric name that came from a Grafana variable, wholly or in part (`$metric`,
// `vllm:${kind}_total`): the saved value is one choice of many, and the position would be the
// reference, not a name the user wrote.
bool from_variable(const sources::Expression& e, const promql::VectorSelector& s) {
  promql::Range r = s.name.empty() ? s.range : s.name_range;
  if (s.name.empty())
    for (const promql::Matcher& m : s.matchers)
      if (m.name == "__name__") r = m.value_range;
  return sources::expanded_from_variable(e, r.begin, r.end);
}

}  // namespace

CheckInfo DeprecatedMetricCheck::info() const {
  return {kId,
          Severity::kWarning,
          "a metric a naming-policy pack lists as deprecated or removed, with its replacement",
          Stage::kFile,
          kNeedsPolicies,
          kLintCommand | kMetricsCommand};
}

void DeprecatedMetricCheck::check(const ExprContext& ctx, Reporter& out) const {
  for (const promql::VectorSelector* s : promql::selectors(ctx.ast)) {
    std::string name = s->metric_name();
    if (name.empty() || from_variable(ctx.source, *s)) continue;
    // Missing from the inventory as well: inventory/unknown-metric reports the rename already.
    if (ctx.file.inventory && !ctx.file.inventory->find_series(name)) continue;
    for (const naming::Policy& p : *ctx.file.policies) {
      const naming::DeprecatedMetric* d = p.find_deprecated(name);
      if (!d) continue;
      promql::Range at = s->name.empty() ? s->range : s->name_range;
      naming::DeprecatedMetric series = *d;  // the replacement of x_bucket is y_bucket
      if (!series.replacement.empty() && name.compare(0, d->name.size(), d->name) == 0)
        series.replacement += name.substr(d->name.size());
      out.report(ctx.source, at, p.deprecation_message(name, series),
                 s->name.empty() ? std::string() : series.replacement);
      break;
    }
  }
}

}  // namespace promvet::checks
