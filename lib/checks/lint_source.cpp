#include "checks/lint_source.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <optional>
#include <thread>

#include "checks/file_lines.h"
#include "checks/fix_edit.h"
#include "checks/inventory_types.h"
#include "checks/metric_types.h"
#include "checks/promql/invalid.h"
#include "checks/registry.h"
#include "promql/parse.h"

namespace promvet::checks {
namespace {

bool disabled(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool suppressed_by_config(const std::vector<DashboardSuppression>& rules, const sources::Expression& e,
                          const std::string& id) {
  bool suppressed = false;
  for (const DashboardSuppression& s : rules) {
    if (!s.uid.empty() && s.uid != e.dashboard_uid) continue;
    if (s.panel_id >= 0 && s.panel_id != e.panel_id) continue;
    if (!s.panel_title.empty() && s.panel_title != e.panel_title) continue;
    for (size_t i = 0; i < s.checks.size(); ++i) {
      if (s.checks[i] != id) continue;
      suppressed = true;
      if (s.use) s.use->used[i] = true;  // every entry that applies is in use, not just the first
    }
  }
  return suppressed;
}

// Which `dashboards:` entries of .promvet.yaml this file gives a chance to apply.
void note_dashboards_seen(const std::vector<DashboardSuppression>& rules, const sources::SourceFile& source) {
  for (const DashboardSuppression& s : rules) {
    if (!s.use || s.use->seen) continue;
    for (const sources::Expression& e : source.expressions)
      if (!e.dashboard_uid.empty() && (s.uid.empty() || s.uid == e.dashboard_uid)) s.use->seen = true;
  }
}

void describe_origin(Finding& f, const sources::Expression& e) {
  f.expr = e.text;
  f.dashboard = e.dashboard_title.empty() ? e.dashboard_uid : e.dashboard_title;
  f.panel = e.rule_name.empty() ? e.panel_title : e.rule_name;
}

// Turns what checks report into positioned findings, dropping suppressed ones.
class FindingCollector final : public Reporter {
 public:
  // `content`: the user's file when the offsets are into it (fixes are mapped there), else empty.
  FindingCollector(const sources::SourceFile& source, const FileLines& lines, const LintOptions& options,
                   std::string_view content, std::vector<Finding>& out)
      : source_(source), lines_(lines), options_(options), content_(content), out_(out) {}

  void begin_check(const CheckInfo& info) override { info_ = info; }

  void report(const sources::Expression& e, promql::Range r, std::string message, std::string suggestion,
              std::optional<Severity> severity) override {
    uint32_t begin = e.map.at(r.begin);
    uint32_t end = r.end > r.begin ? e.map.at(r.end - 1) + 1 : begin;
    Finding* f = add(begin, end, std::move(message), &e, severity);

    // A replacement Prometheus would reject is not offered (issue 22).
    if (!f || suggestion.empty() || !suggestion_parses(e, r, suggestion)) return;
    if (!content_.empty() && equivalent_fix(f->check_id, e, e.text.substr(r.begin, r.end - r.begin), suggestion))
      f->fix = exact_file_edits(e, r, suggestion, content_);
    f->suggestion = std::move(suggestion);
  }

  void report_file(uint32_t begin, uint32_t end, std::string message, const sources::Expression* about,
                   std::optional<Severity> severity) override {
    add(begin, end, std::move(message), about, severity);
  }

 private:
  Finding* add(uint32_t begin, uint32_t end, std::string message, const sources::Expression* about,
               std::optional<Severity> severity) {
    std::string id(info_.id);
    if (disabled(source_.file_disabled_checks, id)) return nullptr;
    if (about && (disabled(about->disabled_checks, id) || suppressed_by_config(options_.dashboard_suppressions, *about, id)))
      return nullptr;
    Finding f;
    f.check_id = std::move(id);
    f.severity = severity.value_or(info_.severity);
    f.message = std::move(message);
    f.file = source_.path;
    if (about) describe_origin(f, *about);
    lines_.place(f, begin, end);
    out_.push_back(std::move(f));
    return &out_.back();
  }

  const sources::SourceFile& source_;
  const FileLines& lines_;
  const LintOptions& options_;
  std::string_view content_;
  std::vector<Finding>& out_;
  CheckInfo info_{};
};

// `content` is what the checks read (the SourceFile's offsets are into it); `lines` places
// findings in the user's file.
std::vector<Finding> lint(const sources::SourceFile& source, std::string_view content, const FileLines& lines,
                          bool content_is_file, const LintOptions& options) {
  std::vector<Finding> out;
  note_dashboards_seen(options.dashboard_suppressions, source);
  for (const sources::Diagnostic& d : source.diagnostics) {
    if (disabled(source.file_disabled_checks, d.check_id) || disabled(d.disabled_checks, d.check_id)) continue;
    Finding f;
    f.check_id = d.check_id;
    f.severity = d.severity;
    f.message = d.message;
    f.file = source.path;
    lines.place(f, d.offset, d.end_offset);
    out.push_back(std::move(f));
  }
  FindingCollector collector(source, lines, options, content_is_file ? content : std::string_view(), out);
  run_checks(source, content, options, collector);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

// Parses every expression (LogQL ones are left empty), on `threads` threads when the file has
// enough of them to pay for starting threads; result i belongs to expression i whichever thread
// parsed it.
std::vector<promql::ParseResult> parse_all(const std::vector<sources::Expression>& expressions,
                                           const promql::ParseOptions& parse_options, unsigned threads) {
  std::vector<promql::ParseResult> results(expressions.size());
  auto parse_one = [&](size_t i) {
    if (!expressions[i].logql) results[i] = promql::parse(expressions[i].text, parse_options);
  };
  constexpr size_t kPerThreadMinimum = 64;
  threads = static_cast<unsigned>(std::min<size_t>(threads, expressions.size() / kPerThreadMinimum));
  if (threads <= 1) {
    for (size_t i = 0; i < expressions.size(); ++i) parse_one(i);
    return results;
  }
  // Chunks handed out in order, so threads stay busy whatever each expression costs.
  constexpr size_t kChunk = 16;
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto work = [&] {
    try {
      for (size_t begin = next.fetch_add(kChunk); begin < expressions.size() && !failed;
           begin = next.fetch_add(kChunk))
        for (size_t i = begin; i < std::min(begin + kChunk, expressions.size()); ++i) parse_one(i);
    } catch (...) {  // e.g. bad_alloc: rethrown on the calling thread, as without threads
      if (!failed.exchange(true)) failure = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace

void run_checks(const sources::SourceFile& source, std::string_view content, const LintOptions& options,
                Reporter& out) {
  // Every feature-gated syntax parses, so the other checks see the expression; promql/feature-flag
  // reports each use the server's flags (settings.prometheus_features) do not allow.
  promql::ParseOptions parse_options;
  for (std::string_view f : promql::kFeatures) promql::enable_feature(parse_options, f);
  std::vector<promql::ExprPtr> trees;
  std::vector<ParsedExpression> parsed;
  std::vector<std::pair<const sources::Expression*, promql::ParseError>> errors;
  std::vector<promql::ParseResult> results = parse_all(source.expressions, parse_options, options.parse_threads);
  for (size_t i = 0; i < source.expressions.size(); ++i) {
    const sources::Expression& e = source.expressions[i];
    if (e.logql) continue;  // Loki's query language; the loader's rules/logql-skipped note says so
    promql::ParseResult& r = results[i];
    if (r.ok()) {
      parsed.push_back({&e, r.expr.get()});
      trees.push_back(std::move(r.expr));
    } else {
      errors.emplace_back(&e, std::move(*r.error));
    }
  }
  // Without a registry only promql/invalid runs (the parse errors are always reported).
  static const InvalidCheck kInvalidOnly;
  std::vector<const Check*> checks;
  if (options.registry) {
    for (const auto& c : options.registry->checks()) checks.push_back(c.get());
  } else {
    checks.push_back(&kInvalidOnly);
  }
  // kParse checks first: their findings come before the others' at the same position.
  std::stable_sort(checks.begin(), checks.end(), [](const Check* a, const Check* b) {
    return (a->info().stage == Stage::kParse) > (b->info().stage == Stage::kParse);
  });
  std::optional<InventoryTypes> inventory_types;
  const TypeSource* type_source = options.types;
  if (!type_source && options.inventory) type_source = &inventory_types.emplace(*options.inventory);
  MetricTypes types(parsed, type_source, options.metadata);
  FileIndex index(parsed);
  FileContext ctx{source, content, parsed, types, options.settings, options.inventory, options.policies, &index};
  ctx.prometheus_config = options.prometheus_config;
  ctx.parse_errors = &errors;
  for (const Check* check : checks) {
    CheckInfo info = check->info();
    if (!ctx.meets(info.needs)) continue;
    out.begin_check(info);
    check->run(ctx, out);
  }
}

std::vector<Finding> lint_source(const sources::SourceFile& source, std::string_view content,
                                 const LintOptions& options) {
  return lint(source, content, FileLines(content), true, options);
}

std::vector<Finding> lint_embedded(const sources::SourceFile& source, std::string_view text,
                                   const sources::OffsetMap& to_file, std::string_view file_content,
                                   const LintOptions& options) {
  return lint(source, text, FileLines(file_content, &to_file), false, options);
}

}  // namespace promvet::checks
