#include "checks/promql/range_too_short.h"

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "checks/scrape_intervals.h"
#include "promql/functions.h"
#include "promql/walk.h"
#include "sources/grafana_vars.h"

namespace promvet::checks {
namespace {

using promql::Expr;

using promql::function_has;

// Need two samples and a margin for a missed scrape: 4x the scrape interval (Grafana's
// $__rate_interval minimum, the Prometheus docs' advice).
bool rate_like(std::string_view fn) { return function_has(fn, promql::kNeedsTwoSamples); }
// Where $__interval as the range is wrong: the counter and gauge functions that compare samples
// (rate, irate, deriv, delta, idelta, predict_linear). `increase(x[$__interval])` is the usual
// "per bar" idiom and is left alone.
bool interval_range_wrong(std::string_view fn) {
  return rate_like(fn) && (function_has(fn, promql::kTakesCounter) || function_has(fn, promql::kTakesGauge)) &&
         fn != "increase";
}
// Fixed ranges that $__rate_interval should replace in dashboards: the per-second counter
// functions rate() and irate(); increase() over a fixed window is a deliberate "per window" count.
bool dashboard_rate(std::string_view fn) {
  return function_has(fn, promql::kTakesCounter) && function_has(fn, promql::kPerSecond);
}
// Beyond this, a fixed dashboard range reads as deliberate smoothing.
constexpr int64_t kDashboardFixedMaxMs = 5 * 60 * 1000;

bool over_time(std::string_view name) {
  constexpr std::string_view suffix = "_over_time";
  return (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) || name == "changes" ||
         name == "resets";
}

using base::format_duration_ms;  // Prometheus' spelling: 1h30m, 15s, 500ms, 1w

bool dashboard(const sources::Expression& e) {
  return e.kind == sources::ExpressionKind::PanelTarget || e.kind == sources::ExpressionKind::Annotation;
}

const sources::VariableSpan* span_at(const sources::Expression& e, uint32_t pos) {
  for (const sources::VariableSpan& s : e.variable_spans)
    if (s.begin <= pos && pos < s.end) return &s;
  return nullptr;
}

bool interval_variable(const std::string& name) {
  return name == "__interval" || name == "__auto" || name.rfind("__auto_interval", 0) == 0;
}

struct RangeUse {
  const promql::Duration* duration = nullptr;
  promql::Range brackets;
  bool subquery = false;
  int64_t step_ms = 0;  // a subquery's literal step, else 0
};

// The scrape interval of the series a range reads: the shortest among its selectors' jobs
// (a subquery may hold several), else the file's default.
SelectedInterval range_interval(const CheckSettings& settings, const sources::Expression& source, const Expr& node) {
  SelectedInterval best{settings.scrape_interval_seconds, {}};
  bool any = false;
  promql::visit(node, [&](const Expr& e, const promql::Ancestors&) {
    const auto* sel = promql::as<promql::VectorSelector>(&e);
    if (!sel) return;
    SelectedInterval i = selector_interval(settings, *sel, &source);
    if (!any || i.seconds < best.seconds) best = i;
    any = true;
  });
  return best;
}

// One finding per problem: `rate(x_sum[30s]) / rate(x_count[30s])` is one mistake written twice.
// Findings are keyed by what the message says and reported once, on the first occurrence.
class OncePerProblem {
 public:
  explicit OncePerProblem(Reporter& out) : out_(out) {}
  struct Pending {
    std::string key;
    const sources::Expression* e = nullptr;
    bool file = false;
    promql::Range r;
    uint32_t file_begin = 0, file_end = 0;
    std::string message, suggestion;
    std::optional<Severity> severity;
    int repeats = 0;
  };
  void add(Pending p) {
    for (Pending& q : pending_)
      if (q.key == p.key) {
        ++q.repeats;
        return;
      }
    pending_.push_back(std::move(p));
  }
  void flush() {
    for (Pending& p : pending_) {
      if (p.repeats > 0)
        p.message += " (the same range is used " + std::to_string(p.repeats + 1) + " times in this expression)";
      if (p.file) out_.report_file(p.file_begin, p.file_end, std::move(p.message), p.e, p.severity);
      else out_.report(*p.e, p.r, std::move(p.message), std::move(p.suggestion), p.severity);
    }
  }

 private:
  Reporter& out_;
  std::vector<Pending> pending_;
};

// The range a matrix selector or subquery reads; nothing for any other node.
std::optional<RangeUse> range_use(const Expr& node) {
  RangeUse use;
  if (const auto* m = promql::as<promql::MatrixSelector>(&node)) {
    use.duration = &m->range_duration;
    use.brackets = m->bracket_range;
  } else if (const auto* s = promql::as<promql::Subquery>(&node)) {
    use.duration = &s->range_duration;
    use.brackets = s->bracket_range;
    use.subquery = true;
    if (s->step && s->step->is_literal()) use.step_ms = s->step->ms;
  } else {
    return std::nullopt;
  }
  return use;
}

// A dashboard variable as the range. Its value is whatever the dashboard picks at run time; only
// the interval globals are known to go wrong.
void check_variable_range(const ExprContext& ctx, const sources::VariableSpan& v, const std::string& fn,
                          OncePerProblem& out) {
  if (!interval_variable(v.name) || !interval_range_wrong(fn)) return;
  const sources::Expression& e = ctx.source;
  uint32_t begin = e.map.at(v.begin);
  size_t len = sources::reference_length(ctx.file.content, begin);
  if (len == 0) len = 1 + v.name.size();
  OncePerProblem::Pending p;
  p.key = "var " + v.name + " " + fn;
  p.e = &e;
  p.file = true;
  p.file_begin = begin;
  p.file_end = begin + static_cast<uint32_t>(len);
  p.message = quote("$" + v.name) + " as the range of " + fn +
              "() can be shorter than two scrapes when zoomed in, and then the panel shows no data; "
              "use \"$__rate_interval\"";
  out.add(std::move(p));
}

// A literal range: too short for the samples `fn` needs at the scrape interval of the series it
// reads, or else (in a dashboard) a short fixed range that $__rate_interval should replace.
void check_literal_range(const ExprContext& ctx, const Expr& node, const RangeUse& use, const std::string& fn,
                         OncePerProblem& out) {
  const sources::Expression& e = ctx.source;
  const bool needs_two = rate_like(fn);
  const SelectedInterval selected = range_interval(ctx.settings(), e, node);
  const int64_t scrape_ms = static_cast<int64_t>(std::llround(selected.seconds * 1000));
  if (scrape_ms <= 0) return;
  int64_t interval = std::max(scrape_ms, use.step_ms);
  int64_t factor = needs_two ? 4 : 1;
  int64_t ms = use.duration->ms;
  std::string written(ctx.text(use.brackets));
  if (ms < factor * interval) {
    std::string need = dashboard(e) && needs_two ? "$__rate_interval" : format_duration_ms(factor * interval);
    bool step = use.subquery && use.step_ms > scrape_ms;
    std::string what = step                   ? "the subquery step"
                       : selected.job.empty() ? "the scrape interval"
                                              : "the scrape interval of job " + quote(selected.job);
    OncePerProblem::Pending p;
    p.key = "short " + fn + " " + written + " " + std::to_string(interval);
    p.e = &e;
    p.message = "range " + written + " of " + fn + "() is shorter than " +
                (factor == 1 ? what : std::to_string(factor) + "x " + what) + " (" + format_duration_ms(interval) +
                ")" + (needs_two ? ", too few samples to compute it reliably" : " and can hold no sample") + "; use [" +
                need + "]" + (need[0] == '$' ? "" : " or more");
    if (use.subquery) {
      p.r = use.duration->range;
    } else {
      p.r = use.brackets;
      p.suggestion = "[" + need + "]";
    }
    out.add(std::move(p));
    return;
  }
  if (dashboard(e) && !use.subquery && dashboard_rate(fn) && ms <= kDashboardFixedMaxMs) {
    OncePerProblem::Pending p;
    p.key = "fixed " + fn + " " + written;
    p.e = &e;
    p.r = use.brackets;
    p.message = "fixed range " + written + " in a dashboard " + fn +
                "() ignores the panel's resolution and the scrape interval; use [$__rate_interval]";
    p.suggestion = "[$__rate_interval]";
    p.severity = Severity::kInfo;
    out.add(std::move(p));
  }
}

}  // namespace

CheckInfo RangeTooShortCheck::info() const {
  return {kId, Severity::kWarning, "a range too short for the samples its function needs at the scrape interval"};
}

void RangeTooShortCheck::check(const ExprContext& ctx, Reporter& reporter) const {
  if (ctx.settings().scrape_interval_seconds <= 0) return;
  OncePerProblem out(reporter);
  promql::visit(ctx.ast, [&](const Expr& node, const promql::Ancestors& up) {
    std::optional<RangeUse> use = range_use(node);
    if (!use) return;
    // A range written as a duration (or a variable standing for one; not a duration expression),
    // as the argument of a function that needs samples in it.
    const auto* call = promql::as<promql::Call>(promql::parent_skipping_parens(up));
    if (!call || !use->duration->is_literal()) return;
    const std::string& fn = call->name;
    if (!rate_like(fn) && !over_time(fn)) return;
    if (const sources::VariableSpan* v = span_at(ctx.source, use->duration->range.begin))
      check_variable_range(ctx, *v, fn, out);
    else check_literal_range(ctx, node, *use, fn, out);
  });
  out.flush();
}

}  // namespace promvet::checks
