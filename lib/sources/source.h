#pragma once
// What a linter needs from a user's file: every PromQL expression in it, each with a map from
// every character of the text the PromQL parser sees back to the byte offset in the original
// file (through JSON escapes, YAML block scalars and Grafana variable expansion), plus where it
// came from (dashboard, panel, rule). Findings about the file itself (invalid JSON, unknown rule
// fields) are diagnostics with a file offset.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/severity.h"

namespace promvet::sources {

// expr offset → file byte offset. `to_file` has text.size() + 1 entries (the last maps the end).
struct OffsetMap {
  std::vector<uint32_t> to_file;
  uint32_t at(uint32_t expr_offset) const {
    if (to_file.empty()) return 0;
    return expr_offset < to_file.size() ? to_file[expr_offset] : to_file.back();
  }
};

enum class ExpressionKind { PanelTarget, Annotation, TemplateQuery, RecordingRule, AlertingRule, Query };
// "panel target", "annotation", "template query", "recording rule", "alerting rule", "query"
const char* to_string(ExpressionKind k);

// Where a Grafana variable was expanded in Expression::text: text[begin, end) came from one
// reference (`$job`, `${job:regex}`, `[[job]]`, `$__rate_interval`).
struct VariableSpan {
  std::string name;  // without `$`, format or brackets: "job", "__rate_interval"
  uint32_t begin = 0, end = 0;
  bool multi_value = false;  // a multi-value or include-all variable: may expand to several values
};

// A reference whose expansion cannot stand for what Grafana sends (dashboards only), found while
// expanding: the dashboard/* checks report these at the reference.
struct VariableIssue {
  enum class Kind {
    Cycle,             // the value refers back to a variable being expanded: `$a` → `$b` → `$a`
    TooDeep,           // a chain of values holding references longer than the expansion allows
    MultiValueInName,  // a multi-value or include-all variable inside a metric or label name
  };
  Kind kind = Kind::Cycle;
  std::string name;             // the outermost reference's variable, without `$`
  uint32_t begin = 0, end = 0;  // its expansion in Expression::text
  std::string chain;            // Cycle/TooDeep: the names followed, "a → b → a"
  // MultiValueInName: what Grafana sends in place of the reference, the selection that sends it
  // ("with All selected", "with \"a\" and \"b\" selected"), and the kind of name there.
  std::string sent, selection;
  enum class Place { MetricName, LabelName, LabelList };  // LabelList: by/without/on/ignoring (...)
  Place place = Place::MetricName;
};

// A `key: value` entry of a rule's labels or annotations, with file offsets.
struct RuleEntry {
  std::string name, value;
  uint32_t name_offset = 0, value_offset = 0, value_end = 0;
};

// What rule checks need beyond the expression (rule files only).
struct RuleInfo {
  uint32_t offset = 0;                     // start of the rule's mapping
  uint32_t name_offset = 0, name_end = 0;  // the `record`/`alert` value
  bool has_for = false;
  std::string for_duration;              // as written, e.g. "5m"
  uint32_t for_offset = 0, for_end = 0;  // the value of `for`
  std::string keep_firing_for;
  uint32_t keep_firing_for_offset = 0, keep_firing_for_end = 0;  // its value
  std::vector<RuleEntry> labels, annotations;
  // The rule's group: where it starts (identifies it when names repeat), its `name` value, its
  // `interval` value ("" when unset) and how many rules it lists.
  uint32_t group_offset = 0, group_name_offset = 0, group_name_end = 0;
  uint32_t interval_offset = 0, interval_end = 0;
  uint32_t group_rule_count = 0;
};

// A variable a dashboard defines in `templating.list` (dashboards only).
struct DashboardVariable {
  std::string name, type;
  uint32_t offset = 0, end_offset = 0;  // its "name" value in the file
  bool multi_value = false;
};

// A datasource reference of a panel, target, annotation or variable (dashboards only).
struct DatasourceRef {
  std::string uid;   // uid or legacy name as written ("${DS_PROMETHEUS}", "P1809F7CD0C75ACF3", "prometheus")
  std::string type;  // "prometheus" when known
  uint32_t offset = 0, end_offset = 0;  // the uid/name string in the file
};

// What the dashboard/* checks need about a dashboard beyond its expressions (dashboards only,
// read from the parsed JSON; empty when the expressions were salvaged from invalid JSON).
struct DashboardFacts {
  // Variables a panel, row or library panel (classic `"repeat": "<name>"`) or a schema v2 layout
  // item, row or tab (`"repeat": {"mode": "variable", "value": "<name>"}`) is repeated by: they
  // are used without a `$` reference.
  std::vector<std::string> repeat_variables;
  // A dashboard link, a panel link or a dashboard list panel has `"includeVars": true`: every
  // variable is handed to the dashboards it opens.
  bool passes_variables = false;
};

struct Expression {
  ExpressionKind kind = ExpressionKind::PanelTarget;
  std::string text;      // what the PromQL parser sees (unescaped; Grafana variables expanded)
  std::string original;  // the string as written in the file (unescaped, before expansion)
  OffsetMap map;         // text offset → file byte offset
  // Dashboards.
  std::string dashboard_uid, dashboard_title, panel_title, ref_id, datasource;
  std::string panel_type;  // Grafana visualisation: "timeseries", "stat", "table", ... ("" if none)
  int64_t panel_id = -1;
  std::vector<std::string> variables_used;     // names of Grafana variables expanded in `text`
  std::vector<VariableSpan> variable_spans;    // every expansion, in text order
  std::vector<VariableIssue> variable_issues;  // expansions that cannot stand for what Grafana sends
  // Rule files.
  std::string group, rule_name;      // rule_name: the `record` or `alert` value
  std::string scrape_interval_hint;  // rule group `interval`, if set
  RuleInfo rule;
  // LogQL of a Loki rule file (sources/rule_dialects.h): not parsed as PromQL, so only the checks
  // of the rule itself (labels, for, duplicates) see it.
  bool logql = false;
  // Checks disabled for this expression by an in-file marker (panel description
  // `promvet:disable=<id>`, YAML comment `# promvet: disable=<id>`).
  std::vector<std::string> disabled_checks;
};

struct Diagnostic {
  std::string check_id;  // one of sources/diagnostic_ids.h
  base::Severity severity = base::Severity::kError;
  std::string message;  // lowercase, no trailing period; Prometheus/promtool wording where it has one
  uint32_t offset = 0;  // byte offset in the file
  uint32_t end_offset = 0;
  // Checks disabled where the diagnostic is (a rule's `# promvet: disable=<id>`).
  std::vector<std::string> disabled_checks;
};

struct SourceFile {
  std::string path;
  std::vector<Expression> expressions;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> file_disabled_checks;  // file-scope suppressions
  // Dashboards: the variables the file defines and every datasource reference in it.
  std::vector<DashboardVariable> dashboard_variables;
  std::vector<DatasourceRef> datasources;
  DashboardFacts dashboard;
  // Rule files: no document is a rule file (no `groups`, not a PrometheusRule): a Kubernetes
  // manifest, a CI configuration. `promvet lint` skips such YAML unless told --kind rules.
  bool not_a_rule_file = false;
};

// Which tool reads a rule file (sources/rule_dialects.h): its group fields and query language.
enum class RulesDialect { Auto, Prometheus, Thanos, Mimir, Loki };

struct LoadOptions {
  size_t max_bytes = 100u << 20;                    // larger files are refused with a diagnostic
  uint32_t max_depth = 512;                         // JSON/YAML nesting
  RulesDialect rules_dialect = RulesDialect::Auto;  // rule files: Auto = recognised from the file
  unsigned threads = 1;  // a large rule file's YAML may be parsed in pieces on this many threads
};

}  // namespace promvet::sources
