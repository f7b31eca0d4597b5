#pragma once
// The interface every lint check implements, and what the driver (lint_source) hands it.
//
// A check is a small const object: options are read in its constructor, scratch state lives on
// the stack of run(), so one instance lints many files on many threads. It reports through a
// Reporter in expression offsets (promql::Range into Expression::text) or file offsets; the
// driver maps them into the user's file, applies suppressions and fills the Finding.
//
//   class RateOfAggregateCheck final : public ExpressionCheck {
//    public:
//     static constexpr std::string_view kId = "promql/rate-of-aggregate";
//     CheckInfo info() const override;
//     void check(const ExprContext& ctx, Reporter& out) const override;
//   };
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checks/finding.h"
#include "naming/rule_policy.h"
#include "promql/ast.h"
#include "promql/parse.h"
#include "sources/source.h"

namespace promvet::inventory {
class Inventory;  // inventory/inventory.h
}
namespace promvet::naming {
class Policy;  // naming/policy.h
}

namespace re2 {
class RE2;
}

namespace promvet::checks {

class MetricTypes;  // metric_types.h

// The scrape interval of the jobs a rule names (scrape_intervals.h).
struct JobInterval {
  std::string job;  // a job name, or an RE2 pattern when `regex`
  bool regex = false;
  double seconds = 0;
  std::shared_ptr<const re2::RE2> compiled;  // `regex`: set by compile_job_rule
};

// Settings from .promvet.yaml that checks read.
struct CheckSettings {
  double scrape_interval_seconds = 15;     // the default for this file (`path:` rules applied)
  std::vector<JobInterval> job_intervals;  // first match wins: .promvet.yaml rules, then Prometheus' jobs
  std::vector<std::string> required_alert_labels = {"severity"};
  std::vector<naming::RulePolicy> rule_policies;  // rules/metadata-policy (.promvet.yaml and packs)
  // Prometheus feature flags the server runs with (--enable-feature, prometheus_features:).
  std::vector<std::string> prometheus_features;
};

// When a check's findings are made. The lint driver runs kParse, then kFile checks on each file
// and kProject checks' finish() after every file; kLoad ids come from the loaders (lib/sources)
// and kExposition ids from `promvet metrics` (lib/expfmt, lib/naming): those are entries of the
// registry without a Check object.
enum class Stage : std::uint8_t { kLoad, kParse, kFile, kProject, kExposition };

// What a check needs to say anything; the driver skips a check whose needs are unmet, so a check
// does not guard itself. A bit set.
enum Need : std::uint8_t {
  kNeedsNothing = 0,
  kNeedsInventory = 1,         // a non-empty metric inventory (--inventory)
  kNeedsPolicies = 2,          // at least one naming-policy pack (--policy)
  kNeedsParsedDashboard = 4,   // a dashboard whose JSON parsed (its variables are known)
  kNeedsPrometheusConfig = 8,  // a Prometheus configuration (--prometheus-config)
};

// Which command reports an id (both: policy/deprecated-metric).
enum Command : std::uint8_t { kLintCommand = 1, kMetricsCommand = 2 };

struct CheckInfo {
  std::string_view id;       // "<family>/<kebab-name>"
  Severity severity;         // default; .promvet.yaml may override
  std::string_view summary;  // one line, lowercase, for --list-checks
  Stage stage = Stage::kFile;
  std::uint8_t needs = kNeedsNothing;    // Need bits
  std::uint8_t commands = kLintCommand;  // Command bits
  bool promtool = false;                 // `promtool check metrics` has it (metrics --list-checks)
};

struct ParsedExpression {
  const sources::Expression* source = nullptr;
  const promql::Expr* ast = nullptr;  // never null: expressions that failed to parse are left out
};

// Lookups over a file's parsed expressions, built once per file by the driver (checks run per
// expression; a linear search from each of them is quadratic in big rule files).
struct FileIndex {
  std::unordered_map<std::string_view, const ParsedExpression*> recording_rules;  // first rule per record name
  std::unordered_map<const sources::Expression*, const promql::Expr*> asts;
  explicit FileIndex(const std::vector<ParsedExpression>& expressions);
};

struct FileContext {
  const sources::SourceFile& file;
  std::string_view content;                          // the file's bytes
  const std::vector<ParsedExpression>& expressions;  // in file order
  const MetricTypes& types;
  const CheckSettings& settings;
  const inventory::Inventory* inventory = nullptr;        // inventory/* checks skip when null
  const std::vector<naming::Policy>* policies = nullptr;  // renames of deprecated metrics; may be null
  const FileIndex* index = nullptr;                       // null: the lookups below search linearly
  bool prometheus_config = false;  // a Prometheus configuration was read (kNeedsPrometheusConfig)
  // Expressions that did not parse, with Prometheus' error (promql/invalid reports them).
  const std::vector<std::pair<const sources::Expression*, promql::ParseError>>* parse_errors = nullptr;

  // The recording rule of this file that records `name`, or null.
  const ParsedExpression* recording_rule(std::string_view name) const;
  // The parsed expression of one of the file's expressions, or null when it did not parse.
  const promql::Expr* ast_of(const sources::Expression& e) const;
  // Whether the file is a dashboard whose JSON parsed (its templating.list is known).
  bool parsed_dashboard() const;
  // Whether the check's needs (CheckInfo::needs) are met for this file.
  bool meets(std::uint8_t needs) const;
};

struct ExprContext {
  const FileContext& file;
  const sources::Expression& source;
  const promql::Expr& ast;
  const MetricTypes& types() const { return file.types; }
  const CheckSettings& settings() const { return file.settings; }
  // The expression text of a node, e.g. for messages and suggestions.
  std::string_view text(promql::Range r) const;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  // The driver calls this before running each check: what follows is that check's.
  virtual void begin_check(const CheckInfo& info) { (void)info; }
  // A finding on text[r.begin, r.end) of expression `e`; `suggestion` replaces that text.
  // `severity` overrides the check's default for this one finding (a hint among warnings).
  virtual void report(const sources::Expression& e, promql::Range r, std::string message, std::string suggestion = {},
                      std::optional<Severity> severity = std::nullopt) = 0;
  // A finding on file bytes [begin, end); `about` (may be null) ties it to an expression so its
  // suppressions and dashboard/panel apply.
  virtual void report_file(uint32_t begin, uint32_t end, std::string message,
                           const sources::Expression* about = nullptr,
                           std::optional<Severity> severity = std::nullopt) = 0;
};

// What a project-level check keeps of one file for its finish() (rules/duplicate: the series the
// file's recording rules write).
struct FileNotes {
  virtual ~FileNotes() = default;
};

struct NotedFile {
  std::string path;                  // as given by the user
  std::unique_ptr<FileNotes> notes;  // null: nothing kept
};

class Check {
 public:
  virtual ~Check() = default;
  virtual CheckInfo info() const = 0;
  virtual void run(const FileContext& ctx, Reporter& out) const = 0;
  // The project-level hook, for checks that compare files with each other (stage kProject):
  // note_file() runs on each linted file (on its worker thread), finish() once after all of
  // them, with the notes in input order; it returns findings per file, in that order.
  virtual std::unique_ptr<FileNotes> note_file(const sources::SourceFile& file, std::string_view content) const {
    (void)file, (void)content;
    return nullptr;
  }
  virtual std::vector<std::vector<Finding>> finish(const std::vector<NotedFile>& files) const {
    return std::vector<std::vector<Finding>>(files.size());
  }
};

// Most checks look at one expression at a time.
class ExpressionCheck : public Check {
 public:
  void run(const FileContext& ctx, Reporter& out) const final;
  // One expression of the file: the driver runs every expression check on an expression before
  // the next one (and different expressions on different threads).
  void check_one(const ExprContext& ctx, Reporter& out) const { check(ctx, out); }

 protected:
  virtual void check(const ExprContext& ctx, Reporter& out) const = 0;
};

// `"name"` with Go-style escaping, for user tokens in messages.
std::string quote(std::string_view s);

// Whether a dashboard panel's title contains one of `words` (lower case), ignoring case:
// titles such as "Errors since boot" or "GC time/s" say what the author meant to show.
bool panel_title_mentions(const sources::Expression& e, std::initializer_list<std::string_view> words);

}  // namespace promvet::checks
