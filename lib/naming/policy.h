// Naming-policy packs: declarative YAML rules for metric and label names
// (policies/*.yaml, format in docs/policies.md), and a checker that applies a
// pack to an exposition stream.
//
//   std::vector<naming::PolicyError> errors;
//   std::optional<naming::Policy> p = naming::Policy::parse(yaml_text, "policies/vllm.yaml", &errors);
//   if (!p) for (auto& e : errors) std::cerr << e.to_string() << '\n';   // file:line:col: message
//
//   naming::PolicyChecker checker(*p);         // an expfmt::Handler
//   expfmt::Parser parser(options, checker);   // or behind a TeeHandler
//   ... feed, finish ...
//   for (naming::PolicyProblem& pr : checker.take_problems()) ...
//
// Patterns are RE2, matched unanchored (write ^...$ to anchor). A Policy is
// immutable once parsed and safe to share between threads; a PolicyChecker
// is per stream. Neither throws on bad input: pack errors come back as
// PolicyError values with positions, findings as PolicyProblem values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "expfmt/events.h"
#include "naming/rule_policy.h"

namespace promvet::naming {

// Check ids (docs/checks/policy/<name>.md); their severities and summaries are entries of the
// check registry (lib/checks/policy/module.cpp).
inline constexpr std::string_view kPolicyRequiredPrefix = "policy/required-prefix";
inline constexpr std::string_view kPolicyNamePattern = "policy/name-pattern";
inline constexpr std::string_view kPolicyLabelNamePattern = "policy/label-name-pattern";
inline constexpr std::string_view kPolicyRequiredLabel = "policy/required-label";
inline constexpr std::string_view kPolicyForbiddenLabel = "policy/forbidden-label";
inline constexpr std::string_view kPolicyUnit = "policy/unit";
inline constexpr std::string_view kPolicyDeprecatedMetric = "policy/deprecated-metric";


// A problem in a pack file, positioned (1-based line and column).
struct PolicyError {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;            // lowercase, no trailing period
  std::string to_string() const;  // "file:line:col: message"
};

struct UnitRule {
  std::string match;                 // RE2 over the family name
  std::string use;                   // what to write instead, e.g. "_seconds"
  std::string reason;                // optional
  std::vector<std::string> sources;  // "owner/repo@commit:path[ note]", may be empty
};

struct DeprecatedMetric {
  std::string name;                  // the old metric (family) name
  std::string replacement;           // "" when removed without a replacement
  std::string since;                 // version that deprecated it
  std::string removed;               // version that removed it, may be ""
  std::string note;                  // optional
  std::vector<std::string> sources;  // "owner/repo@commit:path[ note]": where it was verified
};

class Policy {
 public:
  // Parses a pack. On failure returns nullopt and appends every error found
  // (unknown keys, wrong types, bad RE2, invalid names), positioned.
  static std::optional<Policy> parse(std::string_view yaml, const std::string& file, std::vector<PolicyError>* errors);

  const std::string& name() const;
  const std::string& product() const;  // "vLLM", "" when not given
  const std::string& file() const;
  const std::vector<DeprecatedMetric>& deprecated() const;
  const std::vector<UnitRule>& units() const;
  // `rule_policies:` of the pack: conventions for alerting and recording rules.
  const std::vector<RulePolicy>& rule_policies() const;

  // The pack-level `source` list: where its pack-wide facts (prefixes,
  // labels, patterns) were checked, as "owner/repo@commit:path[ note]".
  const std::vector<std::string>& sources() const;
  // Entries (deprecated, label_rules, units) that name no source, as
  // `deprecated "NAME"`, `label_rules "MATCH"`, `units "MATCH"`; a pack that
  // encodes another project's facts should have none (docs/policies.md).
  std::vector<std::string> unsourced_entries() const;

  // The deprecation entry for a metric name as written in an exposition or
  // a query: exact, or after removing a _bucket/_sum/_count/_total/_created/
  // _info suffix. nullptr when not deprecated.
  const DeprecatedMetric* find_deprecated(std::string_view metric) const;

  // `"NAME" is deprecated since vLLM 0.9.2 and removed in 0.12.0; use "NEW" (note)`: the one
  // wording of a deprecation, for expositions and queries alike.
  std::string deprecation_message(std::string_view name, const DeprecatedMetric& d) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }  // for PolicyChecker; not for general use

 private:
  explicit Policy(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;  // holds the compiled RE2s; shared, immutable
};

struct PolicyProblem {
  std::string_view check_id;  // one of the kPolicy* ids
  expfmt::Position pos;
  std::string message;
  std::string metric;  // the family
  std::string line;    // source line (truncated), for carets
};

// Applies one pack to the events of one stream. Each rule reports at most
// once per family (and label), at the first line that shows the problem.
class PolicyChecker : public expfmt::Handler {
 public:
  explicit PolicyChecker(const Policy& policy);
  void on_metadata(const expfmt::Metadata& m) override;
  void on_sample(const expfmt::Sample& s) override;
  std::vector<PolicyProblem> take_problems();

 private:
  void enter_family(std::string_view family, std::string_view sample_name, const expfmt::Position& pos,
                    std::string_view line);
  void report(std::string_view id, const expfmt::Position& pos, std::string message, std::string_view line);

  const Policy& policy_;
  std::string family_;
  bool have_family_ = false;
  bool in_scope_ = false;
  std::vector<const std::string*> required_;   // labels required on the current family
  std::vector<const std::string*> forbidden_;  // labels forbidden on it
  std::unordered_set<std::string> families_seen_;
  std::unordered_set<std::string> family_reported_;  // per-family keys, cleared on family change
  std::vector<PolicyProblem> problems_;
};

}  // namespace promvet::naming
