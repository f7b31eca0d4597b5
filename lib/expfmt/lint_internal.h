// Internal to the linter (lint*.cpp): the per-family summary the Linter
// accumulates from events, and the lint passes run over it at finish().
// Not a public header: nothing outside lib/expfmt includes it.
#pragma once

#include "base/go_quote.h"
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/events.h"
#include "expfmt/lint.h"
#include "expfmt/scan.h"

namespace promvet::expfmt::detail {

// The parser's hashing serves the linter too (scan.h): a set of 64-bit
// hashes that can stop growing at a cap, and a fast non-cryptographic hash.
using HashSet = parser_detail::FlatHashSet;
using parser_detail::hash_bytes;
using parser_detail::label_pair_hash;

// What an ID-like label value looks like; kNone for ordinary values.
enum class IdKind : std::uint8_t { kNone, kUuid, kHexHash, kUnixTimestamp, kIpPort };
IdKind classify_label_value(std::string_view v);
std::string_view id_kind_name(IdKind k);  // "UUID", "hex hash"...

struct LabelStat {
  std::string name;
  Position first_pos;  // the label name on the first sample carrying it
  std::string first_line;
  // promlint: the label makes promtool print one line per dto.Metric with it.
  bool promlint_flagged = false;
  std::uint64_t metrics = 0;  // dto.Metrics carrying it (only when flagged)
  // high-cardinality: distinct value hashes until the cap, then dropped.
  // Values are known by their label-pair hash (Sample::label_hashes): the
  // name is the same for every value of one LabelStat.
  HashSet values;
  bool has_last_value = false;
  std::uint64_t last_value_hash = 0;  // on the previous sample carrying the label
  bool values_done = false;
  bool over_limit = false;
  Position over_pos;
  std::string over_line;
  // id-like-label-value: the first ID-like value, and whether a second,
  // different one was seen (one info series with a git hash is fine).
  IdKind id_kind = IdKind::kNone;
  std::uint64_t id_hash = 0;
  bool id_confirmed = false;
  std::string id_example;
  Position id_pos;
  std::string id_line;
};

struct FamilyStat {
  std::string name;  // as the parser names the family
  MetricType type = MetricType::kUnknown;
  bool typed = false;     // a TYPE line was seen
  bool has_help = false;  // promtool's notion: HELP with non-empty text
  bool has_unit = false;
  std::string unit;
  Position unit_pos;
  std::string unit_line;
  bool has_pos = false;
  Position pos;  // first TYPE/HELP/UNIT line or first sample
  std::string line;
  std::uint64_t samples = 0;
  std::vector<LabelStat> labels;
  // Summary/histogram: signatures of dto.Metrics that carry a flagged label,
  // to count them as promtool's TextParser groups samples.
  HashSet signatures;
  // metric-not-unique (promlint's LintDuplicateMetric): label sets of the
  // samples of other types while the family's lines run (capped), and how
  // many samples repeat an earlier label set, with the first of them.
  HashSet label_sets;
  std::uint64_t duplicates = 0;
  Position duplicate_pos;
  std::string duplicate_line;
};

// The name and type promtool's promlint sees for a family: for text the
// family itself; for OpenMetrics the classic-format equivalent (a counter
// "x" becomes "x_total", unknown becomes untyped...).
struct PromlintView {
  std::string name;
  MetricType type;  // kCounter, kGauge, kHistogram, kSummary, kUntyped
};
PromlintView promlint_view(const FamilyStat& f, Format format);

// Labels TextParser consumes instead of storing: "quantile" on summaries and
// "le" on histograms (and OpenMetrics gauge histograms).
bool consumes_label(MetricType type, std::string_view label);
// Whether promlint prints a line per dto.Metric carrying this label.
bool promlint_label_flagged(MetricType type, std::string_view label);
bool groups_by_signature(MetricType type);
bool has_camel_case(std::string_view name);

// A unit word in a metric name, as promlint's metricUnits finds it.
struct UnitMatch {
  std::string_view unit;  // e.g. "milliseconds", "kilobytes", "seconds"
  std::string_view base;  // e.g. "seconds", "bytes"
};
// False when no known unit is one of the '_'-separated words of name.
bool find_metric_unit(std::string_view name, UnitMatch* out);
// The base unit for a single unit word ("milliseconds" -> "seconds"); false
// when the word is not a known unit.
bool base_unit_of(std::string_view word, UnitMatch* out);

// Double-quotes and escapes a user token for a message.
// Go's %q, as promlint's messages print names and units.
inline std::string quote(std::string_view s) { return base::go_quote(s); }

void run_promlint(const FamilyStat& f, Format format, std::vector<LintProblem>& out);
void run_extended(const FamilyStat& f, Format format, const LinterOptions& options, std::vector<LintProblem>& out);

}  // namespace promvet::expfmt::detail
