// Policy::Impl, shared by the loader (policy_load.cpp) and the checker
// (policy_check.cpp). Internal to lib/naming: it includes RE2.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "naming/policy.h"

namespace promvet::naming {

// A pack's `source:` entry: owner/repo@commit:path (a commit of 7 to 40 lowercase hex digits),
// optionally a whitespace character and a note on the same line; over valid UTF-8 (as YAML's
// scalars are), the answer of RE2 FullMatch of
//   ^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+@([0-9a-f]+):[^\s]+(\s.*)?$
// with the group's length checked. Scanned by hand: that RE2, compiled at every `promvet lint`
// start and matched with its group against every source of a pack, was 0.29 M instructions,
// a twentieth of linting one dashboard (issue 21); PolicyLoad.SourceReference compares the two.
bool source_reference(std::string_view s);

// Labels required or forbidden on the families a pattern selects.
struct LabelRule {
  std::string match;
  std::unique_ptr<RE2> pattern;
  std::vector<std::string> required;
  std::vector<std::string> forbidden;
  std::vector<std::string> sources;
};

struct Policy::Impl {
  std::string file;
  std::string name;
  std::string product;
  std::string description;
  std::vector<std::string> sources;  // pack-level `source`
  std::unique_ptr<RE2> scope;        // null: every family
  std::vector<std::unique_ptr<RE2>> exclude;
  std::vector<std::string> required_prefixes;
  std::string name_pattern_text;
  std::unique_ptr<RE2> name_pattern;
  std::string label_pattern_text;
  std::unique_ptr<RE2> label_pattern;
  std::vector<std::string> required_labels;
  std::vector<std::string> forbidden_labels;
  std::vector<LabelRule> label_rules;
  std::vector<UnitRule> units;
  std::vector<std::unique_ptr<RE2>> unit_patterns;  // parallel to units
  std::vector<DeprecatedMetric> deprecated;
  std::vector<RulePolicy> rule_policies;  // for rule files (rules/metadata-policy)
};

}  // namespace promvet::naming
