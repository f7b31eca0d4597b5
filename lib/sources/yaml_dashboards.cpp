#include "sources/yaml_dashboards.h"

#include <algorithm>
#include <cctype>

#include "sources/dashboard.h"
#include "sources/rules_internal.h"
#include "sources/yaml_tree_internal.h"

namespace promvet::sources {
namespace {

using yaml_tree::Doc;
using yaml_tree::YNode;

// The value of `key` in mapping `map`, or null.
const YNode* member(const Doc& d, const YNode& map, std::string_view key) {
  if (map.kind != YNode::Map) return nullptr;
  for (size_t k = 0; k + 1 < map.children.size(); k += 2) {
    const YNode& name = yaml_tree::resolve(d, map.children[k]);
    if (name.kind == YNode::Scalar && name.value == key) return &yaml_tree::resolve(d, map.children[k + 1]);
  }
  return nullptr;
}

std::string scalar(const YNode* n) { return n && n->kind == YNode::Scalar ? n->value : std::string(); }

bool json_name(std::string_view key) {
  if (key.size() < 5) return false;
  std::string ext(key.substr(key.size() - 5));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".json";
}

// A dashboard is a JSON object: a string that is anything else (a JSON list, a template) is not.
bool json_object(const std::string& v) {
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{';
  }
  return false;
}

class Finder {
 public:
  Finder(std::string_view path, std::string_view content, const LoadOptions& options, YamlDashboards& out)
      : path_(path), content_(content), options_(options), out_(out) {}

  void object(const Doc& d, const YNode& root, int depth) {
    if (root.kind != YNode::Map || depth > 4) return;
    const std::string kind = scalar(member(d, root, "kind"));
    if (kind == "ConfigMap") {
      const YNode* data = member(d, root, "data");
      if (!data || data->kind != YNode::Map) return;
      for (size_t k = 0; k + 1 < data->children.size(); k += 2) {
        const YNode& key = yaml_tree::resolve(d, data->children[k]);
        if (key.kind == YNode::Scalar && json_name(key.value)) add(yaml_tree::resolve(d, data->children[k + 1]));
      }
    } else if (kind == "GrafanaDashboard") {
      const YNode* spec = member(d, root, "spec");
      if (const YNode* json = spec ? member(d, *spec, "json") : nullptr) add(*json);
    } else if (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0) {
      const YNode* items = member(d, root, "items");
      if (!items || items->kind != YNode::Seq) return;
      for (uint32_t i : items->children) object(d, yaml_tree::resolve(d, i), depth + 1);
    }
  }

 private:
  void add(const YNode& value) {
    if (value.kind != YNode::Scalar || !json_object(value.value)) return;
    EmbeddedDashboard e;
    yaml_tree::map_scalar(content_, value, e.text, e.to_file);
    e.file = load_dashboard(path_, e.text, options_);
    out_.dashboards.push_back(std::move(e));
  }

  std::string_view path_;
  std::string_view content_;
  const LoadOptions& options_;
  YamlDashboards& out_;
};

void find_dashboards(std::string_view path, std::string_view content, const LoadOptions& options,
                     const std::vector<Doc>& docs, YamlDashboards& out) {
  Finder finder(path, content, options, out);
  for (const Doc& d : docs)
    if (d.root != UINT32_MAX) finder.object(d, yaml_tree::resolve(d, d.root), 0);
}

}  // namespace

YamlDashboards load_yaml_dashboards(std::string_view path, std::string_view content, const LoadOptions& options) {
  YamlDashboards out;
  std::optional<std::vector<Doc>> docs = yaml_tree::parse_documents(content, options, out.diagnostics);
  if (docs) find_dashboards(path, content, options, *docs, out);
  return out;
}

RulesAndDashboards load_rules_and_dashboards(std::string_view path, std::string_view content,
                                             const LoadOptions& options) {
  RulesAndDashboards out;
  out.rules.path = std::string(path);
  std::optional<std::vector<Doc>> docs = yaml_tree::parse_documents(content, options, out.rules.diagnostics);
  out.dashboards.diagnostics = out.rules.diagnostics;  // the parse's, before the rule loader adds its own
  if (!docs) return out;
  rules_internal::load_parsed(content, *docs, options, out.rules);
  find_dashboards(path, content, options, *docs, out.dashboards);
  return out;
}

}  // namespace promvet::sources
