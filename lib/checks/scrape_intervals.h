#pragma once
// Which scrape interval applies to a query's series: per job (from `.promvet.yaml`
// `scrape_intervals: - job:` rules and a Prometheus configuration's `scrape_configs`), else the
// file's default (a `path:` rule, `scrape_interval`, the Prometheus configuration's global one).
//
//   CheckSettings s;  // job_intervals filled by the lint driver
//   double secs = selector_interval(s, selector);  // `x{job="node"}` → node's interval
//
// A selector picks its job by a `job="..."` matcher, or a `job=~"..."` one: an alternation of
// plain names (`"api|worker"`) gives those names, another regex the known job names (from the
// Prometheus configuration and literal rules) it matches. Several jobs: the shortest interval,
// so a range is reported only when it is too short for every job the query can select.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "promql/ast.h"
#include "sources/source.h"

namespace promvet::checks {

// The interval of `job` by the first job rule that matches it, if any.
std::optional<double> job_interval(const CheckSettings& settings, std::string_view job);

// The scrape interval for the series of `s` (seconds), and the job it came from (empty when the
// default applied).
struct SelectedInterval {
  double seconds = 0;
  std::string job;
};
// `source` (may be null): a matcher whose value came from a Grafana variable (`job=~"$job"`)
// selects whatever the dashboard picks at run time, so it is not resolved.
SelectedInterval selector_interval(const CheckSettings& settings, const promql::VectorSelector& s,
                                   const sources::Expression* source = nullptr);

// A Prometheus configuration's scrape intervals: `global.scrape_interval` (Prometheus' default
// 1m when unset) and every `scrape_configs[]` job's own or the global one. Errors are
// "path:line:col: message".
struct PrometheusIntervals {
  double global_seconds = 60;
  std::vector<JobInterval> jobs;  // literal job names
};
bool load_prometheus_intervals(const std::string& path, PrometheusIntervals* out, std::string* error);

// Compiles the regex of a job rule (RE2, fully anchored as PromQL's =~); false if invalid.
bool compile_job_rule(JobInterval* rule, std::string* error);

}  // namespace promvet::checks
