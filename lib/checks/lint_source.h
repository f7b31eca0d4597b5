#pragma once
// Lints what lib/sources extracted from a dashboard or rule file: the file's own diagnostics and
// every PromQL expression (parse and type check), as findings positioned in the user's file.
#include <memory>
#include <string_view>
#include <vector>

#include "checks/check.h"
#include "checks/config.h"
#include "checks/finding.h"
#include "sources/source.h"

namespace promvet::checks {

class Registry;
class TypeSource;

struct LintOptions {
  // Unused by lint_source (gated syntax always parses, promql/feature-flag reports it against
  // settings.prometheus_features); kept so callers that set it still build.
  bool enable_experimental_functions = false;
  std::vector<DashboardSuppression> dashboard_suppressions;  // from .promvet.yaml
  CheckSettings settings;
  const Registry* registry = nullptr;  // checks to run on parsed expressions; null: none
  // Metric types known beyond the file (TYPE from an inventory or the metadata API); may be
  // null. When null and `inventory` is set, types come from the inventory.
  const TypeSource* types = nullptr;
  // The bundled metadata of widely deployed exporters (BuiltinMetadata), for types only: it
  // answers after `types`/`inventory` and before the file's own usage. Null: not used.
  const TypeSource* metadata = nullptr;
  // What exists: metric families, labels, values (the inventory/* checks); may be null.
  const inventory::Inventory* inventory = nullptr;
  // Naming-policy packs, for renames of deprecated metrics (inventory/unknown-metric); may be null.
  const std::vector<naming::Policy>* policies = nullptr;
  bool prometheus_config = false;  // a Prometheus configuration was read (kNeedsPrometheusConfig)
  // Threads that parse one file's expressions and run its checks (1: the calling thread alone),
  // for big files (fewer files than cores). Findings and their order do not depend on it.
  unsigned parse_threads = 1;
  // For test harnesses: every report of every check is also passed to this reporter as the check
  // made it (begin_check() before each check's reports on an expression or file; ranges not yet
  // clamped, suppressed ones included), so one lint_source run can both collect findings and
  // check what the checks reported. Called on the driver's threads when parse_threads > 1.
  Reporter* observer = nullptr;
};

// `content` is the file the SourceFile was loaded from (for line:col and the caret line).
std::vector<Finding> lint_source(const sources::SourceFile& source, std::string_view content,
                                 const LintOptions& options = {});

// The driver under lint_source: parses every expression of `source` once (but LogQL) and runs
// each check of options.registry whose needs (CheckInfo::needs) the file and options meet, kParse
// checks first, reporting to `out` (begin_check() before each). Without a registry only
// promql/invalid runs. The loaders' diagnostics are not reported here. The checks run one after
// the other on the calling thread (lint_source runs them on options.parse_threads, expression by
// expression, and orders the findings as this order would).
void run_checks(const sources::SourceFile& source, std::string_view content, const LintOptions& options, Reporter& out);

struct ParsedExpressions;

// A file's expressions parsed once (but LogQL ones), for linting the same file more than once
// (the fuzz harnesses lint every input plain and with an inventory, and an embedded dashboard
// both in its own text and placed in the YAML file). lint_source and lint_embedded are
// ParsedSource(source, options.parse_threads).lint(...) and .lint_embedded(...); `source` must
// outlive this.
class ParsedSource {
 public:
  explicit ParsedSource(const sources::SourceFile& source, unsigned parse_threads = 1);
  ~ParsedSource();
  ParsedSource(const ParsedSource&) = delete;
  ParsedSource& operator=(const ParsedSource&) = delete;

  // What lint_source(source, content, options) returns.
  std::vector<Finding> lint(std::string_view content, const LintOptions& options) const;
  // What lint_embedded(source, text, to_file, file_content, options) returns.
  std::vector<Finding> lint_embedded(std::string_view text, const sources::OffsetMap& to_file,
                                     std::string_view file_content, const LintOptions& options) const;

 private:
  const sources::SourceFile& source_;
  std::unique_ptr<const ParsedExpressions> parsed_;
};

// A document embedded in a string of the user's file (a dashboard in a Kubernetes ConfigMap):
// `source` was loaded from `text` (its offsets and the checks are about `text`); `to_file` maps
// every offset of `text` to `file_content`, where findings are placed.
std::vector<Finding> lint_embedded(const sources::SourceFile& source, std::string_view text,
                                   const sources::OffsetMap& to_file, std::string_view file_content,
                                   const LintOptions& options = {});

}  // namespace promvet::checks
