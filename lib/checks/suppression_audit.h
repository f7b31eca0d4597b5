// Suppressions that expire and suppressions that suppress nothing.
//
// lint_auditing_suppressions() lints a file like lint_source() and also:
//   - drops findings a `# promvet: disable-next-line=<id>` names on the next line that is not blank
//     or a comment;
//   - makes a marker whose `until=YYYY-MM-DD` is past (UTC; the date itself still counts) stop
//     suppressing, and reports it: source/expired-suppression (warning), also for an until= that
//     is not a date;
//   - reports each id of a marker that suppresses nothing on its own: source/unused-suppression
//     (info).
// Markers are switched off by overwriting their id bytes (same length, so every position stays
// where it was) and the file is loaded again: what a marker suppresses is measured, not guessed
// from the loaders' scoping rules. A file without "promvet:" costs nothing extra; otherwise one
// extra load and lint, plus one per id shared by several markers (at most kMaxAuditLints; ids
// beyond that are taken as used, never reported).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.h"
#include "checks/lint_source.h"
#include "sources/source.h"

namespace promvet::checks {

inline constexpr const char* kExpiredSuppression = "source/expired-suppression";
inline constexpr const char* kUnusedSuppression = "source/unused-suppression";
inline constexpr int kMaxAuditLints = 32;

// Loads `content` the way the file was loaded (same kind, path and limits).
using SourceLoader = std::function<sources::SourceFile(std::string_view content)>;

struct AuditedLint {
  std::vector<Finding> findings;
  sources::SourceFile file;  // loaded without the expired markers (for cross-file checks)
  std::string content;       // what `file` was loaded from
};

struct SuppressionAuditOptions {
  bool dashboard = false;  // markers live in JSON "description" strings, else in `#` comments
  std::string today;       // YYYY-MM-DD; "" for today in UTC
};

// Whether one run can tell that a suppression of `id` is unused: not for findings that need
// other files (rules/duplicate) or data the run was not given (an inventory, policy packs).
bool judgeable_suppression(const std::string& id, const LintOptions& options);

AuditedLint lint_auditing_suppressions(sources::SourceFile file, std::string content, const SourceLoader& load,
                                       const LintOptions& options, const SuppressionAuditOptions& audit = {});

}  // namespace promvet::checks
