// `promvet sanitize`: turn names into valid Prometheus metric or label names,
// or escape / unescape them with a Prometheus 3 escaping scheme.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_sanitize_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
