// `promvet usage`: which metrics dashboards and rule files use, against an inventory.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

void add_usage_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
