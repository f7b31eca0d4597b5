// `promvet fmt`: pretty-print a PromQL expression as Prometheus' Pretty() does.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

// Registers the subcommand; when it runs, its exit code goes to *exit_code.
void add_fmt_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
