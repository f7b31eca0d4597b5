// `promvet inject`: add labels to every sample of an exposition (file, stdin
// or URL) and write it to stdout in the same format, streaming.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_inject_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
