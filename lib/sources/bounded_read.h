// Reading a stream whose size is not known beforehand (standard input for `promvet lint -`)
// without holding more than a limit in memory: a file on disk is refused by its size before it
// is read, a pipe only once the limit is passed.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace promvet::sources {

struct BoundedRead {
  std::string content;     // everything read; empty when too_large
  bool too_large = false;  // more than max_bytes: reading stopped at max_bytes + 1
  bool failed = false;     // a read error other than end of input
};

// Reads `in` to its end, or until more than max_bytes have arrived (then stops: an endless
// pipe does not hang the caller).
BoundedRead read_bounded(std::istream& in, size_t max_bytes);

}  // namespace promvet::sources
