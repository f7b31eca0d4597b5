#include "checks/promql/histogram_quantile.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "checks/metric_types.h"
#include "checks/promql/labels.h"
#include "checks/promql/range_suggestion.h"
#include "promql/printer.h"
#include "promql/walk.h"

namespace promvet::checks {
namespace {

using promql::Expr;

void check_q(const ExprContext& ctx, const promql::Call& call, Reporter& out) {
  const Expr* q = call.args[0].get();
  std::optional<double> v = promql_labels::literal_number(q);
  if (!v || (*v >= 0 && *v <= 1) || *v != *v) return;
  std::string written(ctx.text(q->range));
  std::string msg =
      "quantile " + written + " is outside [0, 1], so histogram_quantile() returns " + (*v < 0 ? "-Inf" : "+Inf");
  std::string fix;
  if (*v > 1 && *v <= 100) {
    fix = promql_labels::format_for_message(*v / 100);
    msg += "; use " + fix + " for the " + written + "th percentile";
  } else {
    msg += "; use a value between 0 and 1";
  }
  out.report(ctx.source, q->range, msg, fix);
}

bool is_histogram_family(FamilyType t) {
  return t == FamilyType::Histogram || t == FamilyType::GaugeHistogram || t == FamilyType::Unknown;
}

size_t colons(std::string_view s) { return static_cast<size_t>(std::count(s.begin(), s.end(), ':')); }

// Why a selector is certainly not a histogram bucket series, or empty. Types learned from
// recording rules are not trusted here: `job:x_bucket:rate5m` records rated buckets, which the
// type inference calls a gauge.
std::string not_a_histogram(const promql::VectorSelector& s, const std::string& name, const SeriesType& t) {
  for (const promql::Matcher& m : s.matchers)
    if (m.name == "quantile") return "a summary quantile series (it has a \"quantile\" label)";
  if (t.role == SeriesRole::Bucket) return {};
  // A _total/_count/_sum/_created suffix is never a bucket, whatever the family; a plain name is
  // judged only by its name, the inventory, or a `quantile` label seen in this file.
  bool trusted = t.role != SeriesRole::Plain || t.origin >= TypeOrigin::Metadata ||
                 (t.origin == TypeOrigin::Name && colons(name) < 2) ||
                 (t.origin == TypeOrigin::Usage && t.family_type == FamilyType::Summary);
  if (!trusted) return {};
  bool bad = false;
  switch (t.role) {
    case SeriesRole::Total:
    case SeriesRole::Count:
    case SeriesRole::Sum:
    case SeriesRole::Created: bad = true; break;
    case SeriesRole::Plain: bad = !is_histogram_family(t.family_type); break;
    case SeriesRole::Bucket: break;
  }
  if (!bad) return {};
  std::string kind = t.describe_kind();
  std::string article = kind.find_first_of("aeiou") == 0 ? "an " : "a ";
  return article + kind + " (" + describe(t.origin) + ")";
}

std::string grouping_text(const promql::Aggregate& a) {
  std::string s = std::string(promql::to_string(a.op)) + (a.without ? " without (" : " by (");
  for (size_t i = 0; i < a.grouping.size(); ++i) s += (i ? ", " : "") + a.grouping[i];
  return s + ")";
}

promql::Range grouping_range(const promql::Aggregate& a) {
  if (a.grouping_ranges.empty()) return a.op_range;
  return {a.grouping_ranges.front().begin, a.grouping_ranges.back().end};
}

void check_buckets(const ExprContext& ctx, const promql::Call& call, Reporter& out) {
  const Expr& arg = *call.args[1];
  std::vector<const Expr*> leaves = promql_labels::value_leaves(arg);
  std::set<const Expr*> reported;
  // A `_count` next to `_bucket` series (`... / ignoring(le) group_left sum(rate(x_count[5m]))`)
  // only normalises the buckets: judge series kinds only when no bucket feeds the call.
  bool has_bucket = false;
  for (const Expr* leaf : leaves)
    if (const auto* s = promql::as<promql::VectorSelector>(leaf))
      has_bucket = has_bucket || ctx.types().of(s->metric_name()).role == SeriesRole::Bucket;
  promql::visit(arg, [&](const Expr& e, const promql::Ancestors& up) {
    const auto* s = promql::as<promql::VectorSelector>(&e);
    if (!s || std::find(leaves.begin(), leaves.end(), &e) == leaves.end()) return;
    std::string name = s->metric_name();
    if (name.empty()) return;
    SeriesType t = ctx.types().of(name);
    if (std::string why = has_bucket ? std::string() : not_a_histogram(*s, name, t); !why.empty()) {
      std::string msg = "histogram_quantile() over " + quote(name) + ", which is " + why +
                        ", not a histogram; it needs \"_bucket\" series with an \"le\" label, or a native histogram";
      if (t.family_type == FamilyType::Summary || why.find("summary quantile") != std::string::npos)
        msg += " (a summary's quantiles are precomputed: select them with {quantile=\"...\"})";
      out.report(ctx.source, s->range, msg);
      return;
    }
    if (t.role != SeriesRole::Bucket) return;  // unknown names may be native histograms
    bool ranged = false;
    for (const Expr* a : up) {
      if (a->kind == promql::NodeKind::MatrixSelector || a->kind == promql::NodeKind::Subquery) ranged = true;
      const auto* agg = promql::as<promql::Aggregate>(a);
      if (!agg || !promql_labels::merges_series(agg->op) || reported.count(agg)) continue;
      if (agg->without) {
        for (size_t i = 0; i < agg->grouping.size(); ++i) {
          if (agg->grouping[i] != "le" || i >= agg->grouping_ranges.size()) continue;
          reported.insert(agg);
          out.report(ctx.source, agg->grouping_ranges[i],
                     grouping_text(*agg) + " removes the \"le\" label of " + quote(name) +
                         " that histogram_quantile() needs; remove \"le\" from without (...)");
        }
        continue;
      }
      if (std::find(agg->grouping.begin(), agg->grouping.end(), "le") != agg->grouping.end()) continue;
      reported.insert(agg);
      std::string fixed = std::string(promql::to_string(agg->op)) + " by (";
      for (const std::string& g : agg->grouping) fixed += promql::format_label_name(g) + ", ";
      fixed += "le)";
      std::string what =
          agg->has_grouping_clause ? grouping_text(*agg) : std::string(promql::to_string(agg->op)) + "()";
      out.report(ctx.source, grouping_range(*agg),
                 what + " drops the \"le\" label of " + quote(name) +
                     ", so histogram_quantile() sees no buckets and returns nothing; use " + fixed);
    }
    if (!ranged && t.family_type != FamilyType::GaugeHistogram && t.family_type != FamilyType::Gauge &&
        !reported.count(&e)) {
      reported.insert(&e);
      out.report(ctx.source, s->range,
                 "histogram_quantile() over the raw bucket counters " + quote(name) +
                     " gives the distribution since each process started, not a recent one; use " +
                     promql_labels::call_over_range(ctx, *s, "rate", promql_labels::rate_range(ctx.source)));
    }
  });
}

}  // namespace

CheckInfo HistogramQuantileCheck::info() const {
  return {kId, Severity::kWarning, "histogram_quantile() over buckets that cannot give the quantile asked for"};
}

void HistogramQuantileCheck::check(const ExprContext& ctx, Reporter& out) const {
  promql::visit(ctx.ast, [&](const Expr& e, const promql::Ancestors&) {
    const auto* c = promql::as<promql::Call>(&e);
    if (!c || c->name != "histogram_quantile" || c->args.size() < 2 || !c->args[0] || !c->args[1]) return;
    check_q(ctx, *c, out);
    check_buckets(ctx, *c, out);
  });
}

}  // namespace promvet::checks
