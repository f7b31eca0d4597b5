// The expfmt/* ids of `promvet metrics`: the exposition parser's (lib/expfmt/parser.cpp and its
// rules: validity, reported with --no-lint too), the lints of lib/expfmt/lint*.cpp (promtool's
// promlint and promvet's own), and the CLI's content-type refusal. Info entries: the parser and
// the Linter make them as events, not through a Check.
#include "checks/registry.h"

namespace promvet::checks {

void register_expfmt_checks(Registry& r) {
  auto add = [&r](std::string_view id, Severity severity, std::string_view summary, bool promtool) {
    r.add_info({id, severity, summary, Stage::kExposition, kNeedsNothing, kMetricsCommand, promtool});
  };
  constexpr Severity kInfo = Severity::kInfo, kWarning = Severity::kWarning, kError = Severity::kError;
  // The parser and the command.
  add("expfmt/invalid", kError, "the input violates the exposition format specification", true);
  add("expfmt/content-type", kError, "a URL answered with a content type that is not an exposition format", false);
  // The specification's rules some Prometheus parser lets through. missing-inf-bucket is a
  // warning in text 0.0.4 (promtool and Prometheus take it) and an error in OpenMetrics (the 1.0
  // spec and its conformance suite reject it): the Diagnostic carries the severity it has.
  add("expfmt/bucket-without-le", kError, "a histogram \"_bucket\" sample has no \"le\" label", false);
  add("expfmt/count-mismatch", kError, "a histogram's \"_count\" differs from its \"+Inf\" bucket", false);
  add("expfmt/duplicate-series", kError, "the same series (and timestamp) appears twice", false);
  add("expfmt/family-not-contiguous", kWarning, "a family's lines resume after another family's (or names clash)", false);
  add("expfmt/missing-inf-bucket", kWarning, "a histogram has buckets but no \"+Inf\" bucket", false);
  add("expfmt/negative-counter", kError, "a counter value is negative", false);
  add("expfmt/non-cumulative-buckets", kError, "a histogram bucket counts fewer than the bucket below it", false);
  add("expfmt/openmetrics-strict", kWarning, "an OpenMetrics 1.0 rule Prometheus' OpenMetrics parser does not enforce", false);
  // The lints (expfmt::Linter): promtool's, then promvet's own (not run with --promlint-only).
  add("expfmt/abbreviated-unit", kWarning, "metric name contains an abbreviated unit (ms, kb, sec...)", true);
  add("expfmt/base-unit", kWarning, "metric name uses a non-base unit (milliseconds, kilobytes...)", true);
  add("expfmt/camel-case", kWarning, "metric or label name written in camelCase", true);
  add("expfmt/counter-total-suffix", kWarning, "counter name lacks the \"_total\" suffix", true);
  add("expfmt/metric-not-unique", kWarning, "two samples of a family have the same labels", true);
  add("expfmt/no-help", kWarning, "metric family has no HELP text", true);
  add("expfmt/non-counter-total-suffix", kWarning, "non-counter name ends in \"_total\"", true);
  add("expfmt/reserved-chars", kWarning, "metric name contains ':', reserved for recording rules", true);
  add("expfmt/reserved-label", kWarning, "\"le\" or \"quantile\" label outside a histogram or summary", true);
  add("expfmt/reserved-suffix", kWarning, "\"_bucket\", \"_count\" or \"_sum\" suffix outside a histogram or summary", true);
  add("expfmt/type-in-name", kWarning, "metric name contains its type (counter, gauge, histogram...)", true);
  add("expfmt/high-cardinality", kWarning, "a label has more distinct values in one family than --max-label-values", false);
  add("expfmt/id-like-label-value", kInfo, "label values look like IDs (UUIDs, hashes, timestamps, IP:port)", false);
  add("expfmt/unit-mismatch", kWarning, "OpenMetrics UNIT declares a non-base unit (milliseconds, kilobytes...)", false);
}

}  // namespace promvet::checks
