// Classic Grafana dashboards (sources/dashboard.h): panels (rows' nested panels, legacy
// `rows[].panels`, library panels from `__elements`), annotations and templating variables.
#include <cctype>

#include "sources/dashboard_internal.h"

namespace promvet::sources::dashboard_internal {

void Extractor::run(uint32_t dash, uint32_t root) {
  dash_ = dash;
  elements_ = d_.get(dash, "__elements");
  if (elements_ == NIL) elements_ = d_.get(root, "__elements");
  vars_ = variables(d_, dash);
  record_variables();
  uint32_t panels = d_.get(dash, "panels");
  for (uint32_t p : d_.items(panels)) panel(p, 0);
  for (uint32_t row : d_.items(d_.get(dash, "rows"))) {
    note_repeat(row);
    for (uint32_t p : d_.items(d_.get(row, "panels"))) panel(p, 1);
  }
  note_links(d_.get(dash, "links"));
  annotations();
  templating();
}

// The fields classic templating variables and v2 variable specs share.
GrafanaVariable Extractor::read_variable(const Doc& d, uint32_t v, std::string type) {
  GrafanaVariable g;
  g.name = d.get_str(v, "name");
  g.type = std::move(type);
  uint32_t m = d.get(v, "multi");
  g.multi = d.is(m, T::Bool) && d.nodes[m].b;
  uint32_t ia = d.get(v, "includeAll");
  g.include_all = d.is(ia, T::Bool) && d.nodes[ia].b;
  uint32_t av = d.get(v, "allValue");
  if (d.is(av, T::Str)) {
    g.has_all_value = true;
    g.all_value = d.str(av);
  }
  g.query = d.str(d.get(v, "query"));
  uint32_t auto_count = d.get(v, "auto_count");
  if (d.is(auto_count, T::Num) && d.nodes[auto_count].num >= 1 && d.nodes[auto_count].num <= 1e6)
    g.auto_count = static_cast<int>(d.nodes[auto_count].num);
  if (d.is(d.get(v, "auto_min"), T::Str)) g.auto_min = d.get_str(v, "auto_min");
  uint32_t cur = d.get(d.get(v, "current"), "value");
  if (d.is(cur, T::Str) && !d.str(cur).empty()) g.current.push_back(d.str(cur));
  for (uint32_t c : d.items(d.is(cur, T::Arr) ? cur : NIL))
    if (d.is(c, T::Str) && !d.str(c).empty()) g.current.push_back(d.str(c));
  for (uint32_t o : d.items(d.get(v, "options"))) {
    std::string val = d.get_str(o, "value");
    if (!val.empty() && val != "$__all") g.options.push_back(val);
  }
  return g;
}

// Custom and interval variables without options: the comma-separated query.
void Extractor::fill_options(GrafanaVariable& g) {
  if (!g.options.empty() || (g.type != "custom" && g.type != "interval")) return;
  std::string q2 = g.query;
  size_t s = 0;
  while (s <= q2.size()) {
    size_t e = q2.find(',', s);
    if (e == std::string::npos) e = q2.size();
    std::string item = trim(q2.substr(s, e - s));
    // custom "key : value" pairs
    size_t colon = item.find(" : ");
    if (colon != std::string::npos) item = trim(item.substr(colon + 3));
    if (!item.empty()) g.options.push_back(item);
    s = e + 1;
  }
}

VariableContext Extractor::variables(const Doc& d, uint32_t dash) {
  VariableContext ctx;
  ctx.dashboard_title = d.get_str(dash, "title");
  ctx.dashboard_uid = d.get_str(dash, "uid");
  for (uint32_t v : d.items(d.get(d.get(dash, "templating"), "list"))) {
    GrafanaVariable g = read_variable(d, v, d.get_str(v, "type"));
    if (g.name.empty()) continue;
    if (d.is(d.get(v, "query"), T::Obj)) g.query = d.get_str(d.get(v, "query"), "query");
    fill_options(g);
    ctx.variables.push_back(std::move(g));
  }
  return ctx;
}

void Extractor::record_variables() {
  for (uint32_t v : d_.items(d_.get(d_.get(dash_, "templating"), "list"))) {
    uint32_t name = d_.get(v, "name");
    DashboardVariable dv;
    dv.name = d_.str(name);
    if (dv.name.empty() || !string_span(name, dv.offset, dv.end_offset)) continue;
    dv.type = d_.get_str(v, "type");
    uint32_t m = d_.get(v, "multi"), ia = d_.get(v, "includeAll");
    dv.multi_value = (d_.is(m, T::Bool) && d_.nodes[m].b) || (d_.is(ia, T::Bool) && d_.nodes[ia].b);
    out_.dashboard_variables.push_back(std::move(dv));
    record_datasource(d_.get(v, "datasource"));
  }
}

void Extractor::panel(uint32_t p, int depth) {
  if (!d_.is(p, T::Obj) || depth > 64) return;
  Meta meta;
  meta.panel_title = d_.get_str(p, "title");
  meta.panel_type = d_.get_str(p, "type");
  uint32_t id = d_.get(p, "id");
  if (d_.is(id, T::Num)) meta.panel_id = static_cast<int64_t>(d_.nodes[id].num);
  meta.disabled = disable_markers(d_.get_str(p, "description"));
  note_panel_facts(p);
  uint32_t targets = d_.get(p, "targets");
  uint32_t ds = d_.get(p, "datasource");
  uint32_t lib = d_.get(p, "libraryPanel");
  if (targets == NIL && lib != NIL && elements_ != NIL) {
    std::string uid = d_.get_str(lib, "uid");
    uint32_t model = NIL;
    for (uint32_t e : d_.items(elements_)) {
      if (d_.key(e) == uid || d_.get_str(e, "uid") == uid) {
        model = d_.get(e, "model");
        break;
      }
    }
    if (model != NIL) {
      note_panel_facts(model);
      targets = d_.get(model, "targets");
      if (d_.get(model, "datasource") != NIL) ds = d_.get(model, "datasource");
      if (meta.panel_title.empty()) meta.panel_title = d_.get_str(model, "title");
      if (meta.panel_type.empty() || meta.panel_type == "library-panel") meta.panel_type = d_.get_str(model, "type");
      if (meta.disabled.empty()) meta.disabled = disable_markers(d_.get_str(model, "description"));
    }
  }
  std::string panel_ds_name;
  DS panel_ds = classify(ds, panel_ds_name);
  // A row queries nothing: its datasource is not a reference worth reporting.
  if (d_.get_str(p, "type") != "row") record_datasource(ds);
  for (uint32_t t : d_.items(targets)) {
    Meta m = meta;
    m.ref_id = d_.get_str(t, "refId");
    record_datasource(d_.get(t, "datasource"));
    std::string tname;
    DS tds = classify(d_.get(t, "datasource"), tname);
    DS eff = tds != DS::Inherit ? tds : panel_ds;
    m.datasource = tds != DS::Inherit ? tname : panel_ds_name;
    if (eff == DS::Other) continue;
    emit(ExpressionKind::PanelTarget, d_.get(t, "expr"), m);
  }
  for (uint32_t c : d_.items(d_.get(p, "panels"))) panel(c, depth + 1);
}

void Extractor::annotations() {
  for (uint32_t a : d_.items(d_.get(d_.get(dash_, "annotations"), "list"))) {
    Meta m;
    m.panel_title = d_.get_str(a, "name");
    record_datasource(d_.get(a, "datasource"));
    std::string name;
    if (classify(d_.get(a, "datasource"), name) == DS::Other) continue;
    m.datasource = name;
    uint32_t e = d_.get(a, "expr");
    if (e == NIL) e = d_.get(d_.get(a, "target"), "expr");
    emit(ExpressionKind::Annotation, e, m);
  }
}

void Extractor::templating() {
  for (uint32_t v : d_.items(d_.get(d_.get(dash_, "templating"), "list"))) {
    if (d_.get_str(v, "type") != "query") continue;
    Meta m;
    m.panel_title = "variable " + d_.get_str(v, "name");
    std::string name;
    if (classify(d_.get(v, "datasource"), name) == DS::Other) continue;
    m.datasource = name;
    uint32_t q = d_.get(v, "query");
    if (d_.is(q, T::Obj)) {
      m.ref_id = d_.get_str(q, "refId");
      q = d_.get(q, "query");
    }
    template_query(q, m);
  }
}

// A query variable's query string: `label_values(metric, label)` → the metric,
// `query_result(expr)` → expr, `label_names()`/`metrics()` → nothing, anything else as is.
void Extractor::template_query(uint32_t q, const Meta& m) {
  std::string s;
  std::vector<uint32_t> map;
  if (!d_.str_mapped(q, s, map)) return;
  // The part that is PromQL.
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string_view body(s.data() + b, e - b);
  auto fn = [&](std::string_view f) {
    return body.size() > f.size() + 1 && body.substr(0, f.size()) == f && body.back() == ')' &&
           body.substr(f.size()).find_first_not_of(" \t") != std::string_view::npos &&
           body[body.find_first_not_of(" \t", f.size())] == '(';
  };
  auto inner_range = [&](std::string_view f, size_t& ib, size_t& ie) {
    ib = b + body.find('(', f.size()) + 1;
    ie = e - 1;
  };
  size_t ib = b, ie = e;
  if (fn("label_values")) {
    inner_range("label_values", ib, ie);
    // label_values(metric, label): the metric (selector) before the last top-level comma
    int depth = 0;
    char quote = 0;
    size_t comma = std::string::npos;
    for (size_t i = ib; i < ie; ++i) {
      char c = s[i];
      if (quote) {
        if (c == '\\') ++i;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'' || c == '`') quote = c;
      else if (c == '(' || c == '{' || c == '[') ++depth;
      else if (c == ')' || c == '}' || c == ']') --depth;
      else if (c == ',' && depth == 0) comma = i;
    }
    if (comma == std::string::npos) return;  // label_values(label)
    ie = comma;
  } else if (fn("query_result")) {
    inner_range("query_result", ib, ie);
  } else if (fn("label_names") || fn("metrics")) {
    return;
  }
  while (ib < ie && std::isspace(static_cast<unsigned char>(s[ib]))) ++ib;
  while (ie > ib && std::isspace(static_cast<unsigned char>(s[ie - 1]))) --ie;
  if (ib >= ie) return;
  std::vector<uint32_t> sub(map.begin() + ib, map.begin() + ie + 1);
  emit_text(ExpressionKind::TemplateQuery, s.substr(ib, ie - ib), std::move(sub), m);
}

}  // namespace promvet::sources::dashboard_internal
