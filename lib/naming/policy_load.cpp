// Policy::parse: YAML pack -> Policy::Impl, collecting positioned errors.
#include <algorithm>

#include "io/yaml_tree.h"
#include "naming/names.h"
#include "naming/policy.h"
#include "naming/policy_internal.h"
#include "naming/rule_policy_internal.h"

namespace promvet::naming {

bool source_reference(std::string_view s) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  auto name = [&](char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; };
  auto commit = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; };  // RE2's \s
  const std::size_t n = s.size();
  // Each part ends at the first character it cannot hold, which must be the next separator.
  if (n == 0 || !alnum(s[0])) return false;
  std::size_t i = 1;
  while (i < n && name(s[i])) ++i;  // owner
  if (i == n || s[i] != '/') return false;
  const std::size_t repo = ++i;
  while (i < n && name(s[i])) ++i;
  if (i == repo || i == n || s[i] != '@') return false;
  const std::size_t hash = ++i;
  while (i < n && commit(s[i])) ++i;
  if (i - hash < 7 || i - hash > 40 || i == n || s[i] != ':') return false;
  const std::size_t path = ++i;
  while (i < n && !space(s[i])) ++i;
  if (i == path) return false;
  // Then nothing, or a note: one whitespace character and the rest of that line.
  return i == n || s.find('\n', i + 1) == std::string_view::npos;
}

namespace {

class Loader {
 public:
  Loader(const std::string& file, std::vector<PolicyError>* errors) : file_(file), errors_(errors) {}

  void error(const yaml::Mark& mark, std::string message) {
    ok_ = false;
    if (!errors_) return;
    PolicyError e;
    e.file = file_;
    // Marks are 0-based; a null mark (-1) means "no position".
    e.line = mark.line >= 0 ? static_cast<std::uint32_t>(mark.line) + 1 : 1;
    e.column = mark.column >= 0 ? static_cast<std::uint32_t>(mark.column) + 1 : 1;
    e.message = std::move(message);
    errors_->push_back(std::move(e));
  }

  bool ok() const { return ok_; }

  bool string(const yaml::Node& n, std::string_view key, std::string* out) {
    if (!n.is_scalar()) {
      error(n.mark(), "\"" + std::string(key) + "\" must be a string");
      return false;
    }
    *out = n.value();
    return true;
  }

  // A string or a list of strings.
  void strings(const yaml::Node& n, std::string_view key, std::vector<std::string>* out, bool allow_scalar) {
    if (allow_scalar && n.is_scalar()) {
      out->push_back(n.value());
      return;
    }
    if (!n.is_sequence()) {
      error(n.mark(), "\"" + std::string(key) + "\" must be a list of strings");
      return;
    }
    for (const yaml::Node& item : n.items()) {
      std::string s;
      if (string(item, key, &s)) out->push_back(std::move(s));
    }
  }

  std::unique_ptr<RE2> regex(const yaml::Node& n, std::string_view key, std::string* text) {
    std::string s;
    if (!string(n, key, &s)) return nullptr;
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(s, options);
    if (!re->ok()) {
      error(n.mark(), "\"" + std::string(key) + "\": invalid RE2 pattern \"" + s + "\": " + re->error());
      return nullptr;
    }
    if (text) *text = s;
    return re;
  }

  void label_names(const yaml::Node& n, std::string_view key, std::vector<std::string>* out) {
    std::size_t before = out->size();
    strings(n, key, out, false);
    if (!n.is_sequence()) return;
    std::size_t i = 0;
    for (const yaml::Node& item : n.items()) {
      if (before + i < out->size() && item.is_scalar()) {
        std::string e = label_name_error((*out)[before + i], Validation::kUtf8);
        if (!e.empty()) error(item.mark(), "\"" + std::string(key) + "\": " + e);
        ++i;
      }
    }
  }

  // `source`: a string or a list, each "owner/repo@commit:path" and an optional note after a
  // space, so the next person can re-read the very file and commit a fact was checked against.
  void sources(const yaml::Node& n, std::vector<std::string>* out) {
    std::size_t before = out->size();
    strings(n, "source", out, true);
    std::vector<yaml::Node> items;
    if (n.is_scalar()) {
      items.push_back(n);
    } else if (n.is_sequence()) {
      for (const yaml::Node& item : n.items())
        if (item.is_scalar()) items.push_back(item);
    }
    for (std::size_t i = 0; i < items.size() && before + i < out->size(); ++i) {
      const std::string& s = (*out)[before + i];
      if (!source_reference(s))
        error(items[i].mark(), "\"source\": \"" + s +
                                   "\" must be owner/repo@commit:path (a commit of 7 to 40 lowercase hex digits), "
                                   "optionally followed by a space and a note");
    }
  }

  // Map keys must be among `known`; reports the others.
  bool check_keys(const yaml::Node& map, std::string_view what, std::initializer_list<std::string_view> known) {
    if (!map.is_map()) {
      error(map.mark(), std::string(what) + " must be a mapping");
      return false;
    }
    for (const auto& [name, value] : map.entries()) {
      const std::string& key = name.value();
      bool found = false;
      for (std::string_view k : known) found |= (k == key);
      if (!found) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        error(name.mark(), "unknown key \"" + key + "\" in " + std::string(what) + " (known: " + list + ")");
      }
    }
    return true;
  }

  void units(const yaml::Node& n, Policy::Impl& p) {
    if (!n.is_sequence()) {
      error(n.mark(), "\"units\" must be a list of {match, use, reason, source}");
      return;
    }
    for (const yaml::Node& item : n.items()) {
      if (!check_keys(item, "a units entry", {"match", "use", "reason", "source"})) continue;
      UnitRule rule;
      std::unique_ptr<RE2> re;
      if (item["match"]) {
        re = regex(item["match"], "match", &rule.match);
      } else {
        error(item.mark(), "units entry needs \"match\"");
      }
      if (item["use"]) string(item["use"], "use", &rule.use);
      if (item["reason"]) string(item["reason"], "reason", &rule.reason);
      if (item["source"]) sources(item["source"], &rule.sources);
      if (re) {
        p.units.push_back(std::move(rule));
        p.unit_patterns.push_back(std::move(re));
      }
    }
  }

  void label_rules(const yaml::Node& n, Policy::Impl& p) {
    if (!n.is_sequence()) {
      error(n.mark(), "\"label_rules\" must be a list of {match, required, forbidden, source}");
      return;
    }
    for (const yaml::Node& item : n.items()) {
      if (!check_keys(item, "a label_rules entry", {"match", "required", "forbidden", "source"})) continue;
      LabelRule rule;
      if (!item["match"]) {
        error(item.mark(), "label_rules entry needs \"match\"");
        continue;
      }
      rule.pattern = regex(item["match"], "match", &rule.match);
      if (item["required"]) label_names(item["required"], "required", &rule.required);
      if (item["forbidden"]) label_names(item["forbidden"], "forbidden", &rule.forbidden);
      if (item["source"]) sources(item["source"], &rule.sources);
      if (rule.pattern) p.label_rules.push_back(std::move(rule));
    }
  }

  void deprecated(const yaml::Node& n, Policy::Impl& p) {
    if (!n.is_sequence()) {
      error(n.mark(), "\"deprecated\" must be a list of {name, replacement, since, removed, note, source}");
      return;
    }
    for (const yaml::Node& item : n.items()) {
      if (!check_keys(item, "a deprecated entry", {"name", "replacement", "since", "removed", "note", "source"}))
        continue;
      DeprecatedMetric d;
      if (!item["name"]) {
        error(item.mark(), "deprecated entry needs \"name\"");
        continue;
      }
      if (!string(item["name"], "name", &d.name)) continue;
      if (std::string e = metric_name_error(d.name, Validation::kUtf8); !e.empty()) {
        error(item["name"].mark(), "\"name\": " + e);
        continue;
      }
      if (item["replacement"]) string(item["replacement"], "replacement", &d.replacement);
      if (item["since"]) {
        string(item["since"], "since", &d.since);
      } else {
        error(item.mark(), "deprecated entry \"" + d.name + "\" needs \"since\" (the version that deprecated it)");
      }
      if (item["removed"]) string(item["removed"], "removed", &d.removed);
      if (item["note"]) string(item["note"], "note", &d.note);
      if (item["source"]) sources(item["source"], &d.sources);
      p.deprecated.push_back(std::move(d));
    }
  }

  void load(const yaml::Node& root, Policy::Impl& p) {
    if (!root.is_map()) {
      error(root.mark(), "a policy pack must be a mapping with at least \"name\"");
      return;
    }
    check_keys(root, "a policy pack",
               {"name", "product", "description", "source", "scope", "exclude", "required_prefix", "name_pattern",
                "label_name_pattern", "required_labels", "forbidden_labels", "label_rules", "units", "deprecated",
                "rule_policies"});
    if (root["name"]) {
      string(root["name"], "name", &p.name);
    } else {
      error(root.mark(), "a policy pack needs \"name\"");
    }
    if (root["product"]) string(root["product"], "product", &p.product);
    if (root["description"]) string(root["description"], "description", &p.description);
    if (root["source"]) sources(root["source"], &p.sources);
    if (root["scope"]) p.scope = regex(root["scope"], "scope", nullptr);
    if (root["exclude"]) {
      const yaml::Node& ex = root["exclude"];
      if (!ex.is_sequence()) {
        error(ex.mark(), "\"exclude\" must be a list of RE2 patterns");
      } else {
        for (const yaml::Node& item : ex.items()) {
          if (auto re = regex(item, "exclude", nullptr)) p.exclude.push_back(std::move(re));
        }
      }
    }
    if (root["required_prefix"]) strings(root["required_prefix"], "required_prefix", &p.required_prefixes, true);
    if (root["name_pattern"]) p.name_pattern = regex(root["name_pattern"], "name_pattern", &p.name_pattern_text);
    if (root["label_name_pattern"])
      p.label_pattern = regex(root["label_name_pattern"], "label_name_pattern", &p.label_pattern_text);
    if (root["required_labels"]) label_names(root["required_labels"], "required_labels", &p.required_labels);
    if (root["forbidden_labels"]) label_names(root["forbidden_labels"], "forbidden_labels", &p.forbidden_labels);
    if (root["label_rules"]) label_rules(root["label_rules"], p);
    if (root["units"]) units(root["units"], p);
    if (root["deprecated"]) deprecated(root["deprecated"], p);
    if (root["rule_policies"] && !parse_rule_policies(root["rule_policies"], file_, &p.rule_policies, errors_))
      ok_ = false;
  }

 private:
  const std::string& file_;
  std::vector<PolicyError>* errors_;
  bool ok_ = true;
};

}  // namespace

std::string PolicyError::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::optional<Policy> Policy::parse(std::string_view yaml, const std::string& file, std::vector<PolicyError>* errors) {
  auto impl = std::make_shared<Impl>();
  impl->file = file;
  Loader loader(file, errors);
  yaml::Document doc;
  yaml::ParseError syntax;
  if (yaml::load(yaml, &doc, &syntax)) loader.load(doc.root(), *impl);
  else loader.error(syntax.mark, "invalid YAML: " + syntax.problem);
  if (errors) {
    std::stable_sort(errors->begin(), errors->end(), [](const PolicyError& a, const PolicyError& b) {
      return a.file == b.file && (a.line != b.line ? a.line < b.line : a.column < b.column);
    });
  }
  if (!loader.ok()) return std::nullopt;
  return Policy(std::move(impl));
}

}  // namespace promvet::naming
