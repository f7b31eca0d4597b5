// `promvet lint`: Grafana dashboards and Prometheus rule files, files or directories.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_lint_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
