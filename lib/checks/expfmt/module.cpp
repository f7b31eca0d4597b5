// The expfmt/* ids of `promvet metrics`: the exposition parser's (lib/expfmt/parser.cpp and its
// rules: validity, reported with --no-lint too), the lints of lib/expfmt/lint*.cpp (promtool's
// promlint and promvet's own), and the CLI's content-type refusal. Info entries: the parser and
// the Linter make them as events, not through a Check.
#include "checks/registry.h"
#include "expfmt/diagnostic_ids.h"

namespace promvet::checks {

void register_expfmt_checks(Registry& r) {
  namespace ids = expfmt::ids;
  auto add = [&r](std::string_view id, Severity severity, std::string_view summary, bool promtool) {
    r.add_info({id, severity, summary, Stage::kExposition, kNeedsNothing, kMetricsCommand, promtool});
  };
  constexpr Severity kInfo = Severity::kInfo, kWarning = Severity::kWarning, kError = Severity::kError;
  // The parser and the command.
  add(ids::kInvalid, kError, "the input violates the exposition format specification", true);
  add(ids::kContentType, kError, "a URL answered with a content type that is not an exposition format", false);
  // The specification's rules some Prometheus parser lets through. missing-inf-bucket is a
  // warning in text 0.0.4 (promtool and Prometheus take it) and an error in OpenMetrics (the 1.0
  // spec and its conformance suite reject it): the Diagnostic carries the severity it has.
  add(ids::kBucketWithoutLe, kError, "a histogram \"_bucket\" sample has no \"le\" label", false);
  add(ids::kCountMismatch, kError, "a histogram's \"_count\" differs from its \"+Inf\" bucket", false);
  add(ids::kDuplicateSeries, kError, "the same series (and timestamp) appears twice", false);
  add(ids::kFamilyNotContiguous, kWarning, "a family's lines resume after another family's (or names clash)", false);
  add(ids::kMissingInfBucket, kWarning, "a histogram has buckets but no \"+Inf\" bucket", false);
  add(ids::kNegativeCounter, kError, "a counter value is negative", false);
  add(ids::kNonCumulativeBuckets, kError, "a histogram bucket counts fewer than the bucket below it", false);
  add(ids::kOpenMetricsStrict, kWarning, "an OpenMetrics 1.0 rule Prometheus' OpenMetrics parser does not enforce",
      false);
  // The lints (expfmt::Linter): promtool's, then promvet's own (not run with --promlint-only).
  add(ids::kAbbreviatedUnit, kWarning, "metric name contains an abbreviated unit (ms, kb, sec...)", true);
  add(ids::kBaseUnit, kWarning, "metric name uses a non-base unit (milliseconds, kilobytes...)", true);
  add(ids::kCamelCase, kWarning, "metric or label name written in camelCase", true);
  add(ids::kCounterTotalSuffix, kWarning, "counter name lacks the \"_total\" suffix", true);
  add(ids::kMetricNotUnique, kWarning, "two samples of a family have the same labels", true);
  add(ids::kNoHelp, kWarning, "metric family has no HELP text", true);
  add(ids::kNonCounterTotalSuffix, kWarning, "non-counter name ends in \"_total\"", true);
  add(ids::kReservedChars, kWarning, "metric name contains ':', reserved for recording rules", true);
  add(ids::kReservedLabel, kWarning, "\"le\" or \"quantile\" label outside a histogram or summary", true);
  add(ids::kReservedSuffix, kWarning, "\"_bucket\", \"_count\" or \"_sum\" suffix outside a histogram or summary",
      true);
  add(ids::kTypeInName, kWarning, "metric name contains its type (counter, gauge, histogram...)", true);
  add(ids::kHighCardinality, kWarning, "a label has more distinct values in one family than --max-label-values", false);
  add(ids::kIdLikeLabelValue, kInfo, "label values look like IDs (UUIDs, hashes, timestamps, IP:port)", false);
  add(ids::kUnitMismatch, kWarning, "OpenMetrics UNIT declares a non-base unit (milliseconds, kilobytes...)", false);
}

}  // namespace promvet::checks
