#include "checks/inventory/unknown_label_value.h"

#include "checks/inventory/lookup.h"
#include "promql/walk.h"

namespace promvet::checks {

namespace lookup = inventory_lookup;

CheckInfo UnknownLabelValueCheck::info() const {
  return {kId, Severity::kWarning, "an equality matcher's value never seen for that label in the inventory",
          Stage::kFile, kNeedsInventory};
}

void UnknownLabelValueCheck::check(const ExprContext& ctx, Reporter& out) const {
  const inventory::Inventory* inv = ctx.file.inventory;  // kNeedsInventory: never null
  for (const promql::VectorSelector* s : promql::selectors(ctx.ast)) {
    if (lookup::metric_from_variable(ctx.source, *s)) continue;
    std::string family;
    const inventory::Family* f = inv->find_series(s->metric_name(), &family);
    if (!f) continue;
    for (const promql::Matcher& m : s->matchers) {
      // Only `=`: a regex or a negation may well match nothing on purpose. A value or label name
      // that came from a Grafana variable, wholly or in part, is only known at render time (the
      // saved value is one choice of many). A capped label's values are incomplete.
      if (m.op != promql::MatchOp::Equal || m.name == "__name__" || m.bare_name || m.value.empty() ||
          m.value.find('$') != std::string::npos || lookup::from_variable(ctx.source, m.value_range) ||
          lookup::from_variable(ctx.source, m.name_range))
        continue;
      auto label = f->labels.find(m.name);
      if (label == f->labels.end() || label->second.capped || label->second.values.count(m.value)) continue;
      std::vector<std::string> seen;
      for (const auto& [value, count] : label->second.values) seen.push_back(value);
      std::string guess = lookup::nearest(m.value, seen);
      std::string msg = "no series of " + quote(family) + " has " + m.name + "=" + quote(m.value);
      if (!guess.empty()) {
        msg += "; did you mean " + quote(guess) + "?";
      } else {
        msg += "; values seen: " + lookup::quoted_list(seen);
      }
      out.report(ctx.source, m.value_range, msg);
    }
  }
}

}  // namespace promvet::checks
