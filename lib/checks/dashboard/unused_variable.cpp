#include "checks/dashboard/unused_variable.h"

#include <cctype>

#include "checks/dashboard/dashboard_file.h"

namespace promvet::checks {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

size_t skip_space(std::string_view t, size_t i) {
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  return i;
}

// `$name`, `${name}`, `${name:fmt}`, `${name.field}`, `[[name]]`, `[[name:fmt]]` anywhere in the
// file: queries, titles, legends, links, other variables' queries and regexes.
bool referenced(std::string_view t, const std::string& name) {
  for (size_t i = t.find(name); i != std::string_view::npos; i = t.find(name, i + 1)) {
    size_t after = i + name.size();
    char next = after < t.size() ? t[after] : '\0';
    if (i >= 1 && t[i - 1] == '$' && !is_word(next)) return true;
    if (i >= 2 && t[i - 2] == '$' && t[i - 1] == '{' && (next == '}' || next == ':' || next == '.')) return true;
    if (i >= 2 && t[i - 2] == '[' && t[i - 1] == '[' && (next == ']' || next == ':')) return true;
  }
  return false;
}

// `"<key>": "<name>"` or `"<key>": true` somewhere in the file.
bool has_member(std::string_view t, std::string_view key, std::string_view value) {
  std::string k = "\"" + std::string(key) + "\"";
  for (size_t i = t.find(k); i != std::string_view::npos; i = t.find(k, i + 1)) {
    size_t j = skip_space(t, i + k.size());
    if (j >= t.size() || t[j] != ':') continue;
    j = skip_space(t, j + 1);
    if (t.compare(j, value.size(), value) == 0) return true;
  }
  return false;
}

// Schema v2 repeats: `"repeat": {"mode": "variable", "value": "<name>"}` in the layout.
bool repeated_in_v2_layout(std::string_view t, const std::string& name) {
  const std::string key = "\"repeat\"";
  for (size_t i = t.find(key); i != std::string_view::npos; i = t.find(key, i + 1)) {
    size_t j = skip_space(t, i + key.size());
    if (j >= t.size() || t[j] != ':') continue;
    j = skip_space(t, j + 1);
    if (j >= t.size() || t[j] != '{') continue;
    size_t end = t.find('}', j);
    if (end == std::string_view::npos) continue;
    if (has_member(t.substr(j, end - j), "value", "\"" + name + "\"")) return true;
  }
  return false;
}

}  // namespace

CheckInfo UnusedVariableCheck::info() const {
  return {kId, Severity::kInfo, "a dashboard variable that no query, title or other variable references"};
}

void UnusedVariableCheck::run(const FileContext& ctx, Reporter& out) const {
  if (!dashboard::parsed_dashboard(ctx.file) || ctx.file.dashboard_variables.empty()) return;
  // Links with includeVars hand every variable to the linked dashboard: any may be used there.
  if (has_member(ctx.content, "includeVars", "true")) return;
  for (const sources::DashboardVariable& v : ctx.file.dashboard_variables) {
    // Ad hoc filters apply themselves to every query of their data source.
    if (v.type == "adhoc") continue;
    if (referenced(ctx.content, v.name)) continue;
    // A repeated panel or row names its variable without `$`.
    if (has_member(ctx.content, "repeat", "\"" + v.name + "\"") || repeated_in_v2_layout(ctx.content, v.name)) continue;
    out.report_file(v.offset, v.end_offset,
                    "variable " + quote(v.name) + " is defined but never used; remove it from the dashboard's variables");
  }
}

}  // namespace promvet::checks
