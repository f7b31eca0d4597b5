// The function table's traits (promql/functions.h): the sets the checks rely on, spelled out once
// here so that a change to a row is a deliberate one.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "promql/functions.h"

namespace pq = promvet::promql;

namespace {

std::vector<std::string> with(pq::FunctionTrait t) {
  std::vector<std::string> names;
  for (const pq::Function& f : pq::all_functions())
    if (f.has(t)) names.emplace_back(f.name);
  return names;  // in table order, which is alphabetical but for a few rows
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST(FunctionTraits, KeepsMetricName) {
  EXPECT_EQ(sorted(with(pq::kKeepsMetricName)),
            (std::vector<std::string>{"first_over_time", "label_join", "label_replace", "last_over_time", "sort",
                                      "sort_by_label", "sort_by_label_desc", "sort_desc"}));
}

TEST(FunctionTraits, CounterAndGaugeFunctions) {
  EXPECT_EQ(sorted(with(pq::kTakesCounter)), (std::vector<std::string>{"increase", "irate", "rate", "resets"}));
  EXPECT_EQ(sorted(with(pq::kTakesGauge)), (std::vector<std::string>{"delta", "deriv", "idelta", "predict_linear"}));
  EXPECT_EQ(sorted(with(pq::kPerSecond)), (std::vector<std::string>{"deriv", "irate", "rate"}));
  EXPECT_EQ(sorted(with(pq::kNeedsTwoSamples)),
            (std::vector<std::string>{"delta", "deriv", "double_exponential_smoothing", "idelta", "increase", "irate",
                                      "predict_linear", "rate"}));
  EXPECT_EQ(sorted(with(pq::kReturnsGauge)),
            (std::vector<std::string>{"avg_over_time", "delta", "deriv", "histogram_quantile", "idelta", "increase",
                                      "irate", "predict_linear", "quantile_over_time", "rate", "stddev_over_time",
                                      "stdvar_over_time"}));
}

TEST(FunctionTraits, ValuePreserving) {
  std::vector<std::string> v = sorted(with(pq::kValuePreserving));
  EXPECT_EQ(v.size(), 26u);
  for (const char* f : {"abs", "rate", "label_replace", "quantile_over_time", "predict_linear"})
    EXPECT_TRUE(pq::function_has(f, pq::kValuePreserving)) << f;
  for (const char* f : {"count_over_time", "histogram_quantile", "absent", "resets", "changes"})
    EXPECT_FALSE(pq::function_has(f, pq::kValuePreserving)) << f;
}

TEST(FunctionTraits, UnknownNameHasNone) {
  EXPECT_FALSE(pq::function_has("holt_winters", pq::kNeedsTwoSamples));
  EXPECT_FALSE(pq::function_has("", pq::kTakesCounter));
}
