#pragma once
// Grafana template variable expansion before PromQL parsing, keeping the map from every
// character of the expanded text to the file offset it came from. Every character a variable
// reference expands to maps to the file offset of the reference's first character (`$` or `[`).
//
// Syntax (as Grafana's templateSrv): `$var`, `${var}`, `${var:fmt}`, `${var.field}`, `[[var]]`,
// `[[var:fmt]]`. Globals: $__interval, $__interval_ms, $__rate_interval, $__rate_interval_ms,
// $__range, $__range_s, $__range_ms, $__from, $__to, $__auto, $__auto_interval_<name>,
// $__dashboard, $__org, $__user, $__name, wherever they appear, also inside another variable's
// value.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace promvet::sources {

struct GrafanaVariable {
  std::string name;
  std::string type;                  // query, custom, interval, constant, textbox, datasource, adhoc, ...
  std::vector<std::string> current;  // selected value(s); may contain "$__all"
  std::vector<std::string> options;  // option values, "$__all" excluded
  bool multi = false;
  bool include_all = false;
  bool has_all_value = false;
  std::string all_value;  // custom "allValue" (e.g. ".*")
  std::string query;      // raw query (custom: "a,b,c"; constant: the value; datasource: plugin type)
  // Interval variables: the auto option divides the time range into `auto_count` steps, not
  // shorter than `auto_min` (Grafana's defaults).
  int auto_count = 30;
  std::string auto_min = "10s";
};

struct VariableContext {
  std::vector<GrafanaVariable> variables;
  std::string dashboard_title, dashboard_uid;
  // Defaults for the globals: a 15 s scrape interval, the last hour.
  std::string interval = "15s";
  std::string rate_interval = "1m";  // Grafana: max(4 * scrape interval, $__interval + scrape)
  std::string range = "1h";
  int64_t from_ms = 1700000000000;
  int64_t to_ms = 1700003600000;
  const GrafanaVariable* find(std::string_view name) const;
};

struct UnknownVariable {
  std::string name;
  uint32_t file_offset = 0;  // of the reference's first character
  std::string placeholder;   // what it was expanded to
};

struct Expansion {
  std::string text;
  std::vector<uint32_t> map;      // text.size() + 1 entries: text offset → file offset
  std::vector<std::string> used;  // variable names expanded (known, global or unknown), in order, unique
  std::vector<UnknownVariable> unknown;
  // Every reference expanded (known, global or unknown), in text order: text[begin, end) is
  // its expansion. Unknown references are multi_value = false.
  std::vector<VariableSpan> spans;
  // References whose expansion cannot stand for what Grafana sends: a cycle or a too deep chain
  // of values holding references (expanded to a placeholder), a multi-value variable inside a
  // name (expanded to one of its values so that the rest of the query is still checked).
  std::vector<VariableIssue> issues;
};

// How many variables deep a value holding references (`$__auto_interval_x`, `$other`) is
// expanded; a longer chain is a VariableIssue::Kind::TooDeep.
constexpr size_t kMaxVariableNesting = 8;

// Grafana reserves the `__` prefix for its globals ($__interval, $__range, $__searchFilter, ...):
// a dashboard cannot define a variable named so.
bool is_grafana_global(std::string_view name);

// Length of the variable reference (`$x`, `${x:fmt}`, `[[x]]`) starting at text[at], or 0 when
// none starts there. For turning a VariableSpan's `$` position back into the written reference.
size_t reference_length(std::string_view text, size_t at);

// `map` has text.size() + 1 entries (text offset → file offset); an empty map means identity.
// A variable's value that itself holds references (an interval variable on auto stores
// `$__auto_interval_<name>`; a custom option `$__interval`; a constant `$other`) is expanded
// again, up to kMaxVariableNesting deep; every character of it still maps to the outermost
// reference and belongs to the outermost reference's span.
Expansion expand_variables(std::string_view text, const std::vector<uint32_t>& map, const VariableContext& context);

// Formats values as Grafana's `${var:format}` does (csv, pipe, regex, glob, raw, json,
// doublequote, singlequote, sqlstring, text, queryparam, distributed, lucene, percentencode).
// Unknown formats fall back to `glob` like Grafana.
std::string format_variable_values(const std::vector<std::string>& values, std::string_view format,
                                   std::string_view name);

// Regex-escapes a value as Grafana's Prometheus data source does for multi-value variables.
std::string prometheus_regex_escape(std::string_view value);

// The interval Grafana's auto option gives for `range_ms`: range / auto_count, rounded to a
// round interval, not below auto_min. "2m" for the last hour with the defaults.
std::string auto_interval(int64_t range_ms, int auto_count, std::string_view auto_min);

// Whether any character of text[begin, end) came from a variable reference (wholly or in part):
// such text is what the dashboard picks at run time, not what the user wrote.
bool expanded_from_variable(const Expression& e, uint32_t begin, uint32_t end);

}  // namespace promvet::sources
