#pragma once
// The `dashboards:` suppressions of .promvet.yaml get the audit the in-file markers get
// (suppression_audit.h): an entry past its `until:` date stops suppressing and is reported
// (source/expired-suppression, also for an `until` that is not a date), and an id that
// suppressed nothing in a dashboard the run linted is reported (source/unused-suppression, info).
// Findings are placed in the configuration file.
#include <string>
#include <vector>

#include "checks/config.h"
#include "checks/finding.h"
#include "checks/lint_source.h"

namespace promvet::checks {

// Removes the expired entries from `entries` and returns a finding for each. `config_path` is
// read for the findings' source lines, `shown_as` is the findings' file name. `today` is
// YYYY-MM-DD, "" for today in UTC.
std::vector<Finding> expire_dashboard_suppressions(std::vector<DashboardSuppression>* entries,
                                                   const std::string& config_path, const std::string& shown_as,
                                                   const std::string& today = "");

// After a lint with `options` (whose dashboard_suppressions are the entries): each id of an
// entry whose dashboard was linted and that suppressed nothing. An entry whose dashboard was not
// part of the run (a pre-commit run over other files) is not judged.
std::vector<Finding> unused_dashboard_suppressions(const LintOptions& options, const std::string& config_path,
                                                   const std::string& shown_as);

}  // namespace promvet::checks
