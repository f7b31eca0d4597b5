#pragma once
// Which Grafana data sources speak PromQL: the one list, for the loader (which panels' queries are
// PromQL) and dashboard/datasource.
#include <string_view>

namespace promvet::sources {

// A data source type ("prometheus", "grafana-victoriametrics-datasource") or name ("Thanos EU")
// that names Prometheus or a PromQL-compatible store (VictoriaMetrics, Thanos, Mimir, Cortex).
// Case-insensitive, by substring.
bool names_prometheus_like_datasource(std::string_view type_or_name);

}  // namespace promvet::sources
