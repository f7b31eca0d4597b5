#pragma once
// What kind of series a metric name stands for, so checks can tell counters from gauges.
//
// Three sources, strongest first: an inventory (the real TYPE from /metrics or the Prometheus
// metadata API), how the metric is used in the same file (`x_bucket` under histogram_quantile,
// `x{quantile="0.9"}`, what a recording rule records), and its name (`_total`, `_bucket`,
// `_count`, `_sum`, `_info`, `_ratio`, ...). Every answer says which source it came from, and
// findings repeat it ("… which is a gauge by its name").
//
// Thread-safety: const after construction.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checks/check.h"

namespace promvet::checks {

enum class MetricType { Unknown, Counter, Gauge, Histogram, GaugeHistogram, Summary, Info, StateSet };
const char* to_string(MetricType t);  // "unknown", "counter", "gauge", "histogram", "gaugehistogram", ...

enum class TypeOrigin { None, Name, Usage, Inventory };
// "by its name", "by its use in this file", "in the inventory"
const char* describe(TypeOrigin o);

// The role of one series in its family: `x_bucket` is the Bucket series of histogram `x`.
enum class SeriesRole { Plain, Total, Bucket, Count, Sum, Created };

struct SeriesType {
  MetricType family_type = MetricType::Unknown;
  SeriesRole role = SeriesRole::Plain;
  TypeOrigin origin = TypeOrigin::None;
  std::string family;  // the family name ("x" for "x_bucket")

  // Monotonic series: a counter, or a histogram's/summary's _bucket, _count and _sum.
  bool counter_like() const;
  // Series whose value goes up and down: gauges, info and stateset metrics, summary quantiles,
  // _created timestamps.
  bool gauge_like() const;
  // "counter", "gauge", "histogram bucket", "summary quantile", ...
  std::string describe_kind() const;
};

// The inventory's answer for a family name (issue: inventories), or nullopt when unknown.
class TypeSource {
 public:
  virtual ~TypeSource() = default;
  virtual std::optional<MetricType> type_of_family(std::string_view family) const = 0;
};

class MetricTypes {
 public:
  MetricTypes() = default;
  // Learns from the file's expressions; `inventory` (may be null, must outlive this) wins.
  explicit MetricTypes(const std::vector<ParsedExpression>& expressions, const TypeSource* inventory = nullptr);

  SeriesType of(std::string_view series_name) const;

 private:
  const TypeSource* inventory_ = nullptr;
  std::unordered_map<std::string, MetricType> used_as_;  // family or series name → type learned from use
};

// Name-only inference, exposed for tests.
SeriesType type_from_name(std::string_view series_name);

// Functions whose result goes up and down whatever they read (rates, differences, quantiles,
// averages): a rule recording one records a gauge, and a counter function over one (through a
// subquery) reads its falls as resets.
bool returns_gauge(std::string_view function);

}  // namespace promvet::checks
