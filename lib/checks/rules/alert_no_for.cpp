#include "checks/rules/alert_no_for.h"

#include <cmath>

#include "base/duration.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

std::string seconds_text(double s) {
  if (s >= 60 && std::fmod(s, 60) == 0) return std::to_string(static_cast<int64_t>(s / 60)) + "m";
  if (std::floor(s) == s) return std::to_string(static_cast<int64_t>(s)) + "s";
  return std::to_string(static_cast<int64_t>(s * 1000)) + "ms";
}

// `vector(1)`: a dead man's switch fires all the time by design; `for` changes nothing.
bool always_fires(const FileContext& ctx, const sources::Expression& e) {
  const auto* call = promql::as<promql::Call>(promql::unwrap_parens(ctx.ast_of(e)));
  return call && call->name == "vector" && call->args.size() == 1 &&
         promql::unwrap_parens(call->args[0].get())->kind == promql::NodeKind::Number;
}

}  // namespace

CheckInfo AlertNoForCheck::info() const {
  return {kId, Severity::kInfo, "an alerting rule without `for`, or with `for` shorter than the scrape interval"};
}

void AlertNoForCheck::run(const FileContext& ctx, Reporter& out) const {
  for (const sources::Expression& e : ctx.file.expressions) {
    if (e.kind != sources::ExpressionKind::AlertingRule || always_fires(ctx, e)) continue;
    const sources::RuleInfo& r = e.rule;
    if (!r.has_for || r.for_duration.empty()) {
      out.report_file(r.name_offset, r.name_end,
                      "alerting rule " + quote(e.rule_name) +
                          " has no \"for\", so one evaluation that matches fires it (a single odd scrape is enough); "
                          "add \"for: 5m\" or the time the problem must last",
                      &e);
      continue;
    }
    base::DurationResult d = base::parse_duration(r.for_duration);
    if (!d.error.empty() || d.ms < 0) continue;  // rules/invalid-duration reports it
    const double scrape = ctx.settings.scrape_interval_seconds;
    if (d.ms == 0) {
      out.report_file(
          r.for_offset, r.for_end,
          "alerting rule " + quote(e.rule_name) + " has \"for: " + r.for_duration +
              "\", so one evaluation that matches fires it; use \"for: 5m\" or the time the problem must last",
          &e);
    } else if (scrape > 0 && static_cast<double>(d.ms) / 1000.0 < scrape) {
      out.report_file(r.for_offset, r.for_end,
                      "\"for: " + r.for_duration + "\" is shorter than the scrape interval (" + seconds_text(scrape) +
                          "), so the alert fires before a new sample can confirm the problem; use at least \"for: " +
                          seconds_text(2 * scrape) + "\"",
                      &e, Severity::kWarning);  // no protection at all, unlike a missing `for`
    }
  }
}

}  // namespace promvet::checks
