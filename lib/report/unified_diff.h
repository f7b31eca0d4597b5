#pragma once
// A unified diff (`diff -u` format, 3 lines of context) of a file and the same file with byte
// edits applied, written from the edits themselves: only the lines they touch differ.
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.h"

namespace promvet::report {

// `edits` sorted by position and disjoint, each one's old_text at its place in `content`.
// "--- a/PATH\n+++ b/PATH\n@@ ... @@\n..." ; empty when there is no edit.
std::string unified_diff(const std::string& path, std::string_view content, const std::vector<checks::FixEdit>& edits);

}  // namespace promvet::report
