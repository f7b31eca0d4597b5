#include "checks/scrape_intervals.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>

#include "io/yaml_tree.h"
#include "promql/literals.h"

namespace promvet::checks {
namespace {

bool plain_job_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ':' || c == '/')) return false;
  return true;
}

// `api|worker` → {api, worker}; empty when the regex is anything more than plain names.
std::vector<std::string> literal_alternatives(std::string_view re) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= re.size(); ++i) {
    if (i < re.size() && re[i] != '|') continue;
    std::string_view part = re.substr(start, i - start);
    if (!plain_job_name(part)) return {};
    out.emplace_back(part);
    start = i + 1;
  }
  return out;
}

bool from_variable(const sources::Expression* e, promql::Range r) {
  if (!e) return false;
  for (const sources::VariableSpan& v : e->variable_spans)
    if (v.begin < r.end && r.begin < v.end) return true;
  return false;
}

std::string where(const std::string& path, const yaml::Node& n) {
  const yaml::Mark m = n.mark();
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

struct Error {
  std::string message;
};

double seconds_of(const std::string& path, const yaml::Node& n, const char* key) {
  if (!n.is_scalar()) throw Error{where(path, n) + key + " must be a duration"};
  promql::literals::DurationResult d = promql::literals::parse_duration(n.value());
  if (!d.error.empty() || d.ms <= 0)
    throw Error{where(path, n) + key + ": " + (d.error.empty() ? "must be greater than 0" : d.error)};
  return static_cast<double>(d.ms) / 1000.0;
}

}  // namespace

bool compile_job_rule(JobInterval* rule, std::string* error) {
  if (!rule->regex) return true;
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>("^(?:" + rule->job + ")$", opts);
  if (!re->ok()) {
    *error = "invalid job regex \"" + rule->job + "\": " + re->error();
    return false;
  }
  rule->compiled = std::move(re);
  return true;
}

std::optional<double> job_interval(const CheckSettings& settings, std::string_view job) {
  for (const JobInterval& r : settings.job_intervals) {
    if (r.regex ? (r.compiled && RE2::FullMatch(re2::StringPiece(job.data(), job.size()), *r.compiled)) : r.job == job)
      return r.seconds;
  }
  return std::nullopt;
}

SelectedInterval selector_interval(const CheckSettings& settings, const promql::VectorSelector& s,
                                   const sources::Expression* source) {
  SelectedInterval out{settings.scrape_interval_seconds, {}};
  for (const promql::Matcher& m : s.matchers) {
    if (m.name != "job" || m.bare_name || from_variable(source, m.value_range)) continue;
    std::vector<std::string> jobs;
    if (m.op == promql::MatchOp::Equal) {
      jobs.push_back(m.value);
    } else if (m.op == promql::MatchOp::Regex) {
      jobs = literal_alternatives(m.value);
      if (jobs.empty()) {
        // Another regex: the job names known by name that it selects.
        RE2::Options opts;
        opts.set_log_errors(false);
        RE2 re("^(?:" + m.value + ")$", opts);
        if (!re.ok()) continue;
        for (const JobInterval& r : settings.job_intervals)
          if (!r.regex && RE2::FullMatch(r.job, re)) jobs.push_back(r.job);
      }
    }
    if (jobs.empty()) continue;
    double best = std::numeric_limits<double>::infinity();
    std::string best_job;
    for (const std::string& j : jobs) {
      double secs = job_interval(settings, j).value_or(settings.scrape_interval_seconds);
      if (secs < best) {
        best = secs;
        best_job = j;
      }
    }
    // A job that no rule names falls back to the default, which is then reported as such.
    if (!job_interval(settings, best_job)) best_job.clear();
    return {best, best_job};
  }
  return out;
}

bool load_prometheus_intervals(const std::string& path, PrometheusIntervals* out, std::string* error) {
  PrometheusIntervals p;
  // A Prometheus configuration is some kilobytes; the bound keeps /dev/zero from filling memory.
  constexpr std::uint64_t kMaxConfigBytes = 64u << 20;
  yaml::Document doc;
  bool unreadable = false;
  if (!yaml::load_file(path, kMaxConfigBytes, &doc, error, &unreadable)) {
    if (unreadable) *error = path + ": cannot read the Prometheus configuration";
    return false;
  }
  try {
    yaml::Node root = doc.root();
    if (root.is_null()) {
      *out = p;
      return true;
    }
    if (!root.is_map()) throw Error{where(path, root) + "a Prometheus configuration must be a mapping"};
    if (const yaml::Node g = root["global"]; g && g.is_map() && g["scrape_interval"])
      p.global_seconds = seconds_of(path, g["scrape_interval"], "global.scrape_interval");
    if (const yaml::Node jobs = root["scrape_configs"]; jobs) {
      if (!jobs.is_sequence()) throw Error{where(path, jobs) + "scrape_configs must be a list"};
      for (const yaml::Node& job : jobs.items()) {
        if (!job.is_map() || !job["job_name"] || !job["job_name"].is_scalar()) continue;
        JobInterval j;
        j.job = job["job_name"].value();
        j.seconds =
            job["scrape_interval"] ? seconds_of(path, job["scrape_interval"], "scrape_interval") : p.global_seconds;
        p.jobs.push_back(std::move(j));
      }
    }
  } catch (const Error& e) {
    *error = e.message;
    return false;
  }
  *out = std::move(p);
  return true;
}

}  // namespace promvet::checks
