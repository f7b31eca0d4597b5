#pragma once
// What kind of series a metric name stands for, so checks can tell counters from gauges.
//
// Every answer carries its evidence, strongest first: the user's inventory (the real TYPE from
// /metrics or the Prometheus metadata API); bundled metadata of widely deployed exporters
// (metadata/*.tsv, checks/builtin_metadata.h); the family's structure shown by the same file (`x_bucket`
// with `le` or under histogram_quantile, `x_sum` and `x_count` both read, `x{quantile="0.9"}`,
// `x_total` beside its `x_used`, what a recording rule records) or by a unit before `_count`
// (`_seconds_count`, `_bytes_count`; `_seconds_sum`); and the naming convention alone (`_total`, `_bucket`,
// `_count`, `_sum`, `_info`, `_ratio`, ...). Findings repeat the evidence ("… which is a gauge by
// its name"), and a type that rests only on a bare `_count`/`_sum` name is a guess: gauges are
// named so too (`pg_locks_count`, CloudWatch's `…_sum` statistics), so checks report it as info.
//
// Thread-safety: const after construction.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "checks/check.h"

namespace promvet::checks {

// The type a metric family is taken to have (graded evidence, see TypeOrigin); not
// expfmt::MetricType, which is what an exposition's TYPE line says (untyped, unknown, ...).
enum class FamilyType { Unknown, Counter, Gauge, Histogram, GaugeHistogram, Summary, Info, StateSet };
const char* to_string(FamilyType t);  // "unknown", "counter", "gauge", "histogram", "gaugehistogram", ...

// Where a type came from. The order is the grading, weakest first: a stronger source wins.
enum class TypeOrigin {
  None,
  Name,       // the naming convention alone
  NameUnit,   // a unit before `_count` (`x_seconds_count`, `x_bytes_count`) or `_seconds` before `_sum`:
              // the name shows a histogram's or summary's structure
  Usage,      // the family's structure as the file uses it, or what a recording rule of the file records
  Metadata,   // the bundled metadata of widely deployed exporters (metadata/, builtin_metadata.h)
  Inventory,  // the user's inventory
};
// "by its name", "by its name and unit", "by its use in this file",
// "in the bundled metadata", "in the inventory"
const char* describe(TypeOrigin o);

// The role of one series in its family: `x_bucket` is the Bucket series of histogram `x`.
enum class SeriesRole { Plain, Total, Bucket, Count, Sum, Created };

struct SeriesType {
  FamilyType family_type = FamilyType::Unknown;
  SeriesRole role = SeriesRole::Plain;
  TypeOrigin origin = TypeOrigin::None;
  std::string family;  // the family name ("x" for "x_bucket")
  // The type rests on nothing but a bare `_count` or `_sum` name (directly, or through a recording
  // rule that reads one): gauges are named so too, so findings on it are info, never warnings.
  bool name_guess = false;
  std::string source_detail;  // which bundled pack said so ("postgres_exporter 0.11.1"), if any

  // Monotonic series: a counter, or a histogram's/summary's _bucket, _count and _sum.
  bool counter_like() const;
  // Series whose value goes up and down: gauges, info and stateset metrics, summary quantiles,
  // _created timestamps.
  bool gauge_like() const;
  // "counter", "gauge", "histogram bucket", "summary quantile", ...
  std::string describe_kind() const;
  // The evidence for messages: describe(origin), and for a guess why it is one
  // ("by its name alone; gauges end in _count too").
  std::string evidence() const;
  // The severity of a finding that rests on this type: info for a guess, else the check's own.
  std::optional<Severity> finding_severity() const;
};

// The inventory's answer for a family name (issue: inventories), or nullopt when unknown.
class TypeSource {
 public:
  virtual ~TypeSource() = default;
  virtual std::optional<FamilyType> type_of_family(std::string_view family) const = 0;
  // Which part of the source knows the family, for messages ("postgres_exporter 0.11.1"); may be empty.
  virtual std::string where(std::string_view /*family*/) const { return {}; }
};

// What one expression's selectors show about the types of the metrics it reads (a `quantile`
// label, `le` on a `_bucket`, a `_total` divided by its capacity sibling...), in the order a
// MetricTypes learns it. Collected by MetricTypes::selector_facts on any thread, so a big file's
// share of that work runs beside its parse instead of after it.
struct SelectorTypeFacts {
  std::vector<std::pair<std::string, FamilyType>> used_as;  // the first fact about a name wins
  std::vector<std::string> sum_and_count;                   // families read as both _sum and _count
};

class MetricTypes {
 public:
  MetricTypes() = default;
  // Learns from the file's expressions; `inventory` wins, then the bundled `metadata`, then what
  // the file shows (both may be null, must outlive this).
  explicit MetricTypes(const std::vector<ParsedExpression>& expressions, const TypeSource* inventory = nullptr,
                       const TypeSource* metadata = nullptr);
  // The same, with `facts[i]` = selector_facts(*expressions[i].ast) collected beforehand.
  MetricTypes(const std::vector<ParsedExpression>& expressions, const std::vector<SelectorTypeFacts>& facts,
              const TypeSource* inventory, const TypeSource* metadata);

  static SelectorTypeFacts selector_facts(const promql::Expr& ast);

  // Remembered per name once the file is learned (checks ask about the same names again and
  // again). Thread-safe: the checks of one file run on several threads.
  SeriesType of(std::string_view series_name) const;

 private:
  SeriesType infer(std::string_view series_name) const;
  struct Learned {
    FamilyType type = FamilyType::Unknown;
    bool name_guess = false;  // learned from a recording rule that reads a bare `_count`/`_sum`
  };
  void learn(const SelectorTypeFacts& facts);
  void learn_recording_rules(const std::vector<ParsedExpression>& expressions);

  const TypeSource* inventory_ = nullptr;
  const TypeSource* metadata_ = nullptr;
  std::unordered_map<std::string, Learned> used_as_;  // family or series name → type learned from use
  // Families whose `_sum` and `_count` the file both reads: a histogram or a summary.
  std::unordered_set<std::string> sum_and_count_;
  bool learned_ = false;  // the constructor is done: used_as_ no longer changes, answers may be kept
  mutable std::mutex answers_mutex_;
  mutable std::unordered_map<std::string, SeriesType> answers_;  // guarded by answers_mutex_
};

// Name-only inference, exposed for tests.
SeriesType type_from_name(std::string_view series_name);

// Functions whose result goes up and down whatever they read (rates, differences, quantiles,
// averages): a rule recording one records a gauge, and a counter function over one (through a
// subquery) reads its falls as resets.
bool returns_gauge(std::string_view function);

}  // namespace promvet::checks
