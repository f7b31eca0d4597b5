// One way to read an exposition from a file, stdin ("-") or an http(s) URL,
// in chunks, with enough of its start (and, for files, its end) known before
// the first chunk to pick a format.
//
//   read_input("metrics.txt", fetch_options,
//       [&](const InputStart& s) { format = expfmt::detect_format(s.content_type, s.head, s.tail); },
//       [&](std::string_view chunk) { parser.feed(chunk); return true; });
//
// Memory: one read buffer plus the head (kHeadBytes), whatever the input size.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "inventory/http_fetch.h"

namespace promvet::inventory {

inline constexpr std::size_t kHeadBytes = 64 * 1024;

struct InputStart {
  std::string_view content_type;  // URLs only; "" otherwise
  std::string_view head;          // first bytes, up to kHeadBytes
  std::string_view tail;          // last bytes when known (files, short inputs)
};

struct ReadResult {
  bool ok = false;
  std::string error;  // "cannot open \"x\": No such file or directory", fetch errors
  std::uint64_t bytes = 0;
};

bool is_url(std::string_view input);

// on_start runs once before the first chunk (also for empty input). The
// chunks together are exactly the input's bytes.
ReadResult read_input(const std::string& input, const FetchOptions& fetch_options,
                      const std::function<void(const InputStart&)>& on_start,
                      const ChunkCallback& on_chunk);

}  // namespace promvet::inventory
