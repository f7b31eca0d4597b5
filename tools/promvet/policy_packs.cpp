#include "policy_packs.h"

#include <cstdlib>
#include <iostream>

#include "data_dirs.h"
#include "naming/policy_pack_lookup.h"

namespace promvet::cli {

std::vector<std::string> bundled_policy_dirs() {
  const char* env = "PROMVET_POLICIES_DIR";
  const char* old_env = "PROMVET_RULES_DIR";  // before the packs' directory was renamed policies/
  const char* set = std::getenv(env);
  const char* old_set = std::getenv(old_env);
  if ((!set || !*set) && old_set && *old_set) {
    static bool noted = false;  // once per run, however many packs are looked up
    if (!noted) std::cerr << "promvet: note: $" << old_env << " is now $" << env << "; reading " << old_set << '\n';
    noted = true;
    env = old_env;
  }
  return data_dirs(env, PROMVET_POLICIES_FROM_BIN, PROMVET_INSTALL_POLICIES_DIR, PROMVET_SOURCE_POLICIES_DIR);
}

bool resolve_policy_pack(const std::string& arg, const std::string& base_dir, std::string* path) {
  naming::PackLookup found = naming::find_policy_pack(arg, bundled_policy_dirs(), base_dir);
  if (!found.error.empty()) {
    std::cerr << "promvet: error: policy pack \"" << arg << "\": " << found.error << '\n';
    return false;
  }
  if (!found.note.empty()) std::cerr << "promvet: note: " << found.note << '\n';
  *path = found.path;
  return true;
}

}  // namespace promvet::cli
