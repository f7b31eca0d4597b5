#pragma once
// Reads what a Prometheus-compatible HTTP API knows about metrics: metadata (type, help, unit),
// metric names and series label sets. The same calls work against Prometheus, Thanos Query,
// Mimir/Cortex (set `X-Scope-OrgID` in FetchOptions::headers) and VictoriaMetrics.
//
//   ApiOptions o;  o.fetch.timeout_seconds = 10;  o.fetch.headers = {"X-Scope-OrgID: team-a"};
//   MyHandler h;   // receives metadata, names and series as they are read
//   ApiResult r = read_prometheus_api("http://127.0.0.1:9090", o, h);
//   if (!r.ok) std::cerr << r.error;  else if (r.partial) ...  // r.warnings says why
//
// Calls: GET /api/v1/metadata, GET /api/v1/label/__name__/values, then GET /api/v1/series with
// `match[]` in batches of metric names (or the caller's selectors), with start/end and `limit`.
// Every request has the fetcher's timeout and size cap, the whole read a deadline, and the series
// count a cap: when a cap or a failed batch stops the read, the result is ok but `partial`.
// Never throws. Thread-compatible (no shared state).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inventory/http_fetch.h"

namespace promvet::inventory {

struct ApiOptions {
  ApiOptions() { fetch.max_bytes = 32u << 20; }  // a JSON document is held whole while parsed
  FetchOptions fetch;                            // per request; `accept` is replaced by application/json
  std::vector<std::string> match;                // series selectors; empty: every metric name, in batches
  int64_t start_unix = 0;                        // series and names time range (seconds); 0: server default
  int64_t end_unix = 0;
  size_t batch_size = 50;         // metric names per /api/v1/series request
  size_t series_limit = 500000;   // stop (partial) after this many series
  bool read_series = true;        // false: metadata and names only
  double deadline_seconds = 300;  // the whole read
};

using LabelSet = std::vector<std::pair<std::string, std::string>>;  // includes __name__

class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  virtual void on_metadata(std::string_view name, std::string_view type, std::string_view help,
                           std::string_view unit) = 0;
  virtual void on_name(std::string_view name) = 0;
  virtual void on_series(const LabelSet& labels) = 0;
};

struct ApiResult {
  bool ok = false;
  std::string error;                  // when !ok: which call failed and why
  bool partial = false;               // ok, but some data is missing (see warnings)
  std::vector<std::string> warnings;  // the server's warnings and why the read is partial
  size_t requests = 0, names = 0, series = 0;
};

ApiResult read_prometheus_api(const std::string& base_url, const ApiOptions& options, ApiHandler& handler);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view s);

}  // namespace promvet::inventory
