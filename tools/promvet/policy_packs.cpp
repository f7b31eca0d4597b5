#include "policy_packs.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "naming/policy_pack_lookup.h"

namespace promvet::cli {

std::vector<std::string> bundled_rules_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("PROMVET_RULES_DIR"); env && *env) dirs.push_back(env);
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((self.parent_path() / PROMVET_RULES_FROM_BIN).lexically_normal().string());
  dirs.push_back(PROMVET_INSTALL_RULES_DIR);
  dirs.push_back(PROMVET_SOURCE_RULES_DIR);
  return dirs;
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
