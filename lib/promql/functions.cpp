// The PromQL function table, transcribed from Prometheus' promql/parser/functions.go (3.14:
// histogram_quantiles, ts_of_*, start/end/range/step, min_of/max_of, start_timestamp).
// Argument types, variadic counts and the experimental flag are as there; upstream_promql_test
// compares the table with functions.tsv extracted from that file (tools/upstream/README.md).
#include "promql/functions.h"

#include <unordered_map>

namespace promvet::promql {

namespace {

constexpr ValueType S = ValueType::Scalar;
constexpr ValueType V = ValueType::Vector;
constexpr ValueType M = ValueType::Matrix;
constexpr ValueType Str = ValueType::String;

struct Row {
  std::string_view name;
  std::vector<ValueType> args;
  int variadic;
  ValueType ret;
  bool experimental;
};

constexpr unsigned kName = kKeepsMetricName;
constexpr unsigned kValue = kValuePreserving;
constexpr unsigned kCounter = kTakesCounter;
constexpr unsigned kGaugeIn = kTakesGauge;
constexpr unsigned kGaugeOut = kReturnsGauge;
constexpr unsigned kTwo = kNeedsTwoSamples;

// promvet's annotations (functions.h, FunctionTrait), apart from the rows transcribed from
// functions.go so that those stay comparable with it.
struct TraitRow {
  std::string_view name;
  unsigned traits;
};
constexpr TraitRow kTraits[] = {
    {"abs", kValue},
    {"avg_over_time", kValue | kGaugeOut},
    {"ceil", kValue},
    {"clamp", kValue},
    {"clamp_max", kValue},
    {"clamp_min", kValue},
    {"delta", kValue | kGaugeIn | kGaugeOut | kTwo},
    {"deriv", kValue | kGaugeIn | kGaugeOut | kPerSecond | kTwo},
    {"double_exponential_smoothing", kTwo},
    {"exp", kValue},
    {"first_over_time", kName | kValue},
    {"floor", kValue},
    {"histogram_quantile", kGaugeOut},
    {"idelta", kValue | kGaugeIn | kGaugeOut | kTwo},
    {"increase", kValue | kCounter | kGaugeOut | kTwo},
    {"irate", kValue | kCounter | kGaugeOut | kPerSecond | kTwo},
    {"label_join", kName | kValue},
    {"label_replace", kName | kValue},
    {"last_over_time", kName | kValue},
    {"max_over_time", kValue},
    {"min_over_time", kValue},
    {"predict_linear", kValue | kGaugeIn | kGaugeOut | kTwo},
    {"quantile_over_time", kValue | kGaugeOut},
    {"rate", kValue | kCounter | kGaugeOut | kPerSecond | kTwo},
    {"resets", kCounter},
    {"round", kValue},
    {"sort", kName | kValue},
    {"sort_by_label", kName},
    {"sort_by_label_desc", kName},
    {"sort_desc", kName | kValue},
    {"stddev_over_time", kGaugeOut},
    {"stdvar_over_time", kGaugeOut},
    {"sum_over_time", kValue},
};

void add_traits(std::vector<Function>& table) {
  for (const TraitRow& t : kTraits)
    for (Function& f : table)
      if (f.name == t.name) f.traits = t.traits;
}

std::vector<Function> build_table() {
  // name, argument types, variadic, return type, experimental.
  const Row rows[] = {
      {"abs", {V}, 0, V, false},
      {"absent", {V}, 0, V, false},
      {"absent_over_time", {M}, 0, V, false},
      {"acos", {V}, 0, V, false},
      {"acosh", {V}, 0, V, false},
      {"asin", {V}, 0, V, false},
      {"asinh", {V}, 0, V, false},
      {"atan", {V}, 0, V, false},
      {"atanh", {V}, 0, V, false},
      {"avg_over_time", {M}, 0, V, false},
      {"ceil", {V}, 0, V, false},
      {"changes", {M}, 0, V, false},
      {"clamp", {V, S, S}, 0, V, false},
      {"clamp_max", {V, S}, 0, V, false},
      {"clamp_min", {V, S}, 0, V, false},
      {"cos", {V}, 0, V, false},
      {"cosh", {V}, 0, V, false},
      {"count_over_time", {M}, 0, V, false},
      {"days_in_month", {V}, 1, V, false},
      {"day_of_month", {V}, 1, V, false},
      {"day_of_week", {V}, 1, V, false},
      {"day_of_year", {V}, 1, V, false},
      {"deg", {V}, 0, V, false},
      {"end", {}, 0, S, true},
      {"delta", {M}, 0, V, false},
      {"deriv", {M}, 0, V, false},
      {"exp", {V}, 0, V, false},
      {"first_over_time", {M}, 0, V, false},
      {"floor", {V}, 0, V, false},
      {"histogram_avg", {V}, 0, V, false},
      {"histogram_count", {V}, 0, V, false},
      {"histogram_sum", {V}, 0, V, false},
      {"histogram_stddev", {V}, 0, V, false},
      {"histogram_stdvar", {V}, 0, V, false},
      {"histogram_fraction", {S, S, V}, 0, V, false},
      {"histogram_quantile", {S, V}, 0, V, false},
      {"histogram_quantiles", {V, Str, S, S}, 9, V, true},
      {"double_exponential_smoothing", {M, S, S}, 0, V, true},
      {"hour", {V}, 1, V, false},
      {"idelta", {M}, 0, V, false},
      {"increase", {M}, 0, V, false},
      {"info", {V, V}, 1, V, true},
      {"irate", {M}, 0, V, false},
      {"label_replace", {V, Str, Str, Str, Str}, 0, V, false},
      {"label_join", {V, Str, Str, Str}, -1, V, false},
      {"last_over_time", {M}, 0, V, false},
      {"ln", {V}, 0, V, false},
      {"log10", {V}, 0, V, false},
      {"log2", {V}, 0, V, false},
      {"mad_over_time", {M}, 0, V, true},
      {"max_of", {S, S}, 0, S, true},
      {"max_over_time", {M}, 0, V, false},
      {"min_of", {S, S}, 0, S, true},
      {"min_over_time", {M}, 0, V, false},
      {"ts_of_first_over_time", {M}, 0, V, true},
      {"ts_of_max_over_time", {M}, 0, V, true},
      {"ts_of_min_over_time", {M}, 0, V, true},
      {"ts_of_last_over_time", {M}, 0, V, true},
      {"minute", {V}, 1, V, false},
      {"month", {V}, 1, V, false},
      {"pi", {}, 0, S, false},
      {"predict_linear", {M, S}, 0, V, false},
      {"present_over_time", {M}, 0, V, false},
      {"quantile_over_time", {S, M}, 0, V, false},
      {"rad", {V}, 0, V, false},
      {"range", {}, 0, S, true},
      {"rate", {M}, 0, V, false},
      {"resets", {M}, 0, V, false},
      {"round", {V, S}, 1, V, false},
      {"scalar", {V}, 0, S, false},
      {"sgn", {V}, 0, V, false},
      {"sin", {V}, 0, V, false},
      {"sinh", {V}, 0, V, false},
      {"sort", {V}, 0, V, false},
      {"sort_desc", {V}, 0, V, false},
      {"sort_by_label", {V, Str}, -1, V, true},
      {"sort_by_label_desc", {V, Str}, -1, V, true},
      {"sqrt", {V}, 0, V, false},
      {"start", {}, 0, S, true},
      {"start_timestamp", {V}, 0, V, true},
      {"step", {}, 0, S, true},
      {"stddev_over_time", {M}, 0, V, false},
      {"stdvar_over_time", {M}, 0, V, false},
      {"sum_over_time", {M}, 0, V, false},
      {"tan", {V}, 0, V, false},
      {"tanh", {V}, 0, V, false},
      {"time", {}, 0, S, false},
      {"timestamp", {V}, 0, V, false},
      {"vector", {S}, 0, V, false},
      {"year", {V}, 1, V, false},
  };
  std::vector<Function> table;
  table.reserve(std::size(rows));
  for (const Row& r : rows) table.push_back(Function{r.name, r.args, r.variadic, r.ret, r.experimental});
  add_traits(table);
  return table;
}

struct Index {
  std::vector<Function> table = build_table();
  std::unordered_map<std::string_view, const Function*> by_name;
  Index() {
    for (const Function& f : table) by_name.emplace(f.name, &f);
  }
};

const Index& index() {
  static const Index idx;
  return idx;
}

}  // namespace

const Function* find_function(std::string_view name) {
  const auto& m = index().by_name;
  auto it = m.find(name);
  return it == m.end() ? nullptr : it->second;
}

const std::vector<Function>& all_functions() { return index().table; }

bool function_has(std::string_view name, FunctionTrait trait) {
  const Function* f = find_function(name);
  return f && f->has(trait);
}

}  // namespace promvet::promql
