#pragma once
// Grafana dashboards (JSON) → PromQL expressions with exact file offsets.
//
// Shapes: a dashboard at the top level; `{"dashboard": {...}}` (HTTP API / provisioning);
// grafana-operator / Kubernetes wrappers (`spec.json` as a JSON string holding the dashboard,
// `spec.dashboard`, or the dashboard fields directly in `spec`). Panels: `panels[]` (with rows'
// nested `panels`), legacy `rows[].panels`, library panels (`libraryPanel` + `__elements`).
// Expressions: panel `targets[].expr`, `annotations.list[].expr`, `templating.list[]` query
// variables (`label_values(metric, label)` → metric, `query_result(expr)` → expr). Targets whose
// data source is clearly not Prometheus (Loki, Grafana, ...) are skipped. Grafana variables are
// expanded (see grafana_vars.h).
// Schema v2 ("dynamic dashboards", dashboard.grafana.app/v2alpha1|v2beta1|v2), best effort: the
// resource (dashboard = `spec`, uid = `metadata.name`), a bare v2 spec (`elements` + `layout`),
// either inside `{"dashboard": ...}`, grafana-operator's GrafanaManifest `spec.template` or a
// `spec.json` string. `Panel` elements' queries (v2beta1 DataQuery `group`, v2alpha1 `kind`),
// AnnotationQuery queries and `variables[]` (kinds mapped to the classic types) are read the same
// way; LibraryPanel elements hold no queries and are skipped.
//
// Invalid JSON yields `source/invalid-json` (offset and nlohmann's message); the `"expr"` strings
// are then salvaged lexically (panel title: the next `"title"`) with an Info `source/salvaged`.
// Also: `source/too-large`, `source/too-deep`. References to undefined variables are expanded to
// a placeholder and left to dashboard/undefined-variable (see Expression::variable_spans).
// SourceFile::dashboard_variables and ::datasources are filled from the parsed JSON only (not when
// salvaged); a row's own datasource is not recorded (rows query nothing).
#include <string_view>

#include "sources/grafana_vars.h"
#include "sources/source.h"

namespace promvet::sources {

SourceFile load_dashboard(std::string_view path, std::string_view content, const LoadOptions& options = {});

// The variables a dashboard defines (templating.list), for callers expanding other text.
VariableContext dashboard_variables(std::string_view content, const LoadOptions& options = {});

// Decodes the JSON string whose opening quote is at `quote` in `text`; map[i] is the offset in
// `text` of the character decoded byte i came from (escape sequences: their backslash);
// map has value.size() + 1 entries (the last: the closing quote). False if not a valid string.
bool decode_json_string(std::string_view text, size_t quote, std::string& value, std::vector<uint32_t>& map);

}  // namespace promvet::sources
