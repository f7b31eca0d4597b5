// `promvet explain <check-id>`: prints the docs page of a check.
#pragma once

#include <CLI/CLI.hpp>

namespace promvet::cli {

void add_explain_command(CLI::App& app, int* exit_code);

}  // namespace promvet::cli
