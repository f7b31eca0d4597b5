#pragma once
// Lints what lib/sources extracted from a dashboard or rule file: the file's own diagnostics and
// every PromQL expression (parse and type check), as findings positioned in the user's file.
#include <string_view>
#include <vector>

#include "checks/config.h"
#include "checks/finding.h"
#include "sources/source.h"

namespace promvet::checks {

struct LintOptions {
  bool enable_experimental_functions = false;
  std::vector<DashboardSuppression> dashboard_suppressions;  // from .promvet.yaml
};

// `content` is the file the SourceFile was loaded from (for line:col and the caret line).
std::vector<Finding> lint_source(const sources::SourceFile& source, std::string_view content,
                                 const LintOptions& options = {});

}  // namespace promvet::checks
