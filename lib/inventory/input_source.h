// One way to read an exposition from a file, stdin ("-") or an http(s) URL,
// in chunks, with enough of its start (and, for files, its end) known before
// the first chunk to pick a format.
//
//   read_input("metrics.txt", fetch_options,
//       [&](const InputStart& s) { format = expfmt::detect_format(s.content_type, s.head, s.tail); },
//       [&](std::string_view chunk) { parser.feed(chunk); return true; });
//
// Memory: one read buffer (stdin, URLs) or two mapped 8 MB windows of a
// regular file, plus the head (kHeadBytes), whatever the input size.
// Time: URLs are bounded by FetchOptions (timeout, max_bytes); files and stdin by InputLimits, so
// /dev/zero or an endless pipe ends with an error instead of running until killed.
#pragma once

#include <cstdint>
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

inline constexpr std::uint64_t kDefaultMaxFileBytes = 4ull << 30;
// How far past the parser's longest line an unbroken run may go before reading stops.
inline constexpr std::uint64_t kLineRunSlack = 64ull << 20;

struct InputLimits {
  // Total bytes read from a file or stdin (--max-file-bytes). Generous: a valid 1 GiB exposition
  // streams through in bounded memory, so the cap is about time, not memory.
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
  // Bytes without a newline after which reading stops. The parser skips a line longer than its
  // max_line_bytes without buffering it, but an endless line (/dev/zero, `yes | tr -d '\n'`)
  // would be skipped forever; a real line never gets near this.
  std::uint64_t max_line_run = (8ull << 20) + kLineRunSlack;
};

struct ReadResult {
  bool ok = false;
  std::string error;  // "cannot open \"x\": No such file or directory", fetch errors
  std::uint64_t bytes = 0;
};

bool is_url(std::string_view input);

// on_start runs once before the first chunk (also for empty input). The
// chunks together are exactly the input's bytes. A file or stdin beyond limits is an error
// (!ok); the chunks before it have been delivered.
ReadResult read_input(const std::string& input, const FetchOptions& fetch_options,
                      const std::function<void(const InputStart&)>& on_start, const ChunkCallback& on_chunk,
                      const InputLimits& limits = {});

}  // namespace promvet::inventory
