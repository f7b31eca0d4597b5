#pragma once
// Applying the edits of `promvet lint --fix` (checks/fix_edit.h) to one file, and proving the
// result before it is written: the file reloaded from the new bytes must have the same
// diagnostics and the same expressions, each with exactly the edited text.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.h"
#include "sources/source.h"

namespace promvet::checks {

struct FixPlan {
  std::vector<size_t> findings;  // indices (into what plan_fixes was given) of the findings fixed
  std::vector<FixEdit> edits;    // sorted by position, disjoint, no duplicates
};

// The edits of one file's findings that can go together: a finding whose edits overlap another
// one's (other than the same edit twice, as two checks may suggest) is left out whole.
FixPlan plan_fixes(const std::vector<const Finding*>& findings);

// `content` with `edits` (sorted, disjoint) applied; empty when an edit's old text is not there.
bool apply_edits(std::string_view content, const std::vector<FixEdit>& edits, std::string* out);

// Whether `after` (loaded from the edited bytes) is `before` with exactly `edits` made inside its
// expressions: same diagnostics (by id), same expressions, each one's text edited as planned.
// Otherwise false with the reason.
bool verify_fixed(const sources::SourceFile& before, const sources::SourceFile& after,
                  const std::vector<FixEdit>& edits, std::string* why);

// A loader error that leaves the file unfit for editing (invalid JSON or YAML, too deep, ...).
bool has_parse_error(const sources::SourceFile& file);

}  // namespace promvet::checks
