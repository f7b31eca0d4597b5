#include "checks/config_suppressions.h"

#include <fstream>

#include "checks/registry.h"
#include "checks/suppression_audit.h"
#include "checks/suppression_markers.h"

namespace promvet::checks {
namespace {

Finding at(const std::string& file, uint32_t line, uint32_t column, const char* id, Severity severity,
           std::string message) {
  Finding f;
  f.check_id = id;
  f.severity = severity;
  f.message = std::move(message);
  f.file = file;
  f.line = line;
  f.column = column;
  return f;
}

// Each finding's line of the configuration file, for the caret display.
void add_source_lines(const std::string& config_path, std::vector<Finding>* findings) {
  if (findings->empty()) return;
  std::ifstream in(config_path);
  std::vector<std::string> lines;
  for (std::string line; lines.size() < 100000 && std::getline(in, line);) lines.push_back(line);
  for (Finding& f : *findings)
    if (f.line >= 1 && f.line <= lines.size()) f.source_line = lines[f.line - 1];
}

std::string described(const DashboardSuppression& s) {
  std::string where = s.uid.empty() ? "every dashboard" : "dashboard " + quote(s.uid);
  if (s.panel_id >= 0) where += ", panel " + std::to_string(s.panel_id);
  if (!s.panel_title.empty()) where += ", panel " + quote(s.panel_title);
  return where;
}

}  // namespace

std::vector<Finding> expire_dashboard_suppressions(std::vector<DashboardSuppression>* entries,
                                                   const std::string& config_path, const std::string& shown_as,
                                                   const std::string& today) {
  const std::string now = today.empty() ? utc_today() : today;
  std::vector<Finding> out;
  std::vector<DashboardSuppression> kept;
  for (DashboardSuppression& s : *entries) {
    if (s.until.empty() || (valid_date(s.until) && s.until >= now)) {
      kept.push_back(std::move(s));
      continue;
    }
    std::string ids;
    for (const std::string& id : s.checks) ids += (ids.empty() ? "" : ", ") + id;
    out.push_back(at(config_path, s.until_line, s.until_column, kExpiredSuppression, Severity::kWarning,
                     valid_date(s.until) ? "the suppression of " + ids + " for " + described(s) + " expired on " +
                                               s.until + " and no longer applies"
                                         : "until: " + s.until + " is not a date (YYYY-MM-DD); the suppression of " +
                                               ids + " for " + described(s) + " does not apply"));
  }
  *entries = std::move(kept);
  add_source_lines(config_path, &out);
  for (Finding& f : out) f.file = shown_as;
  return out;
}

std::vector<Finding> unused_dashboard_suppressions(const LintOptions& options, const std::string& config_path,
                                                   const std::string& shown_as) {
  std::vector<Finding> out;
  for (const DashboardSuppression& s : options.dashboard_suppressions) {
    if (!s.use || !s.use->seen) continue;
    for (size_t i = 0; i < s.checks.size() && i < s.check_positions.size(); ++i) {
      if (s.use->used[i] || !judgeable_suppression(s.checks[i], options)) continue;
      const CheckInfo* info = builtin_registry().info(s.checks[i]);
      bool known = info && (info->commands & kLintCommand);
      out.push_back(at(config_path, s.check_positions[i].first, s.check_positions[i].second, kUnusedSuppression,
                       Severity::kInfo,
                       "the suppression of " + s.checks[i] + " for " + described(s) + " suppresses nothing" +
                           (known ? "" : " (no lint check has this id)")));
    }
  }
  add_source_lines(config_path, &out);
  for (Finding& f : out) f.file = shown_as;
  return out;
}

}  // namespace promvet::checks
