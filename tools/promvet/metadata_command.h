// `promvet metadata`: look metric families up in the bundled metadata packs (docs/metadata.md),
// and the loader `lint` and `inventory --builtin` share.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "checks/builtin_metadata.h"

namespace promvet::cli {

// Loads the packs from $PROMVET_METADATA_DIR, else the first of data_dirs() that exists (this
// binary's install, then the source tree).
// No directory found: an empty BuiltinMetadata (an install without packs still lints). A bad
// pack: false, with the error naming the file printed on stderr.
bool load_builtin_metadata(checks::LoadedMetadata* out);

void add_metadata_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
