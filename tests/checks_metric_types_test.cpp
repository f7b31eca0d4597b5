// MetricTypes: what a series is learned to be from names and from use in the same file, in
// particular which series of a family take the family's learned type.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "checks/metric_types.h"
#include "promql/parse.h"

namespace pv = promvet;
using pv::checks::MetricType;
using pv::checks::SeriesRole;
using pv::checks::TypeOrigin;

namespace {

// Queries of one file, parsed, with the MetricTypes learned from them.
struct File {
  std::vector<pv::sources::Expression> sources;
  std::vector<pv::promql::ExprPtr> asts;
  std::vector<pv::checks::ParsedExpression> parsed;
  std::unique_ptr<pv::checks::MetricTypes> types;

  explicit File(const std::vector<std::string>& queries) {
    sources.reserve(queries.size());
    for (const std::string& q : queries) {
      pv::sources::Expression e;
      e.kind = pv::sources::ExpressionKind::Query;
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
    types = std::make_unique<pv::checks::MetricTypes>(parsed);
  }
};

}  // namespace

TEST(MetricTypes, TotalSeriesDoesNotTakeTheTypeOfAHistogramWithTheSameStem) {
  File f({"histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "rate(x_total[5m])"});
  pv::checks::SeriesType total = f.types->of("x_total");
  EXPECT_EQ(total.family_type, MetricType::Counter);
  EXPECT_EQ(total.role, SeriesRole::Total);
  EXPECT_EQ(total.origin, TypeOrigin::Name);
  EXPECT_EQ(total.describe_kind(), "counter");
  EXPECT_TRUE(total.counter_like());
}

TEST(MetricTypes, CountAndSumTakeTheTypeOfTheirHistogram) {
  File f({"histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"});
  for (const char* name : {"x_count", "x_sum", "x_bucket"}) {
    pv::checks::SeriesType t = f.types->of(name);
    EXPECT_EQ(t.family_type, MetricType::Histogram) << name;
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
