// Lint pipeline over a Grafana dashboard (JSON): sources::load_dashboard + lint_source with every
// registered check, once plain and once with a small inventory and the vLLM policy pack.
// Invariants: lint_fuzz_common.h.
#include <cstdint>
#include <string_view>

#include "lint_fuzz_common.h"
#include "sources/dashboard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  promvet::sources::SourceFile file = promvet::sources::load_dashboard("fuzz.json", input);
  promvet::fuzz::lint_and_check(file, input);
  return 0;
}
