// Bounded HTTP(S) GET for /metrics endpoints (libcurl), streaming the
// decompressed body to a callback so the exposition parser never needs the
// whole body in memory.
//
//   FetchOptions o;  o.timeout_seconds = 5;
//   FetchResult r = fetch(url, o,
//       [&](std::string_view content_type) { /* pick a parser */ },
//       [&](std::string_view chunk) { parser.feed(chunk); return true; });
//   if (!r.ok) std::cerr << r.error;
//
// Every call has a total timeout, a low-speed abort and a size cap; it never
// hangs and never throws. Thread-safe (one curl easy handle per call) once
// curl_global_init has run, which fetch() arranges itself.
//
// libcurl (and the TLS, Kerberos, LDAP... libraries it brings) lives in a module of its own,
// libpromvet_fetch.so, loaded on the first fetch, so that a run which fetches nothing never loads
// it (docs/architecture.md). It is looked for at $PROMVET_FETCH_MODULE (taken as given), then at
// the paths the locator returns (the CLI: next to the binary), the install directory configured at
// build time, then the build tree. Without it, fetch() fails with an error that says so.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace promvet::inventory {

// What Prometheus' scraper sends: OpenMetrics first, then text 0.0.4.
inline constexpr std::string_view kScrapeAccept =
    "application/openmetrics-text;version=1.0.0;q=0.5,"
    "text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

struct FetchOptions {
  double timeout_seconds = 10;             // whole transfer
  std::uint64_t max_bytes = 256ull << 20;  // decompressed body
  std::vector<std::string> headers;        // "Name: value"
  std::string bearer_token;                // sent as Authorization
  bool verify_tls = true;
  std::string accept = std::string(kScrapeAccept);
  // Abort when no byte arrives for this long once the response has started
  // (a server that stops mid-body fails fast instead of using the whole
  // timeout_seconds; waiting for the first byte is bounded by the timeout).
  double stall_seconds = 5;
};

struct FetchResult {
  bool ok = false;
  std::string error;  // set when !ok: what failed, with the URL
  long http_status = 0;
  std::string content_type;  // as sent by the server
  std::uint64_t bytes = 0;   // decompressed body bytes delivered
};

using ContentTypeCallback = std::function<void(std::string_view content_type)>;
// Return false to abort the transfer (reported as an error).
using ChunkCallback = std::function<bool(std::string_view chunk)>;

// Go's url.Redacted(): the URL with its password (http://user:password@host) shown as xxxxx, for
// every message, finding and saved inventory that names the URL. Anything else is returned as is.
std::string redact_url(const std::string& url);

// Where to look for libpromvet_fetch.so before the built-in places: full paths of the file, in
// order. Called once, on the first fetch; set it before. The CLI passes its data-dir lookup.
using FetchModuleLocator = std::vector<std::string> (*)();
void set_fetch_module_locator(FetchModuleLocator locator);
inline constexpr const char* kFetchModuleFile = "libpromvet_fetch.so";

// Loads the module if not yet done; "" when it is usable, else why not.
std::string fetch_module_error();

// libcurl's percent-encoding of everything but A-Z a-z 0-9 - . _ ~ (curl_easy_escape), through the
// module; "" when the module cannot be loaded (a fetch then reports why).
std::string url_escape(std::string_view s);

// on_start runs once, before the first chunk (also for an empty body) and
// only for a 2xx response; a non-2xx status is an error.
FetchResult fetch(const std::string& url, const FetchOptions& options, const ContentTypeCallback& on_start,
                  const ChunkCallback& on_chunk);

}  // namespace promvet::inventory
