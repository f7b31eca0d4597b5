#pragma once
// From a check's suggested replacement to something promvet may offer or apply.
//
// A suggestion replaces text[r.begin, r.end) of an expression. Before it is offered at all, the
// expression with the replacement in place must parse and type-check (suggestion_parses): advice
// Prometheus would reject is worse than none. Before `promvet lint --fix` may apply it, two more
// things must hold:
//   - the edit cannot change what the query means (equivalent_fix: a table of the replacements
//     known to be equivalent, by check), and
//   - the changed characters are the very bytes of the user's file (exact_file_edit): no JSON
//     escape, YAML folding or Grafana variable between them, and the new text needs no escaping
//     in any string or scalar style. Anything else is skipped, never guessed.
#include <optional>
#include <string_view>
#include <vector>

#include "checks/finding.h"
#include "promql/ast.h"
#include "sources/source.h"

namespace promvet::checks {

// Whether the expression's text with text[r) replaced by `suggestion` parses (every feature-gated
// syntax allowed, as lint parses) and type-checks. `expression_parses`: e.text itself is known to
// parse so (lint parsed it); then a bracketed duration replaced by another valid one is known to
// parse too, without parsing the whole expression again.
bool suggestion_parses(const sources::Expression& e, promql::Range r, std::string_view suggestion,
                       bool expression_parses = false);

// Whether replacing `old_text` by `new_text` (both expression text) in a finding of `check_id`
// keeps the query's meaning: `=~"a"` → `="a"`, a regex's redundant `^`/`$`, and a dashboard's fixed
// range → `[$__rate_interval]` (the range Grafana computes for rate(), issue 22).
bool equivalent_fix(std::string_view check_id, const sources::Expression& e, std::string_view old_text,
                    std::string_view new_text);

// The edits of `content` (the file `e` was loaded from) that replace text[r) by `replacement`,
// reduced to the characters that differ (`"^x$"` → `"x"` is two deletions); empty when those
// cannot be mapped exactly.
std::vector<FixEdit> exact_file_edits(const sources::Expression& e, promql::Range r, std::string_view replacement,
                                      std::string_view content);

}  // namespace promvet::checks
