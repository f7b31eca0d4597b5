// `promvet metadata`: look metric families up in the bundled metadata packs (docs/metadata.md),
// and the loader `lint` and `inventory --builtin` share.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "checks/builtin_metadata.h"

namespace promvet::cli {

// The packs compiled into the program (no I/O), or those of $PROMVET_METADATA_DIR read at run
// time when it is set. A bad pack there: false, with the error naming the file printed on stderr.
bool load_builtin_metadata(checks::LoadedMetadata* out);

void add_metadata_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
