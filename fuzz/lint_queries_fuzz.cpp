// Lint pipeline over a query file (one PromQL expression per line): sources::load_queries +
// lint_source with every registered check, once plain and once with a small inventory and the
// vLLM policy pack (inventory/*, policy/*). Then the same lines as rule expressions: each line
// becomes an alerting rule (with `for`, labels and annotations on even lines) and a recording
// rule whose name is the leading metric name of the next line (so rules refer to each other), in
// a generated rule file linted the same way (rules/* checks). Invariants: lint_fuzz_common.h.
#include <cstdint>
#include <string>
#include <string_view>

#include "lint_fuzz_common.h"
#include "sources/query_file.h"
#include "sources/rules.h"

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

std::string leading_name(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && is_name_char(line[n])) ++n;
  if (n == 0 || (line[0] >= '0' && line[0] <= '9')) return "fuzz:rule";
  return std::string(line.substr(0, n));
}

std::string rules_yaml(std::string_view input) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= input.size() && lines.size() < 64) {
    size_t nl = input.find('\n', pos);
    std::string_view line = input.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') lines.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::string y = "groups:\n  - name: fuzz\n    interval: 30s\n    rules:\n";
  for (size_t i = 0; i < lines.size(); ++i) {
    y += "      - alert: FuzzAlert" + std::to_string(i) + "\n        expr: |-\n          ";
    y += lines[i];
    y += "\n";
    if (i % 2 == 0)
      y += "        for: 5m\n        labels:\n          severity: warning\n"
           "        annotations:\n          summary: '{{ $labels.job }} {{ $value }}'\n";
    std::string next = i + 1 < lines.size() ? leading_name(lines[i + 1]) : "fuzz:rule";
    y += "      - record: " + next + "\n        expr: |-\n          ";
    y += lines[i];
    y += "\n";
  }
  return y;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  promvet::sources::SourceFile queries = promvet::sources::load_queries("fuzz.promql", input);
  promvet::fuzz::lint_and_check(queries, input);
  std::string yaml = rules_yaml(input);
  promvet::sources::SourceFile rules = promvet::sources::load_rules("fuzz-rules.yaml", yaml);
  promvet::fuzz::lint_and_check(rules, yaml);
  return 0;
}
