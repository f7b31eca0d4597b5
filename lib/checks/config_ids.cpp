// The check ids .promvet.yaml names must be ids of the check registry: a typo would silently
// leave a check on (or a severity unchanged). Kept apart from config.cpp's YAML reading.
#include "checks/config.h"
#include "checks/registry.h"

namespace promvet::checks {

bool check_config_ids(const Config& config, const Registry& registry, std::string* error) {
  auto check = [&](const char* key, const std::string& id) {
    std::string problem = unknown_check_error(registry, id, kLintCommand);
    if (problem.empty()) return true;
    *error = config.path + ": " + key + ": " + problem;
    return false;
  };
  for (const std::string& id : config.enable)
    if (!check("enable", id)) return false;
  for (const std::string& id : config.disable)
    if (!check("disable", id)) return false;
  for (const auto& [id, severity] : config.severity)
    if (!check("severity", id)) return false;
  // dashboards[].disable ids are audited like in-file markers instead: an unknown one is reported
  // as a suppression that suppresses nothing (config_suppressions.h).
  return true;
}

}  // namespace promvet::checks
