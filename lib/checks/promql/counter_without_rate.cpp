#include "checks/promql/counter_without_rate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <tuple>
#include <vector>

#include "checks/metric_types.h"
#include "checks/promql/range_suggestion.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Ancestors;
using promql::Expr;

// Consumers that look only at which series exist or when, never at the counter's value.
constexpr std::array<std::string_view, 2> kValueBlindFunctions = {"absent", "timestamp"};

bool value_blind(const Expr& parent, const Expr& child) {
  if (const auto* c = promql::as<promql::Call>(&parent)) {
    for (std::string_view f : kValueBlindFunctions)
      if (c->name == f) return true;
    // histogram_quantile over raw buckets is promql/histogram-quantile's finding.
    return c->name == "histogram_quantile";
  }
  if (const auto* a = promql::as<promql::Aggregate>(&parent)) {
    if (a->op == promql::AggregateOp::Count || a->op == promql::AggregateOp::Group) return true;
    if (a->op == promql::AggregateOp::CountValues) return false;
    return a->param() == &child;  // topk(k, …): the parameter is not the counter
  }
  if (const auto* b = promql::as<promql::Binary>(&parent)) {
    // `x and on(job) y_total`: only y's label sets matter.
    return promql::is_set_operator(b->op) && b->rhs.get() == &child;
  }
  return false;
}

bool same_matchers(const promql::VectorSelector& a, const promql::VectorSelector& b) {
  auto key = [](const promql::VectorSelector& s) {
    std::vector<std::tuple<std::string, int, std::string>> out;
    for (const promql::Matcher& m : s.matchers)
      if (m.name != "__name__") out.emplace_back(m.name, static_cast<int>(m.op), m.value);
    std::sort(out.begin(), out.end());
    return out;
  };
  return a.metric_name() == b.metric_name() && key(a) == key(b);
}

bool same_time(const promql::Modifiers& a, const promql::Modifiers& b) {
  if (a.at != b.at || (a.at == promql::AtKind::Timestamp && a.at_ms != b.at_ms)) return false;
  if (a.offset.has_value() != b.offset.has_value()) return false;
  // Offsets written as duration expressions (`offset (1h + 1m)`) compare by their folded value.
  return !a.offset || (a.offset->is_literal() && b.offset->is_literal() && a.offset->ms == b.offset->ms);
}

// Whether `a` and `b` read the same series at different times: the same selector, or the same
// value-keeping aggregation of it, apart from offset and @.
bool same_series_other_time(const Expr* a, const Expr* b, bool* times_differ) {
  a = promql::unwrap_parens(a);
  b = promql::unwrap_parens(b);
  if (!a || !b || a->kind != b->kind) return false;
  if (const auto* sa = promql::as<promql::VectorSelector>(a)) {
    const auto* sb = promql::as<promql::VectorSelector>(b);
    if (!same_matchers(*sa, *sb)) return false;
    *times_differ = *times_differ || !same_time(sa->mods, sb->mods);
    return true;
  }
  if (const auto* aa = promql::as<promql::Aggregate>(a)) {
    const auto* ab = promql::as<promql::Aggregate>(b);
    if (aa->op != ab->op || aa->without != ab->without || aa->grouping != ab->grouping || aa->param() || ab->param())
      return false;
    return same_series_other_time(aa->body(), ab->body(), times_differ);
  }
  return false;
}

// `x - x offset 1h`, `sum(x) - sum(x @ start())`: an increase written by hand. It is how much the
// counter grew (wrong only across a reset, which increase() would handle), not its raw value.
bool hand_written_increase(const Expr& e) {
  const auto* b = promql::as<promql::Binary>(&e);
  if (!b || b->op != promql::BinaryOp::Sub) return false;
  bool times_differ = false;
  return same_series_other_time(b->lhs.get(), b->rhs.get(), &times_differ) && times_differ;
}

// The counter selector read by `e` (a selector, or a sum/min/max of one), or null.
const promql::VectorSelector* counter_read(const Expr* e, const MetricTypes& types) {
  e = promql::unwrap_parens(e);
  // `(x_total or on() vector(0))`: a default for no series at all, the value is still x's.
  if (const auto* b = promql::as<promql::Binary>(e); b && b->op == promql::BinaryOp::Or)
    if (const auto* c = promql::as<promql::Call>(promql::unwrap_parens(b->rhs.get())); c && c->name == "vector")
      e = promql::unwrap_parens(b->lhs.get());
  while (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (a->op != promql::AggregateOp::Sum && a->op != promql::AggregateOp::Max && a->op != promql::AggregateOp::Min)
      return nullptr;
    e = promql::unwrap_parens(a->body());
  }
  const auto* s = promql::as<promql::VectorSelector>(e);
  if (!s) return nullptr;
  std::string name = s->metric_name();
  return !name.empty() && types.of(name).counter_like() ? s : nullptr;
}

// `grpc_server_started_total - grpc_server_handled_total`, `mallocs_total - frees_total`: one
// counter minus another, read at the same time, is how many are in flight or alive now, a level
// that a restart zeroes on both sides alike. That difference is the point of such queries.
bool counter_difference(const Expr& e, const MetricTypes& types) {
  const auto* b = promql::as<promql::Binary>(&e);
  if (!b || b->op != promql::BinaryOp::Sub) return false;
  const auto* lhs = counter_read(b->lhs.get(), types);
  const auto* rhs = counter_read(b->rhs.get(), types);
  return lhs && rhs && lhs->metric_name() != rhs->metric_name() && same_time(lhs->mods, rhs->mods);
}

// Whether `e` reads a series of `family` under a range: `rate(x_bucket[5m])` for the family x.
bool reads_family_over_range(const Expr& e, const std::string& family, const MetricTypes& types) {
  bool found = false;
  promql::visit(e, [&](const Expr& node, const Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&node);
    if (found || !s || up.empty()) return;
    const Expr& parent = *up.back();
    if (parent.kind != promql::NodeKind::MatrixSelector && parent.kind != promql::NodeKind::Subquery) return;
    std::string name = s->metric_name();
    found = !name.empty() && types.of(name).family == family;
  });
  return found;
}

// `x_count > 0 and on(job) histogram_quantile(0.01, … rate(x_bucket[5m]) …) < 86400`: the raw
// count only asks whether the family has observations at all; the right side, which rates the same
// family, is the condition. `> 0` of a counter is its presence, which no restart changes.
bool presence_guard(const promql::Binary& cmp, const Expr& child,
                    std::vector<const Expr*>::const_reverse_iterator above,
                    std::vector<const Expr*>::const_reverse_iterator end, const std::string& family,
                    const MetricTypes& types) {
  if (cmp.lhs.get() != &child || cmp.return_bool) return false;
  if (cmp.op != promql::BinaryOp::Gtr && cmp.op != promql::BinaryOp::Neq) return false;
  const auto* zero = promql::as<promql::NumberLiteral>(promql::unwrap_parens(cmp.rhs.get()));
  if (!zero || zero->value != 0) return false;
  const Expr* guard = &cmp;
  for (; above != end; ++above) {
    if ((*above)->kind == promql::NodeKind::Paren) {
      guard = *above;
      continue;
    }
    const auto* b = promql::as<promql::Binary>(*above);
    return b && b->op == promql::BinaryOp::And && b->lhs.get() == guard && b->rhs &&
           reads_family_over_range(*b->rhs, family, types);
  }
  return false;
}

// The counter's raw value reaches the result unless something on the way up ignores values.
// Selectors under a range (matrix selector or subquery) belong to the range function's checks.
bool used_raw(const Expr& selector, const Ancestors& up, const MetricTypes& types, const std::string& family) {
  const Expr* child = &selector;
  for (auto it = up.rbegin(); it != up.rend(); ++it) {
    const Expr& parent = **it;
    if (parent.kind == promql::NodeKind::MatrixSelector || parent.kind == promql::NodeKind::Subquery) return false;
    if (value_blind(parent, *child) || hand_written_increase(parent) || counter_difference(parent, types)) return false;
    if (const auto* b = promql::as<promql::Binary>(&parent);
        b && presence_guard(*b, *child, it + 1, up.rend(), family, types))
      return false;
    child = &parent;
  }
  return true;
}

// A recording rule that aggregates a raw counter records a counter (rated later): that is the
// documented way to pre-aggregate, not a misuse.
bool records_counter(const ExprContext& ctx) {
  if (ctx.source.kind != sources::ExpressionKind::RecordingRule) return false;
  const Expr* e = promql::unwrap_parens(&ctx.ast);
  while (const auto* a = promql::as<promql::Aggregate>(e)) {
    if (a->op != promql::AggregateOp::Sum && a->op != promql::AggregateOp::Max && a->op != promql::AggregateOp::Min)
      return false;
    e = promql::unwrap_parens(a->body());
  }
  return e && e->kind == promql::NodeKind::VectorSelector;
}

// Panels that show one number per series (the last value, by default).
bool single_value_panel(const sources::Expression& e) {
  static constexpr std::array<std::string_view, 8> kTypes = {
      "stat", "singlestat", "gauge", "bargauge", "table", "table-old", "piechart", "grafana-piechart-panel"};
  return e.kind == sources::ExpressionKind::PanelTarget &&
         std::find(kTypes.begin(), kTypes.end(), e.panel_type) != kTypes.end();
}

// A panel titled "Errors since boot" or "Lifetime requests" says the total since start is meant.
bool title_says_lifetime(const sources::Expression& e) {
  return panel_title_mentions(
      e, {"since boot", "since start", "since restart", "lifetime", "all time", "all-time", "cumulative"});
}

// Whether the counter's total itself is what reaches the result: summed, scaled by a number,
// rounded, joined with an info series (`* on(instance) group_left(...) x_info`). A ratio of
// two counters or a comparison is a lifetime ratio or a stale condition, still a mistake.
bool shows_total(const Expr& selector, const Ancestors& up) {
  static constexpr std::array<std::string_view, 9> kKeepValue = {
      "round", "ceil", "floor", "abs", "sort", "sort_desc", "label_replace", "label_join", "clamp_min"};
  const Expr* child = &selector;
  for (auto it = up.rbegin(); it != up.rend(); ++it) {
    const Expr& parent = **it;
    if (parent.kind == promql::NodeKind::Paren || parent.kind == promql::NodeKind::Aggregate) {
      child = &parent;
      continue;
    }
    if (const auto* c = promql::as<promql::Call>(&parent)) {
      if (std::find(kKeepValue.begin(), kKeepValue.end(), c->name) == kKeepValue.end()) return false;
    } else if (const auto* b = promql::as<promql::Binary>(&parent)) {
      const Expr* other = b->lhs.get() == child ? b->rhs.get() : b->lhs.get();
      bool by_number = other && promql::type_of(*other) == promql::ValueType::Scalar;
      bool info_join = b->op == promql::BinaryOp::Mul && b->matching.has_group_modifier;
      bool plus = b->op == promql::BinaryOp::Add;
      bool scale =
          (b->op == promql::BinaryOp::Mul || (b->op == promql::BinaryOp::Div && b->lhs.get() == child)) && by_number;
      if (!plus && !info_join && !scale) return false;
    } else {
      return false;
    }
    child = &parent;
  }
  return true;
}

}  // namespace

CheckInfo CounterWithoutRateCheck::info() const {
  return {kId, Severity::kWarning, "a counter graphed, aggregated or compared by its raw value"};
}

void CounterWithoutRateCheck::check(const ExprContext& ctx, Reporter& out) const {
  // Template variable queries list label values; a counter's value does not matter there.
  if (ctx.source.kind == sources::ExpressionKind::TemplateQuery || records_counter(ctx)) return;
  promql::visit(ctx.ast, [&](const Expr& e, const Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s) return;
    std::string name = s->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    if (!t.counter_like() || !used_raw(e, up, ctx.types(), t.family)) return;
    std::string fix = promql_labels::call_over_range(ctx, *s, "rate", promql_labels::rate_range(ctx.source));
    std::string fixable = s->mods.offset || s->mods.at != promql::AtKind::None ? std::string() : fix;
    bool total_role = t.role == SeriesRole::Total || t.role == SeriesRole::Plain;
    bool lifetime_panel = single_value_panel(ctx.source) || title_says_lifetime(ctx.source);
    if (total_role && lifetime_panel && shows_total(e, up)) {
      // Info: the total since start is a fair thing to show, but it drops to 0 on every restart.
      out.report(ctx.source, s->range,
                 quote(name) + " is a " + t.describe_kind() + " (" + t.evidence() + ") shown raw in a " +
                     (ctx.source.panel_type.empty() ? std::string("dashboard") : ctx.source.panel_type) +
                     " panel: the total since the process started, which falls to 0 on every restart; for the "
                     "dashboard's time range use " +
                     promql_labels::call_over_range(ctx, *s, "increase", "[$__range]"),
                 std::string(), Severity::kInfo);
      return;
    }
    out.report(ctx.source, s->range,
               quote(name) + " is a " + t.describe_kind() + " (" + t.evidence() +
                   ") used without rate() or increase(); use " + fix,
               fixable, t.finding_severity());
  });
}

}  // namespace promvet::checks
