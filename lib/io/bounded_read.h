// Reading a whole small input (a PromQL file, a policy pack, a baseline, a saved inventory) with
// a bound, so that /dev/zero, a FIFO or a pipe that never closes ends with an error instead of
// filling memory. Expositions are streamed instead (inventory::read_input).
#pragma once

#include <cstdint>
#include <string>

namespace promvet::io {

// Reads PATH ("-": stdin) whole. False with *error set when it cannot be read
// (`cannot open "PATH": REASON`, `cannot read "PATH": REASON`) or holds more than max_bytes (`"PATH": more than N bytes`).
bool read_file(const std::string& path, std::uint64_t max_bytes, std::string* content,
               std::string* error);

}  // namespace promvet::io
