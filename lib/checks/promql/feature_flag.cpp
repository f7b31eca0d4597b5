#include "checks/promql/feature_flag.h"

#include <algorithm>
#include <string>

#include "promql/functions.h"
#include "promql/parse.h"
#include "promql/walk.h"

namespace promvet::checks {

namespace {

bool server_has(const CheckSettings& settings, std::string_view feature) {
  return std::find(settings.prometheus_features.begin(), settings.prometheus_features.end(), feature) !=
         settings.prometheus_features.end();
}

std::string message(std::string_view what, std::string_view feature) {
  return std::string(what) + " needs Prometheus' --enable-feature=" + std::string(feature) +
         "; a server without it rejects the expression";
}

}  // namespace

CheckInfo FeatureFlagCheck::info() const {
  return {kId, Severity::kWarning, "PromQL that Prometheus accepts only behind a feature flag"};
}

void FeatureFlagCheck::check(const ExprContext& ctx, Reporter& out) const {
  const CheckSettings& settings = ctx.file.settings;
  const bool functions = !server_has(settings, promql::kFeatureExperimentalFunctions);
  const bool durations = !server_has(settings, promql::kFeatureDurationExpr);
  const bool ranges = !server_has(settings, promql::kFeatureExtendedRangeSelectors);
  const bool fills = !server_has(settings, promql::kFeatureBinopFillModifiers);
  const auto duration = [&](const promql::Duration& d) {
    if (durations && !d.is_literal())
      out.report(ctx.source, d.range, message("a duration expression", promql::kFeatureDurationExpr));
  };
  const auto modifiers = [&](const promql::Modifiers& m) {
    if (m.offset) duration(*m.offset);
  };
  promql::visit(ctx.ast, [&](const promql::Expr& e, const promql::Ancestors& up) {
    if (const auto* c = promql::as<promql::Call>(&e)) {
      if (functions && c->func && c->func->experimental)
        out.report(ctx.source, c->name_range,
                   message("the experimental function " + c->name + "()", promql::kFeatureExperimentalFunctions));
    } else if (const auto* a = promql::as<promql::Aggregate>(&e)) {
      // Prometheus' IsExperimentalAggregator.
      if (functions && (a->op == promql::AggregateOp::Limitk || a->op == promql::AggregateOp::LimitRatio))
        out.report(ctx.source, a->op_range,
                   message(std::string("the experimental aggregation ") + promql::to_string(a->op),
                           promql::kFeatureExperimentalFunctions));
    } else if (const auto* m = promql::as<promql::MatrixSelector>(&e)) {
      duration(m->range_duration);
      const auto* vs = promql::as<promql::VectorSelector>(m->selector.get());
      if (ranges && vs && (vs->anchored || vs->smoothed))
        out.report(
            ctx.source, m->range,
            message(vs->anchored ? "an anchored range" : "a smoothed range", promql::kFeatureExtendedRangeSelectors));
    } else if (const auto* vs = promql::as<promql::VectorSelector>(&e)) {
      modifiers(vs->mods);
      // A range's selector is reported with its matrix (above).
      const bool in_matrix = !up.empty() && promql::as<promql::MatrixSelector>(up.back()) != nullptr;
      if (ranges && !in_matrix && (vs->anchored || vs->smoothed))
        out.report(ctx.source, vs->range,
                   message(vs->anchored ? "an anchored selector" : "a smoothed selector",
                           promql::kFeatureExtendedRangeSelectors));
    } else if (const auto* s = promql::as<promql::Subquery>(&e)) {
      duration(s->range_duration);
      if (s->step) duration(*s->step);
      modifiers(s->mods);
    } else if (const auto* b = promql::as<promql::Binary>(&e)) {
      if (fills && (b->matching.fill_lhs || b->matching.fill_rhs))
        out.report(ctx.source, b->matching.range, message("a fill modifier", promql::kFeatureBinopFillModifiers));
    }
  });
}

}  // namespace promvet::checks
