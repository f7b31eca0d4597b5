#include "lint_command.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/baseline.h"
#include "checks/config.h"
#include "checks/finding.h"
#include "checks/lint_session.h"
#include "checks/registry.h"
#include "report/report.h"
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

// Reads one input the way `promvet lint` does (kind by flag, extension or content; dashboards in
// Kubernetes manifests), for the library's lint session.
checks::InputLoader input_loader(const std::string& kind_flag) {
  return [kind_flag](const checks::SessionInput& in, const sources::LoadOptions& load) {
    SourceInput input{in.path, static_cast<SourceKind>(in.tag), in.named, in.from_stdin};
    LoadedSource source = load_source_input(input, kind_flag, load);
    checks::LoadedInput out;
    out.file = std::move(source.file);
    out.content = std::move(source.content);
    out.io_error = std::move(source.io_error);
    out.too_large = source.too_large;
    out.skipped = source.skipped;
    out.dashboard = source.kind == SourceKind::Dashboard;
    out.embedded = std::move(source.embedded);
    out.tag = static_cast<int>(source.kind);  // how it was read, for --fix to reload it
    out.reload = [kind = source.kind, path = in.path, load](std::string_view text) {
      return load_source_as(kind, path, text, load);
    };
    return out;
  };
}

int run_lint(const LintCommandOptions& o);

int list_checks() {
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

// --config, else the nearest .promvet.yaml above the first path (the stdin file's name for -);
// false after saying why it cannot be used.
bool read_config(const LintCommandOptions& o, checks::Config* config) {
  std::string config_start = o.paths.front() == "-" && !o.stdin_filename.empty() ? o.stdin_filename : o.paths.front();
  std::string config_path = o.config.empty() ? checks::find_config(config_start).value_or("") : o.config;
  if (config_path.empty()) return true;
  std::string error;
  if (!checks::load_config(config_path, config, &error) ||
      !checks::check_config_ids(*config, checks::builtin_registry(), &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  return true;
}

// What the lint session reads besides the files; `lint` and `session` point into the rest, so a
// Setup stays where it was made.
struct Setup {
  LintInventory inventory;
  checks::LoadedMetadata metadata;
  checks::Baseline baseline;
  checks::LintOptions lint;
  checks::SessionOptions session;
};

// The inventory, policies, bundled metadata, feature flags and baseline; false (said) on failure.
bool prepare(const LintCommandOptions& o, const checks::Config& config, sources::RulesDialect dialect, Setup& s) {
  s.lint.registry = &checks::builtin_registry();
  if (!load_lint_inventory(o.inventory, o.policies, config, &s.inventory)) return false;
  s.lint.policies = &s.inventory.policies;
  if (s.inventory.loaded) {
    s.lint.inventory = &s.inventory.inventory;
  }
  if (!o.no_builtin_metadata && config.builtin_metadata) {
    if (!load_builtin_metadata(&s.metadata)) return false;
    s.lint.metadata = &*s.metadata.metadata;
  }
  if (std::string error; !checks::configure_lint(config, {o.features, o.experimental, o.prometheus_config}, &s.lint,
                                                 &error, &s.session.config_findings)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  if (!o.baseline.empty()) {
    std::string error;
    if (!checks::Baseline::load(o.baseline, &s.baseline, &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return false;
    }
  }
  s.session.jobs = o.jobs;
  s.session.load.rules_dialect = dialect;
  // --write-baseline records every finding, the baseline's too.
  if (!o.baseline.empty() && o.write_baseline.empty()) s.session.baseline = &s.baseline;
  return true;
}

// Says which inputs could not be read or were skipped; true when one could not be read.
bool report_inputs(const std::vector<SourceInput>& inputs, const checks::SessionResult& result) {
  bool io_failed = false;
  size_t skipped_in_directories = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const checks::FileOutcome& file = result.files[i];
    if (!file.io_error.empty()) {
      std::cerr << "promvet: error: cannot read " << inputs[i].path << ": " << file.io_error << '\n';
      io_failed = true;
    }
    if (file.skipped && inputs[i].named) std::cerr << skipped_note(inputs[i].path) << '\n';
    if (file.skipped && !inputs[i].named) ++skipped_in_directories;
  }
  if (skipped_in_directories > 0) std::cerr << skipped_in_directories_note(skipped_in_directories) << '\n';
  return io_failed;
}

int write_baseline(const LintCommandOptions& o, const std::vector<Finding>& findings, bool tool_failed) {
  std::string error;
  if (!io::write_file(
          o.write_baseline, [&](std::ostream& out) { out << checks::Baseline::to_json(findings); }, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  std::cerr << "promvet: wrote " << findings.size() << " findings to " << o.write_baseline << '\n';
  return tool_failed ? 2 : 0;
}

// 2 when the tool failed, else 1 when a finding is at or above --fail-on, else 0.
int exit_code(const LintCommandOptions& o, const std::vector<Finding>& findings, bool tool_failed) {
  if (tool_failed) return 2;
  Severity threshold = checks::parse_severity(o.fail_on).value_or(Severity::kWarning);
  for (const Finding& f : findings)
    if (f.severity >= threshold) return 1;
  return 0;
}

// --fix and --fix --dry-run. Returns the exit code when linting is over (fixes were written and
// the files linted again, or a dry run printed its diff); else removes the fixed findings and
// returns nothing, for the caller to report what is left.
std::optional<int> apply_fixes(const LintCommandOptions& o, const std::vector<SourceInput>& inputs,
                               const checks::SessionResult& result, sources::RulesDialect dialect,
                               std::vector<Finding>& findings, bool& tool_failed) {
  std::map<std::string, SourceKind> fixable;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (result.files[i].fixable) fixable[inputs[i].path] = static_cast<SourceKind>(result.files[i].tag);
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
  // Standard output holds the diff; the exit code still says what would be left.
  if (o.dry_run) return exit_code(o, findings, tool_failed);
  return std::nullopt;
}

void write_report(const std::string& output, const std::vector<Finding>& findings) {
  if (output == "json") {
    report::write_json(std::cout, findings);
  } else if (output == "sarif") {
    report::write_sarif(std::cout, findings, {PROMVET_VERSION});
  } else if (output == "github") {
    report::write_github(std::cout, findings);
  } else if (output == "checkstyle") {
    report::write_checkstyle(std::cout, findings);
  } else {
    report::write_text(std::cout, findings);
  }
}

int run_lint(const LintCommandOptions& o) {
  if (o.list_checks) return list_checks();
  if (o.paths.empty()) {
    std::cerr << "promvet: error: lint needs at least one PATH\n";
    return 2;
  }
  if (std::string error; !check_stdin_paths(o.paths, o.stdin_filename, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  checks::Config config;
  if (!read_config(o, &config)) return 2;
  // The flag beats the configuration; both beat what a file's own fields suggest.
  const sources::RulesDialect dialect =
      sources::parse_rules_dialect(o.rules_dialect.empty() ? config.rules_dialect : o.rules_dialect)
          .value_or(sources::RulesDialect::Auto);
  std::vector<SourceInput> inputs;
  bool tool_failed = !collect_source_inputs(o.paths, &inputs, o.stdin_filename);
  inputs.erase(
      std::remove_if(inputs.begin(), inputs.end(), [&](const SourceInput& in) { return config.excluded(in.path); }),
      inputs.end());
  Setup setup;
  if (!prepare(o, config, dialect, setup)) return 2;
  std::vector<checks::SessionInput> session_inputs;
  for (const SourceInput& in : inputs)
    session_inputs.push_back({in.path, in.named, in.from_stdin, static_cast<int>(in.kind)});
  checks::SessionResult result =
      checks::run_session(session_inputs, input_loader(o.kind), config, setup.lint, setup.session);
  std::vector<Finding>& findings = result.findings;
  if (report_inputs(inputs, result)) tool_failed = true;
  if (!o.write_baseline.empty()) return write_baseline(o, findings, tool_failed);
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
    if (std::optional<int> code = apply_fixes(o, inputs, result, dialect, findings, tool_failed)) return *code;
  }
  write_report(o.output, findings);
  return exit_code(o, findings, tool_failed);
}

}  // namespace

void add_lint_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<LintCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "lint", "Lint Grafana dashboards (JSON) and Prometheus rule files (YAML): files or directories");
  cmd->add_option("PATH", o->paths,
                  "Files or directories (recursive: *.json, *.yml, *.yaml, *.promql); - for standard input");
  cmd->add_option(
      "--stdin-filename", o->stdin_filename,
      "The name of the file read from - : its kind, the path in findings, where .promvet.yaml is looked up");
  cmd->add_flag("--list-checks", o->list_checks, "List the check ids with severity and summary");
  cmd->add_option("--config", o->config,
                  "Configuration file (default: the nearest .promvet.yaml above the first PATH)");
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
  cmd->add_option(
         "--policy", o->policies,
         "Naming-policy pack: policy/deprecated-metric and the renames inventory/unknown-metric suggests (repeatable)")
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
