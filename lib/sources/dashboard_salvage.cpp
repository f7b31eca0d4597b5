// Salvage of dashboards whose JSON does not parse: the `"expr"` strings found lexically.
#include <cctype>

#include "sources/dashboard_internal.h"
#include "sources/diagnostic_ids.h"

namespace promvet::sources::dashboard_internal {

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
    g.check_id = ids::kSalvaged;
    g.severity = base::Severity::kInfo;
    g.message = std::to_string(count) + " \"expr\" strings recovered from invalid json";
    out.diagnostics.push_back(std::move(g));
  }
}

}  // namespace promvet::sources::dashboard_internal
