#pragma once
// The PromQL function table: one row per function, as in Prometheus' functions.go. The type
// checker validates arity and argument types generically from the row.
#include <string_view>
#include <vector>

#include "promql/ast.h"

namespace promvet::promql {

// What a function means for the lint checks (promvet's reading of Prometheus' functions.go and
// its documentation), so that no check keeps its own list of names. Bits of Function::traits.
enum FunctionTrait : unsigned {
  // The result keeps the input series' metric name (functions.go: no DropMetricName).
  kKeepsMetricName = 1u << 0,
  // Output values are a transformation of the vector/range argument's values: a quantile (or a
  // bucket boundary) stays one through them.
  kValuePreserving = 1u << 1,
  // Made for counters (reads every decrease as a reset): rate, irate, increase, resets.
  kTakesCounter = 1u << 2,
  // Made for gauges (takes raw differences; a counter reset is a huge drop): delta, deriv,
  // idelta, predict_linear.
  kTakesGauge = 1u << 3,
  // The result is a gauge whatever the input type (a rate, a change, an average, a quantile).
  // max/min_over_time are not: over a counter they still only grow between resets.
  kReturnsGauge = 1u << 4,
  // The result is per second: rate, irate, deriv.
  kPerSecond = 1u << 5,
  // Returns nothing with fewer than two samples in the range.
  kNeedsTwoSamples = 1u << 6,
};

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  // 0: exactly arg_types.size() arguments. >0: the last argument is optional and up to this many
  // may be given. <0: the last argument type repeats without limit (label_join).
  int variadic = 0;
  ValueType return_type = ValueType::Vector;
  bool experimental = false;  // needs --enable-experimental-functions
  unsigned traits = 0;        // FunctionTrait bits

  bool has(FunctionTrait t) const { return (traits & t) != 0; }
};

// Lookup by exact (case-sensitive) name, as Prometheus does. Null when unknown.
const Function* find_function(std::string_view name);
const std::vector<Function>& all_functions();
// Whether the function of that name has the trait; false for an unknown name.
bool function_has(std::string_view name, FunctionTrait trait);

}  // namespace promvet::promql
