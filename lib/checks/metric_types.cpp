#include "checks/metric_types.h"

#include <array>

#include "base/strings.h"
#include "checks/synthetic_series.h"
#include "promql/functions.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

// A name ending in a suffix has a stem before it: "_total" itself is no counter's name.
using base::has_stem_and_suffix;

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
    "_ratio",
    "_perc",
    "_percent",
    "_percentage",
    "_usage",
    "_utilization",
    "_utilisation",
    "_running",
    "_waiting",
    "_swapped",
    "_in_flight",
    "_inflight",
    "_queue_length",
    "_queue_size",
    "_temperature_celsius",
    "_celsius",
    "_timestamp_seconds",
    "_timestamp",
    "_last_seen_seconds",
    "_up",
    "_current",
    "_available_bytes",
    "_avail_bytes",
    "_seconds_max" /* Micrometer's per-interval maximum of a timer */};

// Base units (Prometheus naming practice) that, written before `_count`, show a histogram's or
// summary's count of observations: `http_request_duration_seconds_count`. Before `_sum` only
// `_seconds` counts: CloudWatch exporters publish the Sum statistic of gauges such as
// `VolumeReadBytes` as `…_bytes_sum`.
constexpr std::array<std::string_view, 6> kObservedUnits = {"_seconds",     "_milliseconds", "_microseconds",
                                                            "_nanoseconds", "_bytes",        "_meters"};

bool unit_shows_structure(SeriesRole role, std::string_view family) {
  if (role == SeriesRole::Sum) return has_stem_and_suffix(family, "_seconds");
  if (role != SeriesRole::Count) return false;
  for (std::string_view u : kObservedUnits)
    if (has_stem_and_suffix(family, u)) return true;
  return false;
}

// Metric names an expression reads by value: not under a range, whose function made something
// else of them.
void read_by_value(const promql::Expr& root, std::unordered_set<std::string>& out) {
  promql::visit(root, [&](const promql::Expr& e, const promql::Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s) return;
    for (const promql::Expr* a : up)
      if (a->kind == promql::NodeKind::MatrixSelector || a->kind == promql::NodeKind::Subquery) return;
    std::string name = s->metric_name();
    if (!name.empty()) out.insert(std::move(name));
  });
}

// `x_total - x_used`, `x_free / x_total`: an `x_total` subtracted from or divided by a series of
// its own family that is no counter (`x_used`, `x_free`, `x_healthy`, `x_active`) is a capacity,
// as cAdvisor's `container_fs_inodes_total`, JMX's `hadoop_hdfs_bytes_total` and Ceph's
// `ceph_pg_total` are: a counter minus or over a gauge means nothing. Such an `x_total` is of
// unknown type: no counter finding, and no rate-on-non-counter finding either.
bool is_capacity_sibling(std::string_view total, std::string_view other) {
  std::string_view stem = total.substr(0, total.size() - 6);
  if (other.size() <= stem.size() + 1 || other.substr(0, stem.size()) != stem || other[stem.size()] != '_')
    return false;
  SeriesType t = type_from_name(other);
  return !t.counter_like() && t.family_type != FamilyType::Info;
}

// Well-known gauges whose names say nothing (node_exporter's load averages).
constexpr std::array<std::string_view, 3> kKnownGauges = {"node_load1", "node_load5", "node_load15"};

// Prefixes of the last part of a `level:metric:operations` recording rule name that produce
// gauges (rates, ratios, averages, quantiles).
constexpr std::array<std::string_view, 9> kGaugeOperations = {"rate",     "irate", "increase", "ratio", "avg",
                                                              "quantile", "p9",    "deriv",    "delta"};

bool is_recording_rule_gauge(std::string_view name) {
  size_t first = name.find(':');
  size_t last = name.rfind(':');
  if (first == std::string_view::npos || first == last) return false;
  std::string_view op = name.substr(last + 1);
  for (std::string_view g : kGaugeOperations)
    if (op.substr(0, g.size()) == g) return true;
  return false;
}

// Whether a `_total`, `_bucket`, `_count`, `_sum` or `_created` series belongs to a family of this type.
bool series_of(SeriesRole role, FamilyType family) {
  switch (role) {
    case SeriesRole::Total: return family == FamilyType::Counter;
    case SeriesRole::Bucket:
    case SeriesRole::Count:
    case SeriesRole::Sum:
      return family == FamilyType::Histogram || family == FamilyType::GaugeHistogram || family == FamilyType::Summary;
    case SeriesRole::Created:
      return family == FamilyType::Counter || family == FamilyType::Histogram || family == FamilyType::Summary;
    case SeriesRole::Plain: return true;
  }
  return false;
}

FamilyType family_type_for(SeriesRole role) {
  switch (role) {
    case SeriesRole::Total: return FamilyType::Counter;
    case SeriesRole::Bucket: return FamilyType::Histogram;
    default: return FamilyType::Unknown;  // _count/_sum: histogram or summary; _created: any
  }
}

bool is_histogram_like(FamilyType t) { return t == FamilyType::Histogram || t == FamilyType::GaugeHistogram; }

// Aggregations that keep a counter a counter: their result only grows between resets. count(),
// group(), stddev(), quantile()... make a gauge whatever they read.
bool keeps_counter(promql::AggregateOp op) {
  switch (op) {
    case promql::AggregateOp::Sum:
    case promql::AggregateOp::Min:
    case promql::AggregateOp::Max:
    case promql::AggregateOp::Avg:
    case promql::AggregateOp::Topk:
    case promql::AggregateOp::Bottomk:
    case promql::AggregateOp::Limitk:
    case promql::AggregateOp::LimitRatio: return true;
    default: return false;
  }
}

}  // namespace

bool returns_gauge(std::string_view function) { return promql::function_has(function, promql::kReturnsGauge); }

namespace {

struct Recorded {
  FamilyType type = FamilyType::Unknown;
  bool name_guess = false;
};

// What a recording rule's output is: rates, ratios, quantiles and counts are gauges; a plain
// aggregation of counters stays a counter, with the evidence of what it reads.
std::optional<Recorded> recorded_type(const promql::Expr& root, const MetricTypes& so_far) {
  const promql::Expr* e = promql::unwrap_parens(&root);
  while (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (!keeps_counter(a->op)) return Recorded{FamilyType::Gauge, false};
    if (!a->body()) return std::nullopt;
    e = promql::unwrap_parens(a->body());
  }
  if (const auto* c = promql::as<promql::Call>(e)) {
    if (returns_gauge(c->name)) return Recorded{FamilyType::Gauge, false};
    return std::nullopt;
  }
  if (const auto* b = promql::as<promql::Binary>(e)) {
    if (b->op == promql::BinaryOp::Div) return Recorded{FamilyType::Gauge, false};
    return std::nullopt;
  }
  if (const auto* s = promql::as<promql::VectorSelector>(e)) {
    SeriesType t = so_far.of(s->metric_name());
    if (t.counter_like()) return Recorded{FamilyType::Counter, t.name_guess};
    if (t.gauge_like()) return Recorded{FamilyType::Gauge, t.name_guess};
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(FamilyType t) {
  switch (t) {
    case FamilyType::Unknown: return "unknown";
    case FamilyType::Counter: return "counter";
    case FamilyType::Gauge: return "gauge";
    case FamilyType::Histogram: return "histogram";
    case FamilyType::GaugeHistogram: return "gaugehistogram";
    case FamilyType::Summary: return "summary";
    case FamilyType::Info: return "info";
    case FamilyType::StateSet: return "stateset";
  }
  return "unknown";
}

const char* describe(TypeOrigin o) {
  switch (o) {
    case TypeOrigin::None: return "";
    case TypeOrigin::Name: return "by its name";
    case TypeOrigin::NameUnit: return "by its name and unit";
    case TypeOrigin::Usage: return "by its use in this file";
    case TypeOrigin::Metadata: return "in the bundled metadata";
    case TypeOrigin::Inventory: return "in the inventory";
  }
  return "";
}

bool SeriesType::counter_like() const {
  switch (role) {
    case SeriesRole::Total:
    case SeriesRole::Bucket:
    case SeriesRole::Count:
    case SeriesRole::Sum: return family_type != FamilyType::Gauge && family_type != FamilyType::GaugeHistogram;
    case SeriesRole::Created: return false;
    case SeriesRole::Plain: return family_type == FamilyType::Counter;
  }
  return false;
}

bool SeriesType::gauge_like() const {
  if (role == SeriesRole::Created) return true;
  if (role != SeriesRole::Plain) return family_type == FamilyType::Gauge || family_type == FamilyType::GaugeHistogram;
  switch (family_type) {
    case FamilyType::Gauge:
    case FamilyType::Info:
    case FamilyType::StateSet:
    case FamilyType::Summary: return true;  // a summary's bare name is its quantile series
    default: return false;
  }
}

std::string SeriesType::describe_kind() const {
  switch (role) {
    case SeriesRole::Bucket:
      return std::string(to_string(family_type == FamilyType::Unknown ? FamilyType::Histogram : family_type)) +
             " bucket";
    case SeriesRole::Count:
    case SeriesRole::Sum: {
      std::string part = role == SeriesRole::Count ? "_count" : "_sum";
      if (family_type == FamilyType::Unknown) return "histogram or summary " + part;
      return std::string(to_string(family_type)) + " " + part;
    }
    case SeriesRole::Created: return "_created timestamp";
    case SeriesRole::Total:
    case SeriesRole::Plain: break;
  }
  if (family_type == FamilyType::Summary && role == SeriesRole::Plain) return "summary quantile";
  return to_string(family_type);
}

std::string SeriesType::evidence() const {
  if (origin == TypeOrigin::Metadata && !source_detail.empty())
    return std::string(describe(origin)) + " of " + source_detail;
  if (!name_guess) return describe(origin);
  if (origin == TypeOrigin::Usage) return "by its use in this file, from a series known only by its name";
  if (role == SeriesRole::Created) return "by its name alone; counters end in _created too";
  std::string part = role == SeriesRole::Sum ? "_sum" : "_count";
  return "by its name alone; gauges end in " + part + " too";
}

std::optional<Severity> SeriesType::finding_severity() const {
  if (name_guess) return Severity::kInfo;
  return std::nullopt;
}

SeriesType type_from_name(std::string_view name) {
  SeriesType t;
  t.family = std::string(name);
  for (const Suffix& s : kSuffixes) {
    if (!has_stem_and_suffix(name, s.text)) continue;
    t.family = std::string(name.substr(0, name.size() - s.text.size()));
    t.role = s.role;
    t.family_type = family_type_for(s.role);
    t.origin = TypeOrigin::Name;
    if (unit_shows_structure(s.role, t.family)) t.origin = TypeOrigin::NameUnit;
    // `_created` by name alone is a guess too: MySQL's Threads_created and Varnish's
    // threads_created are counters, not OpenMetrics created timestamps.
    t.name_guess = (s.role == SeriesRole::Count || s.role == SeriesRole::Sum || s.role == SeriesRole::Created) &&
                   t.origin == TypeOrigin::Name;
    return t;
  }
  if (synthetic_series(name) == SyntheticSeries::kScrape) t.family_type = FamilyType::Gauge;
  for (std::string_view g : kKnownGauges)
    if (name == g) t.family_type = FamilyType::Gauge;
  if (has_stem_and_suffix(name, "_info")) t.family_type = FamilyType::Info;
  for (std::string_view g : kGaugeSuffixes)
    if (has_stem_and_suffix(name, g)) t.family_type = FamilyType::Gauge;
  if (t.family_type == FamilyType::Unknown && is_recording_rule_gauge(name)) t.family_type = FamilyType::Gauge;
  if (t.family_type != FamilyType::Unknown) t.origin = TypeOrigin::Name;
  return t;
}

SelectorTypeFacts MetricTypes::selector_facts(const promql::Expr& ast) {
  SelectorTypeFacts facts;
  std::unordered_set<std::string> read;  // metric names this expression reads
  promql::visit(ast, [&](const promql::Expr& e, const promql::Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s) return;
    std::string name = s->metric_name();
    if (name.empty()) return;
    read.insert(name);
    bool bucket = has_stem_and_suffix(name, "_bucket");
    for (const promql::Matcher& m : s->matchers) {
      if (m.name == "quantile" && !bucket) facts.used_as.emplace_back(name, FamilyType::Summary);
      if (m.name == "le" && bucket) facts.used_as.emplace_back(name.substr(0, name.size() - 7), FamilyType::Histogram);
    }
    if (!bucket) return;
    for (const promql::Expr* a : up)
      if (const auto* c = promql::as<promql::Call>(a); c && c->name == "histogram_quantile")
        facts.used_as.emplace_back(name.substr(0, name.size() - 7), FamilyType::Histogram);
  });
  for (const std::string& name : read) {
    if (has_stem_and_suffix(name, "_sum") && read.count(name.substr(0, name.size() - 4) + "_count"))
      facts.sum_and_count.push_back(name.substr(0, name.size() - 4));
  }
  promql::visit(ast, [&](const promql::Expr& e, const promql::Ancestors&) {
    const auto* b = promql::as<promql::Binary>(&e);
    if (!b || (b->op != promql::BinaryOp::Sub && b->op != promql::BinaryOp::Div) || !b->lhs || !b->rhs) return;
    std::unordered_set<std::string> left, right;
    read_by_value(*b->lhs, left);
    read_by_value(*b->rhs, right);
    for (const auto* side : {&left, &right}) {
      const auto& other = side == &left ? right : left;
      for (const std::string& total : *side) {
        if (!has_stem_and_suffix(total, "_total")) continue;
        for (const std::string& o : other)
          if (is_capacity_sibling(total, o)) facts.used_as.emplace_back(total, FamilyType::Unknown);
      }
    }
  });
  return facts;
}

void MetricTypes::learn(const SelectorTypeFacts& facts) {
  for (const auto& [name, type] : facts.used_as) used_as_.emplace(name, Learned{type, false});
  for (const std::string& family : facts.sum_and_count) sum_and_count_.insert(family);
}

// What recording rules record, in file order (a rule may build on an earlier one).
void MetricTypes::learn_recording_rules(const std::vector<ParsedExpression>& expressions) {
  for (const ParsedExpression& p : expressions) {
    if (p.source->kind != sources::ExpressionKind::RecordingRule || p.source->rule_name.empty()) continue;
    if (std::optional<Recorded> t = recorded_type(*p.ast, *this))
      used_as_.emplace(p.source->rule_name, Learned{t->type, t->name_guess});
  }
  learned_ = true;
}

MetricTypes::MetricTypes(const std::vector<ParsedExpression>& expressions, const TypeSource* inventory,
                         const TypeSource* metadata)
    : inventory_(inventory), metadata_(metadata) {
  for (const ParsedExpression& p : expressions) learn(selector_facts(*p.ast));
  learn_recording_rules(expressions);
}

MetricTypes::MetricTypes(const std::vector<ParsedExpression>& expressions, const std::vector<SelectorTypeFacts>& facts,
                         const TypeSource* inventory, const TypeSource* metadata)
    : inventory_(inventory), metadata_(metadata) {
  for (const SelectorTypeFacts& f : facts) learn(f);
  learn_recording_rules(expressions);
}

SeriesType MetricTypes::of(std::string_view series_name) const {
  if (!learned_) return infer(series_name);  // recording rules are still being learned
  std::string key(series_name);
  {
    std::lock_guard<std::mutex> lock(answers_mutex_);
    if (auto it = answers_.find(key); it != answers_.end()) return it->second;
  }
  SeriesType answer = infer(series_name);  // outside the lock: another thread may infer it too
  std::lock_guard<std::mutex> lock(answers_mutex_);
  return answers_.emplace(std::move(key), std::move(answer)).first->second;
}

SeriesType MetricTypes::infer(std::string_view series_name) const {
  SeriesType by_name = type_from_name(series_name);
  auto with = [&](FamilyType family_type, TypeOrigin origin, bool as_family, bool name_guess = false) {
    SeriesType t = by_name;
    if (!as_family) {  // the series itself is the family (a counter named `x_total` in text format)
      t.family = std::string(series_name);
      t.role = family_type == FamilyType::Counter && by_name.role == SeriesRole::Total ? SeriesRole::Total
                                                                                       : SeriesRole::Plain;
    }
    t.family_type = family_type;
    t.origin = origin;
    t.name_guess = name_guess;
    return t;
  };
  // Strongest evidence first. The user's inventory:
  if (inventory_) {
    if (auto t = inventory_->type_of_family(series_name)) return with(*t, TypeOrigin::Inventory, false);
    if (by_name.role != SeriesRole::Plain)
      if (auto t = inventory_->type_of_family(by_name.family)) return with(*t, TypeOrigin::Inventory, true);
  }
  // The bundled metadata of the exporter that exposes it: a gauge named `_total` is a gauge.
  if (metadata_) {
    for (bool as_family : {false, true}) {
      if (as_family && by_name.role == SeriesRole::Plain) break;
      std::string_view family = as_family ? std::string_view(by_name.family) : series_name;
      auto t = metadata_->type_of_family(family);
      if (t && as_family && !series_of(by_name.role, *t)) continue;  // `x_count` of a gauge `x` is another metric
      if (t) {
        SeriesType found = with(*t, TypeOrigin::Metadata, as_family);
        found.source_detail = metadata_->where(family);
        return found;
      }
    }
  }
  // The family's structure in this file:
  auto used = used_as_.find(std::string(series_name));
  if (used != used_as_.end()) return with(used->second.type, TypeOrigin::Usage, false, used->second.name_guess);
  // `x_total` is never a series of histogram or summary `x`: only _bucket/_count/_sum/_created
  // take the family's learned type (a file may use both `x_bucket` and an unrelated `x_total`).
  if (by_name.role != SeriesRole::Plain && by_name.role != SeriesRole::Total) {
    used = used_as_.find(by_name.family);
    if (used != used_as_.end() && (is_histogram_like(used->second.type) || used->second.type == FamilyType::Summary))
      return with(used->second.type, TypeOrigin::Usage, true);
  }
  bool count_or_sum = by_name.role == SeriesRole::Count || by_name.role == SeriesRole::Sum;
  if (count_or_sum && sum_and_count_.count(by_name.family)) return with(FamilyType::Unknown, TypeOrigin::Usage, true);
  // The name alone (with the unit before `_count` graded above it by type_from_name).
  return by_name;
}

}  // namespace promvet::checks
