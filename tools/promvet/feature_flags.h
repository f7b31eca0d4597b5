// --enable-feature as Prometheus spells it (promql-experimental-functions, promql-duration-expr,
// promql-extended-range-selectors, promql-binop-fill-modifiers): a comma list, repeatable, shared
// by parse, fmt and lint. --enable-experimental-functions stays as an alias of the first.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "promql/parse.h"

namespace promvet::cli {

void add_feature_flag(CLI::App* cmd, std::vector<std::string>* features);

// Parse options as Prometheus has them with exactly the given features (and the
// experimental-functions alias) turned on: duration expressions are off unless listed.
promql::ParseOptions feature_parse_options(const std::vector<std::string>& features, bool experimental_alias);

}  // namespace promvet::cli
