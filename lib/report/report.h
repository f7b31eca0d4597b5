// Printers for findings. Only this layer and tools/ write to streams.
//
//   report::write_text(std::cout, findings, {.color = false});
//   report::write_json(std::cout, findings);
#pragma once

#include <ostream>
#include <vector>

#include "checks/finding.h"

namespace promvet::report {

struct TextOptions {
  bool caret = true;  // print the source line and a caret under the column
};

// `path:line:col: severity: message [check-id]`, then the source line and a
// caret when known. Tabs in the source line are kept so the caret lines up.
void write_text(std::ostream& out, const std::vector<checks::Finding>& findings,
                const TextOptions& options = {});

// {"findings":[{"check","severity","message","file","line","column","metric"}]}
void write_json(std::ostream& out, const std::vector<checks::Finding>& findings);

}  // namespace promvet::report
