#include "inventory/http_fetch.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>

#include "base/strings.h"
#include "inventory/http_fetch_module_internal.h"

namespace promvet::inventory {
namespace {

std::atomic<FetchModuleLocator> g_locator{nullptr};

// Rejects what curl would otherwise send verbatim: a CR/LF in a header lets
// a config value inject extra headers or requests.
bool valid_header_value(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

struct LoadedModule {
  const promvet_fetch_module* module = nullptr;
  std::string error;  // why there is none
};

// dlopen + the entry point + the ABI check; "" when `path` gave a usable module.
std::string try_open(const std::string& path, const promvet_fetch_module** out) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* e = dlerror();
    return e ? e : path + ": cannot be loaded";
  }
  auto entry = reinterpret_cast<const promvet_fetch_module* (*)()>(dlsym(handle, kFetchModuleSymbol));
  const promvet_fetch_module* m = entry ? entry() : nullptr;
  if (!m) {
    dlclose(handle);
    return path + ": not a promvet fetcher (no " + kFetchModuleSymbol + ")";
  }
  if (m->abi != kFetchModuleAbi || std::string_view(m->promvet_version) != PROMVET_VERSION) {
    std::string e = fmt::format("{}: built for promvet {} (interface {}), this is promvet {} (interface {})", path,
                                m->promvet_version, m->abi, PROMVET_VERSION, kFetchModuleAbi);
    dlclose(handle);
    return e;
  }
  *out = m;  // never closed: the module stays for the rest of the process
  return {};
}

LoadedModule load_module() {
  LoadedModule out;
  // $PROMVET_FETCH_MODULE is taken as given; otherwise the first candidate that exists.
  if (const char* env = std::getenv("PROMVET_FETCH_MODULE"); env && *env) {
    std::string e = try_open(env, &out.module);
    if (!out.module) out.error = "cannot load the HTTP fetcher ($PROMVET_FETCH_MODULE): " + e;
    return out;
  }
  std::vector<std::string> candidates;
  if (FetchModuleLocator locate = g_locator.load()) candidates = locate();
  candidates.push_back(PROMVET_FETCH_MODULE_INSTALL_PATH);
  candidates.push_back(PROMVET_FETCH_MODULE_BUILD_PATH);
  std::string tried;
  std::error_code ec;
  for (const std::string& path : candidates) {
    if (path.empty() || !std::filesystem::exists(path, ec)) {
      if (!path.empty()) tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    std::string e = try_open(path, &out.module);
    if (out.module) return out;
    // A module of another build (a stale install) is passed over for the next candidate.
    out.error = "cannot load the HTTP fetcher: " + e;
  }
  if (out.error.empty())
    out.error = std::string("the HTTP fetcher ") + kFetchModuleFile + " is not installed (looked for " + tried +
                "); reinstall promvet or set PROMVET_FETCH_MODULE";
  return out;
}

const LoadedModule& module() {
  static const LoadedModule loaded = load_module();  // once per process, thread-safe
  return loaded;
}

// What the module's C callbacks call: the caller's std::functions, their exceptions caught here.
struct Callbacks {
  const ContentTypeCallback* on_start;
  const ChunkCallback* on_chunk;
  std::string error;  // what() of a callback that threw
};

template <typename F>
int guarded(Callbacks& cb, const char** error, F&& call) {
  try {
    return call() ? 0 : 1;
  } catch (const std::exception& e) {
    cb.error = e.what();
    *error = cb.error.c_str();
  } catch (...) {
  }
  return 2;
}

int call_on_start(void* user, const char* content_type, std::size_t size, const char** error) {
  auto& cb = *static_cast<Callbacks*>(user);
  return guarded(cb, error, [&] {
    if (*cb.on_start) (*cb.on_start)(std::string_view(content_type, size));
    return true;
  });
}

int call_on_chunk(void* user, const char* data, std::size_t size, const char** error) {
  auto& cb = *static_cast<Callbacks*>(user);
  return guarded(cb, error, [&] { return !*cb.on_chunk || (*cb.on_chunk)(std::string_view(data, size)); });
}

}  // namespace

void set_fetch_module_locator(FetchModuleLocator locator) { g_locator.store(locator); }

std::string fetch_module_error() { return module().module ? std::string() : module().error; }

// Go's url.Redacted(): keep the user, hide the password, so error messages
// can be printed and logged.
std::string redact_url(const std::string& url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  std::size_t authority = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string::npos) authority_end = url.size();
  std::size_t at = url.rfind('@', authority_end);
  if (at == std::string::npos || at < authority) return url;
  std::size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "xxxxx" + url.substr(at);
}

std::string url_escape(std::string_view s) {
  const promvet_fetch_module* m = module().module;
  if (!m) return {};
  char* escaped = m->url_escape(s.data(), s.size());
  if (!escaped) return {};
  std::string out(escaped);
  m->free_string(escaped);
  return out;
}

FetchResult fetch(const std::string& url, const FetchOptions& options, const ContentTypeCallback& on_start,
                  const ChunkCallback& on_chunk) {
  FetchResult result;
  const std::string shown = redact_url(url);
  auto fail = [&](std::string message) {
    result.ok = false;
    result.error = shown + ": " + message;
    return result;
  };

  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return fail("URL has no scheme; use http:// or https://");
  std::string scheme = base::ascii_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https")
    return fail(fmt::format("unsupported URL scheme \"{}\"; only http and https are fetched", scheme));

  for (const std::string& h : options.headers) {
    if (h.find(':') == std::string::npos || h.front() == ':' || !valid_header_value(h))
      return fail(fmt::format("invalid header \"{}\"; expected \"Name: value\" on one line", h));
  }
  if (!valid_header_value(options.bearer_token)) return fail("invalid bearer token: contains a line break");

  const promvet_fetch_module* m = module().module;
  if (!m) return fail(module().error);

  std::vector<const char*> headers;
  headers.reserve(options.headers.size());
  for (const std::string& h : options.headers) headers.push_back(h.c_str());
  promvet_fetch_options o{};
  o.timeout_seconds = options.timeout_seconds;
  o.max_bytes = options.max_bytes;
  o.headers = headers.data();
  o.header_count = headers.size();
  o.bearer_token = options.bearer_token.c_str();
  o.verify_tls = options.verify_tls ? 1 : 0;
  o.accept = options.accept.c_str();
  o.stall_seconds = options.stall_seconds;

  Callbacks cb{&on_start, &on_chunk, {}};
  promvet_fetch_result r{};
  m->fetch(url.c_str(), &o, call_on_start, call_on_chunk, &cb, &r);
  result.ok = r.ok != 0;
  result.http_status = r.http_status;
  result.bytes = r.bytes;
  if (r.content_type) result.content_type = r.content_type;
  if (!result.ok) result.error = shown + ": " + (r.error ? r.error : "fetch failed");
  m->free_string(r.content_type);
  m->free_string(r.error);
  return result;
}

}  // namespace promvet::inventory
