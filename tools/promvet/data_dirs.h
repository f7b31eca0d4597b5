#pragma once
// Where promvet's bundled data (check docs, policy packs, metadata packs) is found, in order:
// the directory an environment variable names, <dir of the running binary>/FROM_BIN (so a
// relocated install such as `cmake --install --prefix DIR` or the .deb works), the install
// directory configured at build time, then the source tree the binary was built from.
#include <string>
#include <vector>

namespace promvet::cli {

std::vector<std::string> data_dirs(const char* env_var, const std::string& from_bin, const std::string& install_dir,
                                   const std::string& source_dir);

}  // namespace promvet::cli
