#pragma once
// Baselines: a CI gate that fails only on new findings. A finding is identified by its check, file,
// message and the text of its source line (not the line number, so edits above it do not make it
// new); identical findings are counted, so a second copy of a known mistake is new.
#include <map>
#include <string>
#include <vector>

#include "checks/finding.h"

namespace promvet::checks {

class Baseline {
 public:
  // JSON: {"version": 1, "findings": [{"check", "file", "message", "line_text"}...]}.
  static bool load(const std::string& path, Baseline* out, std::string* error);
  static std::string to_json(const std::vector<Finding>& findings);

  // The findings not covered by the baseline, in their original order.
  std::vector<Finding> new_findings(const std::vector<Finding>& findings) const;

 private:
  std::map<std::string, int> counts_;
};

}  // namespace promvet::checks
