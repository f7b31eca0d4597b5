#include "checks/lint_source.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include "base/parts.h"
#include "checks/file_lines.h"
#include "checks/fix_edit.h"
#include "checks/inventory_types.h"
#include "checks/metric_types.h"
#include "checks/promql/invalid.h"
#include "checks/registry.h"
#include "promql/parse.h"
#include "promql/walk.h"

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

// Where a finding stands among those at the same position: the loader's diagnostics first
// (rank -1), then by check (its rank: kParse checks first, then registry order), then by
// expression in file order, then as reported. The serial driver this replaced ran each check
// over every expression in turn and sorted stably by position, which is this order.
struct Order {
  int32_t rank = -1;
  uint32_t expr = 0;
};

// Findings in the order one task (a thread's share of the checks) reported them.
struct Batch {
  std::vector<Finding> findings;
  std::vector<Order> order;  // per finding
};

}  // namespace

// suggestion_parses' answers for one file, which every lint of it asks again (the same checks
// suggest the same replacements), each a parse of the whole expression; shared by its threads.
class SuggestionCache {
 public:
  // `parsed`: the file's expressions that parsed, in file order (suggestion_parses skips most of
  // the work for those), filled before the first question.
  explicit SuggestionCache(const std::vector<ParsedExpression>& parsed) : parsed_(parsed) {}

  bool parses(const sources::Expression& e, promql::Range r, const std::string& suggestion) {
    Key key{&e, r.begin, r.end, suggestion};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = known_.find(key); it != known_.end()) return it->second;
    }
    const bool parsed = std::binary_search(parsed_.begin(), parsed_.end(), &e, ByAddress{});
    const bool ok = suggestion_parses(e, r, suggestion, parsed);
    std::lock_guard<std::mutex> lock(mutex_);
    known_.emplace(std::move(key), ok);
    return ok;
  }

 private:
  using Key = std::tuple<const sources::Expression*, uint32_t, uint32_t, std::string>;
  // parsed_ is in file order, so by address in the file's vector of expressions.
  struct ByAddress {
    bool operator()(const ParsedExpression& a, const sources::Expression* b) const {
      return std::less<const sources::Expression*>()(a.source, b);
    }
    bool operator()(const sources::Expression* a, const ParsedExpression& b) const {
      return std::less<const sources::Expression*>()(a, b.source);
    }
  };
  const std::vector<ParsedExpression>& parsed_;
  std::mutex mutex_;
  std::map<Key, bool> known_;
};

namespace {

// Turns what checks report into positioned findings, dropping suppressed ones.
class FindingCollector final : public Reporter {
 public:
  // `content`: the user's file when the offsets are into it (fixes are mapped there), else empty.
  FindingCollector(const sources::SourceFile& source, const FileLines& lines, const LintOptions& options,
                   std::string_view content, SuggestionCache& suggestions, Batch& out)
      : source_(source), lines_(lines), options_(options), content_(content), suggestions_(suggestions), out_(out) {}

  void begin_check(const CheckInfo& info) override {
    info_ = info;
    if (options_.observer) options_.observer->begin_check(info);
  }
  // What follows is check `rank`'s about expression `expr` (0 for a whole-file check).
  void at(int32_t rank, uint32_t expr) { order_ = {rank, expr}; }

  void report(const sources::Expression& e, promql::Range r, std::string message, std::string suggestion,
              std::optional<Severity> severity) override {
    if (options_.observer) options_.observer->report(e, r, message, suggestion, severity);
    uint32_t begin = e.map.at(r.begin);
    uint32_t end = r.end > r.begin ? e.map.at(r.end - 1) + 1 : begin;
    Finding* f = add(begin, end, std::move(message), &e, severity);

    // A replacement Prometheus would reject is not offered (issue 22).
    if (!f || suggestion.empty() || !suggestions_.parses(e, r, suggestion)) return;
    if (!content_.empty() && equivalent_fix(f->check_id, e, e.text.substr(r.begin, r.end - r.begin), suggestion))
      f->fix = exact_file_edits(e, r, suggestion, content_);
    f->suggestion = std::move(suggestion);
  }

  void report_file(uint32_t begin, uint32_t end, std::string message, const sources::Expression* about,
                   std::optional<Severity> severity) override {
    if (options_.observer) options_.observer->report_file(begin, end, message, about, severity);
    add(begin, end, std::move(message), about, severity);
  }

 private:
  Finding* add(uint32_t begin, uint32_t end, std::string message, const sources::Expression* about,
               std::optional<Severity> severity) {
    std::string id(info_.id);
    if (disabled(source_.file_disabled_checks, id)) return nullptr;
    if (about &&
        (disabled(about->disabled_checks, id) || suppressed_by_config(options_.dashboard_suppressions, *about, id)))
      return nullptr;
    Finding& f = out_.findings.emplace_back();
    out_.order.push_back(order_);
    f.check_id = std::move(id);
    f.severity = severity.value_or(info_.severity);
    f.message = std::move(message);
    f.file = source_.path;
    if (about) describe_origin(f, *about);
    lines_.place(f, begin, end);
    return &f;
  }

  const sources::SourceFile& source_;
  const FileLines& lines_;
  const LintOptions& options_;
  std::string_view content_;
  SuggestionCache& suggestions_;
  Batch& out_;
  CheckInfo info_{};
  Order order_;
};

// Runs task(0) .. task(count - 1) on up to `threads` threads, the calling one among them; tasks
// are handed out in order, so threads stay busy whatever each costs. An exception (bad_alloc)
// stops the others and is rethrown here, as without threads.
template <class Task>
void run_tasks(size_t count, unsigned threads, const Task& task) {
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto work = [&] {
    try {
      for (size_t i = next++; i < count && !failed; i = next++) task(i);
    } catch (...) {
      if (!failed.exchange(true)) failure = std::current_exception();
    }
  };
  // Each part takes tasks until none is left (a part without a thread of its own runs here).
  base::run_parts(threads, [&](size_t) { work(); });
  if (failure) std::rethrow_exception(failure);
}

// Below this many expressions per thread, starting threads costs more than it saves.
constexpr size_t kPerThreadMinimum = 64;

unsigned threads_for(size_t expressions, unsigned threads) {
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, expressions / kPerThreadMinimum)));
}

// Parses every expression (LogQL ones are left empty) and collects what a parsed one's selectors
// say about metric types (MetricTypes learns it in file order after: on the parse threads, not
// on the file's thread alone); result and facts i belong to expression i whichever thread made them.
void parse_all(const std::vector<sources::Expression>& expressions, const promql::ParseOptions& parse_options,
               unsigned threads, std::vector<promql::ParseResult>& results, std::vector<SelectorTypeFacts>& facts) {
  results.resize(expressions.size());
  facts.resize(expressions.size());
  constexpr size_t kChunk = 16;
  run_tasks((expressions.size() + kChunk - 1) / kChunk, threads_for(expressions.size(), threads), [&](size_t c) {
    for (size_t i = c * kChunk; i < std::min((c + 1) * kChunk, expressions.size()); ++i) {
      if (expressions[i].logql) continue;
      results[i] = promql::parse(expressions[i].text, parse_options);
      if (results[i].ok()) facts[i] = MetricTypes::selector_facts(*results[i].expr);
    }
  });
}

}  // namespace

// A file's expressions parsed once: what every lint of it shares, read-only but for the cache of
// suggestion parses (also by the threads that run its checks).
struct ParsedExpressions {
  std::vector<promql::ExprPtr> trees;
  std::vector<ParsedExpression> parsed;
  std::vector<SelectorTypeFacts> type_facts;  // per parsed expression
  std::vector<std::pair<const sources::Expression*, promql::ParseError>> errors;
  std::optional<FileIndex> index;
  mutable SuggestionCache suggestions;

  unsigned threads;

  ParsedExpressions(const sources::SourceFile& source, unsigned parse_threads)
      : suggestions(parsed), threads(parse_threads) {
    // Every feature-gated syntax parses, so the other checks see the expression; promql/feature-flag
    // reports each use the server's flags (settings.prometheus_features) do not allow.
    promql::ParseOptions parse_options;
    for (std::string_view f : promql::kFeatures) promql::enable_feature(parse_options, f);
    std::vector<promql::ParseResult> results;
    std::vector<SelectorTypeFacts> facts;
    parse_all(source.expressions, parse_options, threads, results, facts);
    parsed.reserve(results.size());
    trees.reserve(results.size());
    type_facts.reserve(results.size());
    for (size_t i = 0; i < source.expressions.size(); ++i) {
      const sources::Expression& e = source.expressions[i];
      if (e.logql) continue;  // Loki's query language; the loader's rules/logql-skipped note says so
      promql::ParseResult& r = results[i];
      if (r.ok()) {
        parsed.push_back({&e, r.expr.get()});
        trees.push_back(std::move(r.expr));
        type_facts.push_back(std::move(facts[i]));
      } else {
        errors.emplace_back(&e, std::move(*r.error));
      }
    }
    index.emplace(parsed);
  }
  // Frees the trees a chunk at a time on up to `threads` threads (a 20,000-rule file's trees took
  // about a tenth of its lint to free on one).
  ~ParsedExpressions() {
    constexpr size_t kChunk = 256;
    try {
      run_tasks((trees.size() + kChunk - 1) / kChunk, threads_for(trees.size(), threads), [&](size_t c) {
        for (size_t i = c * kChunk; i < std::min((c + 1) * kChunk, trees.size()); ++i) trees[i].reset();
      });
    } catch (...) {  // no thread could start: the vector frees what is left
    }
  }
};

namespace {

// What the checks read about one file with one set of options, shared read-only by the threads
// that run them; and the checks to run, in their rank order.
class PreparedFile {
 public:
  PreparedFile(const ParsedExpressions& parsed, const sources::SourceFile& source, std::string_view content,
               const LintOptions& options)
      : parsed_(parsed) {
    const TypeSource* type_source = options.types;
    if (!type_source && options.inventory) type_source = &inventory_types_.emplace(*options.inventory);
    types_.emplace(parsed.parsed, parsed.type_facts, type_source, options.metadata);
    ctx_.emplace(FileContext{source, content, parsed.parsed, *types_, options.settings, options.inventory,
                             options.policies, &*parsed.index});
    ctx_->prometheus_config = options.prometheus_config;
    ctx_->parse_errors = &parsed.errors;
    select_checks(options);
  }

  SuggestionCache& suggestions() const { return parsed_.suggestions; }

  const FileContext& context() const { return *ctx_; }
  // The checks whose needs the file meets, kParse ones first (their findings come before the
  // others' at the same position), with their info.
  const std::vector<const Registry::Planned*>& checks() const { return checks_; }

 private:
  void select_checks(const LintOptions& options) {
    // Without a registry only promql/invalid runs (the parse errors are always reported).
    static const InvalidCheck kInvalidOnly;
    static const std::vector<Registry::Planned> kInvalidOnlyPlan{{&kInvalidOnly, kInvalidOnly.info(), nullptr}};
    const std::vector<Registry::Planned>& all = options.registry ? options.registry->run_order() : kInvalidOnlyPlan;
    checks_.reserve(all.size());
    std::array<int8_t, 256> meets;  // by CheckInfo::needs: -1 not yet asked
    meets.fill(-1);
    for (const Registry::Planned& c : all) {
      int8_t& m = meets[c.info.needs];
      if (m < 0) m = ctx_->meets(c.info.needs) ? 1 : 0;
      if (m) checks_.push_back(&c);
    }
  }

  const ParsedExpressions& parsed_;
  std::optional<InventoryTypes> inventory_types_;
  std::optional<MetricTypes> types_;
  std::optional<FileContext> ctx_;
  std::vector<const Registry::Planned*> checks_;
};

// Runs the file's checks as tasks: each whole-file check one task, the expression checks in
// chunks of consecutive expressions (every expression check on an expression, then the next
// expression), each task into its own batch.
std::vector<Batch> run_prepared(const PreparedFile& file, const FileLines& lines, const LintOptions& options,
                                std::string_view content) {
  const FileContext& ctx = file.context();
  std::vector<std::pair<int32_t, const Registry::Planned*>> whole_file;
  std::vector<std::pair<int32_t, const Registry::Planned*>> per_expression;
  for (size_t k = 0; k < file.checks().size(); ++k) {
    const Registry::Planned* c = file.checks()[k];
    (c->expression ? per_expression : whole_file).emplace_back(static_cast<int32_t>(k), c);
  }
  constexpr size_t kChunk = 32;
  const size_t expressions = ctx.expressions.size();
  const size_t chunks = per_expression.empty() ? 0 : (expressions + kChunk - 1) / kChunk;
  std::vector<Batch> batches(whole_file.size() + chunks);
  run_tasks(batches.size(), threads_for(expressions, options.parse_threads), [&](size_t t) {
    FindingCollector out(ctx.file, lines, options, content, file.suggestions(), batches[t]);
    if (t < whole_file.size()) {
      auto [rank, check] = whole_file[t];
      out.at(rank, 0);
      out.begin_check(check->info);
      check->check->run(ctx, out);
      return;
    }
    const size_t begin = (t - whole_file.size()) * kChunk;
    for (size_t i = begin; i < std::min(begin + kChunk, expressions); ++i) {
      const ParsedExpression& p = ctx.expressions[i];
      const promql::PreorderScope walk(*p.ast);  // most checks visit it: its nodes listed once
      const ExprContext expr{ctx, *p.source, *p.ast};
      for (auto [rank, check] : per_expression) {
        out.at(rank, static_cast<uint32_t>(i));
        out.begin_check(check->info);
        check->expression->check_one(expr, out);
      }
    }
  });
  return batches;
}

// The batches' findings in one list, by position, then in Order.
std::vector<Finding> merge(std::vector<Batch>& batches) {
  struct Key {
    uint64_t line;
    uint32_t column;
    Order order;
    Finding* finding;  // batches are concatenated in order: the last tie-break
  };
  std::vector<Key> keys;
  size_t n = 0;
  for (const Batch& b : batches) n += b.findings.size();
  keys.reserve(n);
  for (Batch& b : batches)
    for (size_t i = 0; i < b.findings.size(); ++i)
      keys.push_back({b.findings[i].line, b.findings[i].column, b.order[i], &b.findings[i]});
  std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    if (a.order.rank != b.order.rank) return a.order.rank < b.order.rank;
    return a.order.expr < b.order.expr;
  });
  std::vector<Finding> out;
  out.reserve(n);
  for (const Key& k : keys) out.push_back(std::move(*k.finding));
  return out;
}

// `content` is what the checks read (the SourceFile's offsets are into it); `lines` places
// findings in the user's file.
std::vector<Finding> lint(const ParsedExpressions& parsed, const sources::SourceFile& source, std::string_view content,
                          const FileLines& lines, bool content_is_file, const LintOptions& options) {
  note_dashboards_seen(options.dashboard_suppressions, source);
  PreparedFile file(parsed, source, content, options);
  std::vector<Batch> batches = run_prepared(file, lines, options, content_is_file ? content : std::string_view());
  Batch& diagnostics = batches.emplace_back();
  for (const sources::Diagnostic& d : source.diagnostics) {
    if (disabled(source.file_disabled_checks, d.check_id) || disabled(d.disabled_checks, d.check_id)) continue;
    Finding& f = diagnostics.findings.emplace_back();
    diagnostics.order.push_back({-1, 0});
    f.check_id = d.check_id;
    f.severity = d.severity;
    f.message = d.message;
    f.file = source.path;
    lines.place(f, d.offset, d.end_offset);
  }
  return merge(batches);
}

}  // namespace

ParsedSource::ParsedSource(const sources::SourceFile& source, unsigned parse_threads)
    : source_(source), parsed_(std::make_unique<const ParsedExpressions>(source, parse_threads)) {}

ParsedSource::~ParsedSource() = default;

std::vector<Finding> ParsedSource::lint(std::string_view content, const LintOptions& options) const {
  return checks::lint(*parsed_, source_, content, FileLines(content), true, options);
}

std::vector<Finding> ParsedSource::lint_embedded(std::string_view text, const sources::OffsetMap& to_file,
                                                 std::string_view file_content, const LintOptions& options) const {
  return checks::lint(*parsed_, source_, text, FileLines(file_content, &to_file), false, options);
}

void run_checks(const sources::SourceFile& source, std::string_view content, const LintOptions& options,
                Reporter& out) {
  const ParsedExpressions parsed(source, options.parse_threads);
  PreparedFile file(parsed, source, content, options);
  for (const Registry::Planned* c : file.checks()) {
    out.begin_check(c->info);
    c->check->run(file.context(), out);
  }
}

std::vector<Finding> lint_source(const sources::SourceFile& source, std::string_view content,
                                 const LintOptions& options) {
  return ParsedSource(source, options.parse_threads).lint(content, options);
}

std::vector<Finding> lint_embedded(const sources::SourceFile& source, std::string_view text,
                                   const sources::OffsetMap& to_file, std::string_view file_content,
                                   const LintOptions& options) {
  return ParsedSource(source, options.parse_threads).lint_embedded(text, to_file, file_content, options);
}

}  // namespace promvet::checks
