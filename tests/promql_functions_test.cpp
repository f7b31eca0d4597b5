// The PromQL function table against Prometheus' promql/parser/functions.go (3.x, newest version):
// every row is found by name, and names, arities and the experimental flags are as there.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "promql/functions.h"

namespace promvet::promql {
namespace {

TEST(PromqlFunctions, EveryRowRoundTripsThroughFindFunction) {
  const auto& all = all_functions();
  std::set<std::string_view> names;
  for (const Function& f : all) {
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate " << f.name;
    const Function* found = find_function(f.name);
    ASSERT_NE(found, nullptr) << f.name;
    EXPECT_EQ(found, &f) << f.name;
    EXPECT_EQ(found->name, f.name);
  }
}

TEST(PromqlFunctions, TableMatchesPrometheus) {
  // Names in Prometheus' table, 3.14: 90 functions.
  const std::set<std::string_view> stable = {"abs",
                                             "absent",
                                             "absent_over_time",
                                             "acos",
                                             "acosh",
                                             "asin",
                                             "asinh",
                                             "atan",
                                             "atanh",
                                             "avg_over_time",
                                             "ceil",
                                             "changes",
                                             "clamp",
                                             "clamp_max",
                                             "clamp_min",
                                             "cos",
                                             "cosh",
                                             "count_over_time",
                                             "days_in_month",
                                             "day_of_month",
                                             "day_of_week",
                                             "day_of_year",
                                             "deg",
                                             "delta",
                                             "deriv",
                                             "exp",
                                             "first_over_time",
                                             "floor",
                                             "histogram_avg",
                                             "histogram_count",
                                             "histogram_sum",
                                             "histogram_stddev",
                                             "histogram_stdvar",
                                             "histogram_fraction",
                                             "histogram_quantile",
                                             "hour",
                                             "idelta",
                                             "increase",
                                             "irate",
                                             "label_replace",
                                             "label_join",
                                             "last_over_time",
                                             "ln",
                                             "log10",
                                             "log2",
                                             "max_over_time",
                                             "min_over_time",
                                             "minute",
                                             "month",
                                             "pi",
                                             "predict_linear",
                                             "present_over_time",
                                             "quantile_over_time",
                                             "rad",
                                             "rate",
                                             "resets",
                                             "round",
                                             "scalar",
                                             "sgn",
                                             "sin",
                                             "sinh",
                                             "sort",
                                             "sort_desc",
                                             "sqrt",
                                             "stddev_over_time",
                                             "stdvar_over_time",
                                             "sum_over_time",
                                             "tan",
                                             "tanh",
                                             "time",
                                             "timestamp",
                                             "vector",
                                             "year"};
  const std::set<std::string_view> experimental = {"double_exponential_smoothing",
                                                   "end",
                                                   "histogram_quantiles",
                                                   "info",
                                                   "mad_over_time",
                                                   "max_of",
                                                   "min_of",
                                                   "range",
                                                   "sort_by_label",
                                                   "sort_by_label_desc",
                                                   "start",
                                                   "start_timestamp",
                                                   "step",
                                                   "ts_of_first_over_time",
                                                   "ts_of_last_over_time",
                                                   "ts_of_max_over_time",
                                                   "ts_of_min_over_time"};
  EXPECT_EQ(all_functions().size(), stable.size() + experimental.size());
  for (std::string_view n : stable) {
    const Function* f = find_function(n);
    ASSERT_NE(f, nullptr) << n;
    EXPECT_FALSE(f->experimental) << n;
  }
  for (std::string_view n : experimental) {
    const Function* f = find_function(n);
    ASSERT_NE(f, nullptr) << n;
    EXPECT_TRUE(f->experimental) << n;
  }
}

TEST(PromqlFunctions, RemovedAndMisspelledNamesAreUnknown) {
  for (const char* n : {"holt_winters", "Rate", "RATE", "sum", "topk", "", "rate ", "histogram_quantile_"})
    EXPECT_EQ(find_function(n), nullptr) << n;
}

struct Shape {
  const char* name;
  std::vector<ValueType> args;
  int variadic;
  ValueType ret;
};

TEST(PromqlFunctions, ArgumentTypesAndVariadics) {
  constexpr auto S = ValueType::Scalar, V = ValueType::Vector, M = ValueType::Matrix, Str = ValueType::String;
  const Shape shapes[] = {
      {"rate", {M}, 0, V},
      {"abs", {V}, 0, V},
      {"time", {}, 0, S},
      {"pi", {}, 0, S},
      {"scalar", {V}, 0, S},
      {"vector", {S}, 0, V},
      {"clamp", {V, S, S}, 0, V},
      {"round", {V, S}, 1, V},
      {"hour", {V}, 1, V},
      {"day_of_year", {V}, 1, V},
      {"label_replace", {V, Str, Str, Str, Str}, 0, V},
      {"label_join", {V, Str, Str, Str}, -1, V},
      {"sort_by_label", {V, Str}, -1, V},
      {"sort_by_label_desc", {V, Str}, -1, V},
      {"histogram_quantile", {S, V}, 0, V},
      {"histogram_fraction", {S, S, V}, 0, V},
      {"histogram_quantiles", {V, Str, S, S}, 9, V},
      {"quantile_over_time", {S, M}, 0, V},
      {"predict_linear", {M, S}, 0, V},
      {"double_exponential_smoothing", {M, S, S}, 0, V},
      {"info", {V, V}, 1, V},
      {"min_of", {S, S}, 0, S},
      {"start_timestamp", {V}, 0, V},
      {"start", {}, 0, S},
      {"step", {}, 0, S},
  };
  for (const Shape& s : shapes) {
    const Function* f = find_function(s.name);
    ASSERT_NE(f, nullptr) << s.name;
    EXPECT_EQ(f->arg_types, s.args) << s.name;
    EXPECT_EQ(f->variadic, s.variadic) << s.name;
    EXPECT_EQ(f->return_type, s.ret) << s.name;
  }
}

TEST(PromqlFunctions, OnlyScalarAndVectorReturns) {
  for (const Function& f : all_functions()) {
    EXPECT_TRUE(f.return_type == ValueType::Vector || f.return_type == ValueType::Scalar) << f.name;
    // A variadic function has at least one argument type to repeat or make optional.
    if (f.variadic != 0) {
      EXPECT_FALSE(f.arg_types.empty()) << f.name;
    }
  }
}

}  // namespace
}  // namespace promvet::promql
