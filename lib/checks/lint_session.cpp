#include "checks/lint_session.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iterator>
#include <new>
#include <optional>
#include <thread>
#include <utility>

#include "base/parts.h"
#include "checks/baseline.h"
#include "checks/config_suppressions.h"
#include "checks/registry.h"
#include "checks/scrape_intervals.h"
#include "checks/suppression_audit.h"
#include "promql/literals.h"
#include "promql/parse.h"
#include "sources/diagnostic_ids.h"

namespace promvet::checks {
namespace {

// Job rules of .promvet.yaml, then the jobs of the Prometheus configuration (--prometheus-config,
// else prometheus_config:), whose global interval is the default unless scrape_interval is set.
bool scrape_intervals(const Config& config, const std::string& prometheus_flag, CheckSettings* settings,
                      std::string* error) {
  for (const IntervalRule& r : config.scrape_intervals) {
    if (r.job.empty()) continue;
    JobInterval j{r.job, true, r.seconds, nullptr};
    if (!compile_job_rule(&j, error)) {
      *error = config.path + ": " + *error;
      return false;
    }
    settings->job_intervals.push_back(std::move(j));
  }
  std::string path = prometheus_flag.empty() ? config.resolve(config.prometheus_config) : prometheus_flag;
  if (path.empty()) return true;
  PrometheusIntervals prometheus;
  if (!load_prometheus_intervals(path, &prometheus, error)) return false;
  if (!config.scrape_interval_set) settings->scrape_interval_seconds = prometheus.global_seconds;
  for (JobInterval& j : prometheus.jobs) settings->job_intervals.push_back(std::move(j));
  return true;
}

// The configuration's path relative to the working directory, like the linted files' paths.
std::string shown_path(const std::string& path) {
  std::error_code cwd_error;
  const std::filesystem::path cwd = std::filesystem::current_path(cwd_error);
  return cwd_error ? path : std::filesystem::path(path).lexically_proximate(cwd).string();
}

struct FileRun {
  std::vector<Finding> findings;
  FileOutcome outcome;
  std::vector<std::unique_ptr<FileNotes>> notes;  // per check of the registry (null: none)
};

// The project-level checks' notes of one linted file, in registry order.
std::vector<std::unique_ptr<FileNotes>> note_file(const Registry* registry, const sources::SourceFile& file,
                                                  std::string_view content) {
  std::vector<std::unique_ptr<FileNotes>> notes;
  if (!registry) return notes;
  for (const auto& c : registry->checks())
    notes.push_back(c->info().stage == Stage::kProject ? c->note_file(file, content) : nullptr);
  return notes;
}

// Frees a big file's expressions on up to `threads` threads before the vector goes (on one, a
// 20,000-rule file's took about as long as printing its findings, serial at the end of the run).
void free_expressions(std::vector<sources::Expression>& expressions, unsigned threads) {
  constexpr size_t kPerThreadMinimum = 512;
  const size_t parts = std::min<size_t>(threads, expressions.size() / kPerThreadMinimum);
  if (parts < 2) return;
  auto free_part = [&](size_t k) {
    for (size_t i = expressions.size() * k / parts; i < expressions.size() * (k + 1) / parts; ++i)
      expressions[i] = sources::Expression();
  };
  base::run_parts(parts, free_part);
}

// `compare_files`: the session has other files for kProject checks to compare this one with.
FileRun lint_one(const SessionInput& input, const InputLoader& load, const Config& config, const LintOptions& project,
                 const sources::LoadOptions& load_options, bool compare_files) {
  FileRun r;
  // A `scrape_intervals: - path:` rule sets this file's default interval.
  std::optional<LintOptions> own;
  if (std::optional<double> secs = config.path_interval(input.path)) {
    own = project;
    own->settings.scrape_interval_seconds = *secs;
  }
  const LintOptions& lint = own ? *own : project;
  LoadedInput source = load(input, load_options);
  if (!source.io_error.empty()) {
    r.outcome.io_error = source.io_error;
    return r;
  }
  if (source.too_large) {
    // Refused before reading: no content, so no source line to show.
    Finding f;
    f.check_id = std::string(sources::ids::kTooLarge);
    f.severity = Severity::kError;
    f.message = input.from_stdin
                    ? "standard input has more than the limit of " + std::to_string(load_options.max_bytes) + " bytes"
                    : "file is " + std::to_string(source.too_large) + " bytes, more than the limit of " +
                          std::to_string(load_options.max_bytes);
    f.file = input.path;
    r.findings.push_back(std::move(f));
    return r;
  }
  if (source.skipped) {
    r.outcome.skipped = true;
    return r;
  }
  r.outcome.tag = source.tag;
  r.outcome.fixable = !input.from_stdin && source.embedded.empty();
  std::string content;
  if (source.dashboard && !source.embedded.empty()) {
    // Dashboards inside YAML: `file` holds only the YAML's own diagnostics; each dashboard is
    // linted against its own text below (their description markers are not audited).
    r.findings = lint_source(source.file, source.content, lint);
    content = std::move(source.content);
  } else {
    SuppressionAuditOptions audit;
    audit.dashboard = source.dashboard;
    AuditedLint linted =
        lint_auditing_suppressions(std::move(source.file), std::move(source.content), source.reload, lint, audit);
    r.findings = std::move(linted.findings);
    if (compare_files) r.notes = note_file(lint.registry, linted.file, linted.content);
    content = std::move(linted.content);
    free_expressions(linted.file.expressions, lint.parse_threads);
  }
  for (const sources::EmbeddedDashboard& d : source.embedded) {
    std::vector<Finding> found = lint_embedded(d.file, d.text, d.to_file, content, lint);
    r.findings.insert(r.findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return r;
}

// The project-level hook: each kProject check's finish() over every file's notes.
void finish_project(const std::vector<SessionInput>& inputs, const Registry& registry, std::vector<FileRun>& runs) {
  for (size_t k = 0; k < registry.checks().size(); ++k) {
    const Check& check = *registry.checks()[k];
    if (check.info().stage != Stage::kProject) continue;
    std::vector<NotedFile> noted;
    for (size_t i = 0; i < inputs.size(); ++i)
      noted.push_back({inputs[i].path, k < runs[i].notes.size() ? std::move(runs[i].notes[k]) : nullptr});
    std::vector<std::vector<Finding>> found = check.finish(noted);
    for (size_t i = 0; i < inputs.size() && i < found.size(); ++i)
      for (Finding& f : found[i]) runs[i].findings.push_back(std::move(f));
  }
}

}  // namespace

bool configure_lint(const Config& config, const SessionFlags& flags, LintOptions* options, std::string* error,
                    std::vector<Finding>* config_findings) {
  CheckSettings& settings = options->settings;
  // What the server has: the configuration's features, the flags', the old alias.
  settings.prometheus_features = config.prometheus_features;
  settings.prometheus_features.insert(settings.prometheus_features.end(), flags.features.begin(), flags.features.end());
  if (flags.experimental_functions) settings.prometheus_features.emplace_back(promql::kFeatureExperimentalFunctions);
  options->dashboard_suppressions = config.dashboards;
  // .promvet.yaml's dashboards: entries, audited as in-file markers are (config_suppressions.h):
  // the expired ones leave the list here, the unused ones are found after the run.
  if (config_findings)
    *config_findings =
        expire_dashboard_suppressions(&options->dashboard_suppressions, config.path, shown_path(config.path));
  promql::literals::DurationResult interval = promql::literals::parse_duration(config.scrape_interval);
  if (!interval.error.empty() || interval.ms <= 0) {
    *error = (config.path.empty() ? "" : config.path + ": ") +
             "scrape_interval: not a positive duration: " + config.scrape_interval;
    return false;
  }
  settings.scrape_interval_seconds = static_cast<double>(interval.ms) / 1000.0;
  if (!scrape_intervals(config, flags.prometheus_config, &settings, error)) return false;
  options->prometheus_config = !flags.prometheus_config.empty() || !config.prometheus_config.empty();
  settings.required_alert_labels = config.required_alert_labels;
  settings.rule_policies = config.rule_policies;  // and the packs' own, through options->policies
  return true;
}

SessionResult run_session(const std::vector<SessionInput>& inputs, const InputLoader& load, const Config& config,
                          const LintOptions& options, const SessionOptions& session) {
  std::vector<FileRun> runs(inputs.size());
  // Files are independent: lint them in parallel, report in input order.
  const unsigned requested = session.jobs ? session.jobs : std::max(1u, std::thread::hardware_concurrency());
  const unsigned jobs = std::min<unsigned>(requested, static_cast<unsigned>(std::max<size_t>(1, inputs.size())));
  // Fewer files than jobs: the spare cores parse a file's expressions (-j 1 stays one thread).
  LintOptions per_file = options;
  per_file.parse_threads = std::max(1u, requested / jobs);
  sources::LoadOptions per_file_load = session.load;
  per_file_load.threads = per_file.parse_threads;  // and parse a large rule file's YAML
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < inputs.size(); i = next++) {
      try {
        runs[i] = lint_one(inputs[i], load, config, per_file, per_file_load, inputs.size() > 1);
      } catch (const std::bad_alloc&) {  // an exception must not leave a worker thread
        runs[i] = FileRun();
        runs[i].outcome.io_error = "out of memory";
      }
    }
  };
  // One job runs here: a worker thread would cost a clone, an 8 MB stack and a malloc arena of
  // its own that glibc grows a page per mprotect (about 50 system calls for one dashboard).
  // Each job takes files until none is left (one without a thread of its own runs here).
  base::run_parts(jobs, [&](size_t) { work(); });
  // kProject checks compare files with each other: one file has nothing to compare.
  if (options.registry && inputs.size() > 1) finish_project(inputs, *options.registry, runs);

  // The configuration's findings (its expired and unused dashboards: entries) come after the files'.
  runs.emplace_back();
  runs.back().findings = session.config_findings;
  for (Finding& f : unused_dashboard_suppressions(options, config.path, shown_path(config.path)))
    runs.back().findings.push_back(std::move(f));
  SessionResult result;
  size_t found = 0;
  for (const FileRun& run : runs) found += run.findings.size();
  result.findings.reserve(found);  // a big file's findings are moved once, not at every growth
  for (size_t i = 0; i < runs.size(); ++i) {
    FileRun& run = runs[i];
    // Each file's by position; the configuration's as the audit made them (expired, then unused).
    // (lint_source's come sorted: most files need no sorting, only a check.)
    auto by_position = [](const Finding& a, const Finding& b) {
      return a.line != b.line ? a.line < b.line : a.column < b.column;
    };
    if (i < inputs.size() && !std::is_sorted(run.findings.begin(), run.findings.end(), by_position))
      std::stable_sort(run.findings.begin(), run.findings.end(), by_position);
    for (Finding& f : run.findings) {
      if (!config.reports(f.check_id)) continue;
      auto sev = config.severity.find(f.check_id);
      if (sev != config.severity.end()) f.severity = sev->second;
      result.findings.push_back(std::move(f));
    }
    result.files.push_back(std::move(run.outcome));
  }
  result.files.pop_back();  // the configuration is not an input
  if (session.baseline) result.findings = session.baseline->new_findings(result.findings);
  return result;
}

}  // namespace promvet::checks
