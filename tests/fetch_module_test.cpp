// The HTTP fetcher lives in libpromvet_fetch.so, opened on the first fetch (inventory/http_fetch.h,
// issue 21): runs that fetch nothing never load libcurl; fetching, HTTPS included, works through
// the module; a missing or wrong module is a clear error (exit 2), never a crash.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "inventory/http_fetch.h"
#include "support/fixture_server.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

std::string dashboard() { return testdata("examples/dashboards/vllm_grafana_scraped.json"); }

// The libraries the dynamic loader opened during the command (LD_DEBUG=libs), as its log.
std::string loader_log(const std::string& args) {
  return run("LD_DEBUG=libs " + shell_quote(cli()) + " " + args + " 2>&1 >/dev/null").out;
}

TEST(FetchModule, RunsThatFetchNothingNeverLoadLibcurl) {
  for (std::string args :
       {std::string("--version"), "lint " + shell_quote(dashboard()), std::string("metadata pg_locks_count")}) {
    std::string log = loader_log(args);
    EXPECT_NE(log.find("libc.so"), std::string::npos) << args << ": LD_DEBUG gave no log\n" << log;
    EXPECT_EQ(log.find("libcurl"), std::string::npos) << args << "\n" << log;
    EXPECT_EQ(log.find("libpromvet_fetch"), std::string::npos) << args << "\n" << log;
  }
  // The control: a fetch loads the module, and libcurl with it (the connection is then refused).
  std::string log = loader_log("metrics http://127.0.0.1:" + std::to_string(closed_port()) + "/metrics");
  EXPECT_NE(log.find("libpromvet_fetch.so"), std::string::npos) << log;
  EXPECT_NE(log.find("libcurl"), std::string::npos) << log;
}

TEST(FetchModule, MissingModuleIsAClearErrorExit2) {
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/metrics";
  CommandResult r =
      run("PROMVET_FETCH_MODULE=/nonexistent/libpromvet_fetch.so " + shell_quote(cli()) + " metrics " + url);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(
      r.err.find(url + ": cannot load the HTTP fetcher ($PROMVET_FETCH_MODULE): /nonexistent/libpromvet_fetch.so"),
      std::string::npos)
      << r.err;

  std::string junk = write_temp("libpromvet_fetch.so", "not a shared object\n");
  r = run("PROMVET_FETCH_MODULE=" + shell_quote(junk) + " " + shell_quote(cli()) + " lint --inventory " + url + " " +
          shell_quote(dashboard()));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot load the HTTP fetcher"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(junk), std::string::npos) << r.err;

  // A shared object that is not the fetcher (no entry point) is refused by name.
  r = run("PROMVET_FETCH_MODULE=libz.so.1 " + shell_quote(cli()) + " metrics " + url);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("libz.so.1: not a promvet fetcher (no promvet_fetch_module_v1)"), std::string::npos) << r.err;
}

// An HTTPS fixture server with a throw-away self-signed certificate for 127.0.0.1.
class HttpsFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_program("openssl") || !have_program("python3")) GTEST_SKIP() << "openssl or python3 missing";
    dir_ = fs::temp_directory_path() / ("promvet-https-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::string cert = (dir_ / "cert.pem").string(), key = (dir_ / "key.pem").string();
    CommandResult r =
        run("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
            "subjectAltName=IP:127.0.0.1 -keyout " +
            shell_quote(key) + " -out " + shell_quote(cert) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_TRUE(server_.start(60, cert, key)) << "HTTPS fixture server did not start";
  }
  void TearDown() override {
    server_.stop();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  FixtureServer server_;
  fs::path dir_;
};

TEST_F(HttpsFetch, CliFetchesOverTlsAndVerifiesCertificates) {
  std::string url = server_.url("/metrics");
  ASSERT_EQ(url.rfind("https://", 0), 0u) << url;
  CommandResult r = run(shell_quote(cli()) + " metrics --insecure-skip-verify " + url);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  // The certificate is self-signed: verification (the default) must refuse it.
  r = run(shell_quote(cli()) + " metrics " + url);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(url + ": TLS certificate verification failed"), std::string::npos) << r.err;
}

TEST_F(HttpsFetch, LibraryFetchDeliversTheBodyOverTls) {
  inventory::FetchOptions o;
  o.verify_tls = false;
  std::string body, content_type;
  inventory::FetchResult f = inventory::fetch(
      server_.url("/metrics"), o, [&](std::string_view ct) { content_type = std::string(ct); },
      [&](std::string_view chunk) {
        body.append(chunk);
        return true;
      });
  ASSERT_TRUE(f.ok) << f.error;
  EXPECT_EQ(f.http_status, 200);
  EXPECT_EQ(content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(f.content_type, content_type);
  EXPECT_NE(body.find("http_requests_total{code=\"200\",method=\"get\"} 1027\n"), std::string::npos) << body;
  EXPECT_EQ(f.bytes, body.size());
  EXPECT_EQ(inventory::fetch_module_error(), "");
  EXPECT_EQ(inventory::url_escape("a b/{}"), "a%20b%2F%7B%7D");
}

}  // namespace
}  // namespace promvet::test
