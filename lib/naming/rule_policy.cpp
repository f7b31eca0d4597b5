#include "naming/rule_policy.h"

#include <re2/re2.h>

#include "naming/names.h"
#include "naming/rule_policy_internal.h"

namespace promvet::naming {
namespace {

class Parser {
 public:
  Parser(const std::string& file, std::vector<PolicyError>* errors) : file_(file), errors_(errors) {}
  bool ok() const { return ok_; }

  void error(const yaml::Node& n, std::string message) {
    ok_ = false;
    PolicyError e;
    e.file = file_;
    const yaml::Mark m = n.mark();
    e.line = m.line >= 0 ? static_cast<std::uint32_t>(m.line) + 1 : 1;
    e.column = m.column >= 0 ? static_cast<std::uint32_t>(m.column) + 1 : 1;
    e.message = "rule_policies: " + std::move(message);
    if (errors_) errors_->push_back(std::move(e));
  }

  bool keys(const yaml::Node& map, const std::string& what, std::initializer_list<std::string_view> known) {
    if (!map.is_map()) {
      error(map, what + " must be a mapping");
      return false;
    }
    for (const auto& [name, value] : map.entries()) {
      const std::string& key = name.value();
      bool found = false;
      for (std::string_view k : known) found |= k == key;
      if (found) continue;
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      error(name, "unknown key \"" + key + "\" in " + what + " (known: " + list + ")");
    }
    return true;
  }

  bool scalar(const yaml::Node& n, const std::string& key, std::string* out) {
    if (!n.is_scalar()) {
      error(n, "\"" + key + "\" must be a string");
      return false;
    }
    *out = n.value();
    return true;
  }

  std::shared_ptr<const re2::RE2> regex(const yaml::Node& n, const std::string& key, std::string* text) {
    if (!scalar(n, key, text)) return nullptr;
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(*text, options);
    if (!re->ok()) {
      error(n, "\"" + key + "\": invalid RE2 pattern \"" + *text + "\": " + re->error());
      return nullptr;
    }
    return re;
  }

  void entries(const yaml::Node& n, const std::string& what, std::vector<MetadataRule>* out) {
    if (!n.is_map()) {
      error(n, "\"" + what + "\" must map names to {required, allowed, pattern}");
      return;
    }
    for (const auto& [name, spec] : n.entries()) {
      MetadataRule r;
      r.key = name.value();
      std::string bad = label_name_error(r.key, Validation::kLegacy);
      if (!bad.empty()) error(name, "\"" + what + "\": " + bad);
      if (!keys(spec, "a " + what + " entry", {"required", "allowed", "pattern"})) continue;
      if (const yaml::Node& req = spec["required"]) {
        if (!req.is_scalar() || (req.value() != "true" && req.value() != "false")) {
          error(req, "\"required\" must be true or false");
        } else {
          r.required = req.value() == "true";
        }
      }
      if (const yaml::Node& allowed = spec["allowed"]) {
        if (!allowed.is_sequence() || allowed.items().empty()) {
          error(allowed, "\"allowed\" must be a non-empty list of strings");
        } else {
          for (const yaml::Node& v : allowed.items()) {
            std::string s;
            if (scalar(v, "allowed", &s)) r.allowed.push_back(std::move(s));
          }
        }
      }
      if (const yaml::Node& p = spec["pattern"]) r.re = regex(p, "pattern", &r.pattern);
      if (!r.required && r.allowed.empty() && r.pattern.empty())
        error(spec, "\"" + r.key + "\" asks for nothing: give required, allowed or pattern");
      out->push_back(std::move(r));
    }
  }

  void policy(const yaml::Node& n, std::vector<RulePolicy>* out) {
    if (!keys(n, "a rule_policies entry", {"name", "kind", "group", "name_pattern", "labels", "annotations"})) return;
    RulePolicy p;
    if (n["name"]) scalar(n["name"], "name", &p.name);
    if (const yaml::Node& kind = n["kind"]) {
      std::string k;
      if (scalar(kind, "kind", &k)) {
        if (k == "alert" || k == "record") {
          p.kind = k;
        } else if (k != "any") {
          error(kind, "\"kind\" must be alert, record or any, not \"" + k + "\"");
        }
      }
    }
    if (n["group"]) p.group_re = regex(n["group"], "group", &p.group);
    if (n["name_pattern"]) p.name_re = regex(n["name_pattern"], "name_pattern", &p.name_pattern);
    if (n["labels"]) entries(n["labels"], "labels", &p.labels);
    if (n["annotations"]) entries(n["annotations"], "annotations", &p.annotations);
    if (!p.annotations.empty() && p.kind == "record")
      error(n["annotations"], "recording rules have no annotations; use kind: alert");
    out->push_back(std::move(p));
  }

 private:
  const std::string& file_;
  std::vector<PolicyError>* errors_;
  bool ok_ = true;
};

}  // namespace

std::string MetadataRule::check_value(std::string_view value) const {
  if (!allowed.empty()) {
    bool listed = false;
    for (const std::string& a : allowed) listed |= a == value;
    if (!listed) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return "is not one of " + list;
    }
  }
  if (re && !RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re))
    return "does not match " + pattern;
  return "";
}

bool RulePolicy::applies_to(bool alerting, std::string_view group_name) const {
  if (kind == "alert" && !alerting) return false;
  if (kind == "record" && alerting) return false;
  return !group_re || RE2::PartialMatch(re2::StringPiece(group_name.data(), group_name.size()), *group_re);
}

bool RulePolicy::name_matches(std::string_view rule_name) const {
  return !name_re || RE2::PartialMatch(re2::StringPiece(rule_name.data(), rule_name.size()), *name_re);
}

bool parse_rule_policies(const yaml::Node& list, const std::string& file, std::vector<RulePolicy>* out,
                         std::vector<PolicyError>* errors) {
  Parser parser(file, errors);
  if (!list.is_sequence()) {
    parser.error(list, "must be a list of policies");
    return false;
  }
  for (const yaml::Node& item : list.items()) parser.policy(item, out);
  return parser.ok();
}

}  // namespace promvet::naming
