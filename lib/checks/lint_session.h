#pragma once
// The lint session: what `promvet lint` does between reading its flags and printing. From a
// project's configuration (.promvet.yaml and the flags that override it) it sets up the checks'
// settings; it lints the files in parallel (each with its suppression audit, embedded dashboards
// linted against their own text), runs the project-level checks' finish() over all of them,
// applies the configuration's enable/disable/severity and the baseline.
//
//   LintOptions options;                   // registry, inventory, policies, metadata: the caller's
//   if (!configure_lint(config, flags, &options, &error)) ...
//   SessionResult r = run_session(inputs, loader, config, options, {jobs, baseline});
//   for (const FileOutcome& f : r.files) ...  // io errors, skipped files
//   print(r.findings);
//
// Finding, walking and reading files (kinds, stdin, Kubernetes manifests) is the caller's: it
// hands a loader. Thread-safe as long as the loader is.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "checks/config.h"
#include "checks/finding.h"
#include "checks/lint_source.h"
#include "sources/source.h"
#include "sources/yaml_dashboards.h"

namespace promvet::checks {

class Baseline;

// What the command line adds to (or overrides in) the configuration.
struct SessionFlags {
  std::vector<std::string> features;    // --enable-feature: the server's feature flags
  bool experimental_functions = false;  // the old alias of promql-experimental-functions
  std::string prometheus_config;        // --prometheus-config; empty: prometheus_config: of the config
};

// Fills options->settings (scrape intervals from the configuration and the Prometheus
// configuration, required alert labels, rule policies, feature flags), the dashboard suppressions
// and prometheus_config. False with the error ("path: message"). The expired `dashboards:`
// entries of the configuration are left out, each a finding in *config_findings (hand them to
// SessionOptions::config_findings).
bool configure_lint(const Config& config, const SessionFlags& flags, LintOptions* options, std::string* error,
                    std::vector<Finding>* config_findings = nullptr);

// One input of the session.
struct SessionInput {
  std::string path;         // as the user gave it (or found it in a directory)
  bool named = false;       // given on the command line
  bool from_stdin = false;  // read from standard input
  int tag = 0;              // the caller's, handed back to its loader (the kind its walk decided)
};

// What the caller's loader read of one input.
struct LoadedInput {
  sources::SourceFile file;
  std::string content;
  std::string io_error;    // the file could not be read
  uint64_t too_large = 0;  // its size, when refused before reading (more than LoadOptions::max_bytes)
  bool skipped = false;    // not a file to lint (a YAML file without rule groups or dashboards)
  bool dashboard = false;  // suppression markers live in JSON "description" strings, not in `#` comments
  // Dashboards inside the (YAML) file: each is linted against its own text; `file` then holds the
  // YAML file's own diagnostics only.
  std::vector<sources::EmbeddedDashboard> embedded;
  int tag = 0;  // the loader's, handed back in FileOutcome (how it read the file)
  // Loads other content the same way (the suppression audit reloads with markers switched off).
  std::function<sources::SourceFile(std::string_view content)> reload;
};

using InputLoader = std::function<LoadedInput(const SessionInput& input, const sources::LoadOptions& load)>;

struct SessionOptions {
  unsigned jobs = 0;                     // files linted in parallel; 0: one per core
  sources::LoadOptions load;             // limits and the rules dialect
  const Baseline* baseline = nullptr;    // report only findings not in it
  std::vector<Finding> config_findings;  // configure_lint's, reported with the unused dashboards: entries
};

struct FileOutcome {
  std::string io_error;  // could not be read (the run fails)
  bool skipped = false;  // not linted (a YAML file that is no rule file)
  bool fixable = false;  // its findings point into its own bytes (not stdin, no embedded dashboards)
  int tag = 0;           // LoadedInput::tag
};

struct SessionResult {
  std::vector<FileOutcome> files;  // per input, in input order
  std::vector<Finding> findings;   // in input order, each file's by position; config and baseline applied
};

SessionResult run_session(const std::vector<SessionInput>& inputs, const InputLoader& load, const Config& config,
                          const LintOptions& options, const SessionOptions& session);

}  // namespace promvet::checks
