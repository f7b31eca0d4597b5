// promvet: argument parsing and wiring only; the work is in lib/.
#include <CLI/CLI.hpp>

#include <iostream>
#include <new>
#include <string>

#include "data_dirs.h"
#include "io/output_file.h"
#include "inventory/http_fetch.h"
#include "fmt_command.h"
#include "explain_command.h"
#include "inject_command.h"
#include "inventory_command.h"
#include "lint_command.h"
#include "metadata_command.h"
#include "metrics_command.h"
#include "parse_command.h"
#include "sanitize_command.h"
#include "usage_command.h"

namespace {

// libpromvet_fetch.so next to the binary first (a relocated install, the build tree), then the
// library's own install and build-tree paths (inventory/http_fetch.h).
std::vector<std::string> fetch_module_paths() {
  std::vector<std::string> paths;
  for (const std::string& d : promvet::cli::data_dirs(nullptr, PROMVET_FETCH_MODULE_FROM_BIN, "", ""))
    if (!d.empty()) paths.push_back(d + "/" + promvet::inventory::kFetchModuleFile);
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  promvet::inventory::set_fetch_module_locator(fetch_module_paths);  // consulted on the first fetch only
  CLI::App app{"promvet: lint Prometheus expositions, PromQL, dashboards and rules"};
  app.require_subcommand(1);
#ifdef PROMVET_GIT_COMMIT
  app.set_version_flag("--version", std::string("promvet ") + PROMVET_VERSION + " (git " + PROMVET_GIT_COMMIT + ")");
#else
  app.set_version_flag("--version", std::string("promvet ") + PROMVET_VERSION);
#endif
  int exit_code = 0;
  promvet::cli::add_metrics_command(app, &exit_code);
  promvet::cli::add_lint_command(app, &exit_code);
  promvet::cli::add_sanitize_command(app, &exit_code);
  promvet::cli::add_inject_command(app, &exit_code);
  promvet::cli::add_inventory_command(app, &exit_code);
  promvet::cli::add_usage_command(app, &exit_code);
  promvet::cli::add_metadata_command(app, &exit_code);
  promvet::cli::add_explain_command(app, &exit_code);
  promvet::cli::add_parse_command(app, &exit_code);
  promvet::cli::add_fmt_command(app, &exit_code);
  // Everything printed to std::cout from here on is checked: a report that did not reach stdout
  // (a full disk, /dev/full, a closed pipe with SIGPIPE ignored) is exit 2, not a green run.
  promvet::io::CheckedStdout checked_stdout;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 2 (the tool could not do its job); --help and
    // --version are "errors" with code 0 in CLI11.
    exit_code = app.exit(e) == 0 ? 0 : 2;
  } catch (const std::bad_alloc&) {
    // Only under a memory limit the input itself cannot explain (parsers bound their memory).
    std::cerr << "promvet: error: out of memory\n";
    exit_code = 2;
  }
  if (std::string error; !checked_stdout.finish(&error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  return exit_code;
}
