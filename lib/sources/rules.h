#pragma once
// Prometheus rule files → PromQL expressions with positions, plus the validations
// `promtool check rules` (Prometheus 2.42, rulefmt) performs, in its wording.
//
// Accepts rule-group files (`groups:`), several YAML documents in one file, and
// PrometheusRule custom resources (`apiVersion: monitoring.coreos.com/v1`,
// `kind: PrometheusRule`, `spec.groups`). PromQL itself is not parsed here: every rule's
// `expr` becomes an Expression whose map points each character back into the file.
//
// The check ids it reports are constants in sources/diagnostic_ids.h.
//
// Suppressions: `# promvet: disable=<id>[,<id>]` on the lines of a rule or in the comment
// block directly above it → Expression::disabled_checks of that rule; on a group's `name:`
// line, the comment lines right after it, or the comment block directly above the group →
// every rule of the group; `# promvet: disable-file=<id>[,<id>]` anywhere →
// SourceFile::file_disabled_checks.
#include <string>
#include <string_view>

#include "sources/source.h"

namespace promvet::sources {

SourceFile load_rules(std::string_view path, std::string_view content, const LoadOptions& options = {});

// Exposed for tests: the checks done on one Go text/template string as Prometheus expands
// it in alert labels and annotations. Returns "" when no problem is found, else the message
// after "template: <name>:" e.g. "1: unclosed action". `line` is 1-based.
std::string check_go_template(std::string_view text);

}  // namespace promvet::sources
