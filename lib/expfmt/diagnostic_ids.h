#pragma once
// The check ids of the exposition layer: of the parser and its rules (Diagnostic::check_id), of
// the lints (LintProblem::check_id) and of `promvet metrics`' content-type refusal. Each is an
// entry of the check registry (lib/checks/expfmt/module.cpp) with its severity, summary, docs
// page docs/checks/<id>.md and fixture testdata/checks/<id>/.
#include <string_view>

namespace promvet::expfmt::ids {

// The parser, and the command that feeds it.
inline constexpr std::string_view kInvalid = "expfmt/invalid";
inline constexpr std::string_view kContentType = "expfmt/content-type";
// The specification's rules some Prometheus parser lets through.
inline constexpr std::string_view kBucketWithoutLe = "expfmt/bucket-without-le";
inline constexpr std::string_view kCountMismatch = "expfmt/count-mismatch";
inline constexpr std::string_view kDuplicateSeries = "expfmt/duplicate-series";
inline constexpr std::string_view kFamilyNotContiguous = "expfmt/family-not-contiguous";
inline constexpr std::string_view kMissingInfBucket = "expfmt/missing-inf-bucket";
inline constexpr std::string_view kNegativeCounter = "expfmt/negative-counter";
inline constexpr std::string_view kNonCumulativeBuckets = "expfmt/non-cumulative-buckets";
inline constexpr std::string_view kOpenMetricsStrict = "expfmt/openmetrics-strict";
// The lints of `promtool check metrics` (client_golang's promlint).
inline constexpr std::string_view kAbbreviatedUnit = "expfmt/abbreviated-unit";
inline constexpr std::string_view kBaseUnit = "expfmt/base-unit";
inline constexpr std::string_view kCamelCase = "expfmt/camel-case";
inline constexpr std::string_view kCounterTotalSuffix = "expfmt/counter-total-suffix";
inline constexpr std::string_view kMetricNotUnique = "expfmt/metric-not-unique";
inline constexpr std::string_view kNoHelp = "expfmt/no-help";
inline constexpr std::string_view kNonCounterTotalSuffix = "expfmt/non-counter-total-suffix";
inline constexpr std::string_view kReservedChars = "expfmt/reserved-chars";
inline constexpr std::string_view kReservedLabel = "expfmt/reserved-label";
inline constexpr std::string_view kReservedSuffix = "expfmt/reserved-suffix";
inline constexpr std::string_view kTypeInName = "expfmt/type-in-name";
// promvet's own lints.
inline constexpr std::string_view kHighCardinality = "expfmt/high-cardinality";
inline constexpr std::string_view kIdLikeLabelValue = "expfmt/id-like-label-value";
inline constexpr std::string_view kUnitMismatch = "expfmt/unit-mismatch";

}  // namespace promvet::expfmt::ids
