#include "checks/config.h"

#include <fnmatch.h>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <set>

#include "checks/scrape_intervals.h"
#include "io/yaml_tree.h"
#include "naming/names.h"
#include "naming/rule_policy_internal.h"
#include "promql/literals.h"
#include "promql/parse.h"
#include "sources/rule_dialects.h"

namespace promvet::checks {
namespace {

namespace fs = std::filesystem;

std::string at(const std::string& path, const yaml::Node& n) {
  const yaml::Mark m = n.mark();
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

struct Error {
  std::string message;
};

std::vector<std::string> string_list(const std::string& path, const yaml::Node& n, const char* key) {
  if (!n.is_sequence()) throw Error{at(path, n) + key + " must be a list of strings"};
  std::vector<std::string> out;
  for (const yaml::Node& item : n.items()) {
    if (!item.is_scalar()) throw Error{at(path, item) + key + " must be a list of strings"};
    out.push_back(item.value());
  }
  return out;
}

std::string scalar(const std::string& path, const yaml::Node& n, const char* key) {
  if (!n.is_scalar()) throw Error{at(path, n) + key + " must be a string"};
  return n.value();
}

// A positive Prometheus duration (`15s`, `1m30s`), in seconds; errors name the key.
double positive_seconds(const std::string& path, const yaml::Node& n, const char* key) {
  promql::literals::DurationResult d = promql::literals::parse_duration(scalar(path, n, key));
  if (!d.error.empty() || d.ms <= 0)
    throw Error{at(path, n) + key + ": " + (d.error.empty() ? "must be greater than 0" : d.error)};
  return static_cast<double>(d.ms) / 1000.0;
}

void check_keys(const std::string& path, const yaml::Node& map, const std::set<std::string>& known, const char* what) {
  for (const auto& kv : map.entries()) {
    std::string k = kv.first.value();
    if (!known.count(k)) throw Error{at(path, kv.first) + "unknown key \"" + k + "\" in " + what};
  }
}

DashboardSuppression dashboard_entry(const std::string& path, const yaml::Node& n) {
  if (!n.is_map()) throw Error{at(path, n) + "dashboards entries must be mappings"};
  check_keys(path, n, {"uid", "panel_id", "panel_title", "disable", "until"}, "a dashboards entry");
  DashboardSuppression s;
  if (n["uid"]) s.uid = scalar(path, n["uid"], "uid");
  if (n["panel_title"]) s.panel_title = scalar(path, n["panel_title"], "panel_title");
  if (const yaml::Node id = n["panel_id"]) {
    const std::string& v = id.value();
    const char* begin = v.data() + (!v.empty() && v[0] == '+');
    int64_t panel_id = 0;
    auto [end, ec] = std::from_chars(begin, v.data() + v.size(), panel_id);
    if (!id.is_scalar() || v.empty() || ec != std::errc() || end != v.data() + v.size())
      throw Error{at(path, id) + "panel_id must be an integer"};
    s.panel_id = panel_id;
  }
  if (!n["disable"]) throw Error{at(path, n) + "a dashboards entry needs disable: [check ids]"};
  s.checks = string_list(path, n["disable"], "disable");
  for (const yaml::Node& item : n["disable"].items())
    s.check_positions.emplace_back(item.mark().line + 1, item.mark().column + 1);
  if (const yaml::Node until = n["until"]) {  // an invalid date is reported when linting, as in-file until=
    s.until = scalar(path, until, "until");
    s.until_line = static_cast<uint32_t>(until.mark().line + 1);
    s.until_column = static_cast<uint32_t>(until.mark().column + 1);
  }
  s.use = std::make_shared<DashboardSuppressionUse>(s.checks.size());
  return s;
}

// `file` relative to the configuration's directory when it is inside it, else as given.
std::string relative_to(const std::string& dir, const std::string& file) {
  std::error_code ec;
  std::string rel = file;
  if (!dir.empty()) {
    fs::path r = fs::relative(fs::absolute(file, ec), fs::absolute(dir, ec), ec);
    if (!ec && !r.empty() && r.native().rfind("..", 0) != 0) rel = r.string();
  }
  return rel;
}

IntervalRule interval_rule(const std::string& path, const yaml::Node& n) {
  if (!n.is_map()) throw Error{at(path, n) + "scrape_intervals entries must be mappings"};
  check_keys(path, n, {"job", "path", "interval"}, "a scrape_intervals entry");
  IntervalRule r;
  if (n["job"]) r.job = scalar(path, n["job"], "job");
  if (n["path"]) r.path = scalar(path, n["path"], "path");
  if (r.job.empty() == r.path.empty())
    throw Error{at(path, n) + "a scrape_intervals entry needs exactly one of job: (a regex) and path: (a glob)"};
  if (!n["interval"]) throw Error{at(path, n) + "a scrape_intervals entry needs interval: (a duration)"};
  r.seconds = positive_seconds(path, n["interval"], "interval");
  if (!r.job.empty()) {
    JobInterval probe{r.job, true, r.seconds, nullptr};
    std::string error;
    if (!compile_job_rule(&probe, &error)) throw Error{at(path, n["job"]) + error};
  }
  return r;
}

std::string rules_dialect(const std::string& path, const yaml::Node& n) {
  std::string dialect = scalar(path, n, "rules_dialect");
  if (!sources::parse_rules_dialect(dialect))
    throw Error{at(path, n) + "rules_dialect: must be auto, prometheus, thanos, mimir or loki, not \"" + dialect +
                "\""};
  return dialect;
}

bool builtin_metadata(const std::string& path, const yaml::Node& n) {
  std::string v = scalar(path, n, "builtin_metadata");
  if (v != "true" && v != "false") throw Error{at(path, n) + "builtin_metadata: expected true or false"};
  return v == "true";
}

// Checked against the parser's own feature list, so a typo fails here and not as a parse error
// in every rule that uses the feature.
std::vector<std::string> prometheus_features(const std::string& path, const yaml::Node& n) {
  std::vector<std::string> features = string_list(path, n, "prometheus_features");
  promql::ParseOptions probe;
  for (size_t i = 0; i < features.size(); ++i)
    if (!promql::enable_feature(probe, features[i]))
      throw Error{at(path, n.items()[i]) + "prometheus_features: unknown feature \"" + features[i] + "\" (" +
                  promql::feature_names() + ")"};
  return features;
}

std::vector<IntervalRule> scrape_intervals(const std::string& path, const yaml::Node& n) {
  if (!n.is_sequence()) throw Error{at(path, n) + "scrape_intervals must be a list"};
  std::vector<IntervalRule> rules;
  for (const yaml::Node& e : n.items()) rules.push_back(interval_rule(path, e));
  return rules;
}

std::vector<std::string> required_alert_labels(const std::string& path, const yaml::Node& n) {
  std::vector<std::string> labels = string_list(path, n, "required_alert_labels");
  size_t i = 0;
  for (const std::string& name : labels) {
    if (!naming::is_legacy_label_name(name))
      throw Error{at(path, n.items()[i]) + "required_alert_labels: invalid label name \"" + name + "\""};
    ++i;
  }
  return labels;
}

std::map<std::string, Severity> severities(const std::string& path, const yaml::Node& n) {
  if (!n.is_map()) throw Error{at(path, n) + "severity must map check ids to info, warning or error"};
  std::map<std::string, Severity> out;
  for (const auto& kv : n.entries()) {
    std::optional<Severity> s = kv.second.is_scalar() ? parse_severity(kv.second.value()) : std::nullopt;
    if (!s) throw Error{at(path, kv.second) + "severity must be info, warning or error"};
    out[kv.first.value()] = *s;
  }
  return out;
}

std::vector<DashboardSuppression> dashboard_entries(const std::string& path, const yaml::Node& n) {
  if (!n.is_sequence()) throw Error{at(path, n) + "dashboards must be a list"};
  std::vector<DashboardSuppression> out;
  for (const yaml::Node& d : n.items()) out.push_back(dashboard_entry(path, d));
  return out;
}

// The top-level mapping into `c`, one key at a time in a fixed order, so that of several errors
// the same one is always reported; throws Error.
void read_root(const std::string& path, const yaml::Node& root, Config& c) {
  if (!root.is_map()) throw Error{at(path, root) + "the configuration must be a mapping"};
  check_keys(path, root,
             {"enable", "disable", "severity", "exclude", "scrape_interval", "policies", "inventory", "dashboards",
              "required_alert_labels", "rules_dialect", "builtin_metadata", "rule_policies", "scrape_intervals",
              "prometheus_config", "prometheus_features"},
             "the configuration");
  if (root["enable"]) c.enable = string_list(path, root["enable"], "enable");
  if (root["disable"]) c.disable = string_list(path, root["disable"], "disable");
  if (root["exclude"]) c.exclude = string_list(path, root["exclude"], "exclude");
  if (root["policies"]) c.policies = string_list(path, root["policies"], "policies");
  if (root["inventory"]) c.inventory = scalar(path, root["inventory"], "inventory");
  if (root["rules_dialect"]) c.rules_dialect = rules_dialect(path, root["rules_dialect"]);
  if (root["builtin_metadata"]) c.builtin_metadata = builtin_metadata(path, root["builtin_metadata"]);
  if (root["prometheus_features"]) c.prometheus_features = prometheus_features(path, root["prometheus_features"]);
  if (root["scrape_interval"]) {
    c.scrape_interval = scalar(path, root["scrape_interval"], "scrape_interval");
    positive_seconds(path, root["scrape_interval"], "scrape_interval");
    c.scrape_interval_set = true;
  }
  if (root["scrape_intervals"]) c.scrape_intervals = scrape_intervals(path, root["scrape_intervals"]);
  if (root["prometheus_config"]) c.prometheus_config = scalar(path, root["prometheus_config"], "prometheus_config");
  if (root["required_alert_labels"])
    c.required_alert_labels = required_alert_labels(path, root["required_alert_labels"]);
  if (root["rule_policies"]) {
    std::vector<naming::PolicyError> errors;
    if (!naming::parse_rule_policies(root["rule_policies"], path, &c.rule_policies, &errors))
      throw Error{errors.empty() ? path + ": rule_policies: invalid" : errors.front().to_string()};
  }
  if (root["severity"]) c.severity = severities(path, root["severity"]);
  if (root["dashboards"]) c.dashboards = dashboard_entries(path, root["dashboards"]);
}

}  // namespace

std::string Config::resolve(const std::string& p) const {
  if (p.empty() || fs::path(p).is_absolute() || dir.empty()) return p;
  return (fs::path(dir) / p).string();
}

std::optional<double> Config::path_interval(const std::string& file) const {
  std::string rel;
  for (const IntervalRule& r : scrape_intervals) {
    if (r.path.empty()) continue;
    if (rel.empty()) rel = relative_to(dir, file);
    if (fnmatch(r.path.c_str(), rel.c_str(), 0) == 0) return r.seconds;
  }
  return std::nullopt;
}

bool Config::excluded(const std::string& file) const {
  std::string rel = relative_to(dir, file);
  for (const std::string& glob : exclude) {
    // Without FNM_PATHNAME '*' also crosses '/', so "vendor/*" and "vendor/**" both exclude a tree.
    if (fnmatch(glob.c_str(), rel.c_str(), 0) == 0) return true;
  }
  return false;
}

bool Config::reports(const std::string& id) const {
  const auto listed = [&id](const std::vector<std::string>& ids) {
    for (const std::string& e : ids) {
      if (e == id) return true;
      // "rules/*" names a whole family.
      if (e.size() > 2 && e.compare(e.size() - 2, 2, "/*") == 0 && id.compare(0, e.size() - 1, e, 0, e.size() - 1) == 0)
        return true;
    }
    return false;
  };
  if (!enable.empty() && !listed(enable)) return false;
  return !listed(disable);
}

bool load_config(const std::string& path, Config* out, std::string* error) {
  Config c;
  c.path = path;
  c.dir = fs::path(path).parent_path().string();
  // A configuration is a few lines; the bound keeps /dev/zero or a FIFO from filling memory.
  constexpr std::uint64_t kMaxConfigBytes = 16u << 20;
  yaml::Document doc;
  bool unreadable = false;
  if (!yaml::load_file(path, kMaxConfigBytes, &doc, error, &unreadable)) {
    if (unreadable) *error = "configuration: " + *error;
    return false;
  }
  try {
    yaml::Node root = doc.root();
    if (!root.is_null()) read_root(path, root, c);  // an empty file is the default configuration
  } catch (const Error& e) {
    *error = e.message;
    return false;
  }
  *out = std::move(c);
  return true;
}

std::optional<std::string> find_config(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return std::nullopt;
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / ".promvet.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace promvet::checks
