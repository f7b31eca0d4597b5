// Printers for findings. Only this layer and tools/ write to streams.
//
//   report::write_text(std::cout, findings, {.color = false});
//   report::write_json(std::cout, findings);
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "checks/finding.h"

namespace promvet::report {

struct TextOptions {
  bool caret = true;  // print the source line and a caret under the column
};

// `path:line:col: severity: message [check-id]`, then the source line and a
// caret when known. Tabs in the source line are kept so the caret lines up.
void write_text(std::ostream& out, const std::vector<checks::Finding>& findings, const TextOptions& options = {});

// {"findings":[{"check","severity","message","file","line","column","metric"}]}
void write_json(std::ostream& out, const std::vector<checks::Finding>& findings);

// SARIF 2.1.0: one run, tool promvet with a rule per check id that occurs (help URI = its docs
// page), one result per finding with its region (byte columns, reported as unicodeCodePoints).
struct SarifOptions {
  std::string tool_version;
  std::string docs_base_uri = "https://github.com/promvet/promvet/blob/main/docs/checks/";
};
void write_sarif(std::ostream& out, const std::vector<checks::Finding>& findings, const SarifOptions& options = {});

// GitHub Actions workflow commands: ::error file=F,line=L,col=C,endLine=..,endColumn=..,title=ID::MSG
void write_github(std::ostream& out, const std::vector<checks::Finding>& findings);

// Checkstyle XML (4.3), as read by reviewdog and most CI code-quality plugins.
void write_checkstyle(std::ostream& out, const std::vector<checks::Finding>& findings);

}  // namespace promvet::report
