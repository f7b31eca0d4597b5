#include "expfmt/events.h"

namespace promvet::expfmt {

std::string_view format_name(Format f) { return f == Format::kOpenMetrics ? "openmetrics" : "text"; }

std::string_view metric_type_name(MetricType t) {
  switch (t) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kGaugeHistogram: return "gaugehistogram";
    case MetricType::kSummary: return "summary";
    case MetricType::kInfo: return "info";
    case MetricType::kStateSet: return "stateset";
    case MetricType::kUntyped: return "untyped";
    case MetricType::kUnknown: break;
  }
  return "unknown";
}

void Handler::on_metadata(const Metadata&) {}
void Handler::on_sample(const Sample&) {}
void Handler::on_error(const Diagnostic&) {}

}  // namespace promvet::expfmt
