#pragma once
// Plain query files (`*.promql`): one PromQL expression per line, as `promvet parse --each-line`
// reads them. Blank lines and lines starting with `#` are skipped; `# promvet: disable=<id>`
// applies to the next expression, `# promvet: disable-file=<id>` to the whole file.
#include <string_view>

#include "sources/source.h"

namespace promvet::sources {

SourceFile load_queries(std::string_view path, std::string_view content, const LoadOptions& options = {});

}  // namespace promvet::sources
