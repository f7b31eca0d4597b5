// Rule-metadata policies: what an alerting or recording rule's labels, annotations and name must
// look like (`rule_policies:` in .promvet.yaml or in a policy pack; format in docs/policies.md).
// Parsed from YAML inside lib/naming (the same parser for both places), applied by the
// rules/metadata-policy check.
//
//   rule_policies:
//     - name: mixin                    # optional, named in messages
//       kind: alert                    # alert | record | any (default)
//       group: '^api-'                 # RE2 over the group name (default: every group)
//       name_pattern: '^[A-Z][A-Za-z0-9]*$'
//       labels:
//         severity: {required: true, allowed: [critical, warning, info]}
//       annotations:
//         summary: {required: true}
//         runbook_url: {pattern: '^https://runbooks\.'}
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace promvet::naming {

struct MetadataRule {
  std::string key;                    // label or annotation name
  bool required = false;              // must be present with a non-empty value
  std::vector<std::string> allowed;   // if not empty: the value must be one of these
  std::string pattern;                // if not empty: RE2 the value must match (unanchored)
  std::shared_ptr<const re2::RE2> re;
  // "" when `value` is acceptable, else why not (`is not one of critical, warning, info`,
  // `does not match ^https://`).
  std::string check_value(std::string_view value) const;
};

struct RulePolicy {
  std::string name;                  // "" when not given
  std::string kind;                  // "alert", "record", or "" for both
  std::string group;                 // RE2 text, "" for every group
  std::shared_ptr<const re2::RE2> group_re;
  std::string name_pattern;          // RE2 text, "" for any name
  std::shared_ptr<const re2::RE2> name_re;
  std::vector<MetadataRule> labels, annotations;

  bool applies_to(bool alerting, std::string_view group_name) const;
  bool name_matches(std::string_view rule_name) const;
};

}  // namespace promvet::naming
