// `promvet metrics`: validate and lint exposition files, stdin and /metrics URLs.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_metrics_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
