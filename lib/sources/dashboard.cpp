#include "sources/dashboard.h"

#include "promql/literals.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>

namespace promvet::sources {

namespace {

constexpr uint32_t NIL = UINT32_MAX;

enum class T : uint8_t { Null, Bool, Num, Str, Arr, Obj };

struct Node {
  T t = T::Null;
  bool b = false;
  double num = 0;
  uint32_t begin = 0;  // offset in the parsed text: a string's opening quote, a container's bracket
  uint32_t first = NIL, last = NIL, next = NIL;
  uint32_t key_off = 0, key_len = 0;  // member name (decoded) in Doc::keys, for object members
};

// The byte-counting side of the input adapter: follows string boundaries so the SAX handler knows
// where the string it is handed started.
struct ScanState {
  const char* begin = nullptr;
  bool in_str = false, esc = false;
  uint32_t last_quote = 0, last_open = 0, tok_start = 0, size = 0;
  bool prev_literal = false;
  void feed(char c, uint32_t pos) {
    if (!in_str) {
      bool literal = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
      if (!std::isspace(static_cast<unsigned char>(c)) && !(literal && prev_literal)) tok_start = pos;
      prev_literal = literal;
      if (c == '"') {
        in_str = true;
        last_quote = pos;
      } else if (c == '{' || c == '[') {
        last_open = pos;
      }
    } else if (esc) {
      esc = false;
    } else if (c == '\\') {
      esc = true;
    } else if (c == '"') {
      in_str = false;
    }
  }
};

struct CountingIt {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  ScanState* st = nullptr;
  reference operator*() const { return *p; }
  CountingIt& operator++() {
    st->feed(*p, static_cast<uint32_t>(p - st->begin));
    ++p;
    return *this;
  }
  CountingIt operator++(int) {
    CountingIt t = *this;
    ++*this;
    return t;
  }
  bool operator==(const CountingIt& o) const { return p == o.p; }
  bool operator!=(const CountingIt& o) const { return p != o.p; }
};

struct Doc {
  std::string_view text;
  std::vector<uint32_t> base;  // text offset → file offset; empty: identity
  std::vector<Node> nodes;
  std::string keys;

  uint32_t file_off(size_t i) const {
    if (base.empty()) return static_cast<uint32_t>(i);
    return i < base.size() ? base[i] : base.back();
  }
  bool is(uint32_t n, T t) const { return n != NIL && nodes[n].t == t; }
  std::string_view key(uint32_t n) const { return std::string_view(keys).substr(nodes[n].key_off, nodes[n].key_len); }
  uint32_t get(uint32_t obj, std::string_view k) const {
    if (!is(obj, T::Obj)) return NIL;
    for (uint32_t c = nodes[obj].first; c != NIL; c = nodes[c].next)
      if (key(c) == k) return c;
    return NIL;
  }
  std::vector<uint32_t> items(uint32_t arr) const {
    std::vector<uint32_t> out;
    if (arr == NIL || (nodes[arr].t != T::Arr && nodes[arr].t != T::Obj)) return out;
    for (uint32_t c = nodes[arr].first; c != NIL; c = nodes[c].next) out.push_back(c);
    return out;
  }
  std::string str(uint32_t n) const {
    if (!is(n, T::Str)) return "";
    std::string v;
    std::vector<uint32_t> m;
    decode_json_string(text, nodes[n].begin, v, m);
    return v;
  }
  // Decoded string and its map into the file.
  bool str_mapped(uint32_t n, std::string& v, std::vector<uint32_t>& m) const {
    if (!is(n, T::Str)) return false;
    if (!decode_json_string(text, nodes[n].begin, v, m)) return false;
    for (auto& x : m) x = file_off(x);
    return true;
  }
  std::string get_str(uint32_t obj, std::string_view k) const { return str(get(obj, k)); }
};

class Builder {
 public:
  using json = nlohmann::json;
  Builder(Doc& d, uint32_t max_depth, ScanState& st) : d_(d), max_depth_(max_depth), st_(st) {}

  bool null() { return add(T::Null) , true; }
  bool boolean(bool v) {
    uint32_t n = add(T::Bool);
    if (n != NIL) d_.nodes[n].b = v;
    return true;
  }
  bool number_integer(json::number_integer_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return number(static_cast<double>(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return number(v); }
  bool string(std::string&) {
    uint32_t n = add(T::Str);
    if (n != NIL) d_.nodes[n].begin = st_.last_quote;
    return true;
  }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return open(T::Obj); }
  bool start_array(std::size_t) { return open(T::Arr); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    key_off_ = static_cast<uint32_t>(d_.keys.size());
    key_len_ = static_cast<uint32_t>(k.size());
    d_.keys += k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& ex) {
    error = true;
    // nlohmann reports the position after the offending character; for an unexpected token,
    // point at the token's start instead.
    (void)token;
    error_message = ex.what();
    if (error_message.find("unexpected end of input") != std::string::npos) error_position = st_.size;
    else if (error_message.find("syntax error") != std::string::npos && error_message.find("invalid") == std::string::npos)
      error_position = st_.tok_start;
    else error_position = position > 0 ? position - 1 : 0;
    return false;
  }

  bool error = false, too_deep = false;
  size_t error_position = 0;
  std::string error_message;

 private:
  bool number(double v) {
    uint32_t n = add(T::Num);
    if (n != NIL) d_.nodes[n].num = v;
    return true;
  }
  uint32_t add(T t) {
    if (!stack_.empty() && d_.nodes[stack_.back()].t == T::Arr && t != T::Str && t != T::Obj && t != T::Arr)
      return NIL;  // scalars in arrays are never needed: do not spend memory on them
    uint32_t idx = static_cast<uint32_t>(d_.nodes.size());
    d_.nodes.emplace_back();
    Node& n = d_.nodes.back();
    n.t = t;
    if (!stack_.empty()) {
      Node& p = d_.nodes[stack_.back()];
      if (p.t == T::Obj) {
        n.key_off = key_off_;
        n.key_len = key_len_;
      }
      if (p.last == NIL) p.first = idx;
      else d_.nodes[p.last].next = idx;
      p.last = idx;
    }
    return idx;
  }
  bool open(T t) {
    if (stack_.size() >= max_depth_) {
      too_deep = true;
      error_position = st_.last_open;
      return false;
    }
    uint32_t n = add(t);
    d_.nodes[n].begin = st_.last_open;
    stack_.push_back(n);
    return true;
  }
  bool close() {
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }

  Doc& d_;
  uint32_t max_depth_;
  ScanState& st_;
  std::vector<uint32_t> stack_;
  uint32_t key_off_ = 0, key_len_ = 0;
};

std::string strip_nlohmann(std::string msg) {
  if (!msg.empty() && msg[0] == '[') {
    size_t e = msg.find("] ");
    if (e != std::string::npos) msg = msg.substr(e + 2);
  }
  // "parse error at line 3, column 5: syntax error ..." → the offset carries the position
  if (msg.rfind("parse error at line", 0) == 0) {
    size_t c = msg.find(": ");
    if (c != std::string::npos) msg = "parse error: " + msg.substr(c + 2);
  }
  return msg;
}

// Parses d.text into d.nodes; false (with a diagnostic) on invalid or too deep input.
bool parse_doc(Doc& d, const LoadOptions& opt, std::vector<Diagnostic>& diags) {
  ScanState st;
  st.begin = d.text.data();
  st.size = static_cast<uint32_t>(d.text.size());
  Builder b(d, opt.max_depth, st);
  CountingIt first{d.text.data(), &st}, last{d.text.data() + d.text.size(), &st};
  nlohmann::json::sax_parse(first, last, &b);
  // nlohmann's lexer takes a NUL outside a string for the end of the input: it would accept
  // `{}\0garbage` and report `\0{}` as ending early, both somewhere other than at the NUL.
  size_t nul = d.text.find('\0');
  if (nul != std::string_view::npos && !b.too_deep &&
      (!b.error || b.error_message.find("unexpected end of input") != std::string::npos)) {
    b.error = true;
    b.error_position = nul;
    b.error_message = "parse error: unexpected character U+0000 (NUL) outside a string";
  }
  if (b.too_deep) {
    Diagnostic g;
    g.check_id = "source/too-deep";
    g.message = "json nesting deeper than " + std::to_string(opt.max_depth) + " levels";
    g.offset = g.end_offset = d.file_off(b.error_position);
    diags.push_back(g);
    return false;
  }
  if (b.error) {
    Diagnostic g;
    g.check_id = "source/invalid-json";
    g.message = strip_nlohmann(b.error_message);
    size_t pos = std::min(b.error_position, d.text.size());
    g.offset = d.file_off(pos);
    g.end_offset = d.file_off(std::min(pos + 1, d.text.size()));
    diags.push_back(g);
    return false;
  }
  return !d.nodes.empty();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

enum class DS { Prometheus, Other, Inherit };

bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

DS classify_type(const std::string& type_in) {
  std::string t = lower(type_in);
  if (t.empty()) return DS::Inherit;
  for (std::string_view p : {"prometheus", "victoria", "thanos", "mimir", "cortex"})
    if (contains(t, p)) return DS::Prometheus;
  return DS::Other;
}

DS classify_name(const std::string& name_in) {
  std::string n = lower(trim(name_in));
  if (n.empty() || n == "-- mixed --") return DS::Inherit;
  for (std::string_view p : {"prometheus", "victoria", "thanos", "mimir", "cortex"})
    if (contains(n, p)) return DS::Prometheus;
  for (std::string_view p : {"loki", "elastic", "opensearch", "influx", "graphite", "tempo", "jaeger", "zipkin",
                             "mysql", "postgres", "mssql", "cloudwatch", "grafana", "-- dashboard --", "testdata",
                             "clickhouse", "pyroscope", "parca", "stackdriver", "azure", "splunk", "datadog"})
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

struct Meta {
  std::string panel_title, panel_type, ref_id, datasource;
  int64_t panel_id = -1;
  std::vector<std::string> disabled;
};

class Extractor {
 public:
  Extractor(const Doc& d, SourceFile& out) : d_(d), out_(out) {}

  void run(uint32_t dash, uint32_t root) {
    dash_ = dash;
    elements_ = d_.get(dash, "__elements");
    if (elements_ == NIL) elements_ = d_.get(root, "__elements");
    vars_ = variables(d_, dash);
    record_variables();
    uint32_t panels = d_.get(dash, "panels");
    for (uint32_t p : d_.items(panels)) panel(p, 0);
    for (uint32_t row : d_.items(d_.get(dash, "rows")))
      for (uint32_t p : d_.items(d_.get(row, "panels"))) panel(p, 1);
    annotations();
    templating();
  }

  // The fields classic templating variables and v2 variable specs share.
  static GrafanaVariable read_variable(const Doc& d, uint32_t v, std::string type) {
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
  static void fill_options(GrafanaVariable& g) {
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

  static VariableContext variables(const Doc& d, uint32_t dash) {
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

  // Schema v2 ("dynamic dashboards"): `spec` of a dashboard.grafana.app/v2alpha1|v2beta1|v2
  // resource, or a bare v2 spec. Panels are `elements.<key>` of kind Panel with
  // `data.spec.queries[].spec.query`; variables are `variables[]` of kind QueryVariable, ...;
  // annotations `annotations[]` of kind AnnotationQuery.
  void run_v2(uint32_t spec, const std::string& uid) {
    dash_ = spec;
    vars_ = variables_v2(d_, spec, uid);
    record_variables_v2();
    for (uint32_t e : d_.items(d_.is(d_.get(spec, "elements"), T::Obj) ? d_.get(spec, "elements") : NIL))
      panel_v2(e);
    annotations_v2();
    templating_v2();
  }

  // v2 variable kinds → the classic `type`.
  static std::string v2_variable_type(const std::string& kind) {
    static const std::pair<std::string_view, std::string_view> kTypes[] = {
        {"QueryVariable", "query"},         {"CustomVariable", "custom"},   {"ConstantVariable", "constant"},
        {"IntervalVariable", "interval"},   {"DatasourceVariable", "datasource"}, {"TextVariable", "textbox"},
        {"AdhocVariable", "adhoc"},         {"GroupByVariable", "groupby"}, {"SwitchVariable", "switch"}};
    for (const auto& [k, t] : kTypes)
      if (kind == k) return std::string(t);
    std::string t = kind;
    if (t.size() > 8 && t.compare(t.size() - 8, 8, "Variable") == 0) t.resize(t.size() - 8);
    return lower(t);
  }

  // A v2 QueryVariable's query string: `query.spec.expr|query|__legacyStringValue`, or `query`
  // itself when it is a string.
  static uint32_t v2_variable_query(const Doc& d, uint32_t vspec) {
    uint32_t q = d.get(vspec, "query");
    if (d.is(q, T::Str)) return q;
    uint32_t qs = d.get(q, "spec");
    for (std::string_view k : {"expr", "query", "__legacyStringValue"})
      if (d.is(d.get(qs, k), T::Str)) return d.get(qs, k);
    return NIL;
  }

  static VariableContext variables_v2(const Doc& d, uint32_t spec, const std::string& uid) {
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

 private:
  // File offsets of a string's first character and of its closing quote.
  bool string_span(uint32_t n, uint32_t& begin, uint32_t& end) const {
    std::string v;
    std::vector<uint32_t> m;
    if (!d_.str_mapped(n, v, m) || m.empty()) return false;
    begin = m.front();
    end = m.back();
    return true;
  }

  void record_variables() {
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

  // A `"datasource"` value: a legacy name string or `{"type": ..., "uid": ...}`.
  void record_datasource(uint32_t ds) {
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

  DS classify(uint32_t ds, std::string& name) const {
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
  DS classify_string(const std::string& s) const {
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

  void panel(uint32_t p, int depth) {
    if (!d_.is(p, T::Obj) || depth > 64) return;
    Meta meta;
    meta.panel_title = d_.get_str(p, "title");
    meta.panel_type = d_.get_str(p, "type");
    uint32_t id = d_.get(p, "id");
    if (d_.is(id, T::Num)) meta.panel_id = static_cast<int64_t>(d_.nodes[id].num);
    meta.disabled = disable_markers(d_.get_str(p, "description"));
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

  void annotations() {
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

  void templating() {
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
  void template_query(uint32_t q, const Meta& m) {
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

  // ---- schema v2 ----

  std::vector<uint32_t> v2_variables() const {
    uint32_t vars = d_.get(dash_, "variables");
    return d_.items(d_.is(vars, T::Arr) ? vars : NIL);
  }

  void record_variables_v2() {
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
  DS v2_query(uint32_t q, uint32_t outer, std::string& name, bool record) {
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

  void panel_v2(uint32_t e) {
    if (!d_.is(e, T::Obj) || d_.get_str(e, "kind") != "Panel") return;  // LibraryPanel: no queries here
    uint32_t ps = d_.get(e, "spec");
    if (!d_.is(ps, T::Obj)) return;
    Meta meta;
    meta.panel_title = d_.get_str(ps, "title");
    meta.panel_type = d_.get_str(d_.get(ps, "vizConfig"), "kind");
    uint32_t id = d_.get(ps, "id");
    if (d_.is(id, T::Num)) meta.panel_id = static_cast<int64_t>(d_.nodes[id].num);
    meta.disabled = disable_markers(d_.get_str(ps, "description"));
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

  void annotations_v2() {
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

  void templating_v2() {
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

  void emit(ExpressionKind kind, uint32_t str_node, const Meta& m) {
    std::string s;
    std::vector<uint32_t> map;
    if (!d_.str_mapped(str_node, s, map)) return;
    emit_text(kind, std::move(s), std::move(map), m);
  }

  void emit_text(ExpressionKind kind, std::string s, std::vector<uint32_t> map, const Meta& m) {
    emit_expression(out_, vars_, kind, std::move(s), std::move(map), m);
  }

 public:
  static void emit_expression(SourceFile& out, const VariableContext& vars, ExpressionKind kind, std::string s,
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

 private:
  const Doc& d_;
  SourceFile& out_;
  VariableContext vars_;
  uint32_t dash_ = NIL, elements_ = NIL;
};

// Lexical recovery from invalid JSON: every `"expr": "..."` string, titled by the next `"title"`.
void salvage(std::string_view text, SourceFile& out) {
  auto string_after_key = [&](size_t key_end, size_t& quote) -> bool {
    size_t i = key_end;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != ':') return false;
    ++i;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != '"') return false;
    quote = i;
    return true;
  };
  auto find_key = [&](std::string_view k, size_t from, size_t limit, std::string& value) -> bool {
    size_t pos = from;
    while ((pos = text.find(k, pos)) != std::string_view::npos && pos < limit) {
      size_t q;
      std::vector<uint32_t> m;
      if ((pos == 0 || text[pos - 1] != '\\') && string_after_key(pos + k.size(), q) &&
          decode_json_string(text, q, value, m))
        return true;
      pos += k.size();
    }
    return false;
  };
  VariableContext vars;
  size_t count = 0;
  size_t pos = 0;
  const std::string_view key = "\"expr\"";
  while ((pos = text.find(key, pos)) != std::string_view::npos) {
    size_t q;
    std::string s;
    std::vector<uint32_t> map;
    if ((pos > 0 && text[pos - 1] == '\\') || !string_after_key(pos + key.size(), q) ||
        !decode_json_string(text, q, s, map)) {
      pos += key.size();
      continue;
    }
    size_t end = map.back() + 1;
    size_t next_expr = text.find(key, end);
    if (next_expr == std::string_view::npos) next_expr = text.size();
    Meta m;
    find_key("\"title\"", end, text.size(), m.panel_title);
    find_key("\"refId\"", end, next_expr, m.ref_id);
    size_t before = out.expressions.size();
    Extractor::emit_expression(out, vars, ExpressionKind::PanelTarget, std::move(s), std::move(map), m);
    count += out.expressions.size() - before;
    pos = end;
  }
  if (count) {
    Diagnostic g;
    g.check_id = "source/salvaged";
    g.severity = DiagnosticSeverity::Info;
    g.message = std::to_string(count) + " \"expr\" strings recovered from invalid json";
    out.diagnostics.push_back(std::move(g));
  }
}

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

// Where a v2 dashboard may be: the top level, `{"dashboard": ...}`, grafana-operator's
// GrafanaManifest (`spec.template` holding the resource), or a Kubernetes `spec`.
bool find_v2(const Doc& d, uint32_t root, uint32_t& spec, std::string& uid) {
  uint32_t s = d.get(root, "spec");
  return v2_dashboard(d, root, spec, uid) || v2_dashboard(d, d.get(root, "dashboard"), spec, uid) ||
         v2_dashboard(d, d.get(s, "template"), spec, uid) || v2_dashboard(d, s, spec, uid);
}

void load_doc(Doc& d, const LoadOptions& opt, SourceFile& out, int nesting) {
  if (!parse_doc(d, opt, out.diagnostics)) {
    if (!out.diagnostics.empty() && out.diagnostics.back().check_id != "source/too-large" && d.base.empty())
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


bool hex4(std::string_view t, size_t i, uint32_t& v) {
  if (i + 4 > t.size()) return false;
  v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = t[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return false;
  }
  return true;
}

}  // namespace

bool decode_json_string(std::string_view t, size_t quote, std::string& value, std::vector<uint32_t>& map) {
  value.clear();
  map.clear();
  if (quote >= t.size() || t[quote] != '"') return false;
  size_t i = quote + 1;
  while (i < t.size()) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == '"') {
      map.push_back(static_cast<uint32_t>(i));
      return true;
    }
    if (c < 0x20) return false;
    if (c != '\\') {
      value += static_cast<char>(c);
      map.push_back(static_cast<uint32_t>(i));
      ++i;
      continue;
    }
    if (i + 1 >= t.size()) return false;
    size_t start = i;
    char e = t[i + 1];
    size_t before = value.size();
    switch (e) {
      case '"': value += '"'; i += 2; break;
      case '\\': value += '\\'; i += 2; break;
      case '/': value += '/'; i += 2; break;
      case 'b': value += '\b'; i += 2; break;
      case 'f': value += '\f'; i += 2; break;
      case 'n': value += '\n'; i += 2; break;
      case 'r': value += '\r'; i += 2; break;
      case 't': value += '\t'; i += 2; break;
      case 'u': {
        uint32_t cp;
        if (!hex4(t, i + 2, cp)) return false;
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (i + 1 < t.size() && t[i] == '\\' && t[i + 1] == 'u' && hex4(t, i + 2, lo) && lo >= 0xDC00 &&
              lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        promql::literals::append_utf8(value, cp);
        break;
      }
      default: return false;
    }
    map.insert(map.end(), value.size() - before, static_cast<uint32_t>(start));
  }
  return false;
}

SourceFile load_dashboard(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  if (content.size() > options.max_bytes || content.size() >= UINT32_MAX) {
    Diagnostic g;
    g.check_id = "source/too-large";
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
