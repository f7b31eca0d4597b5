// The `promvet lint` glue of issue 22's workflow flags: --changed-since (report only findings on
// changed lines) and --fix / --fix --dry-run (apply or show the edits that keep a query's meaning).
#pragma once
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.h"
#include "sources/source.h"

namespace promvet::cli {

// Keeps the findings on lines changed since `ref` (without one: the staged changes) in the git
// repository that holds `where` (a linted path). False with *error when git cannot say.
bool keep_changed_findings(std::vector<checks::Finding>* findings, const std::string& where,
                           const std::optional<std::string>& ref, std::string* error);

struct FixOutcome {
  std::vector<bool> fixed;  // per finding given
  size_t fixed_findings = 0, files = 0;
  bool failed = false;  // a file could not be read or written (said on stderr)
};

// Loads a file's content as the lint run did (its kind); nullopt for a file that must not be
// edited (standard input, a document embedded in another).
using FixLoader = std::function<std::optional<sources::SourceFile>(const std::string& path, std::string_view content)>;

// Applies the fixable findings' edits file by file, each file only when reloading the edited
// bytes proves the edits (checks/fix_apply.h); with dry_run writes a unified diff to `diff`
// instead of the files.
FixOutcome fix_findings(const std::vector<checks::Finding>& findings, const FixLoader& load, bool dry_run,
                        std::ostream& diff);

}  // namespace promvet::cli
