// STUB being replaced by the real fetcher.
#include "inventory/http_fetch.h"

namespace promvet::inventory {
FetchResult fetch(const std::string& url, const FetchOptions&, const ContentTypeCallback&,
                  const ChunkCallback&) {
  FetchResult r;
  r.error = "not implemented: " + url;
  return r;
}
}  // namespace promvet::inventory
