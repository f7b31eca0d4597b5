// MetricTypes: what a series is learned to be from names and from use in the same file, in
// particular which series of a family take the family's learned type, and the grading of the
// evidence (inventory > use in the file > unit before _count > name; a bare _count/_sum name is
// only a guess).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checks/metric_types.h"
#include "promql/parse.h"

namespace pv = promvet;
using pv::checks::FamilyType;
using pv::checks::SeriesRole;
using pv::checks::TypeOrigin;

namespace {

// Queries of one file, parsed, with the MetricTypes learned from them.
struct File {
  std::vector<pv::sources::Expression> sources;
  std::vector<pv::promql::ExprPtr> asts;
  std::vector<pv::checks::ParsedExpression> parsed;
  std::unique_ptr<pv::checks::MetricTypes> types;

  explicit File(const std::vector<std::string>& queries, const pv::checks::TypeSource* inventory = nullptr)
      : File(as_queries(queries), inventory) {}

  // {record name or "", expression}: a named one is a recording rule.
  File(const std::vector<std::pair<std::string, std::string>>& rules, const pv::checks::TypeSource* inventory) {
    sources.reserve(rules.size());
    for (const auto& [record, q] : rules) {
      pv::sources::Expression e;
      e.kind = record.empty() ? pv::sources::ExpressionKind::Query : pv::sources::ExpressionKind::RecordingRule;
      e.rule_name = record;
      e.text = q;
      sources.push_back(std::move(e));
    }
    for (const pv::sources::Expression& e : sources) {
      pv::promql::ParseResult r = pv::promql::parse(e.text);
      EXPECT_TRUE(r.ok()) << e.text;
      if (!r.ok()) continue;
      parsed.push_back({&e, r.expr.get()});
      asts.push_back(std::move(r.expr));
    }
    types = std::make_unique<pv::checks::MetricTypes>(parsed, inventory);
  }

  static std::vector<std::pair<std::string, std::string>> as_queries(const std::vector<std::string>& queries) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& q : queries) out.emplace_back("", q);
    return out;
  }
};

// An inventory that knows a few families.
class FakeInventory final : public pv::checks::TypeSource {
 public:
  explicit FakeInventory(std::map<std::string, FamilyType> types) : types_(std::move(types)) {}
  std::optional<FamilyType> type_of_family(std::string_view family) const override {
    auto it = types_.find(std::string(family));
    if (it == types_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, FamilyType> types_;
};

}  // namespace

TEST(MetricTypes, TotalSeriesDoesNotTakeTheTypeOfAHistogramWithTheSameStem) {
  File f({"histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "rate(x_total[5m])"});
  pv::checks::SeriesType total = f.types->of("x_total");
  EXPECT_EQ(total.family_type, FamilyType::Counter);
  EXPECT_EQ(total.role, SeriesRole::Total);
  EXPECT_EQ(total.origin, TypeOrigin::Name);
  EXPECT_EQ(total.describe_kind(), "counter");
  EXPECT_TRUE(total.counter_like());
}

TEST(MetricTypes, CountAndSumTakeTheTypeOfTheirHistogram) {
  File f({"histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"});
  for (const char* name : {"x_count", "x_sum", "x_bucket"}) {
    pv::checks::SeriesType t = f.types->of(name);
    EXPECT_EQ(t.family_type, FamilyType::Histogram) << name;
    EXPECT_EQ(t.origin, TypeOrigin::Usage) << name;
    EXPECT_EQ(t.family, "x") << name;
    EXPECT_TRUE(t.counter_like()) << name;
  }
  EXPECT_EQ(f.types->of("x_sum").describe_kind(), "histogram _sum");
}

TEST(MetricTypes, CountOfASummaryLearnedFromItsQuantileLabel) {
  File f({"rpc_seconds{quantile=\"0.99\"}"});
  EXPECT_EQ(f.types->of("rpc_seconds_count").describe_kind(), "summary _count");
  EXPECT_TRUE(f.types->of("rpc_seconds").gauge_like());
  EXPECT_FALSE(f.types->of("rpc_seconds_count").gauge_like());
}

TEST(MetricTypes, WithoutUseTheNameDecides) {
  File f({"rate(x_total[5m])"});
  EXPECT_EQ(f.types->of("x_sum").describe_kind(), "histogram or summary _sum");
  EXPECT_EQ(f.types->of("x_sum").origin, TypeOrigin::Name);
  EXPECT_TRUE(f.types->of("vllm:num_requests_running").gauge_like());
  EXPECT_FALSE(f.types->of("process_cpu_seconds").gauge_like());
  EXPECT_FALSE(f.types->of("process_cpu_seconds").counter_like());
}

TEST(MetricTypes, EvidenceIsGradedStrongestFirst) {
  // The origins are ordered by strength; the bundled-metadata slot sits between the file and the
  // inventory.
  EXPECT_LT(TypeOrigin::None, TypeOrigin::Name);
  EXPECT_LT(TypeOrigin::Name, TypeOrigin::NameUnit);
  EXPECT_LT(TypeOrigin::NameUnit, TypeOrigin::Usage);
  EXPECT_LT(TypeOrigin::Usage, TypeOrigin::Metadata);
  EXPECT_LT(TypeOrigin::Metadata, TypeOrigin::Inventory);
  EXPECT_STREQ(pv::checks::describe(TypeOrigin::Metadata), "in the bundled metadata");

  // The same series, with more and more evidence: name, unit, use in the file, inventory.
  EXPECT_EQ(File({"up"}).types->of("rpc_count").origin, TypeOrigin::Name);
  EXPECT_EQ(File({"up"}).types->of("rpc_seconds_count").origin, TypeOrigin::NameUnit);
  File used({"histogram_quantile(0.9, rate(rpc_seconds_bucket[5m]))"});
  EXPECT_EQ(used.types->of("rpc_seconds_count").origin, TypeOrigin::Usage);
  EXPECT_EQ(used.types->of("rpc_seconds_count").family_type, FamilyType::Histogram);
  FakeInventory inventory({{"rpc_seconds", FamilyType::Summary}, {"queue_total", FamilyType::Gauge}});
  File known({"histogram_quantile(0.9, rate(rpc_seconds_bucket[5m]))"}, &inventory);
  pv::checks::SeriesType t = known.types->of("rpc_seconds_count");
  EXPECT_EQ(t.origin, TypeOrigin::Inventory);
  EXPECT_EQ(t.family_type, FamilyType::Summary);
  EXPECT_EQ(t.describe_kind(), "summary _count");
  EXPECT_FALSE(t.name_guess);
}

TEST(MetricTypes, InventorySaysAGaugeNamedTotalIsAGauge) {
  FakeInventory inventory({{"queue_total", FamilyType::Gauge}});
  File f({"queue_total > 5"}, &inventory);
  pv::checks::SeriesType t = f.types->of("queue_total");
  EXPECT_EQ(t.origin, TypeOrigin::Inventory);
  EXPECT_FALSE(t.counter_like());
  EXPECT_TRUE(t.gauge_like());
  // Without the inventory, `_total` alone stays a counter.
  EXPECT_TRUE(File({"queue_total > 5"}).types->of("queue_total").counter_like());
  EXPECT_EQ(File({"queue_total > 5"}).types->of("queue_total").finding_severity(), std::nullopt);
}

TEST(MetricTypes, BareCountOrSumNameIsOnlyAGuess) {
  File f({"pg_locks_count > 10", "aws_lambda_errors_sum > 0"});
  for (const char* name : {"pg_locks_count", "aws_lambda_errors_sum", "memberlist_client_cluster_members_count"}) {
    pv::checks::SeriesType t = f.types->of(name);
    EXPECT_EQ(t.origin, TypeOrigin::Name) << name;
    EXPECT_TRUE(t.name_guess) << name;
    EXPECT_TRUE(t.counter_like()) << name;                                 // still reported, but ...
    EXPECT_EQ(t.finding_severity(), pv::checks::Severity::kInfo) << name;  // ... as info
  }
  EXPECT_EQ(f.types->of("pg_locks_count").evidence(), "by its name alone; gauges end in _count too");
  EXPECT_EQ(f.types->of("aws_lambda_errors_sum").evidence(), "by its name alone; gauges end in _sum too");
  // MySQL's Threads_created is a counter: a `_created` name alone is no timestamp for a warning.
  pv::checks::SeriesType created = f.types->of("mysql_global_status_threads_created");
  EXPECT_TRUE(created.name_guess);
  EXPECT_EQ(created.finding_severity(), pv::checks::Severity::kInfo);
  EXPECT_EQ(created.evidence(), "by its name alone; counters end in _created too");
  // `_total` and `_bucket` by name are not guesses.
  EXPECT_FALSE(f.types->of("x_total").name_guess);
  EXPECT_FALSE(f.types->of("x_bucket").name_guess);
}

TEST(MetricTypes, UnitBeforeCountShowsTheStructure) {
  File f({"up"});
  for (const char* name : {"http_request_duration_seconds_count", "response_size_bytes_count",
                           "rpc_latency_milliseconds_count", "http_request_duration_seconds_sum"}) {
    pv::checks::SeriesType t = f.types->of(name);
    EXPECT_EQ(t.origin, TypeOrigin::NameUnit) << name;
    EXPECT_FALSE(t.name_guess) << name;
    EXPECT_EQ(t.finding_severity(), std::nullopt) << name;
    EXPECT_EQ(t.evidence(), "by its name and unit") << name;
  }
  // Bytes before _sum are not enough: CloudWatch's Sum statistic of a byte gauge looks so.
  EXPECT_TRUE(f.types->of("aws_ebs_volume_read_bytes_sum").name_guess);
  // A unit-like word that is not a base unit is not either.
  EXPECT_TRUE(f.types->of("mysql_global_variables_max_prepared_stmt_count").name_guess);
}

TEST(MetricTypes, SumAndCountReadTogetherShowTheStructure) {
  File f({"rate(rpc_sum[5m]) / rate(rpc_count[5m])", "other_count > 1"});
  for (const char* name : {"rpc_sum", "rpc_count"}) {
    pv::checks::SeriesType t = f.types->of(name);
    EXPECT_EQ(t.origin, TypeOrigin::Usage) << name;
    EXPECT_FALSE(t.name_guess) << name;
    EXPECT_EQ(t.family, "rpc") << name;
    EXPECT_TRUE(t.counter_like()) << name;
  }
  EXPECT_EQ(f.types->of("rpc_count").describe_kind(), "histogram or summary _count");
  // Only the family whose both parts are read.
  EXPECT_TRUE(f.types->of("other_count").name_guess);
  // Parts read in different expressions of the file do not count as siblings.
  File apart({"rate(rpc_sum[5m])", "rpc_count > 1"});
  EXPECT_TRUE(apart.types->of("rpc_count").name_guess);
}

TEST(MetricTypes, TotalMinusOrOverItsOwnGaugeIsACapacity) {
  File f({"1 - container_fs_inodes_free / container_fs_inodes_total", "ceph_pg_total - ceph_pg_active > 0",
          "sessions_total > 0 and sessions_active > 0", "rate(conns_total[5m]) / conns_open",
          "http_requests_used_total / http_requests_total", "build_total * on (job) group_left (version) build_info"});
  for (const char* name : {"container_fs_inodes_total", "ceph_pg_total"}) {
    pv::checks::SeriesType capacity = f.types->of(name);
    EXPECT_EQ(capacity.origin, TypeOrigin::Usage) << name;
    EXPECT_FALSE(capacity.counter_like()) << name;
    EXPECT_FALSE(capacity.gauge_like()) << name;  // not known to be a gauge either: no rate-on-non-counter
  }
  // Read side by side (and), under a range, beside a counter or an info metric: no capacity.
  for (const char* name : {"sessions_total", "conns_total", "http_requests_total", "build_total"}) {
    EXPECT_TRUE(f.types->of(name).counter_like()) << name;
    EXPECT_EQ(f.types->of(name).origin, TypeOrigin::Name) << name;
  }
}

TEST(MetricTypes, RecordedTypeCarriesTheEvidenceOfWhatItReads) {
  using Rules = std::vector<std::pair<std::string, std::string>>;
  File f(Rules{{"job:pg_locks:sum", "sum by (job) (pg_locks_count)"},
               {"job:rpc_seconds_count:sum", "sum by (job) (rpc_seconds_count)"},
               {"instance:node_num_cpu:sum", "count without (cpu, mode) (node_cpu_seconds_total{mode=\"idle\"})"},
               {"job:errors:max", "max by (job) (errors_total)"}},
         nullptr);
  pv::checks::SeriesType guessed = f.types->of("job:pg_locks:sum");
  EXPECT_EQ(guessed.origin, TypeOrigin::Usage);
  EXPECT_TRUE(guessed.counter_like());
  EXPECT_TRUE(guessed.name_guess);
  EXPECT_EQ(guessed.finding_severity(), pv::checks::Severity::kInfo);
  EXPECT_EQ(guessed.evidence(), "by its use in this file, from a series known only by its name");
  EXPECT_FALSE(f.types->of("job:rpc_seconds_count:sum").name_guess);
  EXPECT_TRUE(f.types->of("job:rpc_seconds_count:sum").counter_like());
  // count() of counters counts series: a gauge.
  EXPECT_TRUE(f.types->of("instance:node_num_cpu:sum").gauge_like());
  EXPECT_FALSE(f.types->of("instance:node_num_cpu:sum").counter_like());
  EXPECT_TRUE(f.types->of("job:errors:max").counter_like());
}
