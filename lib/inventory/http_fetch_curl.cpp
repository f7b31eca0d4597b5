// libpromvet_fetch.so: the libcurl side of inventory::fetch() (http_fetch.h), loaded by
// http_fetch.cpp on the first fetch. Its interface is the C struct of http_fetch_module_internal.h;
// URL scheme, header and token checks happen before, in the library.
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "inventory/http_fetch_module_internal.h"

namespace promvet::inventory {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kUserAgent = "promvet/0.1.0";
constexpr long kMaxRedirects = 5;
constexpr double kMaxConnectSeconds = 5;
constexpr double kDefaultTimeoutSeconds = 10;

// curl_global_init is not thread-safe and must run once per process; we
// never call curl_global_cleanup (process exit does that job safely).
CURLcode global_init() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return rc;
}

// "1.5s", "10s": what the user typed, not 10.000000.
std::string seconds(double s) { return fmt::format("{}s", s); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_header(const promvet_fetch_options& o, std::string_view name) {
  for (std::size_t i = 0; i < o.header_count; ++i) {
    std::string_view h = o.headers[i];
    std::size_t colon = h.find(':');
    if (colon != std::string_view::npos && lower(std::string(h.substr(0, colon))) == name) return true;
  }
  return false;
}

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// What the module's callers get back, before it is copied into promvet_fetch_result.
struct Result {
  long http_status = 0;
  std::string content_type;
  std::uint64_t bytes = 0;
};

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

enum class Abort { kNone, kTooLarge, kByCallback, kCallbackThrew, kBadStatus, kStalled };

// Everything the C callbacks touch; lives on fetch()'s stack.
struct Transfer {
  CURL* curl = nullptr;
  promvet_fetch_on_start on_start = nullptr;
  promvet_fetch_on_chunk on_chunk = nullptr;
  void* user = nullptr;
  std::uint64_t max_bytes = 0;
  std::chrono::duration<double> stall{0};

  Result* result = nullptr;
  bool started = false;
  Abort abort = Abort::kNone;
  std::string callback_error;  // the message of a reader that failed
  std::string reason;          // reason phrase of the last status line

  // Stall clock: runs from the first response header line and restarts on
  // every header line or body byte. Before that the server may legitimately
  // be computing its metrics; the total timeout bounds that wait.
  bool responding = false;
  curl_off_t last_dlnow = 0;
  Clock::time_point last_activity{};
};

bool is_2xx(long status) { return status >= 200 && status < 300; }

void read_status(Transfer& t) {
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  t.result->http_status = status;
}

// Calls on_start once for a 2xx response; false means the transfer must stop.
bool start(Transfer& t) {
  if (t.started) return true;
  read_status(t);
  if (!is_2xx(t.result->http_status)) {
    t.abort = Abort::kBadStatus;
    return false;
  }
  const char* ct = nullptr;
  curl_easy_getinfo(t.curl, CURLINFO_CONTENT_TYPE, &ct);
  t.result->content_type = ct != nullptr ? ct : "";
  t.started = true;
  const char* error = nullptr;
  int rc = t.on_start(t.user, t.result->content_type.data(), t.result->content_type.size(), &error);
  if (rc == 0) return true;
  if (error) t.callback_error = error;
  t.abort = rc == 1 ? Abort::kByCallback : Abort::kCallbackThrew;
  return false;
}

// Receives the body after curl's decompression, so max_bytes bounds what the
// caller sees even for a gzip bomb (curl hands at most CURL_MAX_WRITE_SIZE
// per call). Returning anything but n aborts with CURLE_WRITE_ERROR.
size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t len = size * n;
  t.last_activity = Clock::now();
  if (!start(t)) return 0;
  if (len > t.max_bytes - t.result->bytes) {
    t.abort = Abort::kTooLarge;
    return 0;
  }
  t.result->bytes += len;
  const char* error = nullptr;
  int rc = t.on_chunk(t.user, data, len, &error);
  if (rc == 0) return len;
  if (error) t.callback_error = error;
  t.abort = rc == 1 ? Abort::kByCallback : Abort::kCallbackThrew;
  return 0;
}

// Sees every header line of every response (redirects included); keeps the
// reason phrase of the latest status line for the error message.
size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t len = size * n;
  t.responding = true;
  t.last_activity = Clock::now();
  std::string_view line(data, len);
  if (line.substr(0, 5) == "HTTP/") {
    t.reason.clear();
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 != std::string_view::npos) {
      std::string_view r = line.substr(sp2 + 1);
      while (!r.empty() && (r.back() == '\r' || r.back() == '\n' || r.back() == ' ')) r.remove_suffix(1);
      t.reason = std::string(r);
    }
  }
  return len;
}

// Stall detection, in place of CURLOPT_LOW_SPEED_*: those also count the wait
// for the first byte and report a vague "operation too slow". curl calls this
// about once a second even when nothing arrives, so a stall is noticed within
// ~1s of stall_seconds.
int on_progress(void* user, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (!t.responding) return 0;
  Clock::time_point now = Clock::now();
  if (dlnow != t.last_dlnow) {
    t.last_dlnow = dlnow;
    t.last_activity = now;
  }
  if (now - t.last_activity >= t.stall) {
    t.abort = Abort::kStalled;
    return 1;
  }
  return 0;
}

// The rest of curl's message after `key`, e.g. the host in "Could not
// resolve host: example.invalid".
std::string after_key(const std::string& detail, std::string_view key) {
  std::size_t at = detail.find(key);
  return at == std::string::npos ? std::string() : detail.substr(at + key.size());
}

std::string status_message(const Transfer& t) {
  std::string m = fmt::format("server returned HTTP status {}", t.result->http_status);
  if (!t.reason.empty()) m += " " + t.reason;
  return m;
}

std::string describe(CURLcode rc, const Transfer& t, const promvet_fetch_options& o, double timeout, double stall,
                     const char* errbuf) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  switch (t.abort) {
    case Abort::kTooLarge: return fmt::format("response body exceeds {} bytes (--max-bytes)", o.max_bytes);
    case Abort::kByCallback: return "transfer aborted by the reader";
    case Abort::kCallbackThrew:
      return "transfer aborted: reader failed" + (t.callback_error.empty() ? std::string() : ": " + t.callback_error);
    case Abort::kBadStatus: return status_message(t);
    case Abort::kStalled: return fmt::format("no data received for {}", seconds(stall));
    case Abort::kNone: break;
  }
  switch (rc) {
    case CURLE_FILESIZE_EXCEEDED:  // Content-Length above CURLOPT_MAXFILESIZE_LARGE
      return fmt::format("response body exceeds {} bytes (--max-bytes)", o.max_bytes);
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected = 0;
      curl_easy_getinfo(t.curl, CURLINFO_CONNECT_TIME_T, &connected);
      if (connected == 0)
        return fmt::format("timed out after {} while connecting", seconds(std::min(timeout, kMaxConnectSeconds)));
      return fmt::format("timed out after {}", seconds(timeout));
    }
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(t.curl, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED) return "connection refused";
      if (os_errno != 0) return fmt::format("cannot connect: {}", std::strerror(static_cast<int>(os_errno)));
      return "cannot connect: " + detail;
    }
    case CURLE_COULDNT_RESOLVE_HOST: {
      std::string host = after_key(detail, "host: ");
      return host.empty() ? "cannot resolve host" : fmt::format("cannot resolve host \"{}\"", host);
    }
    case CURLE_UNSUPPORTED_PROTOCOL: {  // only reachable through a redirect
      std::size_t q1 = detail.find('"');
      std::size_t q2 = q1 == std::string::npos ? q1 : detail.find('"', q1 + 1);
      std::string scheme = q2 == std::string::npos ? "" : " " + detail.substr(q1, q2 - q1 + 1);
      return "redirected to unsupported URL scheme" + scheme + "; only http and https are fetched";
    }
    case CURLE_TOO_MANY_REDIRECTS: return fmt::format("too many redirects (more than {})", kMaxRedirects);
    case CURLE_PEER_FAILED_VERIFICATION: return "TLS certificate verification failed: " + detail;
    case CURLE_SSL_CONNECT_ERROR: return "TLS handshake failed: " + detail;
    case CURLE_BAD_CONTENT_ENCODING: return "cannot decode the compressed response body: " + detail;
    case CURLE_GOT_NOTHING: return "server closed the connection without sending a response";
    case CURLE_PARTIAL_FILE: return "connection closed before the whole body arrived: " + detail;
    case CURLE_URL_MALFORMAT: return "malformed URL: " + detail;
    default: return detail;
  }
}

// The options' total and stall timeouts, in seconds; a missing or nonsensical value falls back to
// the default (total) or to the total (stall).
struct Timeouts {
  double total = kDefaultTimeoutSeconds;
  double stall = kDefaultTimeoutSeconds;
};

Timeouts timeouts(const promvet_fetch_options& o) {
  Timeouts t;
  t.total = o.timeout_seconds;
  if (!(t.total > 0) || !std::isfinite(t.total)) t.total = kDefaultTimeoutSeconds;
  t.stall = o.stall_seconds;
  if (!(t.stall > 0) || !std::isfinite(t.stall)) t.stall = t.total;
  return t;
}

// curl takes whole milliseconds, and 0 would mean "no timeout".
long to_ms(double s) { return std::max(1L, static_cast<long>(std::llround(s * 1000))); }

std::unique_ptr<curl_slist, SlistDeleter> request_headers(const promvet_fetch_options& options) {
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* l = curl_slist_append(headers.get(), h.c_str());
    if (l != nullptr) {
      (void)headers.release();
      headers.reset(l);
    }
  };
  // The caller's own header wins over a built-in one of the same name.
  if (*options.accept && !has_header(options, "accept")) add_header(std::string("Accept: ") + options.accept);
  if (*options.bearer_token && !has_header(options, "authorization"))
    add_header(std::string("Authorization: Bearer ") + options.bearer_token);
  for (std::size_t i = 0; i < options.header_count; ++i) add_header(options.headers[i]);
  return headers;
}

// Everything set on the handle before curl_easy_perform; `headers`, `t` and `errbuf` must outlive
// the transfer.
void configure(CURL* c, const char* url, const promvet_fetch_options& options, const Timeouts& limits,
               curl_slist* headers, Transfer& t, char* errbuf) {
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe in threads
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to_ms(limits.total));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, to_ms(std::min(limits.total, kMaxConnectSeconds)));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every coding curl can decode
  // Rejects a declared Content-Length early; on_write counts what is decoded.
  const auto off_t_max = static_cast<std::uint64_t>(std::numeric_limits<curl_off_t>::max());
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(std::min(options.max_bytes, off_t_max)));
  curl_easy_setopt(c, CURLOPT_USERAGENT, has_header(options, "user-agent") ? nullptr : kUserAgent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

void fetch_with_curl(const char* url, const promvet_fetch_options* options_in, promvet_fetch_on_start on_start,
                     promvet_fetch_on_chunk on_chunk, void* user, promvet_fetch_result* out) noexcept {
  *out = promvet_fetch_result{};
  Result result;
  auto fail = [&](const std::string& message) {
    out->ok = 0;
    out->error = copy_string(message);
    out->http_status = result.http_status;
    out->bytes = result.bytes;
    if (!result.content_type.empty()) out->content_type = copy_string(result.content_type);
  };
  try {  // nothing may leave the module as an exception (a bad_alloc, at worst)
    const promvet_fetch_options& options = *options_in;
    if (global_init() != CURLE_OK) return fail("cannot initialise libcurl");
    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) return fail("cannot initialise libcurl");
    CURL* c = curl.get();
    const Timeouts limits = timeouts(options);

    Transfer t;
    t.curl = c;
    t.on_start = on_start;
    t.on_chunk = on_chunk;
    t.user = user;
    t.max_bytes = options.max_bytes;
    t.stall = std::chrono::duration<double>(limits.stall);
    t.result = &result;

    std::unique_ptr<curl_slist, SlistDeleter> headers = request_headers(options);
    char errbuf[CURL_ERROR_SIZE] = {0};
    configure(c, url, options, limits, headers.get(), t, errbuf);

    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      if (result.http_status == 0) read_status(t);
      return fail(describe(rc, t, options, limits.total, limits.stall, errbuf));
    }
    // An empty body never reaches on_write: start (or reject) here.
    if (!start(t)) return fail(describe(CURLE_OK, t, options, limits.total, limits.stall, errbuf));
    out->ok = 1;
    out->http_status = result.http_status;
    out->bytes = result.bytes;
    out->content_type = copy_string(result.content_type);
  } catch (const std::exception& e) {
    fail(std::string("fetch failed: ") + e.what());
  }
}

char* url_escape_with_curl(const char* data, std::size_t size) noexcept {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) return nullptr;
  // libcurl ignores the handle argument since 7.82 (Debian 12 has 7.88).
  char* escaped = curl_easy_escape(nullptr, data, static_cast<int>(size));
  if (!escaped) return nullptr;
  char* out = static_cast<char*>(std::malloc(std::strlen(escaped) + 1));
  if (out) std::strcpy(out, escaped);
  curl_free(escaped);
  return out;
}

void free_string(char* s) noexcept { std::free(s); }

constexpr promvet_fetch_module kModule = {kFetchModuleAbi, PROMVET_VERSION, fetch_with_curl, url_escape_with_curl,
                                          free_string};

}  // namespace
}  // namespace promvet::inventory

extern "C" __attribute__((visibility("default"))) const promvet_fetch_module* promvet_fetch_module_v1(void) {
  return &promvet::inventory::kModule;
}
