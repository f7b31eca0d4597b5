#include "checks/inventory/unknown_label.h"

#include <re2/re2.h>

#include "checks/inventory/lookup.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

namespace lookup = inventory_lookup;
using promql::Expr;

// Matchers that also select series without the label (`x=""`, `x!="a"`, `x=~".*"`) are often
// written on purpose for that; only a matcher that requires the label can be a typo for sure.
bool requires_label(const promql::Matcher& m) {
  switch (m.op) {
    case promql::MatchOp::Equal: return !m.value.empty();
    case promql::MatchOp::NotEqual:
    case promql::MatchOp::NotRegex: return false;
    case promql::MatchOp::Regex: {
      RE2 re("^(?:" + m.value + ")$", RE2::Quiet);
      return re.ok() && !RE2::FullMatch("", re);
    }
  }
  return false;
}

// The one selector whose labels reach an aggregation unchanged, or null when labels may come
// from elsewhere (binary operations, label_replace/label_join, nested aggregations).
const promql::VectorSelector* sole_selector(const Expr* e) {
  e = promql::unwrap_parens(e);
  if (!e) return nullptr;
  if (const auto* s = promql::as<promql::VectorSelector>(e)) return s;
  if (const auto* m = promql::as<promql::MatrixSelector>(e)) return sole_selector(m->selector.get());
  if (const auto* q = promql::as<promql::Subquery>(e)) return sole_selector(q->expr.get());
  if (const auto* u = promql::as<promql::Unary>(e)) return sole_selector(u->expr.get());
  if (const auto* c = promql::as<promql::Call>(e)) {
    if (c->name == "label_replace" || c->name == "label_join") return nullptr;
    const Expr* vector_arg = nullptr;
    for (const auto& a : c->args) {
      const Expr* arg = promql::unwrap_parens(a.get());
      if (!arg || arg->kind == promql::NodeKind::Number || arg->kind == promql::NodeKind::String) continue;
      if (vector_arg) return nullptr;
      vector_arg = arg;
    }
    return sole_selector(vector_arg);
  }
  return nullptr;
}

std::vector<std::string> label_names(const inventory::Family& f) {
  std::vector<std::string> out;
  for (const auto& [name, values] : f.labels) out.push_back(name);
  return out;
}

bool known_label(const inventory::Inventory& inv, const inventory::Family& f, const std::string& label) {
  return label == "__name__" || f.labels.count(label) || lookup::scrape_time_label(inv, label);
}

std::string message(const std::string& family, const inventory::Family& f, const std::string& label) {
  std::vector<std::string> names = label_names(f);
  std::string guess = lookup::nearest(label, names);
  std::string m = "no series of " + quote(family) + " has label " + quote(label);
  if (!guess.empty()) return m + "; did you mean " + quote(guess) + "?";
  if (names.empty()) return m + "; its series have no labels";
  return m + "; its labels are " + lookup::quoted_list(names);
}

}  // namespace

CheckInfo UnknownLabelCheck::info() const {
  return {kId, Severity::kWarning, "a label matcher or by/without label that no series of the metric has", Stage::kFile,
          kNeedsInventory};
}

void UnknownLabelCheck::check(const ExprContext& ctx, Reporter& out) const {
  const inventory::Inventory* inv = ctx.file.inventory;  // kNeedsInventory: never null
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    if (const auto* s = promql::as<promql::VectorSelector>(&e)) {
      if (lookup::metric_from_variable(ctx.source, *s)) return;
      std::string family;
      const inventory::Family* f = inv->find_series(s->metric_name(), &family);
      if (!f) return;
      for (const promql::Matcher& m : s->matchers) {
        if (m.bare_name || known_label(*inv, *f, m.name) || !requires_label(m)) continue;
        // A label name picked at run time (`{${label}="a"}`). The name is the user's even when the
        // value is a variable's: `{modle_name="$model"}` is still a typo.
        if (lookup::from_variable(ctx.source, m.name_range)) continue;
        out.report(ctx.source, m.name_range, message(family, *f, m.name));
      }
      return;
    }
    const auto* a = promql::as<promql::Aggregate>(&e);
    if (!a || a->grouping.empty()) return;
    const promql::VectorSelector* s = sole_selector(a->body());
    if (!s || lookup::metric_from_variable(ctx.source, *s)) return;
    std::string family;
    const inventory::Family* f = inv->find_series(s->metric_name(), &family);
    if (!f) return;
    for (size_t i = 0; i < a->grouping.size() && i < a->grouping_ranges.size(); ++i) {
      if (known_label(*inv, *f, a->grouping[i]) || lookup::from_variable(ctx.source, a->grouping_ranges[i])) continue;
      out.report(ctx.source, a->grouping_ranges[i], message(family, *f, a->grouping[i]));
    }
  });
}

}  // namespace promvet::checks
