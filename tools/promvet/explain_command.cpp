#include "explain_command.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "data_dirs.h"

namespace promvet::cli {
namespace {

// Where the pages are: $PROMVET_DOCS_DIR, the installed docs next to this binary
// (<prefix>/bin/../share/doc/promvet, whatever the prefix), the install prefix configured at
// build time, then the source tree it was built from.
std::vector<std::string> docs_dirs() {
  std::vector<std::string> dirs =
      data_dirs("PROMVET_DOCS_DIR", PROMVET_DOCS_FROM_BIN, PROMVET_INSTALL_DOCS_DIR, PROMVET_SOURCE_DOCS_DIR);
  for (std::string& d : dirs) d += "/checks";
  return dirs;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.find("..") != std::string::npos || id.front() == '/') return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '/')) return false;
  return true;
}

int run_explain(const std::string& id) {
  if (!valid_id(id)) {
    std::cerr << "promvet: error: \"" << id << "\" is not a check id (family/name, e.g. expfmt/no-help)\n";
    return 2;
  }
  for (const std::string& dir : docs_dirs()) {
    std::ifstream in(dir + "/" + id + ".md");
    if (!in) continue;
    std::cout << in.rdbuf();
    return 0;
  }
  std::cerr << "promvet: error: no check \"" << id << "\" (see `promvet metrics --list-checks`)\n";
  return 2;
}

}  // namespace

void add_explain_command(CLI::App& app, int* exit_code) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("explain", "Print the documentation page of a check");
  cmd->add_option("CHECK", *id, "Check id, e.g. expfmt/no-help")->required();
  cmd->callback([id, exit_code]() { *exit_code = run_explain(*id); });
}

}  // namespace promvet::cli
