// Lint pipeline over a Prometheus rule file (YAML): sources::load_rules + lint_source with every
// registered check, once plain and once with a small inventory and the vLLM policy pack; then the
// same YAML read for dashboards (ConfigMaps, GrafanaDashboard): each dashboard's checks inside its
// text, its map into the file, and its findings placed in the YAML file. Both loaders run on one
// parse (sources::load_rules_and_dashboards), the lints on one parse of each file's expressions
// (checks::ParsedSource).
// Invariants: lint_fuzz_common.h.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lint_fuzz_common.h"
#include "sources/rules.h"
#include "sources/yaml_dashboards.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // load_rules and load_yaml_dashboards from one parse (what each would return on its own).
  promvet::sources::RulesAndDashboards both = promvet::sources::load_rules_and_dashboards("fuzz.yaml", input);
  const promvet::sources::SourceFile& file = both.rules;
  promvet::fuzz::lint_and_check(file, input);
  const promvet::sources::YamlDashboards& yaml = both.dashboards;
  for (const promvet::sources::EmbeddedDashboard& d : yaml.dashboards) {
    if (d.to_file.to_file.size() != d.text.size() + 1) {
      std::fprintf(stderr, "embedded map has %zu entries for %zu bytes\n", d.to_file.to_file.size(), d.text.size());
      std::abort();
    }
    for (uint32_t o : d.to_file.to_file)
      if (o > input.size()) {
        std::fprintf(stderr, "embedded map points to %u in a file of %zu bytes\n", o, input.size());
        std::abort();
      }
    // Parsed once for the four lints (ParsedSource; lint_source and lint_embedded are its lint
    // and lint_embedded).
    const promvet::checks::ParsedSource parsed(d.file);
    promvet::fuzz::lint_and_check(parsed, d.file, d.text);
    for (bool inventory : {false, true})
      promvet::fuzz::check_findings(
          parsed.lint_embedded(d.text, d.to_file, input, promvet::fuzz::lint_options(inventory)), input,
          "embedded dashboard");
  }
  return 0;
}
