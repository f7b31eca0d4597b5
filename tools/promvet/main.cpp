// promvet: argument parsing and wiring only; the work is in lib/.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

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

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__has_feature)  // clang's spelling of -fsanitize=address
#define PROMVET_HAS_ASAN __has_feature(address_sanitizer)
#else
#define PROMVET_HAS_ASAN 0
#endif

namespace {

// libpromvet_fetch.so next to the binary first (a relocated install, the build tree), then the
// library's own install and build-tree paths (inventory/http_fetch.h).
std::vector<std::string> fetch_module_paths() {
  std::vector<std::string> paths;
  for (const std::string& d : promvet::cli::data_dirs(nullptr, PROMVET_FETCH_MODULE_FROM_BIN, "", ""))
    if (!d.empty()) paths.push_back(d + "/" + promvet::inventory::kFetchModuleFile);
  return paths;
}

struct Subcommand {
  std::string_view name;
  void (*add)(CLI::App&, int*);
};
// In the order of `promvet --help`.
constexpr Subcommand kSubcommands[] = {
    {"metrics", promvet::cli::add_metrics_command},     {"lint", promvet::cli::add_lint_command},
    {"sanitize", promvet::cli::add_sanitize_command},   {"inject", promvet::cli::add_inject_command},
    {"inventory", promvet::cli::add_inventory_command}, {"usage", promvet::cli::add_usage_command},
    {"metadata", promvet::cli::add_metadata_command},   {"explain", promvet::cli::add_explain_command},
    {"parse", promvet::cli::add_parse_command},         {"fmt", promvet::cli::add_fmt_command},
};

// promvet is a short-lived process whose big runs (a 20,000-rule file: ~90 MB at its peak) grow
// and shrink the heap many times. glibc's defaults give memory back as soon as 128 KB are free at
// the top and serve blocks over 128 KB (a threshold that grows) by mmap, so the same pages were
// unmapped and faulted in again: 32,100 page faults on that file against 21,500 with these
// settings (the pages it really touches), and about 40 ms less system time. Address space only;
// the pages are still touched on first use, so small runs do not grow.
void tune_allocator() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // bigger blocks (whole-file reads) still go back at once
  // No fastbins (the per-thread tcache still serves small blocks): with them, every request of
  // 1 KB or more first merged all the freed small blocks (malloc_consolidate, 4.4% of that run's
  // samples in perf). See docs/benchmarks.md for the measured effect.
  mallopt(M_MXFAST, 0);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator();
  promvet::inventory::set_fetch_module_locator(fetch_module_paths);  // consulted on the first fetch only
  CLI::App app{"promvet: lint Prometheus expositions, PromQL, dashboards and rules"};
  app.require_subcommand(1);
#ifdef PROMVET_GIT_COMMIT
  app.set_version_flag("--version", std::string("promvet ") + PROMVET_VERSION + " (git " + PROMVET_GIT_COMMIT + ")");
#else
  app.set_version_flag("--version", std::string("promvet ") + PROMVET_VERSION);
#endif
  int exit_code = 0;
  // Building a subcommand's options is most of the CLI's start-up (CLI11 checks every name against
  // the others), so only what the command line needs is built: `promvet lint ...` builds lint
  // alone, `promvet --version` none. Anything else (--help, no or an unknown subcommand) builds
  // them all, so that help and errors list every subcommand. The output is the same either way.
  const std::string_view first = argc > 1 ? argv[1] : "";
  bool named = first == "--version";
  for (const Subcommand& c : kSubcommands) named = named || first == c.name;
  for (const Subcommand& c : kSubcommands)
    if (!named || first == c.name) c.add(app, &exit_code);
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
#if !defined(__SANITIZE_ADDRESS__) && !PROMVET_HAS_ASAN
  // Everything is written; what exit() would still do is destroy static objects (the parser's
  // ATN and DFA cache, thread-local pools), 0.4 M instructions or 3% of linting one dashboard
  // (docs/benchmarks.md "Start-up"), and none of them writes anything. Sanitizer builds return
  // normally, so that LeakSanitizer's check at exit still runs.
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(exit_code);
#else
  return exit_code;
#endif
}
