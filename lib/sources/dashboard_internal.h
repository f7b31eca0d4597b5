#pragma once
// The pieces of the dashboard loader (sources/dashboard.h), shared by its files:
//   json_tree.cpp            the offset-keeping JSON tree (json_tree_internal.h);
//   dashboard.cpp            the shapes a dashboard comes in (wrappers, spec.json strings), the
//                            loader's entry points, datasource classification, Expressions;
//   dashboard_classic.cpp    classic dashboards: panels, rows, library panels, annotations,
//                            templating variables;
//   dashboard_v2.cpp         schema v2 ("dynamic dashboards"): elements, variables, annotations;
//   dashboard_salvage.cpp    the `"expr"` strings of a file whose JSON does not parse.
#include <cstdint>
#include <string>
#include <vector>

#include "base/strings.h"
#include "sources/grafana_vars.h"
#include "sources/json_tree_internal.h"
#include "sources/source.h"

namespace promvet::sources::dashboard_internal {

using json_tree::Doc;
using json_tree::NIL;
using json_tree::T;

std::string trim(std::string s);

// What a datasource reference says about its queries: PromQL, something else (skipped), or
// nothing (the panel's or the default datasource decides).
enum class DS { Prometheus, Other, Inherit };
DS classify_type(const std::string& type_in);
DS classify_name(const std::string& name_in);

// `promvet:disable=<id>[,<id>]` markers in a panel description.
std::vector<std::string> disable_markers(const std::string& text);

// Where an expression comes from in the dashboard.
struct Meta {
  std::string panel_title, panel_type, ref_id, datasource;
  int64_t panel_id = -1;
  std::vector<std::string> disabled;
};

// The expressions, variables and datasource references of one parsed dashboard.
class Extractor {
 public:
  Extractor(const Doc& d, SourceFile& out) : d_(d), out_(out) {}

  // Classic dashboards (dashboard_classic.cpp): `dash` is the dashboard object, `root` the
  // document (library panels' `__elements` may sit at either).
  void run(uint32_t dash, uint32_t root);
  static GrafanaVariable read_variable(const Doc& d, uint32_t v, std::string type);
  static void fill_options(GrafanaVariable& g);
  static VariableContext variables(const Doc& d, uint32_t dash);

  // Schema v2 (dashboard_v2.cpp): `spec` is the v2 spec, `uid` the dashboard's uid.
  void run_v2(uint32_t spec, const std::string& uid);
  static std::string v2_variable_type(const std::string& kind);
  static uint32_t v2_variable_query(const Doc& d, uint32_t vspec);
  static VariableContext variables_v2(const Doc& d, uint32_t spec, const std::string& uid);

  // An Expression from a decoded string and its map, Grafana variables expanded (dashboard.cpp).
  static void emit_expression(SourceFile& out, const VariableContext& vars, ExpressionKind kind, std::string s,
                              std::vector<uint32_t> map, const Meta& m);

 private:
  // dashboard.cpp: shared by both schemas.
  bool string_span(uint32_t n, uint32_t& begin, uint32_t& end) const;
  void record_datasource(uint32_t ds);
  DS classify(uint32_t ds, std::string& name) const;
  DS classify_string(const std::string& s) const;
  void emit(ExpressionKind kind, uint32_t str_node, const Meta& m);
  void emit_text(ExpressionKind kind, std::string s, std::vector<uint32_t> map, const Meta& m);
  bool is_true(uint32_t n) const { return d_.is(n, T::Bool) && d_.nodes[n].b; }
  // DashboardFacts: `links[]` with includeVars; a classic panel's or row's `repeat`, links and
  // dashboard list option.
  void note_links(uint32_t links);
  void note_repeat(uint32_t panel_or_row);
  void note_panel_facts(uint32_t panel);

  // dashboard_classic.cpp.
  void record_variables();
  void panel(uint32_t p, int depth);
  void annotations();
  void templating();
  void template_query(uint32_t q, const Meta& m);

  // dashboard_v2.cpp.
  std::vector<uint32_t> v2_variables() const;
  void record_variables_v2();
  DS v2_query(uint32_t q, uint32_t outer, std::string& name, bool record);
  void panel_v2(uint32_t e);
  void annotations_v2();
  void templating_v2();
  void note_v2_repeats(uint32_t layout_node, int depth);

  const Doc& d_;
  SourceFile& out_;
  VariableContext vars_;
  uint32_t dash_ = NIL, elements_ = NIL;
};

// A schema v2 dashboard where one may be in the document rooted at `root` (dashboard_v2.cpp):
// its spec and uid.
bool find_v2(const Doc& d, uint32_t root, uint32_t& spec, std::string& uid);

// Lexical recovery from invalid JSON (dashboard_salvage.cpp).
void salvage(std::string_view text, SourceFile& out);

}  // namespace promvet::sources::dashboard_internal
