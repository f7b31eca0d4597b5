// Schema v2 Grafana dashboards ("dynamic dashboards", dashboard.grafana.app/v2alpha1|v2beta1|v2;
// sources/dashboard.h): `Panel` elements' queries, annotation queries and `variables[]`.
#include <string_view>
#include <utility>

#include "sources/dashboard_internal.h"

namespace promvet::sources::dashboard_internal {

// Schema v2 ("dynamic dashboards"): `spec` of a dashboard.grafana.app/v2alpha1|v2beta1|v2
// resource, or a bare v2 spec. Panels are `elements.<key>` of kind Panel with
// `data.spec.queries[].spec.query`; variables are `variables[]` of kind QueryVariable, ...;
// annotations `annotations[]` of kind AnnotationQuery.
void Extractor::run_v2(uint32_t spec, const std::string& uid) {
  dash_ = spec;
  vars_ = variables_v2(d_, spec, uid);
  record_variables_v2();
  for (uint32_t e : d_.items(d_.is(d_.get(spec, "elements"), T::Obj) ? d_.get(spec, "elements") : NIL)) panel_v2(e);
  note_links(d_.get(spec, "links"));
  note_v2_repeats(d_.get(spec, "layout"), 0);
  annotations_v2();
  templating_v2();
}

// The layout's repeats: grid and auto-grid items, rows and tabs hold
// `"repeat": {"mode": "variable", "value": "<name>"}`, at any depth of nested layouts.
void Extractor::note_v2_repeats(uint32_t n, int depth) {
  if (depth > 64) return;
  if (d_.is(n, T::Obj)) {
    uint32_t value = d_.get(d_.get(n, "repeat"), "value");
    if (d_.is(value, T::Str) && !d_.str(value).empty()) out_.dashboard.repeat_variables.push_back(d_.str(value));
  }
  for (uint32_t c : d_.items(n)) note_v2_repeats(c, depth + 1);
}

// v2 variable kinds → the classic `type`.
std::string Extractor::v2_variable_type(const std::string& kind) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"QueryVariable", "query"},       {"CustomVariable", "custom"},         {"ConstantVariable", "constant"},
      {"IntervalVariable", "interval"}, {"DatasourceVariable", "datasource"}, {"TextVariable", "textbox"},
      {"AdhocVariable", "adhoc"},       {"GroupByVariable", "groupby"},       {"SwitchVariable", "switch"}};
  for (const auto& [k, t] : kTypes)
    if (kind == k) return std::string(t);
  std::string t = kind;
  if (t.size() > 8 && t.compare(t.size() - 8, 8, "Variable") == 0) t.resize(t.size() - 8);
  return base::ascii_lower(t);
}

// A v2 QueryVariable's query string: `query.spec.expr|query|__legacyStringValue`, or `query`
// itself when it is a string.
uint32_t Extractor::v2_variable_query(const Doc& d, uint32_t vspec) {
  uint32_t q = d.get(vspec, "query");
  if (d.is(q, T::Str)) return q;
  uint32_t qs = d.get(q, "spec");
  for (std::string_view k : {"expr", "query", "__legacyStringValue"})
    if (d.is(d.get(qs, k), T::Str)) return d.get(qs, k);
  return NIL;
}

VariableContext Extractor::variables_v2(const Doc& d, uint32_t spec, const std::string& uid) {
  VariableContext ctx;
  ctx.dashboard_title = d.get_str(spec, "title");
  ctx.dashboard_uid = uid;
  for (uint32_t v : d.items(d.is(d.get(spec, "variables"), T::Arr) ? d.get(spec, "variables") : NIL)) {
    uint32_t vs = d.get(v, "spec");
    if (!d.is(vs, T::Obj)) continue;
    GrafanaVariable g = read_variable(d, vs, v2_variable_type(d.get_str(v, "kind")));
    if (g.name.empty()) continue;
    if (g.type == "query") g.query = d.str(v2_variable_query(d, vs));
    else if (g.type == "datasource") g.query = d.get_str(vs, "pluginId");
    fill_options(g);
    ctx.variables.push_back(std::move(g));
  }
  return ctx;
}

std::vector<uint32_t> Extractor::v2_variables() const {
  uint32_t vars = d_.get(dash_, "variables");
  return d_.items(d_.is(vars, T::Arr) ? vars : NIL);
}

void Extractor::record_variables_v2() {
  for (uint32_t v : v2_variables()) {
    uint32_t vs = d_.get(v, "spec");
    uint32_t name = d_.get(vs, "name");
    DashboardVariable dv;
    dv.name = d_.str(name);
    if (dv.name.empty() || !string_span(name, dv.offset, dv.end_offset)) continue;
    dv.type = v2_variable_type(d_.get_str(v, "kind"));
    uint32_t m = d_.get(vs, "multi"), ia = d_.get(vs, "includeAll");
    dv.multi_value = (d_.is(m, T::Bool) && d_.nodes[m].b) || (d_.is(ia, T::Bool) && d_.nodes[ia].b);
    out_.dashboard_variables.push_back(std::move(dv));
    std::string name_unused;
    v2_query(d_.get(vs, "query"), d_.get(vs, "datasource"), name_unused, true);
  }
}

// A v2 query: v2beta1 `{kind: "DataQuery", group: "<plugin>", datasource: {name: "<uid>"}}`,
// v2alpha1 `{kind: "<plugin>"}` with `datasource: {type, uid}` beside it (`outer`). Records the
// datasource references when `record`; `name` gets the datasource uid/name (else the plugin).
DS Extractor::v2_query(uint32_t q, uint32_t outer, std::string& name, bool record) {
  std::string kind = d_.get_str(q, "kind");
  std::string type = kind == "DataQuery" ? d_.get_str(q, "group") : kind;
  uint32_t inner = d_.get(q, "datasource");
  uint32_t inner_name = d_.get(inner, "name");
  if (record) {
    if (d_.is(inner_name, T::Str)) {
      DatasourceRef ref;
      ref.type = type;
      if (string_span(inner_name, ref.offset, ref.end_offset)) {
        ref.uid = d_.str(inner_name);
        out_.datasources.push_back(std::move(ref));
      }
    } else if (d_.is(inner, T::Obj)) {
      record_datasource(inner);
    }
    if (d_.is(outer, T::Obj) || d_.is(outer, T::Str)) record_datasource(outer);
  }
  std::string outer_name;
  DS outer_ds = classify(outer, outer_name);
  name = d_.str(inner_name);
  if (name.empty()) name = outer_name;
  if (name.empty()) name = type;
  if (!type.empty() && type[0] != '$') return classify_type(type);
  if (outer_ds != DS::Inherit) return outer_ds;
  if (d_.is(inner_name, T::Str)) return classify_string(d_.str(inner_name));
  return DS::Inherit;
}

void Extractor::panel_v2(uint32_t e) {
  if (!d_.is(e, T::Obj) || d_.get_str(e, "kind") != "Panel") return;  // LibraryPanel: no queries here
  uint32_t ps = d_.get(e, "spec");
  if (!d_.is(ps, T::Obj)) return;
  Meta meta;
  meta.panel_title = d_.get_str(ps, "title");
  meta.panel_type = d_.get_str(d_.get(ps, "vizConfig"), "kind");
  uint32_t id = d_.get(ps, "id");
  if (d_.is(id, T::Num)) meta.panel_id = static_cast<int64_t>(d_.nodes[id].num);
  meta.disabled = disable_markers(d_.get_str(ps, "description"));
  note_links(d_.get(ps, "links"));
  if (is_true(d_.get(d_.get(d_.get(d_.get(ps, "vizConfig"), "spec"), "options"), "includeVars")))
    out_.dashboard.passes_variables = true;
  uint32_t queries = d_.get(d_.get(d_.get(ps, "data"), "spec"), "queries");
  for (uint32_t pq : d_.items(d_.is(queries, T::Arr) ? queries : NIL)) {
    uint32_t qs = d_.get(pq, "spec");
    if (!d_.is(qs, T::Obj)) continue;
    Meta m = meta;
    m.ref_id = d_.get_str(qs, "refId");
    uint32_t q = d_.get(qs, "query");
    if (v2_query(q, d_.get(qs, "datasource"), m.datasource, true) == DS::Other) continue;
    emit(ExpressionKind::PanelTarget, d_.get(d_.get(q, "spec"), "expr"), m);
  }
}

void Extractor::annotations_v2() {
  uint32_t list = d_.get(dash_, "annotations");
  for (uint32_t a : d_.items(d_.is(list, T::Arr) ? list : NIL)) {
    uint32_t as = d_.get(a, "spec");
    if (!d_.is(as, T::Obj)) continue;
    Meta m;
    m.panel_title = d_.get_str(as, "name");
    uint32_t q = d_.get(as, "query");
    if (v2_query(q, d_.get(as, "datasource"), m.datasource, true) == DS::Other) continue;
    uint32_t e = d_.get(d_.get(q, "spec"), "expr");
    if (e == NIL) e = d_.get(d_.get(as, "legacyOptions"), "expr");
    emit(ExpressionKind::Annotation, e, m);
  }
}

void Extractor::templating_v2() {
  for (uint32_t v : v2_variables()) {
    if (d_.get_str(v, "kind") != "QueryVariable") continue;
    uint32_t vs = d_.get(v, "spec");
    Meta m;
    m.panel_title = "variable " + d_.get_str(vs, "name");
    uint32_t q = d_.get(vs, "query");
    if (v2_query(q, d_.get(vs, "datasource"), m.datasource, false) == DS::Other) continue;
    m.ref_id = d_.get_str(d_.get(q, "spec"), "refId");
    template_query(v2_variable_query(d_, vs), m);
  }
}

namespace {

// A schema v2 dashboard at `n`: the resource (apiVersion `dashboard.grafana.app/v2...`, kind
// Dashboard: the dashboard is `spec`, its uid `metadata.name`) or a bare v2 spec (an `elements`
// object beside `layout`, as Grafana's JSON model tab shows it).
bool v2_dashboard(const Doc& d, uint32_t n, uint32_t& spec, std::string& uid) {
  if (!d.is(n, T::Obj)) return false;
  if (d.get_str(n, "apiVersion").rfind("dashboard.grafana.app/v2", 0) == 0 && d.get_str(n, "kind") == "Dashboard" &&
      d.is(d.get(n, "spec"), T::Obj)) {
    spec = d.get(n, "spec");
    uid = d.get_str(d.get(n, "metadata"), "name");
    return true;
  }
  if (d.is(d.get(n, "elements"), T::Obj) && d.get(n, "layout") != NIL) {
    spec = n;
    uid = d.get_str(n, "uid");
    return true;
  }
  return false;
}

}  // namespace

// Where a v2 dashboard may be: the top level, `{"dashboard": ...}`, grafana-operator's
// GrafanaManifest (`spec.template` holding the resource), or a Kubernetes `spec`.
bool find_v2(const Doc& d, uint32_t root, uint32_t& spec, std::string& uid) {
  uint32_t s = d.get(root, "spec");
  return v2_dashboard(d, root, spec, uid) || v2_dashboard(d, d.get(root, "dashboard"), spec, uid) ||
         v2_dashboard(d, d.get(s, "template"), spec, uid) || v2_dashboard(d, s, spec, uid);
}

}  // namespace promvet::sources::dashboard_internal
