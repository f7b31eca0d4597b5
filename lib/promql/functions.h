#pragma once
// The PromQL function table: one row per function, as in Prometheus' functions.go. The type
// checker validates arity and argument types generically from the row.
#include <string_view>
#include <vector>

#include "promql/ast.h"

namespace promvet::promql {

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  // 0: exactly arg_types.size() arguments. >0: the last argument is optional and up to this many
  // may be given. <0: the last argument type repeats without limit (label_join).
  int variadic = 0;
  ValueType return_type = ValueType::Vector;
  bool experimental = false;  // needs --enable-experimental-functions
};

// Lookup by exact (case-sensitive) name, as Prometheus does. Null when unknown.
const Function* find_function(std::string_view name);
const std::vector<Function>& all_functions();

}  // namespace promvet::promql
