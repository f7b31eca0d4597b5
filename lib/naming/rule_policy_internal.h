// Parsing `rule_policies:` (a YAML list) for .promvet.yaml and policy packs alike: one schema,
// unknown keys are errors, every error positioned.
#pragma once

#include <string>
#include <vector>

#include "io/yaml_tree.h"
#include "naming/policy.h"
#include "naming/rule_policy.h"

namespace promvet::naming {

// Appends the policies of `list` to `out`; errors (file:line:col) to `errors`. False on any error.
bool parse_rule_policies(const yaml::Node& list, const std::string& file, std::vector<RulePolicy>* out,
                         std::vector<PolicyError>* errors);

}  // namespace promvet::naming
