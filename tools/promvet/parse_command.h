// `promvet parse`: check PromQL expressions (one with -e, or one per line of a file).
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_parse_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
