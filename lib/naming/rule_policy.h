// Rule-metadata policies: what an alerting or recording rule's labels, annotations and name must
// look like (`rule_policies:` in .promvet.yaml or in a policy pack; format in docs/policies.md).
// Parsed from YAML inside lib/naming (the same parser for both places), applied by the
// rules/metadata-policy check.
//
//   rule_policies:
//     - name: mixin                    # optional, named in messages
//       kind: alert                    # alert | record | any (default)
//       files: ['alerts/*.yaml']       # globs over the file's path (default: every file)
//       group: '^api-'                 # RE2 over the group name (default: every group)
//       name_pattern: '^[A-Z][A-Za-z0-9]*$'
//       labels:
//         severity: {required: true, allowed: [critical, warning, info]}
//         pod: {forbidden: true}
//       annotations:
//         summary: {required: true}
//         runbook_url: {url: true, pattern: '^https://runbooks\.'}
//       for: {min: 1m, max: 1h}        # alerting rules; keep_firing_for likewise
//       interval: {min: 30s}           # the group's interval, when it sets one
//       max_rules_per_group: 100
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace promvet::naming {

struct MetadataRule {
  std::string key;                   // label or annotation name
  bool required = false;             // must be present with a non-empty value
  std::vector<std::string> allowed;  // if not empty: the value must be one of these
  std::string pattern;               // if not empty: RE2 the value must match (unanchored)
  std::shared_ptr<const re2::RE2> re;
  bool forbidden = false;  // must not be present
  bool url = false;        // the value must be an absolute URL (scheme://host...)
  // "" when `value` is acceptable, else why not (`is not one of critical, warning, info`,
  // `does not match ^https://`).
  std::string check_value(std::string_view value) const;
};

// Bounds of a duration (`for`, `keep_firing_for`, a group's `interval`); -1: no bound.
struct DurationBounds {
  int64_t min_ms = -1, max_ms = -1;
  std::string min_text, max_text;  // as written in the policy
  bool empty() const { return min_ms < 0 && max_ms < 0; }
  // "" when `ms` is within the bounds, else "is shorter than the minimum 1m" / "is longer than ...".
  std::string check(int64_t ms) const;
};

struct RulePolicy {
  std::string name;   // "" when not given
  std::string kind;   // "alert", "record", or "" for both
  std::string group;  // RE2 text, "" for every group
  std::shared_ptr<const re2::RE2> group_re;
  std::string name_pattern;  // RE2 text, "" for any name
  std::shared_ptr<const re2::RE2> name_re;
  std::vector<MetadataRule> labels, annotations;
  std::vector<std::string> files;  // globs (fnmatch, `*` crosses `/`), empty for every file
  DurationBounds for_bounds, keep_firing_for_bounds, interval_bounds;
  uint32_t max_rules_per_group = 0;  // 0: no maximum

  // `file` as given on the command line: a glob matches it or any tail of it after a `/`.
  bool applies_to(bool alerting, std::string_view group_name, std::string_view file = {}) const;
  bool name_matches(std::string_view rule_name) const;
};

}  // namespace promvet::naming
