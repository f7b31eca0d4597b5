// The metric inventory model: building from expositions, merging, caps, target labels, the JSON
// schema and its defensive reader, and the lookups the inventory/* checks rely on.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "checks/inventory/lookup.h"
#include "checks/inventory_types.h"
#include "inventory/inventory.h"
#include "test_support.h"

namespace promvet::test {
namespace {

using expfmt::MetricType;
using inventory::Inventory;

inventory::Source src(const std::string& name, std::map<std::string, std::string> target = {}) {
  inventory::Source s;
  s.name = name;
  s.kind = "file";
  s.target_labels = std::move(target);
  return s;
}

const char* kText =
    "# HELP http_requests_total Requests.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",method=\"GET\"} 10\n"
    "http_requests_total{code=\"500\",method=\"GET\"} 1\n"
    "# TYPE latency_seconds histogram\n"
    "latency_seconds_bucket{le=\"0.1\"} 1\n"
    "latency_seconds_bucket{le=\"+Inf\"} 2\n"
    "latency_seconds_sum 0.3\n"
    "latency_seconds_count 2\n"
    "no_type_metric 3\n";

const char* kOpenMetrics =
    "# TYPE jobs counter\n"
    "# UNIT jobs \n"
    "# HELP jobs Jobs run.\n"
    "jobs_total{queue=\"a\"} 3\n"
    "jobs_created{queue=\"a\"} 1.7e9\n"
    "# TYPE build info\n"
    "build_info{version=\"1.0\"} 1\n"
    "# TYPE temp_celsius gauge\n"
    "# UNIT temp_celsius celsius\n"
    "temp_celsius 21.5\n"
    "# EOF\n";

TEST(InventoryModel, BuildsFamiliesTypesLabelsAndSeriesFromText) {
  Inventory inv = inventory::build_from_text(kText, src("a.prom"));
  ASSERT_EQ(inv.families().size(), 3u);
  const inventory::Family* req = inv.find("http_requests_total");
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->type, MetricType::kCounter);
  EXPECT_EQ(req->help, "Requests.");
  EXPECT_EQ(req->series, 2u);
  ASSERT_EQ(req->labels.count("code"), 1u);
  EXPECT_EQ(req->labels.at("code").values.at("500"), 1u);
  EXPECT_EQ(req->labels.at("method").values.at("GET"), 2u);
  EXPECT_EQ(req->sources, std::vector<std::string>{"a.prom"});
  const inventory::Family* lat = inv.find("latency_seconds");
  ASSERT_NE(lat, nullptr);
  EXPECT_EQ(lat->type, MetricType::kHistogram);
  EXPECT_EQ(lat->series, 4u);
  EXPECT_EQ(lat->labels.at("le").values.size(), 2u);
  EXPECT_EQ(inv.find("no_type_metric")->type, MetricType::kUntyped);
  ASSERT_EQ(inv.sources().size(), 1u);
  EXPECT_EQ(inv.sources()[0].format, "text");
  EXPECT_EQ(inv.sources()[0].samples, 7u);
  EXPECT_EQ(inv.sources()[0].errors, 0u);
}

TEST(InventoryModel, BuildsFromOpenMetricsWithUnitAndFamilyNames) {
  Inventory inv = inventory::build_from_text(kOpenMetrics, src("a.om"));
  EXPECT_EQ(inv.sources()[0].format, "openmetrics");
  const inventory::Family* jobs = inv.find("jobs");
  ASSERT_NE(jobs, nullptr);
  EXPECT_EQ(jobs->type, MetricType::kCounter);
  EXPECT_EQ(jobs->help, "Jobs run.");
  EXPECT_EQ(inv.find("temp_celsius")->unit, "celsius");
  EXPECT_EQ(inv.find("build")->type, MetricType::kInfo);
  EXPECT_EQ(inv.find("jobs_total"), nullptr);  // only the family is a family
}

TEST(InventoryModel, FindsTheFamilyOfASeriesName) {
  Inventory inv = inventory::build_from_text(kOpenMetrics, src("a.om"));
  inv.merge(inventory::build_from_text(kText, src("b.prom")));
  std::string family;
  EXPECT_NE(inv.find_series("jobs_total", &family), nullptr);
  EXPECT_EQ(family, "jobs");
  EXPECT_NE(inv.find_series("jobs_created"), nullptr);
  EXPECT_NE(inv.find_series("build_info", &family), nullptr);
  EXPECT_EQ(family, "build");
  EXPECT_NE(inv.find_series("latency_seconds_bucket", &family), nullptr);
  EXPECT_EQ(family, "latency_seconds");
  EXPECT_NE(inv.find_series("latency_seconds_count"), nullptr);
  EXPECT_NE(inv.find_series("http_requests_total", &family), nullptr);
  EXPECT_EQ(family, "http_requests_total");
  // A suffix only maps to a family of a type that has such series.
  EXPECT_EQ(inv.find_series("temp_celsius_total"), nullptr);
  EXPECT_EQ(inv.find_series("jobs_bucket"), nullptr);
  EXPECT_EQ(inv.find_series("nothing"), nullptr);
}

TEST(InventoryModel, CapsLabelValuesAndMarksTheLabel) {
  inventory::Limits limits;
  limits.max_label_values = 3;
  std::string text = "# TYPE q gauge\n";
  for (int i = 0; i < 10; ++i) text += "q{id=\"" + std::to_string(i) + "\",zone=\"eu\"} 1\n";
  Inventory inv = inventory::build_from_text(text, src("q.prom"), limits);
  const inventory::Family* q = inv.find("q");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->series, 10u);
  EXPECT_EQ(q->labels.at("id").values.size(), 3u);
  EXPECT_TRUE(q->labels.at("id").capped);
  EXPECT_FALSE(q->labels.at("zone").capped);
  EXPECT_EQ(q->labels.at("zone").values.at("eu"), 10u);
}

TEST(InventoryModel, CapsFamiliesAndMarksTheInventoryTruncated) {
  inventory::Limits limits;
  limits.max_families = 2;
  Inventory inv = inventory::build_from_text("a 1\nb 1\nc 1\n", src("x"), limits);
  EXPECT_EQ(inv.families().size(), 2u);
  EXPECT_TRUE(inv.truncated());
}

TEST(InventoryModel, TargetLabelIsAddedAndWinsOverAnExposedOne) {
  Inventory inv = inventory::build_from_text("# TYPE g gauge\ng{job=\"inner\",a=\"1\"} 1\ng{a=\"2\"} 1\n",
                                             src("x", {{"job", "vllm"}}));
  const inventory::Family* g = inv.find("g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->labels.at("job").values.at("vllm"), 2u);
  EXPECT_EQ(g->labels.at("job").values.count("inner"), 0u);
  EXPECT_EQ(g->labels.at("exported_job").values.at("inner"), 1u);
  EXPECT_EQ(inv.sources()[0].target_labels.at("job"), "vllm");
}

TEST(InventoryModel, MergeAddsCountsKeepsFirstTypeAndCapped) {
  inventory::Limits limits;
  limits.max_label_values = 2;
  Inventory a = inventory::build_from_text("# TYPE m_total counter\nm_total{x=\"1\"} 1\n", src("a"), limits);
  Inventory b =
      inventory::build_from_text("m_total{x=\"1\"} 1\nm_total{x=\"2\"} 1\nm_total{x=\"3\"} 1\n", src("b"), limits);
  // b has no TYPE: its m_total is untyped, a's counter wins whatever the order.
  Inventory ab(limits);
  ab.merge(b);
  ab.merge(a);
  const inventory::Family* m = ab.find("m_total");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->type, MetricType::kCounter);
  EXPECT_EQ(m->series, 4u);
  EXPECT_EQ(m->labels.at("x").values.at("1"), 2u);
  EXPECT_TRUE(m->labels.at("x").capped);
  EXPECT_EQ(m->sources, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ab.sources().size(), 2u);
}

TEST(InventoryModel, MergingWithItselfDoublesCounts) {
  Inventory inv = inventory::build_from_text(kText, src("a.prom"));
  inv.merge(inv);
  EXPECT_EQ(inv.find("http_requests_total")->series, 4u);
  EXPECT_EQ(inv.sources().size(), 2u);
}

TEST(InventoryModel, JsonRoundTripIsLossless) {
  Inventory inv = inventory::build_from_text(kText, src("a.prom", {{"job", "j"}}));
  inv.merge(inventory::build_from_text(kOpenMetrics, src("b.om")));
  std::string json = inventory::to_json(inv);
  inventory::ReadInventory r = inventory::from_json(json);
  ASSERT_TRUE(r.inventory) << r.error;
  EXPECT_EQ(inventory::to_json(*r.inventory), json);
  EXPECT_EQ(r.inventory->find("temp_celsius")->unit, "celsius");
  EXPECT_EQ(r.inventory->sources()[0].target_labels.at("job"), "j");
  EXPECT_NE(json.find("\"version\": 1"), std::string::npos);
}

TEST(InventoryModel, ReadsAMinimalDocument) {
  inventory::ReadInventory r = inventory::from_json(R"({"version": 1, "families": {"x": {}}})");
  ASSERT_TRUE(r.inventory) << r.error;
  EXPECT_EQ(r.inventory->find("x")->type, MetricType::kUnknown);
}

TEST(InventoryModel, MalformedJsonIsAnErrorNamingTheField) {
  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {"", "invalid JSON"},
      {"{", "invalid JSON"},
      {"[1]", "expected an object"},
      {R"({"families": {}})", "missing \"version\""},
      {R"({"version": 2, "families": {}})", "unsupported version 2"},
      {R"({"version": "1", "families": {}})", "unsupported version"},
      {R"({"version": 1})", "missing \"families\""},
      {R"({"version": 1, "families": []})", "families: expected an object"},
      {R"({"version": 1, "families": {"x": 3}})", "families.\"x\": expected an object"},
      {R"({"version": 1, "families": {"x": {"type": 1}}})", "families.\"x\".type: expected a string"},
      {R"({"version": 1, "families": {"x": {"type": "countr"}}})", "unknown metric type \"countr\""},
      {R"({"version": 1, "families": {"x": {"series": -1}}})", "series: expected a non-negative integer"},
      {R"({"version": 1, "families": {"x": {"labels": {"a": {"values": {"v": "1"}}}}}})",
       "families.\"x\".labels.\"a\".values.\"v\": expected a non-negative integer"},
      {R"({"version": 1, "families": {"x": {"labels": {"a": {"capped": "no"}}}}})", "capped: expected a boolean"},
      {R"({"version": 1, "families": {"x": {"sources": [1]}}})", "expected an array of strings"},
      {R"({"version": 1, "sources": {}, "families": {}})", "sources: expected an array"},
      {R"({"version": 1, "sources": [{"target_labels": {"a": 1}}], "families": {}})", "target_labels.\"a\""},
  };
  for (const Case& c : cases) {
    inventory::ReadInventory r = inventory::from_json(c.json);
    EXPECT_FALSE(r.inventory) << c.json;
    EXPECT_NE(r.error.find(c.error), std::string::npos) << c.json << " → " << r.error;
  }
}

TEST(InventoryModel, DeeplyNestedJsonIsRefusedNotACrash) {
  std::string deep = R"({"version": 1, "families": {"x": {"help": )" + std::string(100000, '[') + "]}}}";
  inventory::ReadInventory r = inventory::from_json(deep);
  EXPECT_FALSE(r.inventory);
  EXPECT_NE(r.error.find("nested deeper"), std::string::npos) << r.error;
}

TEST(InventoryModel, InvalidUtf8LabelValueStillWritesJson) {
  Inventory inv = inventory::build_from_text("g{a=\"\xff\xfe\"} 1\n", src("x"), {}, expfmt::Format::kText);
  std::string json = inventory::to_json(inv);
  EXPECT_TRUE(inventory::from_json(json).inventory) << json;
}

// Damaged saved inventories (bytes flipped, dropped, duplicated) give an error or an inventory,
// never a crash or an exception; whatever is read writes back as valid JSON.
TEST(InventoryModel, SurvivesDamagedJson) {
  Inventory inv = inventory::build_from_text(kText, src("a.prom", {{"job", "j"}}));
  const std::string json = inventory::to_json(inv);
  std::mt19937 rng(42);
  const std::string alphabet = "{}[]\":,0-1.e\\tfnu \xff";
  size_t errors = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = json;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) {
      size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.erase(at, 1 + rng() % 8); break;
        default: s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 16)); break;
      }
      if (s.empty()) s = "{";
    }
    inventory::ReadInventory r = inventory::from_json(s);
    if (!r.inventory) {
      ++errors;
      EXPECT_FALSE(r.error.empty());
      continue;
    }
    EXPECT_TRUE(inventory::from_json(inventory::to_json(*r.inventory)).inventory);
  }
  EXPECT_GT(errors, 100u);  // the damage is real
}

TEST(InventoryTypes, AnswersKnownTypesOnly) {
  Inventory inv = inventory::build_from_text(kText, src("a.prom"));
  checks::InventoryTypes types(inv);
  EXPECT_EQ(types.type_of_family("http_requests_total"), checks::FamilyType::Counter);
  EXPECT_EQ(types.type_of_family("latency_seconds"), checks::FamilyType::Histogram);
  EXPECT_EQ(types.type_of_family("no_type_metric"), std::nullopt);  // untyped: let inference decide
  EXPECT_EQ(types.type_of_family("absent"), std::nullopt);
}

TEST(InventoryLookup, BoundedEditDistance) {
  namespace l = checks::inventory_lookup;
  EXPECT_EQ(l::edit_distance("kitten", "sitting", 5), 3u);
  EXPECT_EQ(l::edit_distance("kitten", "sitting", 2), 3u);  // over the bound: bound + 1
  EXPECT_EQ(l::edit_distance("abc", "abc", 0), 0u);
  EXPECT_EQ(l::edit_distance("", "abc", 3), 3u);
  EXPECT_EQ(l::edit_distance("model_name", "modle_name", 3), 2u);
  EXPECT_EQ(l::edit_distance("a", "abcdefgh", 3), 4u);
  EXPECT_EQ(l::nearest("vllm:num_request_running", {"vllm:num_requests_waiting", "vllm:num_requests_running"}),
            "vllm:num_requests_running");
  EXPECT_EQ(l::nearest("gpu", {"engine", "model_name"}), "");
  EXPECT_EQ(l::nearest("1", {"0", "2"}), "");  // too short to guess
  EXPECT_EQ(l::nearest("lengt", {"abort", "length", "stop"}), "length");
}

}  // namespace
}  // namespace promvet::test
