#pragma once
// Shared by the lint_*_fuzz targets: the full check registry, a small inventory and the vLLM
// policy pack (built once), and the invariants every finding of lint_source must satisfy.
#include <string_view>
#include <vector>

#include "checks/finding.h"
#include "checks/lint_source.h"
#include "sources/source.h"

namespace promvet::fuzz {

// Options with the full registry; `with_inventory`: plus the fixed inventory and policy packs.
const checks::LintOptions& lint_options(bool with_inventory);

// Aborts (with a description on stderr) when a finding breaks an invariant:
//  - its check id is in the lint catalogue (registered checks + source diagnostics);
//  - line >= 1 and column >= 1 (line 1 column 1 for an empty file);
//  - line:column is a position inside the file (at most one past its last byte);
//  - an end position, when given, is inside the file and not before the start;
//  - message is non-empty.
void check_findings(const std::vector<checks::Finding>& findings, std::string_view content, const char* what);

// Every expression's offset map has text.size() + 1 entries, all inside the file; every source
// diagnostic lies inside the file; then lint_source with both option sets, checking the
// invariants each time, the run with the inventory also handing every report to a strict
// reporter: the ranges checks report (before lint_source clamps them into the file) lie inside
// the expression text or the file with begin <= end, and name an expression of this file.
// The expressions are parsed once for both runs (checks::ParsedSource: lint_source is
// ParsedSource(file).lint(...)); the first form reuses `parsed`, made from `file`.
void lint_and_check(const sources::SourceFile& file, std::string_view content);
void lint_and_check(const checks::ParsedSource& parsed, const sources::SourceFile& file, std::string_view content);

}  // namespace promvet::fuzz
