#pragma once
// The lines a git working tree changed, for `promvet lint --changed-since` (issue 22): which
// lines of which files differ from a revision (or, without one, what is staged for the next
// commit, as in a pre-commit hook), read from `git diff --unified=0`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace promvet::io {

// Added or changed lines of the new side of a diff, per path (as the diff names it, relative to
// the repository's top). Removed lines leave nothing to report on; a new file is all added.
std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> parse_diff_new_lines(std::string_view diff);

class ChangedLines {
 public:
  // Paths are absolute, symlinks resolved.
  void add_range(const std::string& path, uint64_t first, uint64_t last) { ranges_[path].push_back({first, last}); }
  void add_whole_file(const std::string& path) { whole_.push_back(path); }
  // Whether lines [first, last] of `path` (as the user gave it) touch a change; line 0 (a finding
  // about the whole file) asks whether the file changed at all.
  bool touches(const std::string& path, uint64_t first, uint64_t last) const;

 private:
  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> ranges_;
  std::vector<std::string> whole_;
};

// What changed in the repository that holds `dir`: since `ref` (working tree against it, and
// untracked files as wholly new), or, without a ref, the staged changes (`git diff --cached`).
// False with *error ("... is not inside a git repository", "unknown revision 'x'") otherwise.
bool git_changed_lines(const std::string& dir, const std::optional<std::string>& ref, ChangedLines* out,
                       std::string* error, int timeout_ms = 30000);

// The absolute path with symlinks resolved, as far as the file system has it.
std::string resolved_path(const std::string& path);

}  // namespace promvet::io
