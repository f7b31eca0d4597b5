#pragma once
// Series Prometheus itself writes rather than scrapes: the one list, for type inference
// (metric_types), unknown-metric (never in a /metrics inventory) and usage reports.
#include <string_view>

namespace promvet::checks {

enum class SyntheticSeries {
  kNone,
  kScrape,  // per scrape target (scrape/scrape.go's report metrics): all gauges
  kAlert,   // per alerting rule: ALERTS, ALERTS_FOR_STATE
};

SyntheticSeries synthetic_series(std::string_view name);
inline bool is_synthetic_series(std::string_view name) { return synthetic_series(name) != SyntheticSeries::kNone; }

}  // namespace promvet::checks
