#include "sources/dashboard.h"
#include "sources/diagnostic_ids.h"

// The dashboard loader's entry points and the shapes a dashboard comes in; what is shared by the
// classic and v2 extractors (datasource classification, Expressions). The pieces are listed in
// dashboard_internal.h.
#include <algorithm>
#include <cctype>

#include "sources/dashboard_internal.h"
#include "sources/datasource_kinds.h"

namespace promvet::sources {
namespace dashboard_internal {

// File offsets of a string's first character and of its closing quote.
bool Extractor::string_span(uint32_t n, uint32_t& begin, uint32_t& end) const {
  std::string v;
  std::vector<uint32_t> m;
  if (!d_.str_mapped(n, v, m) || m.empty()) return false;
  begin = m.front();
  end = m.back();
  return true;
}

// A `"datasource"` value: a legacy name string or `{"type": ..., "uid": ...}`.
void Extractor::record_datasource(uint32_t ds) {
  DatasourceRef ref;
  uint32_t str = ds;
  if (d_.is(ds, T::Obj)) {
    str = d_.get(ds, "uid");
    ref.type = d_.get_str(ds, "type");
  }
  if (!d_.is(str, T::Str) || !string_span(str, ref.offset, ref.end_offset)) return;
  ref.uid = d_.str(str);
  out_.datasources.push_back(std::move(ref));
}

DS Extractor::classify(uint32_t ds, std::string& name) const {
  if (ds == NIL || d_.is(ds, T::Null)) return DS::Inherit;
  if (d_.is(ds, T::Str)) {
    name = d_.str(ds);
    return classify_string(name);
  }
  if (d_.is(ds, T::Obj)) {
    std::string type = d_.get_str(ds, "type"), uid = d_.get_str(ds, "uid");
    name = !uid.empty() ? uid : type;
    if (type == "datasource") return uid == "-- Mixed --" ? DS::Inherit : DS::Other;
    if (!type.empty() && type[0] != '$') return classify_type(type);
    return classify_string(uid);
  }
  return DS::Inherit;
}

DS Extractor::classify_string(const std::string& s) const {
  if (!s.empty() && s[0] == '$') {
    std::string n = s.substr(1);
    if (!n.empty() && n.front() == '{') n = n.substr(1);
    if (!n.empty() && n.back() == '}') n.pop_back();
    if (const GrafanaVariable* v = vars_.find(n)) {
      if (v->type == "datasource" && !v->query.empty()) return classify_type(v->query);
    }
    return classify_name(n);
  }
  return classify_name(s);
}

void Extractor::note_links(uint32_t links) {
  for (uint32_t l : d_.items(d_.is(links, T::Arr) ? links : NIL))
    if (is_true(d_.get(l, "includeVars"))) out_.dashboard.passes_variables = true;
}

void Extractor::note_repeat(uint32_t panel_or_row) {
  uint32_t r = d_.get(panel_or_row, "repeat");
  if (d_.is(r, T::Str) && !d_.str(r).empty()) out_.dashboard.repeat_variables.push_back(d_.str(r));
}

// A classic panel (or a library panel's model): its repeat, its links and, for a dashboard list,
// `options.includeVars`.
void Extractor::note_panel_facts(uint32_t panel) {
  note_repeat(panel);
  note_links(d_.get(panel, "links"));
  if (is_true(d_.get(d_.get(panel, "options"), "includeVars"))) out_.dashboard.passes_variables = true;
}

void Extractor::emit(ExpressionKind kind, uint32_t str_node, const Meta& m) {
  std::string s;
  std::vector<uint32_t> map;
  if (!d_.str_mapped(str_node, s, map)) return;
  emit_text(kind, std::move(s), std::move(map), m);
}

void Extractor::emit_text(ExpressionKind kind, std::string s, std::vector<uint32_t> map, const Meta& m) {
  emit_expression(out_, vars_, kind, std::move(s), std::move(map), m);
}

void Extractor::emit_expression(SourceFile& out, const VariableContext& vars, ExpressionKind kind, std::string s,
                                std::vector<uint32_t> map, const Meta& m) {
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return;
  Expression x;
  x.kind = kind;
  Expansion ex = expand_variables(s, map, vars);
  x.text = std::move(ex.text);
  x.map.to_file = std::move(ex.map);
  x.original = std::move(s);
  x.dashboard_uid = vars.dashboard_uid;
  x.dashboard_title = vars.dashboard_title;
  x.panel_title = m.panel_title;
  x.panel_type = m.panel_type;
  x.ref_id = m.ref_id;
  x.datasource = m.datasource;
  x.panel_id = m.panel_id;
  x.variables_used = std::move(ex.used);
  x.variable_spans = std::move(ex.spans);
  x.variable_issues = std::move(ex.issues);
  x.disabled_checks = m.disabled;
  // References to variables the dashboard does not define are dashboard/undefined-variable's
  // business (it reads variable_spans and SourceFile::dashboard_variables).
  out.expressions.push_back(std::move(x));
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

namespace {

bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

DS classify_type(const std::string& type_in) {
  std::string t = base::ascii_lower(type_in);
  if (t.empty()) return DS::Inherit;
  return names_prometheus_like_datasource(t) ? DS::Prometheus : DS::Other;
}

DS classify_name(const std::string& name_in) {
  std::string n = base::ascii_lower(trim(name_in));
  if (n.empty() || n == "-- mixed --") return DS::Inherit;
  if (names_prometheus_like_datasource(n)) return DS::Prometheus;
  for (std::string_view p :
       {"loki",      "elastic",  "opensearch",  "influx",     "graphite", "tempo",           "jaeger",   "zipkin",
        "mysql",     "postgres", "mssql",       "cloudwatch", "grafana",  "-- dashboard --", "testdata", "clickhouse",
        "pyroscope", "parca",    "stackdriver", "azure",      "splunk",   "datadog"})
    if (contains(n, p)) return DS::Other;
  return DS::Prometheus;
}

std::vector<std::string> disable_markers(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = text.find("promvet:", pos)) != std::string::npos) {
    pos += 8;
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (text.compare(pos, 8, "disable=") != 0) continue;
    pos += 8;
    std::string id;
    for (; pos <= text.size(); ++pos) {
      char c = pos < text.size() ? text[pos] : ' ';
      if (c == ',' || std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == ';') {
        if (!id.empty()) out.push_back(id);
        id.clear();
        if (c != ',') break;
      } else {
        id += c;
      }
    }
  }
  return out;
}

}  // namespace dashboard_internal

namespace {

using dashboard_internal::Extractor;
using dashboard_internal::find_v2;
using dashboard_internal::salvage;
using json_tree::Doc;
using json_tree::NIL;
using json_tree::parse_doc;
using json_tree::T;

void load_doc(Doc& d, const LoadOptions& opt, SourceFile& out, int nesting) {
  if (!parse_doc(d, opt, out.diagnostics)) {
    if (!out.diagnostics.empty() && out.diagnostics.back().check_id != ids::kTooLarge && d.base.empty())
      salvage(d.text, out);
    return;
  }
  uint32_t root = 0;
  if (!d.is(root, T::Obj)) return;
  uint32_t v2spec = NIL;
  std::string v2uid;
  if (find_v2(d, root, v2spec, v2uid)) {
    Extractor(d, out).run_v2(v2spec, v2uid);
    return;
  }
  uint32_t dash = root;
  if (d.is(d.get(root, "dashboard"), T::Obj)) {
    dash = d.get(root, "dashboard");
  } else if (d.is(d.get(root, "spec"), T::Obj)) {
    uint32_t spec = d.get(root, "spec");
    uint32_t js = d.get(spec, "json");
    if (d.is(js, T::Str) && nesting < 4) {
      Doc inner;
      std::string inner_text;
      if (!d.str_mapped(js, inner_text, inner.base)) return;
      inner.text = inner_text;
      load_doc(inner, opt, out, nesting + 1);
      return;
    }
    if (d.is(d.get(spec, "dashboard"), T::Obj)) dash = d.get(spec, "dashboard");
    else dash = spec;
  }
  Extractor(d, out).run(dash, root);
}


}  // namespace

SourceFile load_dashboard(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  if (content.size() > options.max_bytes || content.size() >= UINT32_MAX) {
    Diagnostic g;
    g.check_id = ids::kTooLarge;
    g.message = "file is " + std::to_string(content.size()) + " bytes, larger than the limit of " +
                std::to_string(options.max_bytes);
    out.diagnostics.push_back(g);
    return out;
  }
  Doc d;
  d.text = content;
  load_doc(d, options, out, 0);
  return out;
}

VariableContext dashboard_variables(std::string_view content, const LoadOptions& options) {
  Doc d;
  d.text = content;
  std::vector<Diagnostic> diags;
  if (content.size() > options.max_bytes || !parse_doc(d, options, diags) || !d.is(0, T::Obj)) return {};
  uint32_t v2spec = NIL;
  std::string v2uid;
  if (find_v2(d, 0, v2spec, v2uid)) return Extractor::variables_v2(d, v2spec, v2uid);
  uint32_t dash = 0;
  if (d.is(d.get(0, "dashboard"), T::Obj)) dash = d.get(0, "dashboard");
  return Extractor::variables(d, dash);
}

}  // namespace promvet::sources
