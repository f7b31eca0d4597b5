#include "checks/usage.h"

#include <algorithm>
#include <map>
#include <set>

#include "checks/synthetic_series.h"
#include "inventory/inventory.h"
#include "promql/parse.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

// Labels of the nearest enclosing `by (...)` that reach this selector unchanged: a path through
// a binary operation (group_left may bring labels from the other side) or a function that
// writes labels makes them unattributable.
std::vector<std::string> grouping_labels(const promql::Ancestors& up) {
  for (auto it = up.rbegin(); it != up.rend(); ++it) {
    const promql::Expr* e = *it;
    if (const auto* a = promql::as<promql::Aggregate>(e)) {
      if (a->without) return {};
      return a->grouping;
    }
    if (e->kind == promql::NodeKind::Binary) return {};
    if (const auto* c = promql::as<promql::Call>(e))
      if (c->name == "label_replace" || c->name == "label_join" || c->name == "info") return {};
  }
  return {};
}

bool all_api_sources(const inventory::Inventory& inv) {
  for (const inventory::Source& s : inv.sources())
    if (s.kind != "prometheus-api") return false;
  return !inv.sources().empty();
}

}  // namespace

uint64_t UsageReport::unused_series() const {
  uint64_t n = 0;
  for (const UnusedMetric& u : unused) n += u.series;
  return n;
}

void UsageCollector::add(const sources::SourceFile& file, std::string_view content) {
  ++files_;
  promql::LineIndex lines(content);
  promql::ParseOptions options;
  options.type_check = false;  // an expression with a type error still uses its metrics
  options.enable_experimental_functions = true;
  options.enable_extended_range_selectors = true;  // gated syntax still names metrics
  options.enable_binop_fill_modifiers = true;
  for (const sources::Expression& e : file.expressions) {
    if (e.logql) continue;  // Loki rules: LogQL uses no Prometheus metrics
    ++expressions_;
    if (e.kind == sources::ExpressionKind::RecordingRule && !e.rule_name.empty()) recorded_.push_back(e.rule_name);
    promql::ParseResult r = promql::parse(e.text, options);
    if (!r.ok()) {
      ++unparsed_;
      continue;
    }
    promql::visit(*r.expr, [&](const promql::Expr& n, const promql::Ancestors& up) {
      const auto* s = promql::as<promql::VectorSelector>(&n);
      if (!s) return;
      std::string metric = s->metric_name();
      if (metric.empty()) return;
      Use use;
      use.metric = metric;
      for (const promql::Matcher& m : s->matchers)
        if (m.name != "__name__" && !(m.op == promql::MatchOp::Equal && m.value.empty())) use.labels.push_back(m.name);
      for (std::string& g : grouping_labels(up)) use.labels.push_back(std::move(g));
      promql::Range at = s->name.empty() ? s->range : s->name_range;
      promql::LineIndex::Location loc = lines.locate(e.map.at(at.begin));
      use.at = {file.path,
                loc.line,
                loc.column,
                sources::to_string(e.kind),
                e.dashboard_title.empty() ? e.dashboard_uid : e.dashboard_title,
                e.panel_title,
                e.rule_name};
      uses_.push_back(std::move(use));
    });
  }
}

UsageReport UsageCollector::finish(const inventory::Inventory* inv) const {
  UsageReport r;
  r.files = files_;
  r.expressions = expressions_;
  r.unparsed_expressions = unparsed_;
  r.has_inventory = inv != nullptr;
  std::map<std::string, UsedMetric> used;
  std::set<std::string> used_families;
  std::map<std::pair<std::string, std::string>, UnknownLabel> unknown;
  // Expositions lack the labels Prometheus adds when scraping; an API inventory has them.
  const bool target_labels_known = inv && all_api_sources(*inv);
  std::set<std::string> recorded(recorded_.begin(), recorded_.end());
  for (const Use& u : uses_) {
    UsedMetric& m = used[u.metric];
    m.name = u.metric;
    m.uses.push_back(u.at);
    if (!inv) continue;
    std::string family;
    const inventory::Family* f = inv->find_series(u.metric, &family);
    if (!f) {
      if (recorded.count(u.metric)) m.type = "recorded";
      else if (!target_labels_known && is_synthetic_series(u.metric)) m.type = "synthetic";
      continue;
    }
    m.family = family;
    m.type = std::string(expfmt::metric_type_name(f->type));
    m.series = f->series;
    used_families.insert(family);
    if (f->labels.size() >= inv->limits().max_labels_per_family) continue;  // label list incomplete
    for (const std::string& label : u.labels) {
      if (f->labels.count(label)) continue;
      if (!target_labels_known && (label == "job" || label == "instance")) continue;
      UnknownLabel& k = unknown[{u.metric, label}];
      if (k.uses++ == 0) {
        k.metric = u.metric;
        k.label = label;
        k.at = u.at;
      }
    }
  }
  for (auto& [name, m] : used) {
    if (inv && m.family.empty() && m.type.empty()) r.missing.push_back(m);
    r.used.push_back(std::move(m));
  }
  if (inv) {
    r.inventory_families = inv->families().size();
    for (const auto& [name, f] : inv->families()) {
      r.inventory_series += f.series;
      if (!used_families.count(name))
        r.unused.push_back({name, std::string(expfmt::metric_type_name(f.type)), f.series});
    }
    std::stable_sort(r.unused.begin(), r.unused.end(),
                     [](const UnusedMetric& a, const UnusedMetric& b) { return a.series > b.series; });
  }
  for (auto& [key, k] : unknown) r.unknown_labels.push_back(std::move(k));
  return r;
}

}  // namespace promvet::checks
