#include "naming/rule_policy.h"

#include <fnmatch.h>
#include <re2/re2.h>

#include <charconv>

#include "base/duration.h"
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
      error(n, "\"" + what + "\" must map names to {required, allowed, pattern, url, forbidden}");
      return;
    }
    for (const auto& [name, spec] : n.entries()) {
      MetadataRule r;
      r.key = name.value();
      std::string bad = label_name_error(r.key, Validation::kLegacy);
      if (!bad.empty()) error(name, "\"" + what + "\": " + bad);
      if (!keys(spec, "a " + what + " entry", {"required", "allowed", "pattern", "forbidden", "url"})) continue;
      boolean(spec["required"], "required", &r.required);
      boolean(spec["forbidden"], "forbidden", &r.forbidden);
      boolean(spec["url"], "url", &r.url);
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
      if (r.forbidden && (r.required || !r.allowed.empty() || !r.pattern.empty() || r.url))
        error(spec, "\"" + r.key + "\" is forbidden: required, allowed, pattern and url say nothing then");
      else if (!r.forbidden && !r.required && r.allowed.empty() && r.pattern.empty() && !r.url)
        error(spec, "\"" + r.key + "\" asks for nothing: give required, allowed, pattern, url or forbidden");
      out->push_back(std::move(r));
    }
  }

  void boolean(const yaml::Node& n, const std::string& key, bool* out) {
    if (!n) return;
    if (!n.is_scalar() || (n.value() != "true" && n.value() != "false"))
      error(n, "\"" + key + "\" must be true or false");
    else *out = n.value() == "true";
  }

  int64_t duration(const yaml::Node& n, const std::string& key, std::string* text) {
    if (!scalar(n, key, text)) return -1;
    base::DurationResult d = base::parse_duration(*text);
    if (!d.error.empty()) {
      error(n, "\"" + key + "\": " + d.error);
      return -1;
    }
    return d.ms;
  }

  // `for: {min: 1m, max: 1h}`: either bound or both, min <= max.
  void bounds(const yaml::Node& n, const std::string& key, DurationBounds* out) {
    if (!n) return;
    if (!keys(n, "\"" + key + "\"", {"min", "max"})) return;
    if (n["min"]) out->min_ms = duration(n["min"], key + ".min", &out->min_text);
    if (n["max"]) out->max_ms = duration(n["max"], key + ".max", &out->max_text);
    if (!n["min"] && !n["max"]) error(n, "\"" + key + "\" asks for nothing: give min, max or both");
    if (out->min_ms >= 0 && out->max_ms >= 0 && out->min_ms > out->max_ms)
      error(n, "\"" + key + "\": min " + out->min_text + " is greater than max " + out->max_text);
  }

  void globs(const yaml::Node& n, std::vector<std::string>* out) {
    if (n.is_scalar()) {
      out->push_back(n.value());
    } else if (n.is_sequence() && !n.items().empty()) {
      for (const yaml::Node& g : n.items()) {
        std::string s;
        if (scalar(g, "files", &s)) out->push_back(std::move(s));
      }
    } else {
      error(n, "\"files\" must be a glob or a non-empty list of globs");
    }
  }

  void count(const yaml::Node& n, const std::string& key, uint32_t* out) {
    const std::string& v = n.value();
    uint32_t x = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (!n.is_scalar() || v.empty() || ec != std::errc() || end != v.data() + v.size() || x == 0)
      error(n, "\"" + key + "\" must be a positive integer");
    else *out = x;
  }

  void policy(const yaml::Node& n, std::vector<RulePolicy>* out) {
    if (!keys(n, "a rule_policies entry",
              {"name", "kind", "files", "group", "name_pattern", "labels", "annotations", "for", "keep_firing_for",
               "interval", "max_rules_per_group"}))
      return;
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
    if (n["files"]) globs(n["files"], &p.files);
    bounds(n["for"], "for", &p.for_bounds);
    bounds(n["keep_firing_for"], "keep_firing_for", &p.keep_firing_for_bounds);
    bounds(n["interval"], "interval", &p.interval_bounds);
    if (n["max_rules_per_group"]) count(n["max_rules_per_group"], "max_rules_per_group", &p.max_rules_per_group);
    if (!p.annotations.empty() && p.kind == "record")
      error(n["annotations"], "recording rules have no annotations; use kind: alert");
    for (const char* key : {"for", "keep_firing_for"})
      if (n[key] && p.kind == "record")
        error(n[key], std::string("recording rules have no ") + key + "; use kind: alert");
    out->push_back(std::move(p));
  }

 private:
  const std::string& file_;
  std::vector<PolicyError>* errors_;
  bool ok_ = true;
};

// The shape of an absolute URL (RFC 3986): a scheme, `://`, a non-empty authority, and no
// whitespace anywhere. Format only: nothing is fetched.
bool absolute_url(std::string_view v) {
  static const RE2 shape(R"(^[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s]+([/?#]\S*)?$)");
  return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), shape);
}

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
  if (url && !absolute_url(value)) return "is not an absolute URL (scheme://host/...)";
  if (re && !RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *re)) return "does not match " + pattern;
  return "";
}

std::string DurationBounds::check(int64_t ms) const {
  if (min_ms >= 0 && ms < min_ms) return "is shorter than the minimum " + min_text;
  if (max_ms >= 0 && ms > max_ms) return "is longer than the maximum " + max_text;
  return "";
}

bool RulePolicy::applies_to(bool alerting, std::string_view group_name, std::string_view file) const {
  if (kind == "alert" && !alerting) return false;
  if (kind == "record" && alerting) return false;
  if (!files.empty()) {
    // Without FNM_PATHNAME `*` crosses `/`, as in .promvet.yaml's exclude.
    const std::string path(file);
    bool matched = false;
    for (const std::string& glob : files) {
      matched = matched || fnmatch(glob.c_str(), path.c_str(), 0) == 0;
      for (size_t slash = path.find('/'); !matched && slash != std::string::npos; slash = path.find('/', slash + 1))
        matched = fnmatch(glob.c_str(), path.c_str() + slash + 1, 0) == 0;
    }
    if (!matched) return false;
  }
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
