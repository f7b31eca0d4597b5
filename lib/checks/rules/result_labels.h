#pragma once
// Static reasoning about which labels the series of a PromQL expression can carry, for checks
// that compare templates ($labels.x) with the expression. Conservative: anything it does not
// understand (selectors, unknown functions, info()) may carry any label.
//
//   ResultLabels r = result_labels(*ast);
//   if (!r.may_have("instance")) ...  // e.g. `sum by (job) (...)` dropped it
//
// Pure functions over the AST; thread-safe.
#include <set>
#include <string>

#include "promql/ast.h"

namespace promvet::checks {

struct ResultLabels {
  // bounded: the result carries at most `names`; otherwise any label except `names`.
  bool bounded = false;
  std::set<std::string> names;
  bool may_have(const std::string& label) const { return bounded ? names.count(label) > 0 : names.count(label) == 0; }
};

ResultLabels result_labels(const promql::Expr& e);

}  // namespace promvet::checks
