// `promvet usage`: text, JSON and the HTML report, which a headless Chromium (Debian's
// `chromium`) must render without script errors and with the expected numbers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include "inventory/prometheus_api.h"
#include "support/fixture_server.h"
#include "test_support.h"

namespace promvet::test {
namespace {

std::string usage_cmd(const std::string& args) { return "'" + cli() + "' usage " + args; }

// The DOM after the page's scripts ran; "" when chromium is missing.
std::string rendered_dom(const std::string& html_path, std::string* console) {
  std::string browser = have_program("chromium")           ? "chromium"
                        : have_program("chromium-browser") ? "chromium-browser"
                                                           : "";
  if (browser.empty()) return "";
  std::string err = html_path + ".stderr";
  CommandResult r = run(browser +
                            " --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "
                            "--dump-dom 'file://" +
                            html_path + "' 2>'" + err + "'",
                        90);
  *console = read_file(err);
  return r.out;
}

TEST(CliUsage, WritesJsonAndTextWithTheExpectedNumbers) {
  std::string json_out = write_temp("usage.json", "");
  CommandResult r = run(usage_cmd("'" + testdata("usage") + "' --inventory '" + testdata("usage/inventory.prom") +
                                  "' --json '" + json_out + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("used but missing from the inventory: 2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("never used: 2 families, 5 series\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  debug_allocations_total  4 series (counter)\n"), std::string::npos) << r.out;
  nlohmann::json j = nlohmann::json::parse(read_file(json_out));
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["summary"]["files"], 2);  // rules.yaml and queries.promql; inventory.prom is not a source
  EXPECT_EQ(j["summary"]["missing_metrics"], 2);
  EXPECT_EQ(j["summary"]["unused_series"], 5);
  EXPECT_EQ(j["summary"]["unknown_labels"], 2);
  EXPECT_EQ(j["missing"][0]["name"], "kube_pod_info");
  EXPECT_EQ(j["missing"][0]["uses"][0]["line"], 3);
}

TEST(CliUsage, HtmlReportRendersInHeadlessChromium) {
  std::string html = write_temp("usage.html", "");
  CommandResult r = run(usage_cmd("'" + testdata("usage") + "' --inventory '" + testdata("usage/inventory.prom") +
                                  "' --html '" + html + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string page = read_file(html);
  // Self-contained: no external scripts, styles or images.
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find(" href="), std::string::npos);
  std::string console;
  std::string dom = rendered_dom(html, &console);
  if (dom.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium) or rendered nothing: " << console;
  EXPECT_NE(dom.find("data-rendered=\"1\""), std::string::npos) << "the report script did not finish";
  EXPECT_EQ(dom.find("data-error="), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(console.find("Uncaught"), std::string::npos) << console;
  EXPECT_NE(dom.find("id=\"count-missing\">2<"), std::string::npos);
  EXPECT_NE(dom.find("id=\"count-unused\">2<"), std::string::npos);
  EXPECT_NE(dom.find("id=\"count-unused-series\">5<"), std::string::npos);
  EXPECT_NE(dom.find("id=\"count-unknown-labels\">2<"), std::string::npos);
  EXPECT_NE(dom.find("id=\"count-used\">7<"), std::string::npos);
  // The chart has one bar per unused family, the tables one row per entry.
  std::smatch m;
  std::string chart = dom.substr(dom.find("id=\"unused-chart\""));
  chart = chart.substr(0, chart.find("</svg>"));
  size_t bars = 0;
  for (size_t at = chart.find("<rect"); at != std::string::npos; at = chart.find("<rect", at + 1)) ++bars;
  EXPECT_EQ(bars, 2u);
  EXPECT_NE(dom.find("<code>debug_allocations_total</code>"), std::string::npos);
}

TEST(CliUsage, HostileNamesCannotBreakOutOfTheEmbeddedData) {
  std::string q = write_temp("hostile.promql", "{\"</script><img src=x onerror=alert(1)>\"}\n");
  std::string html = write_temp("hostile.html", "");
  CommandResult r = run(usage_cmd("'" + q + "' --html '" + html + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string page = read_file(html);
  EXPECT_EQ(page.find("</script><img"), std::string::npos);
  std::string console;
  std::string dom = rendered_dom(html, &console);
  if (dom.empty()) GTEST_SKIP() << "chromium is not installed or rendered nothing: " << console;
  EXPECT_NE(dom.find("data-rendered=\"1\""), std::string::npos);
  EXPECT_NE(dom.find("&lt;/script&gt;&lt;img src=x"), std::string::npos);  // shown as text
  EXPECT_EQ(dom.find("<img"), std::string::npos);
}

TEST(CliUsage, BuildsTheInventoryFromAPrometheusApi) {
  FixtureServer server;
  if (!server.start()) GTEST_SKIP() << "python3 fixture server unavailable";
  std::string api = server.url("/api-dir/" + inventory::url_encode(testdata("prometheus_api/ok")));
  std::string q = write_temp("api.promql", "rate(http_requests_total[5m])\nnot_there\n");
  CommandResult r = run(usage_cmd("'" + q + "' --from-prometheus '" + api + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("inventory: 4 families, 5 series\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("used but missing from the inventory: 1\n  not_there"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("names from one store only"), std::string::npos) << r.err;  // the API's warning
}

TEST(CliUsage, UnreachablePrometheusIsAToolError) {
  std::string q = write_temp("unreach.promql", "up\n");
  CommandResult r =
      run(usage_cmd("'" + q + "' --timeout 3 --from-prometheus http://127.0.0.1:" + std::to_string(closed_port())));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/api/v1/metadata: "), std::string::npos) << r.err;
}

// YAML without rule groups is not a rule file that uses nothing: it is left out, and said so.
TEST(CliUsage, SkipsYamlWithoutRuleGroups) {
  std::string marker = write_temp("usage-skip", "");
  std::string dir = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(run("mkdir -p " + shell_quote(dir)).exit_code, 0);
  auto put = [&](const std::string& name, const std::string& text) {
    std::string tmp = write_temp("usage-skip-file", text);
    ASSERT_EQ(run("mv " + shell_quote(tmp) + " " + shell_quote(dir + "/" + name)).exit_code, 0);
  };
  put("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n");
  put("rules.yaml", "groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n");
  CommandResult walked = run(usage_cmd(shell_quote(dir)));
  EXPECT_EQ(walked.exit_code, 0) << walked.err;
  EXPECT_NE(walked.out.find("1 files, 1 expressions"), std::string::npos) << walked.out;
  EXPECT_NE(walked.err.find("skipped 1 YAML files without rule groups found in directories"), std::string::npos)
      << walked.err;
  CommandResult named = run(usage_cmd(shell_quote(dir + "/deploy.yaml")));
  EXPECT_EQ(named.exit_code, 0) << named.err;
  EXPECT_NE(named.err.find("deploy.yaml: not a Prometheus rule file (no \"groups\"), skipped"), std::string::npos)
      << named.err;
  run("rm -rf " + shell_quote(dir));
}

}  // namespace
}  // namespace promvet::test
