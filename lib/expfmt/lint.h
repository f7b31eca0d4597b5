// Lints over a parsed exposition: every lint of `promtool check metrics`
// (prometheus/client_golang promlint) with the same condition and message,
// plus lints promtool lacks (OpenMetrics unit mismatch, label-value
// cardinality, ID-like label values).
//
//   Linter linter(Format::kText, LinterOptions{});
//   Parser parser(options, linter);        // or tee it with another Handler
//   ... feed ... parser.finish();
//   for (const LintProblem& p : linter.finish()) ...
//
// Memory: per family a bounded summary (label names, up to
// min(max_label_values + 1, max_tracked_values) value hashes per label, and
// for summaries/histograms with a camelCase/le/quantile label the hashes of
// their label sets, to count series as promtool does). Per sample: O(labels),
// no allocation once a family's labels are known. Not thread-safe.
//
// Parity: "metric not unique" (client_golang's LintDuplicateMetric, newer than
// promtool 2.42) is expfmt/metric-not-unique; a duplicate sample with the same
// timestamp is also the parser's expfmt/duplicate-series error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/events.h"

namespace promvet::expfmt {

struct LintProblem {
  std::string_view check_id;  // e.g. "expfmt/no-help"; static storage
  std::string metric;         // family or metric name promtool would print
  std::string message;        // promtool's text where promtool has the lint
  Position pos;               // where the family (or offending sample) starts
  std::string line;           // that source line, for carets
  bool promlint = false;      // true for lints `promtool check metrics` has
  // How many times promtool prints this exact line: promlint reports label
  // lints once per series (dto.Metric) carrying the label, and the
  // abbreviated-unit lint once per matching abbreviation. 1 otherwise.
  std::uint64_t occurrences = 1;
};

struct LinterOptions {
  // Lints promtool does not have (cardinality, ID-like values, unit).
  bool extended = true;
  // A family whose label has more distinct values than this is reported.
  std::size_t max_label_values = 1000;
  // Distinct values remembered per label name (memory bound).
  std::size_t max_tracked_values = 4096;
};

class Linter : public Handler {
 public:
  Linter(Format format, const LinterOptions& options);
  ~Linter() override;
  void on_metadata(const Metadata& m) override;
  void on_sample(const Sample& s) override;
  // Runs the family-level lints; problems sorted by position, then metric.
  std::vector<LintProblem> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The ids, severities and summaries of the lints and of the parser's own rules are entries of
// the check registry (lib/checks/expfmt/module.cpp).

}  // namespace promvet::expfmt
