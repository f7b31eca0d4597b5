// The one expectation syntax of every fixture harness (testdata/checks/<family>/<id>/: lint
// fixtures in tests/checks_fixtures_test.cpp, exposition fixtures in
// tests/expfmt_lint_fixtures_test.cpp), after clang-tidy's CHECK-MESSAGES and RUN lines:
//
//   # fixture: checks=rules/duplicate-group,source/* max_bytes=100 today=2026-01-01 max_label_values=3
//       The header (anywhere in the file, or in the sidecar): only findings of the named ids or
//       families are compared (a new check does not break its neighbours' fixtures); the other
//       keys set harness options (load limit, the suppression audit's date, a linter option).
//   # expect: <id> [severity] <message substring>
//       binds to the next line that is not a free comment; `# expect+N:` binds N lines below;
//       `# expect@C:` / `# expect+N@C:` also require column C; `[info]`, `[warning]` or
//       `[error]` right after the id also requires that severity.
//   Files without comments (JSON dashboards, OpenMetrics): a sidecar `<file>.expect` with
//       `<line>:<col> <id> [severity] <message substring>` per line (and `# fixture:`).
// A finding without an expectation fails as much as an expectation without a finding, so a
// fixture without expectations asserts silence.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace promvet::test {

struct Expectation {
  std::uint64_t line = 0;
  std::uint32_t column = 0;  // 0: any
  std::string id, substring;
  std::string severity;  // "info", "warning", "error", or empty: any
  std::string where;     // the fixture line that wrote it, for failure messages
  bool matched = false;
};

struct FixtureHeader {
  std::vector<std::string> checks;             // empty: every finding is compared
  std::map<std::string, std::string> options;  // max_bytes, today, max_label_values, ...
  // Whether findings of `id` are compared (an id of `checks`, or of a "family/*" there).
  bool compares(const std::string& id) const;
  // The option's value as a number, or `fallback` when it is not set.
  std::uint64_t number(const std::string& key, std::uint64_t fallback) const;
};

std::vector<std::string> split_lines(const std::string& text);

// `free_comment(line)` says whether an expectation skips the line when binding to "the next line"
// (YAML and PromQL: every `#` comment; text expositions: comments but HELP/TYPE/UNIT).
std::vector<Expectation> inline_expectations(const std::vector<std::string>& lines,
                                             const std::function<bool(const std::string&)>& free_comment);
// A line starting with `#` (after blanks), the usual free comment.
bool is_comment(const std::string& line);

// `text` is the sidecar's content; `where` names it in messages. A malformed line is added to
// `errors`.
std::vector<Expectation> sidecar_expectations(const std::string& text, const std::string& where,
                                              std::vector<std::string>* errors);

// The `# fixture:` lines of a file or sidecar.
FixtureHeader fixture_header(const std::vector<std::string>& lines);

}  // namespace promvet::test
