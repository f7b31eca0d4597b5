#include "naming/policy_pack_lookup.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <system_error>

namespace promvet::naming {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The same path with its last `rules` directory named `policies`, when only that file exists.
std::optional<fs::path> renamed_pack_dir(const fs::path& p) {
  if (is_file(p)) return std::nullopt;
  std::vector<fs::path> parts(p.begin(), p.end());
  for (size_t i = parts.size(); i-- > 1;) {  // directories only, not the file name
    if (parts[i - 1] != "rules") continue;
    fs::path renamed;
    for (size_t k = 0; k < parts.size(); ++k) renamed /= k == i - 1 ? fs::path("policies") : parts[k];
    if (is_file(renamed)) return renamed;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

bool looks_like_pack_name(std::string_view arg) {
  if (arg.empty()) return false;
  return std::all_of(arg.begin(), arg.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

std::vector<std::string> bundled_pack_names(const std::vector<std::string>& dirs) {
  std::vector<std::string> names;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) continue;  // a search directory that does not exist is normal (not installed, no source tree)
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::path& p = it->path();
      if (p.extension() != ".yaml" || !is_file(p)) continue;
      std::string stem = p.stem().string();
      if (looks_like_pack_name(stem)) names.push_back(stem);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

PackLookup find_policy_pack(const std::string& arg, const std::vector<std::string>& dirs, const std::string& base_dir) {
  PackLookup out;
  fs::path relative = fs::path(arg).is_absolute() || base_dir.empty() ? fs::path(arg) : fs::path(base_dir) / arg;
  if (!looks_like_pack_name(arg)) {
    out.path = relative.string();
    if (std::optional<fs::path> renamed = renamed_pack_dir(relative)) {
      out.note = "the policy packs' directory rules/ is now policies/: reading " + renamed->string();
      out.path = renamed->string();
    }
    return out;
  }
  for (const std::string& dir : dirs) {
    fs::path candidate = fs::path(dir) / (arg + ".yaml");
    if (is_file(candidate)) {
      out.path = candidate.string();
      out.bundled = true;
      return out;
    }
  }
  if (is_file(relative)) {
    out.path = relative.string();
    return out;
  }
  std::vector<std::string> names = bundled_pack_names(dirs);
  out.error = "no bundled policy pack named \"" + arg + "\" and no file of that name; bundled packs: " +
              (names.empty() ? std::string("none found (searched ") + joined(dirs) + ")" : joined(names));
  return out;
}

}  // namespace promvet::naming
