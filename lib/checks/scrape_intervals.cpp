#include "checks/scrape_intervals.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <limits>

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

std::string where(const std::string& path, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

struct Error {
  std::string message;
};

double seconds_of(const std::string& path, const YAML::Node& n, const char* key) {
  if (!n.IsScalar()) throw Error{where(path, n) + key + " must be a duration"};
  promql::literals::DurationResult d = promql::literals::parse_duration(n.as<std::string>());
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
  try {
    YAML::Node root = YAML::LoadFile(path);
    if (root.IsNull()) {
      *out = p;
      return true;
    }
    if (!root.IsMap()) throw Error{where(path, root) + "a Prometheus configuration must be a mapping"};
    if (const YAML::Node g = root["global"]; g && g.IsMap() && g["scrape_interval"])
      p.global_seconds = seconds_of(path, g["scrape_interval"], "global.scrape_interval");
    if (const YAML::Node jobs = root["scrape_configs"]; jobs) {
      if (!jobs.IsSequence()) throw Error{where(path, jobs) + "scrape_configs must be a list"};
      for (const YAML::Node& job : jobs) {
        if (!job.IsMap() || !job["job_name"] || !job["job_name"].IsScalar()) continue;
        JobInterval j;
        j.job = job["job_name"].as<std::string>();
        j.seconds = job["scrape_interval"] ? seconds_of(path, job["scrape_interval"], "scrape_interval")
                                           : p.global_seconds;
        p.jobs.push_back(std::move(j));
      }
    }
  } catch (const Error& e) {
    *error = e.message;
    return false;
  } catch (const YAML::BadFile&) {
    *error = path + ": cannot read the Prometheus configuration";
    return false;
  } catch (const YAML::Exception& e) {
    *error = path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " + e.msg;
    return false;
  }
  *out = std::move(p);
  return true;
}

}  // namespace promvet::checks
