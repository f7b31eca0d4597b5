// The usage analysis over a small rule file and query file against an inventory built from an
// exposition (testdata/usage/): used, missing, unused metrics and unknown labels, with positions.
#include "checks/usage.h"

#include <gtest/gtest.h>

#include <string>

#include "inventory/inventory.h"
#include "sources/query_file.h"
#include "sources/rules.h"
#include "test_support.h"

namespace promvet::test {
namespace {

checks::UsageReport collect(const inventory::Inventory* inv) {
  checks::UsageCollector c;
  std::string rules = read_file(testdata("usage/rules.yaml"));
  std::string queries = read_file(testdata("usage/queries.promql"));
  c.add(sources::load_rules("rules.yaml", rules), rules);
  c.add(sources::load_queries("queries.promql", queries), queries);
  return c.finish(inv);
}

inventory::Inventory fixture_inventory() {
  inventory::Source source;
  source.name = "inventory.prom";
  source.kind = "file";
  return inventory::build_from_text(read_file(testdata("usage/inventory.prom")), source);
}

std::vector<std::string> names(const std::vector<checks::UsedMetric>& v) {
  std::vector<std::string> out;
  for (const auto& m : v) out.push_back(m.name);
  return out;
}

TEST(Usage, FindsUsedMissingAndUnusedMetrics) {
  inventory::Inventory inv = fixture_inventory();
  checks::UsageReport r = collect(&inv);
  EXPECT_EQ(r.files, 2u);
  EXPECT_EQ(r.expressions, 7u);
  EXPECT_EQ(names(r.used),
            (std::vector<std::string>{"api_latency_seconds_bucket", "api_requests_total", "cache_entries",
                                      "kube_pod_info", "queue_jobs_total", "route:api_requests:rate5m", "up"}));
  // A recording rule's output and Prometheus' own `up` are not missing.
  EXPECT_EQ(names(r.missing), (std::vector<std::string>{"kube_pod_info", "queue_jobs_total"}));
  ASSERT_EQ(r.unused.size(), 2u);
  EXPECT_EQ(r.unused[0].family, "debug_allocations_total");  // most series first
  EXPECT_EQ(r.unused[0].series, 4u);
  EXPECT_EQ(r.unused[1].family, "build_info");
  EXPECT_EQ(r.unused_series(), 5u);
  const checks::UsedMetric& requests = r.used[1];
  EXPECT_EQ(requests.family, "api_requests_total");
  EXPECT_EQ(requests.type, "counter");
  EXPECT_EQ(requests.series, 2u);
  ASSERT_EQ(requests.uses.size(), 3u);
  EXPECT_EQ(requests.uses[0].file, "rules.yaml");
  EXPECT_EQ(requests.uses[0].line, 5u);
  EXPECT_EQ(requests.uses[0].column, 36u);  // "api_requests_total" in the expr line
  EXPECT_EQ(requests.uses[0].rule, "route:api_requests:rate5m");
  EXPECT_EQ(r.used[0].family, "api_latency_seconds");  // _bucket joins its histogram
}

TEST(Usage, ReportsLabelsTheMetricDoesNotHave) {
  inventory::Inventory inv = fixture_inventory();
  checks::UsageReport r = collect(&inv);
  // `region` in by() reaches the buckets; `methd` is a typo in a matcher; `le`, `route`, `code`,
  // `shard` exist; `job` is a target label an exposition cannot show; `node` arrives through
  // group_left, so it is not attributed to queue_jobs_total.
  ASSERT_EQ(r.unknown_labels.size(), 2u);
  EXPECT_EQ(r.unknown_labels[0].metric, "api_latency_seconds_bucket");
  EXPECT_EQ(r.unknown_labels[0].label, "region");
  EXPECT_EQ(r.unknown_labels[1].metric, "api_requests_total");
  EXPECT_EQ(r.unknown_labels[1].label, "methd");
  EXPECT_EQ(r.unknown_labels[1].at.file, "queries.promql");
  EXPECT_EQ(r.unknown_labels[1].at.line, 2u);
}

TEST(Usage, WithoutInventoryOnlyListsUses) {
  checks::UsageReport r = collect(nullptr);
  EXPECT_FALSE(r.has_inventory);
  EXPECT_EQ(r.used.size(), 7u);
  EXPECT_TRUE(r.missing.empty());
  EXPECT_TRUE(r.unused.empty());
  EXPECT_TRUE(r.unknown_labels.empty());
}

TEST(Usage, CountsExpressionsThatDoNotParse) {
  checks::UsageCollector c;
  std::string q = "rate(x_total[5m]\nsum(y)\n";
  c.add(sources::load_queries("q.promql", q), q);
  checks::UsageReport r = c.finish(nullptr);
  EXPECT_EQ(r.expressions, 2u);
  EXPECT_EQ(r.unparsed_expressions, 1u);
  EXPECT_EQ(names(r.used), (std::vector<std::string>{"y"}));
}

}  // namespace
}  // namespace promvet::test
