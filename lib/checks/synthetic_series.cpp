#include "checks/synthetic_series.h"

namespace promvet::checks {
namespace {

struct Entry {
  std::string_view name;
  SyntheticSeries kind;
};

// Prometheus scrape/scrape.go (up ... scrape_series_added always; scrape_timeout_seconds,
// scrape_sample_limit, scrape_body_size_bytes with extra-scrape-metrics; the native histogram
// bucket limit as promvet listed it before), rules/alerting.go (ALERTS, ALERTS_FOR_STATE).
constexpr Entry kSeries[] = {
    {"up", SyntheticSeries::kScrape},
    {"scrape_duration_seconds", SyntheticSeries::kScrape},
    {"scrape_samples_scraped", SyntheticSeries::kScrape},
    {"scrape_samples_post_metric_relabeling", SyntheticSeries::kScrape},
    {"scrape_series_added", SyntheticSeries::kScrape},
    {"scrape_timeout_seconds", SyntheticSeries::kScrape},
    {"scrape_sample_limit", SyntheticSeries::kScrape},
    {"scrape_body_size_bytes", SyntheticSeries::kScrape},
    {"scrape_native_histogram_bucket_limit", SyntheticSeries::kScrape},
    {"ALERTS", SyntheticSeries::kAlert},
    {"ALERTS_FOR_STATE", SyntheticSeries::kAlert},
};

}  // namespace

SyntheticSeries synthetic_series(std::string_view name) {
  for (const Entry& e : kSeries)
    if (e.name == name) return e.kind;
  return SyntheticSeries::kNone;
}

}  // namespace promvet::checks
