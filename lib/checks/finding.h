// The one finding type every producer fills the same way (exposition
// validation and lints today; PromQL, dashboard and rule checks later) and
// every reporter in lib/report prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/severity.h"

namespace promvet::checks {

// The project's one severity type (base/severity.h), named here too because every check,
// policy and reporter speaks of it.
using base::parse_severity;
using base::Severity;
using base::severity_name;

// A secondary position a finding refers to ("first defined here").
struct FindingNote {
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

// A byte-exact edit of the user's file that fixes a finding without changing what the query means
// (checks/fix_edit.h): file bytes [begin, end), which hold `old_text`, become `new_text`.
struct FixEdit {
  std::uint32_t begin = 0, end = 0;
  std::string old_text, new_text;
};

struct Finding {
  std::string check_id;  // "<family>/<kebab-name>", e.g. "expfmt/no-help"
  Severity severity = Severity::kWarning;
  std::string message;     // lowercase, no trailing period
  std::string file;        // as given by the user; "-" for stdin, or a URL
  std::uint64_t line = 0;  // 1-based; 0 when the finding has no position
  std::uint32_t column = 0;
  std::string metric;       // metric or family the finding is about, may be ""
  std::string source_line;  // the offending line, for the caret display
  // Where the offending text ends (0 when unknown), and, for PromQL found in dashboards and
  // rule files, the expression and where it lives.
  std::uint64_t end_line = 0;
  std::uint32_t end_column = 0;
  std::string expr;
  std::string dashboard;  // dashboard title (or uid)
  std::string panel;      // panel title, or the rule's record/alert name
  // Replacement text for [line:column, end_line:end_column) that fixes the finding, if one is
  // certain enough to suggest.
  std::string suggestion;
  std::vector<FixEdit> fix;  // set when `promvet lint --fix` may apply the suggestion
  std::vector<FindingNote> notes;
};

}  // namespace promvet::checks
