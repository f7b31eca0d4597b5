// End-to-end `promvet metrics http://...` against the adversarial fixture
// server (tests/support/http_fixture_server.py): exit codes 0/1/2, error
// text on stderr, findings positioned in the fetched body, and that a
// misbehaving endpoint cannot hold the CLI past its --timeout.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "support/fixture_server.h"
#include "test_support.h"

namespace promvet::test {
namespace {


struct Timed {
  CommandResult r;
  double seconds = 0;
};

Timed promvet(const std::string& args) {
  auto t0 = std::chrono::steady_clock::now();
  Timed t;
  t.r = run(shell_quote(cli()) + " " + args, 60);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return t;
}

constexpr const char* kOmType = "application/openmetrics-text;%20version=1.0.0;%20charset=utf-8";

// The fixtures cli_metrics_test.cpp reads from files; line 4 of the broken
// one is the non-cumulative le="5" bucket.
const std::string kCleanOm = read_file(testdata("expfmt/clean.om"));
const std::string kBrokenOm = read_file(testdata("expfmt/histogram_not_cumulative.om"));

class CliUrl : public ServerTest {
 protected:
  static std::string served(const std::string& name, const std::string& content, const std::string& ct) {
    return url("/file?path=" + write_temp(name, content) + "&ct=" + ct);
  }
};

TEST_F(CliUrl, CleanOpenMetricsUrlExits0Silently) {
  std::string u = served("clean.om", kCleanOm, kOmType);
  Timed t = promvet("metrics " + shell_quote(u));
  EXPECT_EQ(t.r.exit_code, 0) << t.r.out << t.r.err;
  EXPECT_EQ(t.r.out, "");
  EXPECT_EQ(t.r.err, "");
}

TEST_F(CliUrl, TextAndOpenMetricsEndpointsBothExit0) {
  // One run, two URLs: each is parsed in the format its content type names.
  Timed t = promvet("metrics " + shell_quote(url("/metrics")) + " " + shell_quote(url("/om")));
  EXPECT_EQ(t.r.exit_code, 0) << t.r.out << t.r.err;
  EXPECT_EQ(t.r.out, "");
  EXPECT_EQ(t.r.err, "");
}

TEST_F(CliUrl, GzipEncodedTextUrlIsRead) {
  // /gzip refuses clients that do not take gzip and always compresses.
  Timed t = promvet("metrics --no-lint " + shell_quote(url("/gzip")));
  EXPECT_EQ(t.r.exit_code, 0) << t.r.out << t.r.err;
  EXPECT_EQ(t.r.err, "");
}

TEST_F(CliUrl, InvalidOpenMetricsUrlExits1WithPositionedFinding) {
  std::string u = served("broken.om", kBrokenOm, kOmType);
  Timed t = promvet("metrics " + shell_quote(u));
  EXPECT_EQ(t.r.exit_code, 1) << t.r.out << t.r.err;
  EXPECT_EQ(t.r.out.rfind(u + ":4:", 0), 0u) << t.r.out;
  EXPECT_NE(t.r.out.find("[expfmt/non-cumulative-buckets]"), std::string::npos) << t.r.out;
  EXPECT_NE(t.r.out.find("latency_seconds_bucket{le=\"5\"} 9\n"), std::string::npos) << t.r.out;
}

TEST_F(CliUrl, StalledEndpointExits2AfterTimeout) {
  Timed t = promvet("metrics --timeout 1 " + shell_quote(url("/stall")));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find("promvet: error: " + url("/stall") + ": timed out after 1s"), std::string::npos) << t.r.err;
  EXPECT_LT(t.seconds, 5);
}

TEST_F(CliUrl, HugeContentLengthExits2WithMaxBytesError) {
  Timed t = promvet("metrics --max-bytes 1000 " + shell_quote(url("/huge")));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find(url("/huge") + ": response body exceeds 1000 bytes (--max-bytes)"), std::string::npos)
      << t.r.err;
  EXPECT_LT(t.seconds, 5);
}

TEST_F(CliUrl, GzipBombExits2AtMaxBytes) {
  Timed t = promvet("metrics --max-bytes 10000000 " + shell_quote(url("/gzip-bomb")));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find("response body exceeds 10000000 bytes (--max-bytes)"), std::string::npos) << t.r.err;
  EXPECT_LT(t.seconds, 5);
}

TEST_F(CliUrl, EndlessBodyExits2AtMaxBytes) {
  Timed t = promvet("metrics --no-lint --max-bytes 2000000 " + shell_quote(url("/endless")));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find("response body exceeds 2000000 bytes (--max-bytes)"), std::string::npos) << t.r.err;
  EXPECT_LT(t.seconds, 5);
}

TEST_F(CliUrl, HtmlContentTypeIsAContentTypeFindingExit1) {
  // The fetch works; the CLI refuses to parse and reports it as a finding.
  Timed t = promvet("metrics " + shell_quote(url("/html")));
  EXPECT_EQ(t.r.exit_code, 1) << t.r.out << t.r.err;
  EXPECT_NE(t.r.out.find(url("/html") + ": error: unexpected content type \"text/html; charset=utf-8\""),
            std::string::npos)
      << t.r.out;
  EXPECT_NE(t.r.out.find("[expfmt/content-type]"), std::string::npos) << t.r.out;
  EXPECT_EQ(t.r.err, "");
}

TEST_F(CliUrl, ServerErrorExits2WithStatus) {
  Timed t = promvet("metrics " + shell_quote(url("/status/500")));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find(url("/status/500") + ": server returned HTTP status 500 Internal Server Error"),
            std::string::npos)
      << t.r.err;
}

TEST_F(CliUrl, RefusedConnectionExits2Quickly) {
  std::string u = "http://127.0.0.1:" + std::to_string(closed_port()) + "/metrics";
  Timed t = promvet("metrics " + shell_quote(u));
  EXPECT_EQ(t.r.exit_code, 2) << t.r.out << t.r.err;
  EXPECT_NE(t.r.err.find(u + ": connection refused"), std::string::npos) << t.r.err;
  EXPECT_LT(t.seconds, 3);
}

TEST_F(CliUrl, HeaderAndBearerTokenFileReachTheServer) {
  // /require answers 403 unless every listed header arrived as given.
  std::string u = url("/require?header=X-Scope-OrgID:tenant-1&header=Authorization:Bearer%20s3cr3t");
  std::string token = write_temp("token", "s3cr3t\n");
  Timed ok = promvet("metrics --no-lint --header 'X-Scope-OrgID: tenant-1' --bearer-token-file " + shell_quote(token) +
                     " " + shell_quote(u));
  EXPECT_EQ(ok.r.exit_code, 0) << ok.r.out << ok.r.err;
  Timed denied = promvet("metrics --no-lint --header 'X-Scope-OrgID: tenant-1' " + shell_quote(u));
  EXPECT_EQ(denied.r.exit_code, 2) << denied.r.out << denied.r.err;
  EXPECT_NE(denied.r.err.find("server returned HTTP status 403 Forbidden"), std::string::npos) << denied.r.err;
}

}  // namespace
}  // namespace promvet::test
