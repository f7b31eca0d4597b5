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
#include <vector>

#include "checks/finding.h"
#include "naming/rule_policy.h"
#include "promql/ast.h"
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
  double scrape_interval_seconds = 15;  // the default for this file (`path:` rules applied)
  std::vector<JobInterval> job_intervals;  // first match wins: .promvet.yaml rules, then Prometheus' jobs
  std::vector<std::string> required_alert_labels = {"severity"};
  std::vector<naming::RulePolicy> rule_policies;  // rules/metadata-policy (.promvet.yaml and packs)
  // Prometheus feature flags the server runs with (--enable-feature, prometheus_features:).
  std::vector<std::string> prometheus_features;
};

struct CheckInfo {
  std::string_view id;       // "<family>/<kebab-name>"
  Severity severity;         // default; .promvet.yaml may override
  std::string_view summary;  // one line, lowercase, for --list-checks
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
  const FileIndex* index = nullptr;  // null: the lookups below search linearly

  // The recording rule of this file that records `name`, or null.
  const ParsedExpression* recording_rule(std::string_view name) const;
  // The parsed expression of one of the file's expressions, or null when it did not parse.
  const promql::Expr* ast_of(const sources::Expression& e) const;
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
  // A finding on text[r.begin, r.end) of expression `e`; `suggestion` replaces that text.
  // `severity` overrides the check's default for this one finding (a hint among warnings).
  virtual void report(const sources::Expression& e, promql::Range r, std::string message,
                      std::string suggestion = {}, std::optional<Severity> severity = std::nullopt) = 0;
  // A finding on file bytes [begin, end); `about` (may be null) ties it to an expression so its
  // suppressions and dashboard/panel apply.
  virtual void report_file(uint32_t begin, uint32_t end, std::string message,
                           const sources::Expression* about = nullptr,
                           std::optional<Severity> severity = std::nullopt) = 0;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual CheckInfo info() const = 0;
  virtual void run(const FileContext& ctx, Reporter& out) const = 0;
};

// Most checks look at one expression at a time.
class ExpressionCheck : public Check {
 public:
  void run(const FileContext& ctx, Reporter& out) const final;

 protected:
  virtual void check(const ExprContext& ctx, Reporter& out) const = 0;
};

// `"name"` with Go-style escaping, for user tokens in messages.
std::string quote(std::string_view s);

// Whether a dashboard panel's title contains one of `words` (lower case), ignoring case:
// titles such as "Errors since boot" or "GC time/s" say what the author meant to show.
bool panel_title_mentions(const sources::Expression& e, std::initializer_list<std::string_view> words);

}  // namespace promvet::checks
