// Lint pipeline over a Prometheus rule file (YAML): sources::load_rules + lint_source with every
// registered check, once plain and once with a small inventory and the vLLM policy pack.
// Invariants: lint_fuzz_common.h.
#include <cstdint>
#include <string_view>

#include "lint_fuzz_common.h"
#include "sources/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  promvet::sources::SourceFile file = promvet::sources::load_rules("fuzz.yaml", input);
  promvet::fuzz::lint_and_check(file, input);
  return 0;
}
