// Against a real Prometheus server (Debian's `prometheus`, started on loopback with a temp data
// dir): it scrapes a fixture exposition served by tests/support/http_fixture_server.py, then
// promvet reads metadata, names and series back through the HTTP API and must find exactly the
// fixture's families, types and label sets. Skips when the binary is absent.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "inventory/api_inventory.h"
#include "inventory/prometheus_api.h"
#include "promql/parse.h"
#include "support/fixture_server.h"
#include "support/prometheus_server.h"
#include "test_support.h"

namespace promvet::test {
namespace {

struct Recorder : inventory::ApiHandler {
  std::map<std::string, std::string> types;
  std::set<std::string> names;
  std::set<std::string> series;  // "name{k=v,...}" without job/instance
  void on_metadata(std::string_view name, std::string_view type, std::string_view, std::string_view) override {
    types[std::string(name)] = std::string(type);
  }
  void on_name(std::string_view name) override { names.emplace(name); }
  void on_series(const inventory::LabelSet& labels) override {
    std::string name, rest;
    for (const auto& [k, v] : labels) {
      if (k == "__name__") name = v;
      else if (k != "job" && k != "instance") rest += (rest.empty() ? "" : ",") + k + "=" + v;
    }
    if (name.rfind("shop_", 0) == 0) series.insert(name + "{" + rest + "}");
  }
};

TEST(PrometheusIntegration, ApiGivesBackWhatTheServerScraped) {
  if (!PrometheusServer::available()) GTEST_SKIP() << "prometheus is not installed (apt-get install prometheus)";
  FixtureServer target;
  if (!target.start(240)) GTEST_SKIP() << "python3 fixture server unavailable";
  PrometheusServer prometheus;
  ASSERT_TRUE(prometheus.start("127.0.0.1:" + std::to_string(target.port()), "/file",
                               {{"path", testdata("prometheus_api/scrape.prom")}, {"ct", "text/plain; version=0.0.4"}}))
      << prometheus.log();
  ASSERT_TRUE(prometheus.wait_for_scrape()) << prometheus.log();

  Recorder r;
  inventory::ApiOptions o;
  o.fetch.timeout_seconds = 10;
  // Metadata arrives with the first scrape, but ask again briefly if the server lags.
  inventory::ApiResult result;
  for (int attempt = 0; attempt < 20; ++attempt) {
    r = Recorder();
    result = inventory::read_prometheus_api(prometheus.url(), o, r);
    if (result.ok && r.series.size() >= 10 && r.types.count("shop_checkout_seconds")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_FALSE(result.partial);
  EXPECT_EQ(r.types["shop_orders_total"], "counter");
  EXPECT_EQ(r.types["shop_queue_depth"], "gauge");
  EXPECT_EQ(r.types["shop_checkout_seconds"], "histogram");
  EXPECT_EQ(r.types["shop_build_info"], "gauge");
  for (const char* n : {"shop_orders_total", "shop_queue_depth", "shop_checkout_seconds_bucket",
                        "shop_checkout_seconds_sum", "shop_checkout_seconds_count", "shop_build_info", "up"})
    EXPECT_TRUE(r.names.count(n)) << n;
  std::set<std::string> expected = {"shop_orders_total{region=eu,status=ok}",
                                    "shop_orders_total{region=eu,status=failed}",
                                    "shop_orders_total{region=us,status=ok}",
                                    "shop_queue_depth{region=eu}",
                                    "shop_queue_depth{region=us}",
                                    "shop_checkout_seconds_bucket{le=0.1}",
                                    "shop_checkout_seconds_bucket{le=1}",
                                    "shop_checkout_seconds_bucket{le=+Inf}",
                                    "shop_checkout_seconds_sum{}",
                                    "shop_checkout_seconds_count{}",
                                    "shop_build_info{version=1.4.2}"};
  EXPECT_EQ(r.series, expected);

  // The inventory built through the API equals the one built from the fixture file itself, with
  // the labels Prometheus adds to every scraped series.
  inventory::Inventory from_api;
  inventory::ApiOptions shop = o;
  shop.match = {"{__name__=~\"shop_.*\"}"};
  inventory::ApiResult api = inventory::read_inventory_from_api(prometheus.url(), shop, from_api);
  ASSERT_TRUE(api.ok) << api.error;
  inventory::Source file;
  file.name = testdata("prometheus_api/scrape.prom");
  file.kind = "file";
  file.target_labels = {{"job", "fixture"}, {"instance", "127.0.0.1:" + std::to_string(target.port())}};
  inventory::Inventory from_file = inventory::build_from_text(read_file(file.name), file);
  ASSERT_EQ(from_file.families().size(), 4u);
  for (const auto& [name, want] : from_file.families()) {
    const inventory::Family* got = from_api.find(name);
    ASSERT_NE(got, nullptr) << name;
    EXPECT_EQ(got->type, want.type) << name;
    EXPECT_EQ(got->help, want.help) << name;
    EXPECT_EQ(got->series, want.series) << name;
    ASSERT_EQ(got->labels.size(), want.labels.size()) << name;
    for (const auto& [label, values] : want.labels) {
      auto it = got->labels.find(label);
      ASSERT_NE(it, got->labels.end()) << name << " " << label;
      EXPECT_EQ(it->second.values, values.values) << name << " " << label;
    }
  }
  ASSERT_EQ(from_api.sources().size(), 1u);
  EXPECT_EQ(from_api.sources()[0].kind, "prometheus-api");
}

// The server's own parser as the oracle for string lexing: invalid UTF-8 (and a literal U+FFFD,
// which Go cannot tell from it), escapes, unterminated strings. The query API answers
// `invalid parameter "query": <error>` with the error promvet must print word for word. The
// Debian server is 2.42; these lexer paths are the same in 3.x.
TEST(PrometheusIntegration, StringLexingMatchesTheServersParser) {
  if (!PrometheusServer::available()) GTEST_SKIP() << "prometheus is not installed (apt-get install prometheus)";
  PrometheusServer prometheus;
  ASSERT_TRUE(prometheus.start("127.0.0.1:" + std::to_string(closed_port()), "/metrics", {})) << prometheus.log();
  const std::string cases[] = {
      "some_metric{a=\"\xff\"}",
      "\"a\xee"
      "b\"",
      "`a\xee"
      "b`",
      "\"\xef\xbf\xbd\"",
      "\"\\q",
      "\"\\x4",
      "\"ab\xff",
      "\"ab",
      "`ab",
      "\"\\x4\"",
      "\"\\\xff\"",
      "\"\\x\xff\"",
      "up{a=\"caf\xc3\xa9\"}",
      "inf^0",
      "\"a\\u00e9\\x41\"",
  };
  for (const std::string& query : cases) {
    // curl: the API answers a bad query with status 400, and promvet's fetcher keeps no error body.
    std::string body = run("curl -s --max-time 5 " +
                           shell_quote(prometheus.url() + "/api/v1/query?query=" + inventory::url_encode(query)))
                           .out;
    nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    ASSERT_TRUE(answer.is_object()) << query << ": " << body;
    promql::ParseResult ours = promql::parse(query);
    if (answer.value("status", "") == "success") {
      EXPECT_TRUE(ours.ok()) << query << ": " << promql::format_error(query, *ours.error);
      continue;
    }
    ASSERT_FALSE(ours.ok()) << query << ": the server said " << answer.value("error", "");
    EXPECT_EQ(answer.value("error", ""), "invalid parameter \"query\": " + promql::format_error(query, *ours.error))
        << query;
  }
}

}  // namespace
}  // namespace promvet::test
