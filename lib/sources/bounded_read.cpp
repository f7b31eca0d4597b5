#include "sources/bounded_read.h"

#include <algorithm>

namespace promvet::sources {

BoundedRead read_bounded(std::istream& in, size_t max_bytes) {
  BoundedRead r;
  char chunk[1 << 16];
  while (in) {
    size_t want = std::min(sizeof chunk, max_bytes + 1 - r.content.size());
    in.read(chunk, static_cast<std::streamsize>(want));
    r.content.append(chunk, static_cast<size_t>(in.gcount()));
    if (r.content.size() > max_bytes) {
      r.too_large = true;
      r.content.clear();
      r.content.shrink_to_fit();
      return r;
    }
  }
  r.failed = in.bad();
  return r;
}

}  // namespace promvet::sources
