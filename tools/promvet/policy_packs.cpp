#include "policy_packs.h"

#include <iostream>

#include "data_dirs.h"
#include "naming/policy_pack_lookup.h"

namespace promvet::cli {

std::vector<std::string> bundled_rules_dirs() {
  return data_dirs("PROMVET_RULES_DIR", PROMVET_RULES_FROM_BIN, PROMVET_INSTALL_RULES_DIR, PROMVET_SOURCE_RULES_DIR);
}

bool resolve_policy_pack(const std::string& arg, const std::string& base_dir, std::string* path) {
  naming::PackLookup found = naming::find_policy_pack(arg, bundled_rules_dirs(), base_dir);
  if (!found.error.empty()) {
    std::cerr << "promvet: error: policy pack \"" << arg << "\": " << found.error << '\n';
    return false;
  }
  *path = found.path;
  return true;
}

}  // namespace promvet::cli
