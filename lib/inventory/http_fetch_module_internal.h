#pragma once
// The boundary between the inventory library (http_fetch.cpp) and the HTTP fetcher module
// libpromvet_fetch.so (http_fetch_curl.cpp), which alone links libcurl and with it TLS, Kerberos,
// LDAP and the rest: a run that fetches nothing never loads them (issue 21, docs/architecture.md).
//
// Plain C on purpose: the module may run beside a different copy of the C++ runtime (promvet links
// libstdc++ statically, the module uses the shared one), so no C++ object, allocation or exception
// crosses. Strings the module returns are malloc'ed and released with its free_string.
// Bump kFetchModuleAbi whenever anything here changes; the loader refuses another number.
#include <cstddef>
#include <cstdint>

extern "C" {

struct promvet_fetch_options {
  double timeout_seconds;
  std::uint64_t max_bytes;
  const char* const* headers;  // "Name: value", already checked (no CR/LF, a colon)
  std::size_t header_count;
  const char* bearer_token;  // "" for none
  int verify_tls;
  const char* accept;  // "" for none
  double stall_seconds;
};

// Return 0 to go on, 1 to stop the transfer (the reader said so), 2 when the reader failed;
// then *error may point at its message (owned by the caller, valid until fetch returns).
typedef int (*promvet_fetch_on_start)(void* user, const char* content_type, std::size_t size, const char** error);
typedef int (*promvet_fetch_on_chunk)(void* user, const char* data, std::size_t size, const char** error);

struct promvet_fetch_result {
  int ok;
  long http_status;
  std::uint64_t bytes;
  char* content_type;  // malloc'ed or null
  char* error;         // malloc'ed when !ok: what failed, without the URL
};

struct promvet_fetch_module {
  std::uint32_t abi;            // kFetchModuleAbi of the module's build
  const char* promvet_version;  // PROMVET_VERSION of the module's build
  void (*fetch)(const char* url, const promvet_fetch_options* options, promvet_fetch_on_start on_start,
                promvet_fetch_on_chunk on_chunk, void* user, promvet_fetch_result* out);
  char* (*url_escape)(const char* data, std::size_t size);  // libcurl's percent-encoding; null on failure
  void (*free_string)(char* s);
};

// The module's one exported symbol.
const promvet_fetch_module* promvet_fetch_module_v1(void);
}

namespace promvet::inventory {
inline constexpr std::uint32_t kFetchModuleAbi = 1;
inline constexpr const char* kFetchModuleSymbol = "promvet_fetch_module_v1";
}  // namespace promvet::inventory
