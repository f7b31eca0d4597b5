#pragma once
// Every check id `promvet lint` can report, with its default severity and a one-line summary
// (printed by `promvet lint --list-checks`; each has docs/checks/<id>.md).
#include <string_view>
#include <vector>

#include "checks/finding.h"

namespace promvet::checks {

struct LintCheckInfo {
  std::string_view id;
  Severity severity;
  std::string_view summary;
};

const std::vector<LintCheckInfo>& lint_catalogue();

}  // namespace promvet::checks
