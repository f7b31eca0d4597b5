// Shared body of the exposition fuzz targets: invariants that must hold for
// any input, in either format.
#pragma once

#include <cstddef>
#include <cstdint>

#include "expfmt/events.h"

namespace promvet::fuzz {

// Parses data whole and again in chunks whose sizes come from the data
// itself, with the Linter attached; aborts if the two runs disagree on
// events or diagnostics, or if a diagnostic has no position.
void check_exposition(promvet::expfmt::Format format, const std::uint8_t* data, std::size_t size);

}  // namespace promvet::fuzz
