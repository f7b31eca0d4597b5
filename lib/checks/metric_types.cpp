#include "checks/metric_types.h"

#include <array>

#include "promql/walk.h"

namespace promvet::checks {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct Suffix {
  std::string_view text;
  SeriesRole role;
};
constexpr std::array<Suffix, 5> kSuffixes = {{{"_total", SeriesRole::Total},
                                              {"_bucket", SeriesRole::Bucket},
                                              {"_count", SeriesRole::Count},
                                              {"_sum", SeriesRole::Sum},
                                              {"_created", SeriesRole::Created}}};

// Name endings that only gauges have in practice (Prometheus naming practice, node_exporter,
// vLLM, kube-state-metrics). Deliberately short: `_bytes`/`_seconds` may be native histograms.
constexpr std::array<std::string_view, 24> kGaugeSuffixes = {
    "_ratio",       "_perc",           "_percent",      "_percentage",  "_usage",
    "_utilization", "_utilisation",    "_running",      "_waiting",     "_swapped",
    "_in_flight",   "_inflight",       "_queue_length", "_queue_size",  "_temperature_celsius",
    "_celsius",     "_timestamp_seconds", "_timestamp", "_last_seen_seconds", "_up",
    "_current",     "_available_bytes", "_avail_bytes",
    "_seconds_max"  /* Micrometer's per-interval maximum of a timer */};

// Well-known gauges whose names say nothing (node_exporter's load averages).
constexpr std::array<std::string_view, 3> kKnownGauges = {"node_load1", "node_load5", "node_load15"};

// Series Prometheus itself adds to every target.
constexpr std::array<std::string_view, 6> kSyntheticGauges = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
    "scrape_series_added", "scrape_timeout_seconds"};

// Prefixes of the last part of a `level:metric:operations` recording rule name that produce
// gauges (rates, ratios, averages, quantiles).
constexpr std::array<std::string_view, 9> kGaugeOperations = {"rate", "irate", "increase", "ratio", "avg",
                                                               "quantile", "p9", "deriv", "delta"};

bool is_recording_rule_gauge(std::string_view name) {
  size_t first = name.find(':');
  size_t last = name.rfind(':');
  if (first == std::string_view::npos || first == last) return false;
  std::string_view op = name.substr(last + 1);
  for (std::string_view g : kGaugeOperations)
    if (op.substr(0, g.size()) == g) return true;
  return false;
}

MetricType family_type_for(SeriesRole role) {
  switch (role) {
    case SeriesRole::Total: return MetricType::Counter;
    case SeriesRole::Bucket: return MetricType::Histogram;
    default: return MetricType::Unknown;  // _count/_sum: histogram or summary; _created: any
  }
}

bool is_histogram_like(MetricType t) { return t == MetricType::Histogram || t == MetricType::GaugeHistogram; }

const promql::Expr* outermost_operation(const promql::Expr* e) {
  e = promql::unwrap_parens(e);
  while (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (!a->body()) return e;
    e = promql::unwrap_parens(a->body());
  }
  return e;
}

}  // namespace

bool returns_gauge(std::string_view function) {
  // max/min_over_time are not here: over a counter they still only grow between resets.
  static constexpr std::array<std::string_view, 12> kGaugeResults = {
      "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile", "avg_over_time",
      "predict_linear", "quantile_over_time", "stddev_over_time", "stdvar_over_time"};
  for (std::string_view g : kGaugeResults)
    if (function == g) return true;
  return false;
}

namespace {

// What a recording rule's output is: rates, ratios and quantiles are gauges; a plain
// aggregation of counters stays a counter.
std::optional<MetricType> recorded_type(const promql::Expr& root, const MetricTypes& so_far) {
  const promql::Expr* e = outermost_operation(&root);
  if (const auto* c = promql::as<promql::Call>(e)) {
    if (returns_gauge(c->name)) return MetricType::Gauge;
    return std::nullopt;
  }
  if (const auto* b = promql::as<promql::Binary>(e)) {
    if (b->op == promql::BinaryOp::Div) return MetricType::Gauge;
    return std::nullopt;
  }
  if (const auto* s = promql::as<promql::VectorSelector>(e)) {
    SeriesType t = so_far.of(s->metric_name());
    if (t.counter_like()) return MetricType::Counter;
    if (t.gauge_like()) return MetricType::Gauge;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(MetricType t) {
  switch (t) {
    case MetricType::Unknown: return "unknown";
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
    case MetricType::GaugeHistogram: return "gaugehistogram";
    case MetricType::Summary: return "summary";
    case MetricType::Info: return "info";
    case MetricType::StateSet: return "stateset";
  }
  return "unknown";
}

const char* describe(TypeOrigin o) {
  switch (o) {
    case TypeOrigin::None: return "";
    case TypeOrigin::Name: return "by its name";
    case TypeOrigin::Usage: return "by its use in this file";
    case TypeOrigin::Inventory: return "in the inventory";
  }
  return "";
}

bool SeriesType::counter_like() const {
  switch (role) {
    case SeriesRole::Total:
    case SeriesRole::Bucket:
    case SeriesRole::Count:
    case SeriesRole::Sum: return family_type != MetricType::Gauge && family_type != MetricType::GaugeHistogram;
    case SeriesRole::Created: return false;
    case SeriesRole::Plain: return family_type == MetricType::Counter;
  }
  return false;
}

bool SeriesType::gauge_like() const {
  if (role == SeriesRole::Created) return true;
  if (role != SeriesRole::Plain) return family_type == MetricType::Gauge || family_type == MetricType::GaugeHistogram;
  switch (family_type) {
    case MetricType::Gauge:
    case MetricType::Info:
    case MetricType::StateSet:
    case MetricType::Summary: return true;  // a summary's bare name is its quantile series
    default: return false;
  }
}

std::string SeriesType::describe_kind() const {
  switch (role) {
    case SeriesRole::Bucket: return std::string(to_string(family_type == MetricType::Unknown ? MetricType::Histogram : family_type)) + " bucket";
    case SeriesRole::Count:
    case SeriesRole::Sum: {
      std::string part = role == SeriesRole::Count ? "_count" : "_sum";
      if (family_type == MetricType::Unknown) return "histogram or summary " + part;
      return std::string(to_string(family_type)) + " " + part;
    }
    case SeriesRole::Created: return "_created timestamp";
    case SeriesRole::Total:
    case SeriesRole::Plain: break;
  }
  if (family_type == MetricType::Summary && role == SeriesRole::Plain) return "summary quantile";
  return to_string(family_type);
}

SeriesType type_from_name(std::string_view name) {
  SeriesType t;
  t.family = std::string(name);
  for (const Suffix& s : kSuffixes) {
    if (!ends_with(name, s.text)) continue;
    t.family = std::string(name.substr(0, name.size() - s.text.size()));
    t.role = s.role;
    t.family_type = family_type_for(s.role);
    t.origin = TypeOrigin::Name;
    return t;
  }
  for (std::string_view g : kSyntheticGauges)
    if (name == g) t.family_type = MetricType::Gauge;
  for (std::string_view g : kKnownGauges)
    if (name == g) t.family_type = MetricType::Gauge;
  if (ends_with(name, "_info")) t.family_type = MetricType::Info;
  for (std::string_view g : kGaugeSuffixes)
    if (ends_with(name, g)) t.family_type = MetricType::Gauge;
  if (t.family_type == MetricType::Unknown && is_recording_rule_gauge(name)) t.family_type = MetricType::Gauge;
  if (t.family_type != MetricType::Unknown) t.origin = TypeOrigin::Name;
  return t;
}

MetricTypes::MetricTypes(const std::vector<ParsedExpression>& expressions, const TypeSource* inventory)
    : inventory_(inventory) {
  for (const ParsedExpression& p : expressions) {
    promql::visit(*p.ast, [&](const promql::Expr& e, const promql::Ancestors& up) {
      const auto* s = promql::as<promql::VectorSelector>(&e);
      if (!s) return;
      std::string name = s->metric_name();
      if (name.empty()) return;
      bool bucket = ends_with(name, "_bucket");
      for (const promql::Matcher& m : s->matchers) {
        if (m.name == "quantile" && !bucket) used_as_.emplace(name, MetricType::Summary);
        if (m.name == "le" && bucket) used_as_.emplace(name.substr(0, name.size() - 7), MetricType::Histogram);
      }
      if (!bucket) return;
      for (const promql::Expr* a : up)
        if (const auto* c = promql::as<promql::Call>(a); c && c->name == "histogram_quantile")
          used_as_.emplace(name.substr(0, name.size() - 7), MetricType::Histogram);
    });
  }
  // What recording rules record, in file order (a rule may build on an earlier one).
  for (const ParsedExpression& p : expressions) {
    if (p.source->kind != sources::ExpressionKind::RecordingRule || p.source->rule_name.empty()) continue;
    if (std::optional<MetricType> t = recorded_type(*p.ast, *this)) used_as_.emplace(p.source->rule_name, *t);
  }
}

SeriesType MetricTypes::of(std::string_view series_name) const {
  SeriesType by_name = type_from_name(series_name);
  auto with = [&](MetricType family_type, TypeOrigin origin, bool as_family) {
    SeriesType t = by_name;
    if (!as_family) {  // the series itself is the family (a counter named `x_total` in text format)
      t.family = std::string(series_name);
      t.role = family_type == MetricType::Counter && by_name.role == SeriesRole::Total ? SeriesRole::Total
                                                                                       : SeriesRole::Plain;
    }
    t.family_type = family_type;
    t.origin = origin;
    return t;
  };
  if (inventory_) {
    if (auto t = inventory_->type_of_family(series_name)) return with(*t, TypeOrigin::Inventory, false);
    if (by_name.role != SeriesRole::Plain)
      if (auto t = inventory_->type_of_family(by_name.family)) return with(*t, TypeOrigin::Inventory, true);
  }
  auto used = used_as_.find(std::string(series_name));
  if (used != used_as_.end()) return with(used->second, TypeOrigin::Usage, false);
  // `x_total` is never a series of histogram or summary `x`: only _bucket/_count/_sum/_created
  // take the family's learned type (a file may use both `x_bucket` and an unrelated `x_total`).
  if (by_name.role != SeriesRole::Plain && by_name.role != SeriesRole::Total) {
    used = used_as_.find(by_name.family);
    if (used != used_as_.end() && (is_histogram_like(used->second) || used->second == MetricType::Summary))
      return with(used->second, TypeOrigin::Usage, true);
  }
  return by_name;
}

}  // namespace promvet::checks
