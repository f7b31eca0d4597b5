// Policy accessors, the check catalogue and PolicyChecker.
#include <algorithm>

#include "naming/policy.h"
#include "naming/policy_internal.h"

namespace promvet::naming {
namespace {

constexpr std::size_t kMaxLineInProblem = 512;

std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

constexpr std::string_view kSuffixes[] = {"_bucket", "_sum", "_count", "_total", "_created", "_info"};

}  // namespace

const std::string& Policy::name() const { return impl_->name; }
const std::string& Policy::product() const { return impl_->product; }
const std::string& Policy::file() const { return impl_->file; }
const std::vector<DeprecatedMetric>& Policy::deprecated() const { return impl_->deprecated; }
const std::vector<UnitRule>& Policy::units() const { return impl_->units; }
const std::vector<RulePolicy>& Policy::rule_policies() const { return impl_->rule_policies; }
const std::vector<std::string>& Policy::sources() const { return impl_->sources; }

std::vector<std::string> Policy::unsourced_entries() const {
  std::vector<std::string> out;
  for (const DeprecatedMetric& d : impl_->deprecated)
    if (d.sources.empty()) out.push_back("deprecated " + q(d.name));
  for (const LabelRule& r : impl_->label_rules)
    if (r.sources.empty()) out.push_back("label_rules " + q(r.match));
  for (const UnitRule& u : impl_->units)
    if (u.sources.empty()) out.push_back("units " + q(u.match));
  return out;
}

const DeprecatedMetric* Policy::find_deprecated(std::string_view metric) const {
  for (const DeprecatedMetric& d : impl_->deprecated) {
    if (d.name == metric) return &d;
  }
  for (std::string_view suffix : kSuffixes) {
    if (metric.size() <= suffix.size() || metric.substr(metric.size() - suffix.size()) != suffix) continue;
    std::string_view base = metric.substr(0, metric.size() - suffix.size());
    for (const DeprecatedMetric& d : impl_->deprecated) {
      if (d.name == base) return &d;
    }
  }
  return nullptr;
}

std::string Policy::deprecation_message(std::string_view name, const DeprecatedMetric& d) const {
  std::string m = q(name) + " is deprecated";
  if (!d.since.empty()) m += " since " + (product().empty() ? "" : product() + " ") + d.since;
  if (!d.removed.empty()) m += " and removed in " + d.removed;
  m += d.replacement.empty() ? "; it has no replacement" : "; use " + q(d.replacement);
  if (!d.note.empty()) m += " (" + d.note + ")";
  return m;
}

PolicyChecker::PolicyChecker(const Policy& policy) : policy_(policy) {}

void PolicyChecker::report(std::string_view id, const expfmt::Position& pos, std::string message,
                           std::string_view line) {
  PolicyProblem p;
  p.check_id = id;
  p.pos = pos;
  p.message = std::move(message);
  p.metric = family_;
  p.line = std::string(line.substr(0, kMaxLineInProblem));
  problems_.push_back(std::move(p));
}

void PolicyChecker::enter_family(std::string_view family, std::string_view sample_name, const expfmt::Position& pos,
                                 std::string_view line) {
  if (have_family_ && family == family_) return;
  have_family_ = true;
  family_.assign(family.data(), family.size());
  family_reported_.clear();
  const Policy::Impl& p = policy_.impl();
  in_scope_ = !p.scope || RE2::PartialMatch(family_, *p.scope);
  for (const auto& ex : p.exclude) in_scope_ = in_scope_ && !RE2::PartialMatch(family_, *ex);
  required_.clear();
  forbidden_.clear();
  if (in_scope_) {
    for (const std::string& r : p.required_labels) required_.push_back(&r);
    for (const std::string& f : p.forbidden_labels) forbidden_.push_back(&f);
    for (const LabelRule& rule : p.label_rules) {
      if (!RE2::PartialMatch(family_, *rule.pattern)) continue;
      for (const std::string& r : rule.required) required_.push_back(&r);
      for (const std::string& f : rule.forbidden) forbidden_.push_back(&f);
    }
  }
  // A family seen before (invalid input, or text 0.0.4 split families) is
  // not reported twice.
  if (!families_seen_.insert(family_).second) return;

  const DeprecatedMetric* d = policy_.find_deprecated(family_);
  if (!d && sample_name != family) d = policy_.find_deprecated(sample_name);
  if (d) {
    report(kPolicyDeprecatedMetric, pos, policy_.deprecation_message(family_, *d), line);
  }
  if (!in_scope_) return;

  if (!p.required_prefixes.empty()) {
    bool ok = false;
    for (const std::string& pre : p.required_prefixes) ok |= family_.compare(0, pre.size(), pre) == 0;
    if (!ok) {
      std::string list;
      for (const std::string& pre : p.required_prefixes) list += (list.empty() ? "" : " or ") + q(pre);
      report(kPolicyRequiredPrefix, pos, "metric " + q(family_) + " does not start with " + list, line);
    }
  }
  if (p.name_pattern && !RE2::PartialMatch(family_, *p.name_pattern)) {
    report(kPolicyNamePattern, pos,
           "metric " + q(family_) + " does not match the name pattern " + q(p.name_pattern_text) + " of pack " +
               q(p.name),
           line);
  }
  for (std::size_t i = 0; i < p.units.size(); ++i) {
    if (!RE2::PartialMatch(family_, *p.unit_patterns[i])) continue;
    const UnitRule& u = p.units[i];
    std::string m = "metric " + q(family_) + " matches unit rule " + q(u.match);
    if (!u.use.empty()) m += "; use " + q(u.use);
    if (!u.reason.empty()) m += " (" + u.reason + ")";
    report(kPolicyUnit, pos, std::move(m), line);
  }
}

void PolicyChecker::on_metadata(const expfmt::Metadata& m) { enter_family(m.family, m.family, m.pos, m.line); }

void PolicyChecker::on_sample(const expfmt::Sample& s) {
  enter_family(s.family, s.name, s.pos, s.line);
  if (!in_scope_) return;
  const Policy::Impl& p = policy_.impl();
  for (const expfmt::Label& l : s.labels) {
    if (p.label_pattern && !RE2::PartialMatch(re2::StringPiece(l.name.data(), l.name.size()), *p.label_pattern) &&
        family_reported_.insert("pattern\n" + std::string(l.name)).second) {
      report(kPolicyLabelNamePattern, l.pos,
             "label " + q(l.name) + " of " + q(family_) + " does not match the label name pattern " +
                 q(p.label_pattern_text) + " of pack " + q(p.name),
             s.line);
    }
    for (const std::string* f : forbidden_) {
      if (l.name == *f && family_reported_.insert("forbidden\n" + *f).second) {
        report(kPolicyForbiddenLabel, l.pos,
               q(family_) + " has label " + q(*f) + ", which pack " + q(p.name) + " forbids", s.line);
      }
    }
  }
  for (const std::string* r : required_) {
    bool has = std::any_of(s.labels.begin(), s.labels.end(), [&](const expfmt::Label& l) { return l.name == *r; });
    if (!has && family_reported_.insert("required\n" + *r).second) {
      report(kPolicyRequiredLabel, s.pos,
             q(s.name) + " has no " + q(*r) + " label; pack " + q(p.name) + " requires it on every series of " +
                 q(family_),
             s.line);
    }
  }
}

std::vector<PolicyProblem> PolicyChecker::take_problems() { return std::move(problems_); }

}  // namespace promvet::naming
