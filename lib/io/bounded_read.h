// Reading a whole small input (a PromQL file, a policy pack, a baseline, a saved inventory) with
// a bound, so that /dev/zero, a FIFO or a pipe that never closes ends with an error instead of
// filling memory. Expositions are streamed instead (inventory::read_input).
#pragma once

#include <cstdint>
#include <string>

namespace promvet::io {

enum class ReadStatus { Ok, TooLarge, Failed };

struct ReadResult {
  ReadStatus status = ReadStatus::Ok;
  std::string content;  // everything read when Ok; empty otherwise
  std::string error;    // the message read_file gives, when not Ok
};

// Reads PATH ("-": stdin) whole, stopping as soon as more than max_bytes have arrived (a regular
// file is refused by its size before it is read), so an endless pipe cannot hang the caller.
ReadResult read_all(const std::string& path, std::uint64_t max_bytes);

// Reads PATH ("-": stdin) whole. False with *error set when it cannot be read
// (`cannot open "PATH": REASON`, `cannot read "PATH": REASON`) or holds more than max_bytes (`"PATH": more than N
// bytes`).
bool read_file(const std::string& path, std::uint64_t max_bytes, std::string* content, std::string* error);

}  // namespace promvet::io
