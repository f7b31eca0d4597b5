// Finding a policy pack from what the user wrote after --policy (or under policies: in
// .promvet.yaml): a bundled pack's name (`vllm`) or a path to a pack file.
//
//   std::vector<std::string> dirs = {...};   // where bundled packs live, in order of preference
//   naming::PackLookup found = naming::find_policy_pack("vllm", dirs);
//   if (!found.error.empty()) ... ; else read found.path
//
// A bundled pack is the file <dir>/<name>.yaml of the first directory that has one. The
// directories are the caller's business (the CLI: next to the binary, the install prefix,
// the source tree), so that this stays testable with a scratch directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace promvet::naming {

// True when arg can only be a pack name: letters, digits, '-', '_', no '/' and no '.'.
bool looks_like_pack_name(std::string_view arg);

// The names of the packs in dirs (file stems of *.yaml), sorted, without duplicates.
std::vector<std::string> bundled_pack_names(const std::vector<std::string>& dirs);

struct PackLookup {
  std::string path;  // the file to read; empty on error
  bool bundled = false;
  std::string error;  // lowercase, no trailing period; names the bundled packs
  std::string note;   // set when a path under the old rules/ directory was read from policies/
};

// A name is looked up in dirs first; a name with no bundled pack falls back to a file of that
// name relative to base_dir (or the working directory when base_dir is empty), so that an
// extension-less pack file keeps working. Anything else is a path relative to base_dir.
// A path is not checked here (the caller reports what it cannot read), except that a path through
// a directory named `rules` that does not exist, where the same path through `policies` does, is
// read from there with a note: the packs' directory was renamed from rules/ to policies/.
PackLookup find_policy_pack(const std::string& arg, const std::vector<std::string>& dirs,
                            const std::string& base_dir = "");

}  // namespace promvet::naming
