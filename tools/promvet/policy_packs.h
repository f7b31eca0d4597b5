// --policy NAME|PATH for lint and metrics: where the bundled packs are and how an argument
// becomes a pack file (naming/policy_pack_lookup.h does the lookup).
#pragma once

#include <string>
#include <vector>

namespace promvet::cli {

// $PROMVET_POLICIES_DIR (or, with a note, the old $PROMVET_POLICIES_DIR), the installed packs next
// to this binary (<prefix>/bin/../share/promvet/policies, whatever the prefix), the install
// prefix configured at build time, then the source tree's policies/.
std::vector<std::string> bundled_policy_dirs();

// The file to read for a --policy argument or a policies: entry (base_dir: the config's
// directory, "" for the working directory). False with an error on stderr for an unknown name.
bool resolve_policy_pack(const std::string& arg, const std::string& base_dir, std::string* path);

}  // namespace promvet::cli
