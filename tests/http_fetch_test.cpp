// inventory::fetch() against tests/support/http_fixture_server.py: exact
// bytes and content types, transparent gzip, and every way a /metrics
// endpoint can misbehave (bomb, stall, trickle, endless, huge, bad status,
// redirects, refused connection, foreign schemes). Each failure case checks
// the error text and that fetch() returned within a bound of its timeout.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "inventory/http_fetch.h"
#include "support/fixture_server.h"
#include "test_support.h"

namespace promvet::inventory {
namespace {

using Clock = std::chrono::steady_clock;

struct Fetched {
  FetchResult result;
  std::string body;
  std::string content_type;
  int starts = 0;
  int chunks = 0;
  bool chunk_before_start = false;
  double seconds = 0;
};

Fetched get(const std::string& url, const FetchOptions& o = {}, const ChunkCallback& extra = nullptr) {
  Fetched f;
  auto t0 = Clock::now();
  f.result = fetch(
      url, o,
      [&](std::string_view ct) {
        ++f.starts;
        f.content_type = std::string(ct);
      },
      [&](std::string_view chunk) {
        if (f.starts == 0) f.chunk_before_start = true;
        ++f.chunks;
        f.body.append(chunk);
        return extra ? extra(chunk) : true;
      });
  f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return f;
}

FetchOptions with_timeout(double seconds) {
  FetchOptions o;
  o.timeout_seconds = seconds;
  return o;
}

class HttpFetch : public test::ServerTest {};

const std::string kMetricsStart = "# HELP http_requests_total Requests handled.\n";

TEST_F(HttpFetch, DeliversExactBytesOfAFileAcrossManyChunks) {
  // ~1.2 MB with NULs, CRLFs and non-ASCII bytes: nothing may be altered.
  std::string path = "/tmp/promvet-http-fetch-" + std::to_string(getpid()) + ".bin";
  std::string data;
  for (int i = 0; i < 40000; ++i) data += "m{i=\"" + std::to_string(i) + "\"} 1\r\n\xc3\xa9" + '\0';
  std::ofstream(path, std::ios::binary) << data;
  Fetched f = get(url("/file?path=" + path + "&ct=text/plain;%20version=0.0.4"));
  std::remove(path.c_str());
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.body.size(), data.size());
  EXPECT_TRUE(f.body == data);
  EXPECT_EQ(f.result.bytes, data.size());
  EXPECT_GT(f.chunks, 1);
  EXPECT_EQ(f.starts, 1);
  EXPECT_FALSE(f.chunk_before_start);
  EXPECT_EQ(f.content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(f.result.http_status, 200);
}

TEST_F(HttpFetch, ReportsTextFormatContentType) {
  Fetched f = get(url("/metrics"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.body.substr(0, kMetricsStart.size()), kMetricsStart);
  EXPECT_EQ(f.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(f.result.content_type, f.content_type);
}

TEST_F(HttpFetch, ReportsOpenMetricsContentType) {
  Fetched f = get(url("/om"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
  ASSERT_GE(f.body.size(), 6u);
  EXPECT_EQ(f.body.substr(f.body.size() - 6), "# EOF\n");
}

TEST_F(HttpFetch, DecompressesGzipTransparently) {
  // /gzip answers 406 unless Accept-Encoding has gzip, and otherwise always
  // compresses: success with the plain text proves curl inflated it.
  Fetched plain = get(url("/metrics"));
  Fetched f = get(url("/gzip"));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.body, plain.body);
  EXPECT_EQ(f.result.bytes, plain.body.size());
}

TEST_F(HttpFetch, StopsGzipBombAtMaxBytesOfDecompressedBody) {
  FetchOptions o = with_timeout(10);
  o.max_bytes = 8 << 20;  // the stream inflates to 1.1 GiB
  Fetched f = get(url("/gzip-bomb"), o);
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find(": response body exceeds 8388608 bytes (--max-bytes)"), std::string::npos)
      << f.result.error;
  EXPECT_LE(f.body.size(), o.max_bytes);
  EXPECT_GT(f.body.size(), 1u << 20);  // it did stream, then stopped
  EXPECT_LT(f.seconds, 5);
}

TEST_F(HttpFetch, TimesOutOnTricklingBody) {
  // One byte per 0.2 s never stalls, so the total timeout must end it.
  Fetched f = get(url("/slow"), with_timeout(1));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/slow") + ": timed out after 1s");
  EXPECT_EQ(f.starts, 1);  // headers and some bytes did arrive
  EXPECT_GE(f.seconds, 0.9);
  EXPECT_LT(f.seconds, 4);
}

TEST_F(HttpFetch, StalledServerFailsAfterStallSecondsNotTimeout) {
  FetchOptions o = with_timeout(20);
  o.stall_seconds = 1;
  Fetched f = get(url("/stall"), o);
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/stall") + ": no data received for 1s");
  EXPECT_EQ(f.body, kMetricsStart.substr(0, 20));
  EXPECT_GE(f.seconds, 0.9);
  EXPECT_LT(f.seconds, 4);
}

TEST_F(HttpFetch, StalledServerFailsAtTimeoutWhenShorterThanStall) {
  Fetched f = get(url("/stall"), with_timeout(1.5));  // stall_seconds stays 5
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/stall") + ": timed out after 1.5s");
  EXPECT_LT(f.seconds, 4.5);
}

TEST_F(HttpFetch, SlowFirstByteIsNotAStall) {
  // An exporter may compute its metrics before answering; only the total
  // timeout bounds that wait.
  FetchOptions o = with_timeout(5);
  o.stall_seconds = 1;
  Fetched f = get(url("/delay?seconds=2"), o);
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.body.substr(0, kMetricsStart.size()), kMetricsStart);
  EXPECT_GE(f.seconds, 1.9);
  EXPECT_LT(f.seconds, 4.5);
}

TEST_F(HttpFetch, SlowFirstByteTimesOut) {
  Fetched f = get(url("/delay?seconds=5"), with_timeout(1));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/delay?seconds=5") + ": timed out after 1s");
  EXPECT_EQ(f.starts, 0);
  EXPECT_LT(f.seconds, 4);
}

TEST_F(HttpFetch, StopsEndlessBodyAtMaxBytes) {
  FetchOptions o = with_timeout(10);
  o.max_bytes = 1 << 20;
  Fetched f = get(url("/endless"), o);
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find(": response body exceeds 1048576 bytes (--max-bytes)"), std::string::npos)
      << f.result.error;
  EXPECT_LE(f.body.size(), o.max_bytes);
  EXPECT_EQ(f.result.bytes, f.body.size());
  EXPECT_LT(f.seconds, 5);
}

TEST_F(HttpFetch, RejectsContentLengthAboveMaxBytesBeforeReadingBody) {
  FetchOptions o = with_timeout(10);
  o.max_bytes = 1 << 20;
  Fetched f = get(url("/huge"), o);  // Content-Length: 8 GiB
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/huge") + ": response body exceeds 1048576 bytes (--max-bytes)");
  EXPECT_EQ(f.body.size(), 0u);
  EXPECT_EQ(f.starts, 0);
  EXPECT_LT(f.seconds, 3);
}

TEST_F(HttpFetch, DefaultCapRejectsHugeContentLength) {
  Fetched f = get(url("/huge"), with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find("response body exceeds 268435456 bytes (--max-bytes)"), std::string::npos)
      << f.result.error;
  EXPECT_EQ(f.chunks, 0);
  EXPECT_LT(f.seconds, 3);
}

TEST_F(HttpFetch, BodyOfExactlyMaxBytesIsAcceptedOneMoreIsNot) {
  // Content-Length is the compressed size, below both caps: only the count
  // of decompressed bytes in the write callback can decide.
  Fetched plain = get(url("/gzip"));
  ASSERT_TRUE(plain.result.ok) << plain.result.error;
  FetchOptions o = with_timeout(5);
  o.max_bytes = plain.body.size();
  Fetched exact = get(url("/gzip"), o);
  EXPECT_TRUE(exact.result.ok) << exact.result.error;
  EXPECT_EQ(exact.body, plain.body);
  o.max_bytes = plain.body.size() - 1;
  Fetched over = get(url("/gzip"), o);
  EXPECT_FALSE(over.result.ok);
  EXPECT_EQ(over.result.error,
            url("/gzip") + ": response body exceeds " + std::to_string(o.max_bytes) + " bytes (--max-bytes)");
}

TEST_F(HttpFetch, NotFoundIsAnErrorWithStatusAndReason) {
  Fetched f = get(url("/status/404"), with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/status/404") + ": server returned HTTP status 404 Not Found");
  EXPECT_EQ(f.result.http_status, 404);
  EXPECT_EQ(f.starts, 0);
  EXPECT_EQ(f.chunks, 0);
}

TEST_F(HttpFetch, ServerErrorIsAnErrorWithStatusAndReason) {
  Fetched f = get(url("/status/500"), with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/status/500") + ": server returned HTTP status 500 Internal Server Error");
  EXPECT_EQ(f.result.http_status, 500);
  EXPECT_EQ(f.starts, 0);
}

TEST_F(HttpFetch, NonSuccessStatusWithEmptyBodyIsAnError) {
  // 204 is 2xx and fine; a 3xx that is not followed (no Location) is not.
  Fetched ok = get(url("/status/204"), with_timeout(5));
  EXPECT_TRUE(ok.result.ok) << ok.result.error;
  EXPECT_EQ(ok.starts, 1);
  Fetched f = get(url("/status/304"), with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find("server returned HTTP status 304"), std::string::npos) << f.result.error;
  EXPECT_EQ(f.starts, 0);
}

TEST_F(HttpFetch, FollowsRedirect) {
  Fetched f = get(url("/redirect?to=/om"), with_timeout(5));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.result.http_status, 200);
  EXPECT_EQ(f.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(f.starts, 1);
}

TEST_F(HttpFetch, FollowsFiveRedirectsButNotSix) {
  Fetched five = get(url("/redirect-chain/5"), with_timeout(5));
  EXPECT_TRUE(five.result.ok) << five.result.error;
  EXPECT_EQ(five.body.substr(0, kMetricsStart.size()), kMetricsStart);
  Fetched six = get(url("/redirect-chain/6"), with_timeout(5));
  EXPECT_FALSE(six.result.ok);
  EXPECT_EQ(six.result.error, url("/redirect-chain/6") + ": too many redirects (more than 5)");
  EXPECT_EQ(six.starts, 0);
}

TEST_F(HttpFetch, RefusesRedirectToFileScheme) {
  Fetched f = get(url("/redirect?to=file:///etc/passwd"), with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, url("/redirect?to=file:///etc/passwd") +
                                ": redirected to unsupported URL scheme \"file\"; only http and https are fetched");
  EXPECT_EQ(f.chunks, 0);
  EXPECT_EQ(f.body.find("root:"), std::string::npos);
}

TEST_F(HttpFetch, UnreachablePortIsConnectionRefusedQuickly) {
  std::string u = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/metrics";
  Fetched f = get(u, with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, u + ": connection refused");
  EXPECT_EQ(f.starts, 0);
  EXPECT_LT(f.seconds, 2);
}

TEST_F(HttpFetch, RedactsPasswordInErrors) {
  int port = test::closed_port();
  Fetched f = get("http://scraper:hunter2@127.0.0.1:" + std::to_string(port) + "/metrics", with_timeout(5));
  EXPECT_FALSE(f.result.ok);
  EXPECT_EQ(f.result.error, "http://scraper:xxxxx@127.0.0.1:" + std::to_string(port) + "/metrics: connection refused");
}

TEST_F(HttpFetch, SendsHeadersBearerTokenAcceptAndUserAgent) {
  FetchOptions o = with_timeout(5);
  o.headers = {"X-Scope-OrgID: tenant-1", "X-Empty-Check: a b"};
  o.bearer_token = "s3cr3t";
  Fetched f = get(url("/echo-headers"), o);
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_NE(f.body.find("X-Scope-OrgID: tenant-1\n"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("X-Empty-Check: a b\n"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("Authorization: Bearer s3cr3t\n"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("User-Agent: promvet/0.1.0\n"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("Accept: " + std::string(kScrapeAccept) + "\n"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("Accept-Encoding: "), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("gzip"), std::string::npos) << f.body;
}

TEST_F(HttpFetch, CallerHeaderReplacesBuiltInAccept) {
  FetchOptions o = with_timeout(5);
  o.headers = {"Accept: text/plain"};
  Fetched f = get(url("/echo-headers"), o);
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_NE(f.body.find("Accept: text/plain\n"), std::string::npos) << f.body;
  EXPECT_EQ(f.body.find("openmetrics"), std::string::npos) << f.body;
}

TEST_F(HttpFetch, RejectsHeaderWithLineBreak) {
  FetchOptions o = with_timeout(5);
  o.headers = {"X-A: 1\r\nX-Injected: 2"};
  Fetched f = get(url("/echo-headers"), o);
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find("invalid header"), std::string::npos) << f.result.error;
  EXPECT_EQ(f.starts, 0);
}

TEST_F(HttpFetch, ChunkCallbackReturningFalseAbortsTransfer) {
  Fetched f = get(url("/endless"), with_timeout(10), [](std::string_view) { return false; });
  EXPECT_FALSE(f.result.ok);
  EXPECT_NE(f.result.error.find(": transfer aborted by the reader"), std::string::npos) << f.result.error;
  EXPECT_EQ(f.chunks, 1);
  EXPECT_LT(f.seconds, 3);
}

TEST_F(HttpFetch, ThrowingCallbackBecomesAnError) {
  FetchResult r = fetch(
      url("/metrics"), with_timeout(5), [](std::string_view) {},
      [](std::string_view) -> bool { throw std::runtime_error("parser exploded"); });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("transfer aborted: reader failed: parser exploded"), std::string::npos) << r.error;
}

TEST_F(HttpFetch, EmptyBodyStillCallsOnStartOnce) {
  Fetched f = get(url("/empty"), with_timeout(5));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.starts, 1);
  EXPECT_EQ(f.chunks, 0);
  EXPECT_EQ(f.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(f.result.bytes, 0u);
}

TEST_F(HttpFetch, HtmlIsFetchedWithItsContentTypeForTheCallerToJudge) {
  Fetched f = get(url("/html"), with_timeout(5));
  ASSERT_TRUE(f.result.ok) << f.result.error;
  EXPECT_EQ(f.content_type, "text/html; charset=utf-8");
  EXPECT_NE(f.body.find("<html>"), std::string::npos);
}

TEST_F(HttpFetch, ConcurrentFetchesAreIndependent) {
  // The header promises thread-safety, first use (curl_global_init) included.
  std::vector<Fetched> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = get(url(i % 2 ? "/om" : "/gzip"), with_timeout(5)); });
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].result.ok) << results[i].result.error;
    EXPECT_EQ(results[i].content_type, i % 2 ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                             : "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(results[i].starts, 1);
  }
}

TEST_F(HttpFetch, RefusesNonHttpSchemes) {
  for (std::string u : {"file:///etc/passwd", "ftp://127.0.0.1/metrics", "FILE:///etc/passwd", "gopher://127.0.0.1/"}) {
    Fetched f = get(u, with_timeout(5));
    EXPECT_FALSE(f.result.ok) << u;
    EXPECT_NE(f.result.error.find(u + ": unsupported URL scheme \""), std::string::npos) << f.result.error;
    EXPECT_NE(f.result.error.find("only http and https are fetched"), std::string::npos) << f.result.error;
    EXPECT_EQ(f.starts, 0);
    EXPECT_EQ(f.chunks, 0);
  }
  Fetched bare = get("127.0.0.1/metrics", with_timeout(5));
  EXPECT_FALSE(bare.result.ok);
  EXPECT_NE(bare.result.error.find("URL has no scheme"), std::string::npos) << bare.result.error;
}

}  // namespace
}  // namespace promvet::inventory
