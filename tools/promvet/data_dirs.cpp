#include "data_dirs.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace promvet::cli {

std::vector<std::string> data_dirs(const char* env_var, const std::string& from_bin, const std::string& install_dir,
                                   const std::string& source_dir) {
  std::vector<std::string> dirs;
  if (const char* env = env_var ? std::getenv(env_var) : nullptr; env && *env) dirs.push_back(env);
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && !from_bin.empty()) dirs.push_back((self.parent_path() / from_bin).lexically_normal().string());
  dirs.push_back(install_dir);
  dirs.push_back(source_dir);
  return dirs;
}

}  // namespace promvet::cli
