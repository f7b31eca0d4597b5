#pragma once
// Grafana dashboards shipped inside Kubernetes YAML, each read as a dashboard of its own with a
// map from its text back to the YAML file:
// - ConfigMaps (`kind: ConfigMap`) whose `data` entries named `*.json` hold a dashboard's JSON
//   (kube-prometheus, Grafana's sidecar provisioning), also inside a `kind: ...List` `items`;
// - grafana-operator `GrafanaDashboard` resources (`spec.json`, a JSON string).
// The string may be a block scalar (`|`), a quoted or a plain scalar; positions inside it map to
// the line and column of the YAML file through yaml_tree::map_scalar.
//
//   YamlDashboards d = load_yaml_dashboards(path, content);
//   for (const EmbeddedDashboard& e : d.dashboards) lint_embedded(e.file, e.text, e.to_file, content);
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace promvet::sources {

struct EmbeddedDashboard {
  std::string text;   // the dashboard JSON, as the YAML string's value
  OffsetMap to_file;  // text offset → YAML file offset
  SourceFile file;    // load_dashboard(text): offsets into `text`
};

struct YamlDashboards {
  std::vector<EmbeddedDashboard> dashboards;
  std::vector<Diagnostic> diagnostics;  // the YAML file's own (invalid YAML), in file offsets
};

YamlDashboards load_yaml_dashboards(std::string_view path, std::string_view content, const LoadOptions& options = {});

// load_rules(path, content, options) and load_yaml_dashboards(path, content, options) from one
// parse of the YAML (a rendered bundle holds both; the lint_rules_fuzz harness reads every input
// both ways): each member is what its function returns.
struct RulesAndDashboards {
  SourceFile rules;
  YamlDashboards dashboards;
};
RulesAndDashboards load_rules_and_dashboards(std::string_view path, std::string_view content,
                                             const LoadOptions& options = {});

}  // namespace promvet::sources
