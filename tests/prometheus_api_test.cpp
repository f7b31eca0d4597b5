// The Prometheus HTTP API reader against canned API answers served on loopback
// (tests/support/http_fixture_server.py, /api-dir/), covering success, the API's error envelope,
// non-JSON answers, missing endpoints, caps and batching.
#include "inventory/prometheus_api.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/fixture_server.h"
#include "test_support.h"

namespace promvet::test {
namespace {

using inventory::ApiOptions;
using inventory::ApiResult;
using inventory::LabelSet;

struct Recorder : inventory::ApiHandler {
  std::map<std::string, std::vector<std::string>> metadata;  // name → type, help, unit
  std::vector<std::string> names;
  std::vector<LabelSet> series;
  void on_metadata(std::string_view name, std::string_view type, std::string_view help,
                   std::string_view unit) override {
    metadata[std::string(name)] = {std::string(type), std::string(help), std::string(unit)};
  }
  void on_name(std::string_view name) override { names.emplace_back(name); }
  void on_series(const LabelSet& labels) override { series.push_back(labels); }
};

class PrometheusApi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_.start()) GTEST_SKIP() << "python3 not available for the fixture server";
  }
  std::string base(const std::string& fixture) {
    return server_.url("/api-dir/" + inventory::url_encode(testdata("prometheus_api/" + fixture)));
  }
  FixtureServer server_;
};

TEST_F(PrometheusApi, ReadsMetadataNamesAndSeries) {
  Recorder h;
  ApiOptions o;
  o.fetch.timeout_seconds = 10;
  ApiResult r = inventory::read_prometheus_api(base("ok"), o, h);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_FALSE(r.partial);
  EXPECT_EQ(h.metadata.size(), 3u);  // "odd" (not a list) and "empty" are skipped
  EXPECT_EQ(h.metadata["rpc_duration_seconds"], (std::vector<std::string>{"histogram", "RPC latency.", "seconds"}));
  EXPECT_EQ(h.metadata["http_requests_total"][0], "counter");
  EXPECT_EQ(h.names, (std::vector<std::string>{"http_requests_total", "process_resident_memory_bytes",
                                               "rpc_duration_seconds_bucket"}));
  // One batch (3 names < 50): the canned file has 4 good series, a string and a non-string value.
  ASSERT_EQ(h.series.size(), 5u);
  EXPECT_EQ(h.series[1], (LabelSet{{"__name__", "http_requests_total"}, {"code", "500"}, {"job", "api"}}));
  EXPECT_EQ(h.series[4], (LabelSet{{"__name__", "x"}}));  // the numeric label value is dropped
  EXPECT_EQ(r.requests, 3u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("names from one store only"), std::string::npos);
}

TEST_F(PrometheusApi, BatchesSeriesRequestsByMetricName) {
  Recorder h;
  ApiOptions o;
  o.batch_size = 1;
  ApiResult r = inventory::read_prometheus_api(base("ok"), o, h);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.requests, 2u + 3u);  // metadata, names, then one series request per name
}

TEST_F(PrometheusApi, StopsAtTheSeriesLimitAndSaysSo) {
  Recorder h;
  ApiOptions o;
  o.series_limit = 2;
  ApiResult r = inventory::read_prometheus_api(base("ok"), o, h);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.partial);
  EXPECT_EQ(h.series.size(), 2u);
  bool said = false;
  for (const std::string& w : r.warnings) said |= w.find("series limit of 2") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(PrometheusApi, ReportsTheApiErrorEnvelope) {
  Recorder h;
  ApiResult r = inventory::read_prometheus_api(base("status_error"), ApiOptions(), h);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "/api/v1/metadata: status error (bad_data): invalid parameter \"match[]\"");
}

TEST_F(PrometheusApi, RejectsAnHtmlAnswer) {
  Recorder h;
  ApiResult r = inventory::read_prometheus_api(base("not_json"), ApiOptions(), h);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("/api/v1/metadata: response is not a JSON object"), std::string::npos) << r.error;
}

TEST_F(PrometheusApi, MissingSeriesEndpointGivesAPartialResult) {
  Recorder h;
  ApiResult r = inventory::read_prometheus_api(base("no_series"), ApiOptions(), h);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.partial);
  EXPECT_EQ(h.names.size(), 3u);
  EXPECT_TRUE(h.series.empty());
  bool said = false;
  for (const std::string& w : r.warnings) said |= w.find("/api/v1/series: ") == 0 && w.find("404") != std::string::npos;
  EXPECT_TRUE(said) << (r.warnings.empty() ? "" : r.warnings.back());
}

TEST_F(PrometheusApi, UnreachableServerFailsFast) {
  Recorder h;
  ApiOptions o;
  o.fetch.timeout_seconds = 5;
  ApiResult r = inventory::read_prometheus_api("http://127.0.0.1:" + std::to_string(closed_port()), o, h);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("/api/v1/metadata: ", 0), 0u) << r.error;
}

// Basic auth in the URL: the password never reaches a message, a finding or a saved inventory.
TEST_F(PrometheusApi, CliNeverPrintsThePassword) {
  auto with_password = [](std::string url) { return url.insert(url.find("://") + 3, "scraper:s3cret@"); };
  std::string out = write_temp("api-inventory.json", "");
  CommandResult ok = run(shell_quote(cli()) + " inventory --from-prometheus " +
                         shell_quote(with_password(base("no_series"))) + " -o " + shell_quote(out));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find("promvet: warning: http://scraper:xxxxx@127.0.0.1:"), std::string::npos) << ok.err;
  std::string saved = read_file(out);
  EXPECT_NE(saved.find("http://scraper:xxxxx@127.0.0.1:"), std::string::npos) << saved;
  std::string closed = "http://scraper:s3cret@127.0.0.1:" + std::to_string(closed_port());
  CommandResult down = run(shell_quote(cli()) + " inventory --from-prometheus " + shell_quote(closed));
  EXPECT_EQ(down.exit_code, 2);
  std::string exposition = write_temp("api-auth.prom", "# TYPE m counter\nm 1\n");
  CommandResult metrics = run(shell_quote(cli()) + " metrics " +
                              shell_quote(with_password(server_.url("/file?path=" + exposition + "&ct=text/plain"))));
  EXPECT_EQ(metrics.exit_code, 1) << metrics.out << metrics.err;  // a counter without _total
  EXPECT_NE(metrics.out.find("http://scraper:xxxxx@127.0.0.1:"), std::string::npos) << metrics.out;
  for (const std::string& text : {ok.out, ok.err, saved, down.out, down.err, metrics.out, metrics.err})
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
  std::remove(out.c_str());
  std::remove(exposition.c_str());
}

TEST(PrometheusApiUrl, EncodesQueryValues) {
  EXPECT_EQ(inventory::url_encode("{__name__=\"a b\"}"), "%7B__name__%3D%22a%20b%22%7D");
  EXPECT_EQ(inventory::url_encode("az_09.-~"), "az_09.-~");
}

}  // namespace
}  // namespace promvet::test
