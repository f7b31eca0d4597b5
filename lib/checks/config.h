#pragma once
// .promvet.yaml: project settings for `promvet lint`, found upward from the linted path or given
// with --config. Unknown keys are errors (a typo must not silently turn a setting off).
//
//   enable: [promql/invalid, rules/*]    # if given, only these checks (a trailing /* takes a family);
//                                        # every id must be in the registry (check_config_ids)
//   disable: [promql/invalid]            # check ids to drop
//   severity: {rules/duplicate-rule: error}
//   exclude: ["vendor/**", "*.generated.json"]   # globs relative to the config's directory
//   scrape_interval: 30s                 # default 15s (or the Prometheus configuration's); range checks
//   scrape_intervals:                    # first match wins, before the Prometheus configuration's jobs
//     - {job: "node|kubelet", interval: 1m}  # queries selecting job="node" (RE2, fully anchored)
//     - {path: "dashboards/fast/*", interval: 5s}  # the default for these files (glob)
//   prometheus_config: prometheus.yml    # global and per-job scrape_interval (relative to the config)
//   required_alert_labels: [severity, team]  # default [severity]; rules/alert-labels
//   policies: [policies/prometheus.yaml]    # naming-policy packs
//   inventory: inventory.json            # metric inventory (file or URL)
//   rules_dialect: thanos                # rule files: auto (default), prometheus, thanos, mimir, loki
//   builtin_metadata: false              # default true: types from the bundled exporter metadata
//   prometheus_features: [promql-extended-range-selectors]  # the server's --enable-feature list
//   dashboards:                          # suppressions by dashboard uid and panel
//     - {uid: svc, panel_id: 7, disable: [promql/invalid]}
//     - {uid: svc, panel_title: "Legacy", disable: [promql/invalid], until: 2027-03-01}
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/finding.h"
#include "naming/rule_policy.h"

namespace promvet::checks {

// What a `dashboards:` entry did during a lint (config_suppressions.h reports the stale ones);
// shared by the copies of the entry, written from the lint threads.
struct DashboardSuppressionUse {
  explicit DashboardSuppressionUse(size_t ids) : used(new std::atomic<bool>[ids]) {
    for (size_t i = 0; i < ids; ++i) used[i] = false;
  }
  std::atomic<bool> seen{false};              // a linted dashboard had the entry's uid
  std::unique_ptr<std::atomic<bool>[]> used;  // per id of `checks`: it suppressed a finding
};

struct DashboardSuppression {
  std::string uid;          // empty: any dashboard
  int64_t panel_id = -1;    // -1: any panel
  std::string panel_title;  // empty: any title
  std::vector<std::string> checks;
  std::string until;  // YYYY-MM-DD or ""; past it the entry no longer applies
  // 1-based positions in .promvet.yaml: `until`'s value and each id of `checks`.
  uint32_t until_line = 0, until_column = 0;
  std::vector<std::pair<uint32_t, uint32_t>> check_positions;
  std::shared_ptr<DashboardSuppressionUse> use = nullptr;  // null: not tracked
};

// A `scrape_intervals` entry: exactly one of job and path is set.
struct IntervalRule {
  std::string job;   // RE2 pattern matched against a query's job
  std::string path;  // glob matched like `exclude`
  double seconds = 0;
};

struct Config {
  std::string path;                 // the file it was read from, empty for defaults
  std::string dir;                  // its directory: excludes are relative to it
  std::vector<std::string> enable;  // empty: every check
  std::vector<std::string> disable;
  std::map<std::string, Severity> severity;
  std::vector<std::string> exclude;
  std::string scrape_interval = "15s";
  bool scrape_interval_set = false;  // written in the file (it then wins over prometheus_config)
  std::vector<IntervalRule> scrape_intervals;
  std::string prometheus_config;                                  // as written; resolve with resolve()
  std::vector<std::string> required_alert_labels = {"severity"};  // `[]` turns the check off
  std::vector<naming::RulePolicy> rule_policies;                  // rules/metadata-policy; docs/policies.md
  std::vector<std::string> policies;
  std::string inventory;
  std::string rules_dialect = "auto";            // sources::parse_rules_dialect accepts it
  bool builtin_metadata = true;                  // metric types from the bundled packs (metadata/, docs/metadata.md)
  std::vector<std::string> prometheus_features;  // promql::enable_feature accepts each
  std::vector<DashboardSuppression> dashboards;

  // True when `file` (as given on the command line) matches an exclude glob.
  bool excluded(const std::string& file) const;
  // The interval of the first `path:` rule matching `file`, if any.
  std::optional<double> path_interval(const std::string& file) const;
  // A path written in the configuration, relative to its directory.
  std::string resolve(const std::string& path) const;
  // Whether findings of this check are reported (enable, then disable).
  bool reports(const std::string& check_id) const;
};

// Errors are "path:line:col: message".
bool load_config(const std::string& path, Config* out, std::string* error);

class Registry;
// Whether every id the configuration names (enable, disable, severity) is an
// id or family ("rules/*") of `promvet lint` in `registry`; else "path: key: no such check \"x\";
// did you mean \"y\"?".
bool check_config_ids(const Config& config, const Registry& registry, std::string* error);

// The nearest .promvet.yaml in the directory of `start` (or `start` itself if a directory) and
// its parents.
std::optional<std::string> find_config(const std::string& start);

}  // namespace promvet::checks
