#include "checks/inventory/unknown_metric.h"

#include "checks/inventory/lookup.h"
#include "checks/synthetic_series.h"
#include "naming/policy.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

namespace lookup = inventory_lookup;

// "vLLM 0.9.2" / "0.9.2" / "" from a pack's product and a version.
std::string release(const naming::Policy& p, const std::string& version) {
  if (version.empty()) return p.product();
  return p.product().empty() ? version : p.product() + " " + version;
}

}  // namespace

CheckInfo UnknownMetricCheck::info() const {
  return {kId, Severity::kWarning, "a selector's metric is not in the inventory (typo, renamed or removed)",
          Stage::kFile, kNeedsInventory};
}

void UnknownMetricCheck::check(const ExprContext& ctx, Reporter& out) const {
  const inventory::Inventory* inv = ctx.file.inventory;  // kNeedsInventory: never null
  std::vector<std::string> candidates;                   // built on the first miss only
  for (const promql::VectorSelector* s : promql::selectors(ctx.ast)) {
    std::string name = s->metric_name();
    if (name.empty() || name.find('$') != std::string::npos) continue;
    promql::Range at = lookup::metric_name_range(*s);
    if (lookup::from_variable(ctx.source, at)) continue;  // `$metric`, `x_${suffix}`: picked at run time
    if (inv->find_series(name) || is_synthetic_series(name) || lookup::recorded_in_file(ctx.file, name)) continue;
    bool plain = !s->name.empty();  // a suggestion replaces a bare name only
    // A rename that a policy pack knows beats a guess by spelling.
    const naming::DeprecatedMetric* dep = nullptr;
    const naming::Policy* pack = nullptr;
    if (ctx.file.policies) {
      for (const naming::Policy& p : *ctx.file.policies) {
        if ((dep = p.find_deprecated(name))) {
          pack = &p;
          break;
        }
      }
    }
    if (dep) {
      std::string when = release(*pack, dep->since);
      if (!dep->replacement.empty()) {
        std::string suffix = name.size() > dep->name.size() && name.compare(0, dep->name.size(), dep->name) == 0
                                 ? name.substr(dep->name.size())
                                 : std::string();
        std::string replacement = dep->replacement + suffix;
        out.report(ctx.source, at,
                   quote(name) + " is not in the inventory: it was renamed to " + quote(replacement) +
                       (when.empty() ? "" : " in " + when) + "; use " + quote(replacement),
                   plain ? replacement : std::string());
      } else {
        out.report(ctx.source, at,
                   quote(name) + " is not in the inventory: it was deprecated" + (when.empty() ? "" : " in " + when) +
                       " without a replacement" + (dep->note.empty() ? "" : " (" + dep->note + ")") +
                       "; remove it from the query");
      }
      continue;
    }
    if (candidates.empty()) candidates = lookup::queryable_names(*inv);
    std::string guess = lookup::nearest(name, candidates);
    if (!guess.empty()) {
      out.report(ctx.source, at, quote(name) + " is not in the inventory; did you mean " + quote(guess) + "?",
                 plain ? guess : std::string());
    } else {
      out.report(ctx.source, at,
                 quote(name) + " is not in the inventory; check the name, or rebuild the inventory if it is new");
    }
  }
}

}  // namespace promvet::checks
