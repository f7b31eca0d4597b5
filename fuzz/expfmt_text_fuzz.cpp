// libFuzzer target: the streaming exposition parser and linter, format Text.
#include "expfmt_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  promvet::fuzz::check_exposition(promvet::expfmt::Format::kText, data, size);
  return 0;
}
