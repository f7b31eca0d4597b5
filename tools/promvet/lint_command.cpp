#include "lint_command.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iterator>
#include <map>
#include <iostream>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "checks/baseline.h"
#include "checks/config.h"
#include "checks/finding.h"
#include "checks/lint_source.h"
#include "checks/registry.h"
#include "checks/scrape_intervals.h"
#include "checks/config_suppressions.h"
#include "checks/suppression_audit.h"
#include "base/duration.h"
#include "report/report.h"
#include "sources/diagnostic_ids.h"
#include "sources/rule_dialects.h"
#include "feature_flags.h"
#include "inventory_command.h"
#include "lint_fix.h"
#include "io/output_file.h"
#include "metadata_command.h"
#include "source_inputs.h"

namespace promvet::cli {
namespace {

using checks::Finding;
using checks::Severity;

constexpr const char* kStagedChanges = ":staged:";

struct LintCommandOptions {
  std::vector<std::string> paths;
  std::string kind = "auto";
  std::string output = "text";
  std::string fail_on = "warning";
  bool experimental = false;
  std::vector<std::string> features;  // --enable-feature
  unsigned jobs = 0;
  std::string baseline;
  std::string write_baseline;
  bool list_checks = false;
  std::string config;
  std::string inventory;
  bool no_builtin_metadata = false;
  std::vector<std::string> policies;
  std::string rules_dialect;  // empty: rules_dialect: of the configuration, else auto
  std::string stdin_filename;
  std::string prometheus_config;
  // Issue 22: report only changed lines (REF, or the staged changes when given without one);
  // apply the meaning-preserving fixes, or print them as a diff.
  std::string changed_since;  // empty: off; kStagedChanges: the flag without =REF
  bool fix = false, dry_run = false;
  int fix_rounds_left = 4;
};

struct Result {
  std::vector<Finding> findings;
  std::string io_error;
  bool skipped = false;
  SourceKind kind = SourceKind::Rules;          // how it was read, for --fix to reload it
  bool fixable = false;                         // its findings point into its own bytes
  // What the project-level checks keep of the file, per check of registry.checks() (null: none).
  std::vector<std::unique_ptr<checks::FileNotes>> notes;
};

// The project-level checks' notes of one linted file (registry order).
std::vector<std::unique_ptr<checks::FileNotes>> note_file(const checks::Registry& registry,
                                                          const sources::SourceFile& file, std::string_view content) {
  std::vector<std::unique_ptr<checks::FileNotes>> notes;
  for (const auto& c : registry.checks())
    notes.push_back(c->info().stage == checks::Stage::kProject ? c->note_file(file, content) : nullptr);
  return notes;
}

Result lint_one(const SourceInput& input, const LintCommandOptions& o, const checks::LintOptions& project,
                const checks::Config& config, sources::RulesDialect dialect) {
  Result r;
  // A `scrape_intervals: - path:` rule sets this file's default interval.
  std::optional<checks::LintOptions> own;
  if (std::optional<double> secs = config.path_interval(input.path)) {
    own = project;
    own->settings.scrape_interval_seconds = *secs;
  }
  const checks::LintOptions& lint = own ? *own : project;
  sources::LoadOptions load;
  load.rules_dialect = dialect;
  LoadedSource source = load_source_input(input, o.kind, load);
  if (!source.io_error.empty()) {
    r.io_error = source.io_error;
    return r;
  }
  if (source.too_large) {
    // Refused before reading: no content, so no source line to show.
    Finding f;
    f.check_id = std::string(sources::ids::kTooLarge);
    f.severity = Severity::kError;
    f.message = input.from_stdin ? "standard input has more than the limit of " + std::to_string(load.max_bytes) + " bytes"
                                 : "file is " + std::to_string(source.too_large) + " bytes, more than the limit of " +
                                       std::to_string(load.max_bytes);
    f.file = input.path;
    r.findings.push_back(std::move(f));
    return r;
  }
  if (source.skipped) {
    r.skipped = true;
    return r;
  }
  r.kind = source.kind;
  r.fixable = !input.from_stdin && source.embedded.empty();
  std::string content;
  if (source.kind == SourceKind::Dashboard && !source.embedded.empty()) {
    // Dashboards inside YAML: `file` holds only the YAML's own diagnostics; each dashboard is
    // linted against its own text below (their description markers are not audited).
    r.findings = checks::lint_source(source.file, source.content, lint);
    content = std::move(source.content);
  } else {
    checks::SuppressionAuditOptions audit;
    audit.dashboard = source.kind == SourceKind::Dashboard;
    checks::AuditedLint linted = checks::lint_auditing_suppressions(
        std::move(source.file), std::move(source.content),
        [&](std::string_view text) { return load_source_as(source.kind, input.path, text, load); }, lint, audit);
    r.findings = std::move(linted.findings);
    r.notes = note_file(*lint.registry, linted.file, linted.content);
    content = std::move(linted.content);
  }
  for (const sources::EmbeddedDashboard& d : source.embedded) {
    std::vector<Finding> found = checks::lint_embedded(d.file, d.text, d.to_file, content, lint);
    r.findings.insert(r.findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return r;
}

// Job rules of .promvet.yaml, then the jobs of the Prometheus configuration (--prometheus-config,
// else prometheus_config:), whose global interval is the default unless scrape_interval is set.
bool scrape_intervals(const LintCommandOptions& o, const checks::Config& config, checks::CheckSettings* settings) {
  for (const checks::IntervalRule& r : config.scrape_intervals) {
    if (r.job.empty()) continue;
    checks::JobInterval j{r.job, true, r.seconds, nullptr};
    std::string error;
    if (!checks::compile_job_rule(&j, &error)) {
      std::cerr << "promvet: error: " << config.path << ": " << error << '\n';
      return false;
    }
    settings->job_intervals.push_back(std::move(j));
  }
  std::string path = o.prometheus_config.empty() ? config.resolve(config.prometheus_config) : o.prometheus_config;
  if (path.empty()) return true;
  checks::PrometheusIntervals prometheus;
  std::string error;
  if (!checks::load_prometheus_intervals(path, &prometheus, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  if (!config.scrape_interval_set) settings->scrape_interval_seconds = prometheus.global_seconds;
  for (checks::JobInterval& j : prometheus.jobs) settings->job_intervals.push_back(std::move(j));
  return true;
}

int run_lint(const LintCommandOptions& o) {
  if (o.list_checks) {
    std::cout << "id                                 severity summary\n";
    for (const checks::CheckInfo& c : checks::builtin_registry().catalogue(checks::kLintCommand)) {
      std::string id(c.id);
      id.resize(std::max<size_t>(id.size() + 1, 35), ' ');
      std::string severity(checks::severity_name(c.severity));
      severity.resize(9, ' ');
      std::cout << id << severity << c.summary << '\n';
    }
    return 0;
  }
  if (o.paths.empty()) {
    std::cerr << "promvet: error: lint needs at least one PATH\n";
    return 2;
  }
  if (std::string error; !check_stdin_paths(o.paths, o.stdin_filename, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  checks::Config config;
  std::string config_start = o.paths.front() == "-" && !o.stdin_filename.empty() ? o.stdin_filename : o.paths.front();
  std::string config_path = o.config.empty() ? checks::find_config(config_start).value_or("") : o.config;
  if (!config_path.empty()) {
    std::string error;
    if (!checks::load_config(config_path, &config, &error) ||
        !checks::check_config_ids(config, checks::builtin_registry(), &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return 2;
    }
  }
  // The flag beats the configuration; both beat what a file's own fields suggest.
  const sources::RulesDialect dialect =
      sources::parse_rules_dialect(o.rules_dialect.empty() ? config.rules_dialect : o.rules_dialect)
          .value_or(sources::RulesDialect::Auto);
  std::vector<SourceInput> inputs;
  bool tool_failed = !collect_source_inputs(o.paths, &inputs, o.stdin_filename);
  inputs.erase(std::remove_if(inputs.begin(), inputs.end(), [&](const SourceInput& in) { return config.excluded(in.path); }),
               inputs.end());
  const checks::Registry registry = checks::make_registry();
  checks::LintOptions lint;
  // What the server has: the configuration's features, the flags', the old alias.
  lint.settings.prometheus_features = config.prometheus_features;
  lint.settings.prometheus_features.insert(lint.settings.prometheus_features.end(), o.features.begin(), o.features.end());
  if (o.experimental) lint.settings.prometheus_features.emplace_back(promql::kFeatureExperimentalFunctions);
  lint.dashboard_suppressions = config.dashboards;
  // .promvet.yaml's dashboards: entries, audited as in-file markers are (config_suppressions.h).
  // Shown relative to the working directory, like the linted files' paths.
  std::error_code cwd_error;
  const std::filesystem::path cwd = std::filesystem::current_path(cwd_error);
  const std::string config_shown =
      cwd_error ? config.path : std::filesystem::path(config.path).lexically_proximate(cwd).string();
  std::vector<Finding> config_findings =
      checks::expire_dashboard_suppressions(&lint.dashboard_suppressions, config.path, config_shown);
  lint.registry = &registry;
  LintInventory inventory;
  if (!load_lint_inventory(o.inventory, o.policies, config, &inventory)) return 2;
  lint.policies = &inventory.policies;
  if (inventory.loaded) {
    lint.inventory = &inventory.inventory;
  }
  checks::LoadedMetadata metadata;
  if (!o.no_builtin_metadata && config.builtin_metadata) {
    if (!load_builtin_metadata(&metadata)) return 2;
    lint.metadata = &*metadata.metadata;
  }
  base::DurationResult interval = base::parse_duration(config.scrape_interval);
  if (!interval.error.empty() || interval.ms <= 0) {
    std::cerr << "promvet: error: " << (config.path.empty() ? "" : config.path + ": ")
              << "scrape_interval: not a positive duration: " << config.scrape_interval << '\n';
    return 2;
  }
  lint.settings.scrape_interval_seconds = static_cast<double>(interval.ms) / 1000.0;
  if (!scrape_intervals(o, config, &lint.settings)) return 2;
  lint.prometheus_config = !o.prometheus_config.empty() || !config.prometheus_config.empty();
  lint.settings.required_alert_labels = config.required_alert_labels;
  lint.settings.rule_policies = config.rule_policies;  // and the packs' own, through lint.policies
  std::vector<Result> results(inputs.size());
  // Files are independent: lint them in parallel, print in input order.
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(1, inputs.size())));
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < jobs; ++w) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < inputs.size(); i = next++) {
        try {
          results[i] = lint_one(inputs[i], o, lint, config, dialect);
        } catch (const std::bad_alloc&) {  // an exception must not leave a worker thread
          results[i] = Result();
          results[i].io_error = "out of memory";
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  {
    // The project-level hook (rules/duplicate: the same recorded series in two files of this run).
    for (size_t k = 0; k < registry.checks().size(); ++k) {
      const checks::Check& check = *registry.checks()[k];
      if (check.info().stage != checks::Stage::kProject) continue;
      std::vector<checks::NotedFile> noted;
      for (size_t i = 0; i < inputs.size(); ++i)
        noted.push_back({inputs[i].path, k < results[i].notes.size() ? std::move(results[i].notes[k]) : nullptr});
      std::vector<std::vector<Finding>> found = check.finish(noted);
      for (size_t i = 0; i < inputs.size() && i < found.size(); ++i)
        for (Finding& f : found[i]) results[i].findings.push_back(std::move(f));
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::stable_sort(results[i].findings.begin(), results[i].findings.end(), [](const Finding& a, const Finding& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
      });
    }
  }

  checks::Baseline baseline;
  if (!o.baseline.empty()) {
    std::string error;
    if (!checks::Baseline::load(o.baseline, &baseline, &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return 2;
    }
  }
  std::vector<Finding> findings;
  size_t skipped_in_directories = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!results[i].io_error.empty()) {
      std::cerr << "promvet: error: cannot read " << inputs[i].path << ": " << results[i].io_error << '\n';
      tool_failed = true;
    }
    if (results[i].skipped && inputs[i].named) std::cerr << skipped_note(inputs[i].path) << '\n';
    if (results[i].skipped && !inputs[i].named) ++skipped_in_directories;
  }
  {
    std::vector<Finding> unused = checks::unused_dashboard_suppressions(lint, config.path, config_shown);
    config_findings.insert(config_findings.end(), unused.begin(), unused.end());
  }
  for (size_t i = 0; i <= inputs.size(); ++i) {
    std::vector<Finding>& file_findings = i < inputs.size() ? results[i].findings : config_findings;
    for (Finding& f : file_findings) {
      if (!config.reports(f.check_id)) continue;
      auto sev = config.severity.find(f.check_id);
      if (sev != config.severity.end()) f.severity = sev->second;
      findings.push_back(std::move(f));
    }
  }
  if (skipped_in_directories > 0) std::cerr << skipped_in_directories_note(skipped_in_directories) << '\n';
  if (!o.write_baseline.empty()) {
    std::string error;
    if (!io::write_file(o.write_baseline, [&](std::ostream& out) { out << checks::Baseline::to_json(findings); },
                        &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return 2;
    }
    std::cerr << "promvet: wrote " << findings.size() << " findings to " << o.write_baseline << '\n';
    return tool_failed ? 2 : 0;
  }
  if (!o.baseline.empty()) findings = baseline.new_findings(findings);
  if (!o.changed_since.empty()) {
    std::string error;
    std::optional<std::string> since;
    if (o.changed_since != kStagedChanges) since = o.changed_since;
    if (!keep_changed_findings(&findings, o.paths.front() == "-" ? o.stdin_filename : o.paths.front(), since, &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return 2;
    }
  }
  if (o.fix) {
    std::map<std::string, SourceKind> fixable;
    for (size_t i = 0; i < inputs.size(); ++i)
      if (results[i].fixable) fixable[inputs[i].path] = results[i].kind;
    sources::LoadOptions load;
    load.rules_dialect = dialect;
    FixOutcome fixed = fix_findings(
        findings,
        [&](const std::string& path, std::string_view text) -> std::optional<sources::SourceFile> {
          auto it = fixable.find(path);
          if (it == fixable.end()) return std::nullopt;
          return load_source_as(it->second, path, text, load);
        },
        o.dry_run, std::cout);
    if (fixed.fixed_findings > 0 || o.fix_rounds_left == 4)
      std::cerr << "promvet: " << (o.dry_run ? "would fix " : "fixed ") << fixed.fixed_findings << " finding"
              << (fixed.fixed_findings == 1 ? "" : "s") << " in " << fixed.files << " file"
              << (fixed.files == 1 ? "" : "s") << '\n';
    if (!o.dry_run && fixed.fixed_findings > 0) {
      // Lint again: what is left, positioned in the files as they now are. A fix may uncover
      // another (`=~"^a"` → `=~"a"` → `="a"`): a few more rounds while fixes are made.
      LintCommandOptions again = o;
      again.fix = o.fix_rounds_left > 0;
      again.fix_rounds_left = o.fix_rounds_left - 1;
      int code = run_lint(again);
      return fixed.failed || tool_failed ? 2 : code;
    }
    std::vector<Finding> left;
    for (size_t i = 0; i < findings.size(); ++i)
      if (!fixed.fixed[i]) left.push_back(std::move(findings[i]));
    findings = std::move(left);
    if (fixed.failed) tool_failed = true;
    if (o.dry_run) {
      // Standard output holds the diff; the exit code still says what would be left.
      if (tool_failed) return 2;
      Severity threshold = checks::parse_severity(o.fail_on).value_or(Severity::kWarning);
      for (const Finding& f : findings)
        if (f.severity >= threshold) return 1;
      return 0;
    }
  }
  if (o.output == "json") {
    report::write_json(std::cout, findings);
  } else if (o.output == "sarif") {
    report::write_sarif(std::cout, findings, {PROMVET_VERSION});
  } else if (o.output == "github") {
    report::write_github(std::cout, findings);
  } else if (o.output == "checkstyle") {
    report::write_checkstyle(std::cout, findings);
  } else {
    report::write_text(std::cout, findings);
  }
  if (tool_failed) return 2;
  Severity threshold = checks::parse_severity(o.fail_on).value_or(Severity::kWarning);
  for (const Finding& f : findings)
    if (f.severity >= threshold) return 1;
  return 0;
}

}  // namespace

void add_lint_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<LintCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "lint", "Lint Grafana dashboards (JSON) and Prometheus rule files (YAML): files or directories");
  cmd->add_option("PATH", o->paths, "Files or directories (recursive: *.json, *.yml, *.yaml, *.promql); - for standard input");
  cmd->add_option("--stdin-filename", o->stdin_filename,
                  "The name of the file read from - : its kind, the path in findings, where .promvet.yaml is looked up");
  cmd->add_flag("--list-checks", o->list_checks, "List the check ids with severity and summary");
  cmd->add_option("--config", o->config, "Configuration file (default: the nearest .promvet.yaml above the first PATH)");
  cmd->add_option("--kind", o->kind, "What the files are; auto = by extension, else by content")
      ->check(CLI::IsMember({"auto", "dashboard", "rules", "queries"}))
      ->capture_default_str();
  cmd->add_option("--rules-dialect", o->rules_dialect,
                  "Which tool reads the rule files: its group fields are accepted, Loki's LogQL is not parsed as "
                  "PromQL (default: rules_dialect: in .promvet.yaml, else auto = recognised from each file's fields)")
      ->check(CLI::IsMember({"auto", "prometheus", "thanos", "mimir", "loki"}));
  cmd->add_option("--output,-o", o->output, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "checkstyle"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", o->fail_on, "Exit 1 when a finding has at least this severity")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->capture_default_str();
  cmd->add_flag("--enable-experimental-functions", o->experimental,
                "Accept Prometheus' experimental functions and aggregations (= --enable-feature="
                "promql-experimental-functions)");
  add_feature_flag(cmd, &o->features);
  cmd->add_option("--jobs,-j", o->jobs, "Files linted in parallel (default: one per core)");
  cmd->add_option("--baseline", o->baseline, "Report only findings not in this baseline file");
  cmd->add_option("--write-baseline", o->write_baseline, "Write all current findings to FILE as the baseline, exit 0");
  cmd->add_option("--inventory", o->inventory,
                  "Metric inventory for the inventory/* checks and metric types: a promvet inventory .json, or a "
                  "/metrics file or URL (default: inventory: in .promvet.yaml)");
  cmd->add_flag("--no-builtin-metadata", o->no_builtin_metadata,
                "Do not take metric types from the bundled exporter metadata (default: on; builtin_metadata: in "
                ".promvet.yaml; see promvet metadata)");
  cmd->add_option("--prometheus-config", o->prometheus_config,
                  "Prometheus configuration whose global and per-job scrape_interval promql/range-too-short uses "
                  "(default: prometheus_config: in .promvet.yaml)");
  cmd->add_option("--policy", o->policies, "Naming-policy pack: policy/deprecated-metric and the renames inventory/unknown-metric suggests (repeatable)")
      ->allow_extra_args(false);
  // A flag, so that `--changed-since FILE...` (a pre-commit hook's arguments) keeps FILE a path;
  // the revision comes with `=`.
  cmd->add_flag(std::string("--changed-since{") + kStagedChanges + "}", o->changed_since,
                "=REF: report only findings on lines changed since REF (git; untracked files count as changed); "
                "without =REF, the staged changes (a pre-commit hook). Every file is still read for context");
  cmd->add_flag("--fix", o->fix,
                "Apply the fixes that cannot change what a query means (see docs/lint.md), editing only those "
                "bytes of each file; then report what is left");
  cmd->add_flag("--dry-run", o->dry_run, "With --fix: print the fixes as a unified diff, change no file");
  cmd->callback([o, exit_code]() {
    if (o->dry_run && !o->fix) {
      std::cerr << "promvet: error: --dry-run needs --fix\n";
      *exit_code = 2;
      return;
    }
    *exit_code = run_lint(*o);
  });
}

}  // namespace promvet::cli
