#include "sources/grafana_vars.h"

#include <algorithm>
#include <cctype>

namespace promvet::sources {

const GrafanaVariable* VariableContext::find(std::string_view name) const {
  for (const auto& v : variables)
    if (v.name == name) return &v;
  return nullptr;
}

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string join(const std::vector<std::string>& v, std::string_view sep, std::string_view pre = "",
                 std::string_view post = "") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += pre;
    out += v[i];
    out += post;
  }
  return out;
}

std::string regex_escape_plain(std::string_view s) {  // Grafana's kbn.regexEscape
  std::string out;
  for (char c : s) {
    if (std::string_view("[]{}()*+?.,\\^$|/-").find(c) != std::string_view::npos && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

std::string lucene_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("+-=&|><!(){}[]^\"~*?:\\/ ").find(c) != std::string_view::npos && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Where in the PromQL text a reference sits, to pick a placeholder for an unknown variable.
enum class Context { Plain, InString, InRange, InGrouping, Identifier };

Context context_at(std::string_view text, size_t pos, size_t end) {
  char quote = 0;
  bool esc = false;
  std::vector<char> brackets;      // '(' '[' '{'
  std::vector<bool> grouping;      // for each '(' : preceded by by/without/on/ignoring/group_*
  for (size_t i = 0; i < pos; ++i) {
    char c = text[i];
    if (quote) {
      if (esc) esc = false;
      else if (c == '\\' && quote != '`') esc = true;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') { quote = c; continue; }
    if (c == '(' || c == '[' || c == '{') {
      bool g = false;
      if (c == '(') {
        size_t j = i;
        while (j > 0 && std::isspace(static_cast<unsigned char>(text[j - 1]))) --j;
        size_t k = j;
        while (k > 0 && is_word(text[k - 1])) --k;
        std::string w(text.substr(k, j - k));
        std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) { return std::tolower(ch); });
        g = w == "by" || w == "without" || w == "on" || w == "ignoring" || w == "group_left" ||
            w == "group_right";
      }
      brackets.push_back(c);
      grouping.push_back(g);
    } else if ((c == ')' || c == ']' || c == '}') && !brackets.empty()) {
      brackets.pop_back();
      grouping.pop_back();
    }
  }
  if (quote) return Context::InString;
  if (!brackets.empty() && brackets.back() == '[') return Context::InRange;
  if (!brackets.empty() && brackets.back() == '(' && grouping.back()) return Context::InGrouping;
  if (!brackets.empty() && brackets.back() == '{') return Context::Identifier;
  if ((pos > 0 && (is_word(text[pos - 1]) || text[pos - 1] == ':')) ||
      (end < text.size() && (is_word(text[end]) || text[end] == '{' || text[end] == ':')))
    return Context::Identifier;
  return Context::Plain;
}

struct Ref {
  size_t begin = 0, end = 0;
  std::string name, field, format;
};

// Finds the next variable reference at or after `from`.
bool next_ref(std::string_view t, size_t from, Ref& ref) {
  for (size_t i = from; i < t.size(); ++i) {
    if (t[i] == '$') {
      if (i + 1 < t.size() && t[i + 1] == '{') {
        size_t close = t.find('}', i + 2);
        if (close == std::string_view::npos) continue;
        std::string_view inner = t.substr(i + 2, close - i - 2);
        size_t n = 0;
        while (n < inner.size() && is_word(inner[n])) ++n;
        if (n == 0) continue;
        ref = Ref{i, close + 1, std::string(inner.substr(0, n)), "", ""};
        std::string_view rest = inner.substr(n);
        if (!rest.empty() && rest[0] == '.') {
          size_t colon = rest.find(':');
          ref.field = std::string(rest.substr(1, colon == std::string_view::npos ? rest.npos : colon - 1));
          rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
        }
        if (!rest.empty() && rest[0] == ':') ref.format = std::string(rest.substr(1));
        else if (!rest.empty()) continue;
        return true;
      }
      size_t n = i + 1;
      while (n < t.size() && is_word(t[n])) ++n;
      if (n == i + 1) continue;
      ref = Ref{i, n, std::string(t.substr(i + 1, n - i - 1)), "", ""};
      return true;
    }
    if (t[i] == '[' && i + 1 < t.size() && t[i + 1] == '[') {
      size_t close = t.find("]]", i + 2);
      if (close == std::string_view::npos) continue;
      std::string_view inner = t.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && is_word(inner[n])) ++n;
      if (n == 0) continue;
      std::string_view rest = inner.substr(n);
      if (!rest.empty() && rest[0] != ':') continue;
      ref = Ref{i, close + 2, std::string(inner.substr(0, n)), "",
                rest.empty() ? "" : std::string(rest.substr(1))};
      return true;
    }
  }
  return false;
}

bool is_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Value of a global; false if `name` is not a global.
bool global_value(const VariableContext& ctx, const Ref& ref, std::string& out) {
  const std::string& n = ref.name;
  auto seconds = [](const std::string& d) -> int64_t {  // "15s", "1m", "1h" → seconds
    if (d.empty()) return 0;
    int64_t v = std::atoll(d.c_str());
    switch (d.back()) {
      case 'm': return v * 60;
      case 'h': return v * 3600;
      case 'd': return v * 86400;
      default: return v;
    }
  };
  if (n == "__interval") out = ctx.interval;
  else if (n == "__interval_ms") out = std::to_string(seconds(ctx.interval) * 1000);
  else if (n == "__rate_interval") out = ctx.rate_interval;
  else if (n == "__rate_interval_ms") out = std::to_string(seconds(ctx.rate_interval) * 1000);
  else if (n == "__range") out = ctx.range;
  else if (n == "__range_s") out = std::to_string(seconds(ctx.range));
  else if (n == "__range_ms") out = std::to_string(seconds(ctx.range) * 1000);
  else if (n == "__from" || n == "__to") {
    int64_t ms = n == "__from" ? ctx.from_ms : ctx.to_ms;
    out = ref.format.find("seconds") != std::string::npos ? std::to_string(ms / 1000) : std::to_string(ms);
  } else if (n == "__auto" || n.rfind("__auto_interval", 0) == 0) out = ctx.interval;
  else if (n == "__dashboard") out = ref.field == "uid" ? ctx.dashboard_uid : ctx.dashboard_title;
  else if (n == "__org") out = ref.field == "name" ? "Main Org." : "1";
  else if (n == "__user") out = ref.field == "login" ? "admin" : ref.field == "email" ? "admin@localhost" : "1";
  else if (n == "__name") out = "x";
  else return false;
  return true;
}

std::string placeholder_for(Context c) {
  switch (c) {
    case Context::InString: return "x";
    case Context::InRange: return "1m";
    case Context::InGrouping: return "x";
    case Context::Identifier: return "x";
    case Context::Plain: return "1";
  }
  return "1";
}

// Expansion of a known dashboard variable.
std::string variable_value(const GrafanaVariable& v, const Ref& ref) {
  std::vector<std::string> values = v.current;
  if (values.empty()) {
    if (v.type == "constant" || v.type == "textbox") values.push_back(v.query);
    else if (!v.options.empty()) values.push_back(v.options.front());
    else if (v.type == "custom" || v.type == "interval") {
      std::string q = v.query;
      size_t comma = q.find(',');
      std::string first = q.substr(0, comma);
      while (!first.empty() && first.front() == ' ') first.erase(first.begin());
      while (!first.empty() && first.back() == ' ') first.pop_back();
      if (!first.empty()) values.push_back(first);
    }
  }
  bool all = std::find(values.begin(), values.end(), "$__all") != values.end();
  if (all) {
    if (v.has_all_value && !v.all_value.empty()) {
      return ref.format.empty() || ref.format == "raw" ? v.all_value
                                                       : format_variable_values({v.all_value}, ref.format, v.name);
    }
    values = v.options;
    if (values.empty()) return ref.format.empty() || ref.format == "regex" ? ".*" : "x";
  }
  if (values.empty()) values.push_back(v.type == "interval" ? "1m" : "x");
  if (v.type == "interval" && values.front() == "auto") values.front() = "1m";
  if (!ref.format.empty()) return format_variable_values(values, ref.format, v.name);
  if (!v.multi && !v.include_all) return values.front();
  if (values.size() == 1) return prometheus_regex_escape(values.front());
  std::vector<std::string> esc;
  for (auto& s : values) esc.push_back(prometheus_regex_escape(s));
  return "(" + join(esc, "|") + ")";
}

}  // namespace

size_t reference_length(std::string_view text, size_t at) {
  Ref ref;
  if (at >= text.size() || !next_ref(text, at, ref) || ref.begin != at) return 0;
  return ref.end - ref.begin;
}

bool is_grafana_global(std::string_view name) { return name.size() > 2 && name.substr(0, 2) == "__"; }

std::string prometheus_regex_escape(std::string_view value) {
  // The value lands inside a double-quoted PromQL string: a regex `\.` is written `\\.` there.
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\\\\\";
    else if (c == '"') out += "\\\"";
    else if (std::string_view("$^*+?.()|[]{}").find(c) != std::string_view::npos) { out += "\\\\"; out += c; }
    else out += c;
  }
  return out;
}

std::string format_variable_values(const std::vector<std::string>& values, std::string_view format,
                                   std::string_view name) {
  std::string_view fmt = format.substr(0, format.find(':'));
  if (values.empty()) return "";
  bool single = values.size() == 1;
  if (fmt == "csv" || fmt == "raw") return join(values, ",");
  if (fmt == "pipe") return join(values, "|");
  if (fmt == "text") return join(values, " + ");
  if (fmt == "date") return values.front();
  if (fmt == "regex") {
    std::vector<std::string> esc;
    for (auto& s : values) esc.push_back(regex_escape_plain(s));
    return single ? esc.front() : "(" + join(esc, "|") + ")";
  }
  if (fmt == "json") {
    std::vector<std::string> q;
    for (auto& s : values) q.push_back(json_quote(s));
    return single ? q.front() : "[" + join(q, ",") + "]";
  }
  if (fmt == "doublequote") {
    std::vector<std::string> q;
    for (auto& s : values) {
      std::string e;
      for (char c : s) { if (c == '"') e += '\\'; e += c; }
      q.push_back("\"" + e + "\"");
    }
    return join(q, ",");
  }
  if (fmt == "singlequote" || fmt == "sqlstring") {
    std::vector<std::string> q;
    for (auto& s : values) {
      std::string e;
      for (char c : s) {
        if (c == '\'') e += fmt == "sqlstring" ? "'" : "\\";
        e += c;
      }
      q.push_back("'" + e + "'");
    }
    return join(q, ",");
  }
  if (fmt == "queryparam") {
    std::vector<std::string> q;
    for (auto& s : values) q.push_back("var-" + std::string(name) + "=" + percent_encode(s));
    return join(q, "&");
  }
  if (fmt == "percentencode") {
    std::vector<std::string> q;
    for (auto& s : values) q.push_back(percent_encode(s));
    return single ? q.front() : percent_encode("{" + join(values, ",") + "}");
  }
  if (fmt == "distributed") {
    std::string out = values.front();
    for (size_t i = 1; i < values.size(); ++i) out += "," + std::string(name) + "=" + values[i];
    return out;
  }
  if (fmt == "lucene") {
    if (single) return lucene_escape(values.front());
    std::vector<std::string> q;
    for (auto& s : values) q.push_back("\"" + lucene_escape(s) + "\"");
    return "(" + join(q, " OR ") + ")";
  }
  // glob and unknown formats
  return single ? values.front() : "{" + join(values, ",") + "}";
}

Expansion expand_variables(std::string_view text, const std::vector<uint32_t>& map,
                           const VariableContext& context) {
  auto file_at = [&](size_t i) -> uint32_t {
    if (map.empty()) return static_cast<uint32_t>(i);
    return i < map.size() ? map[i] : map.back();
  };
  Expansion out;
  size_t pos = 0;
  Ref ref;
  auto note_used = [&](const std::string& n) {
    if (std::find(out.used.begin(), out.used.end(), n) == out.used.end()) out.used.push_back(n);
  };
  auto copy_until = [&](size_t end) {
    for (; pos < end; ++pos) {
      out.text += text[pos];
      out.map.push_back(file_at(pos));
    }
  };
  size_t search = 0;
  while (next_ref(text, search, ref)) {
    std::string value;
    const GrafanaVariable* v = context.find(ref.name);
    if (v) {
      value = variable_value(*v, ref);
    } else if (ref.name.rfind("__", 0) == 0 && global_value(context, ref, value)) {
      // global
    } else if (is_digits(ref.name)) {
      // `$1` in label_replace replacements: not a variable, left as written
      search = ref.begin + 1;
      continue;
    } else {
      value = placeholder_for(context_at(text, ref.begin, ref.end));
      out.unknown.push_back({ref.name, file_at(ref.begin), value});
    }
    note_used(ref.name);
    copy_until(ref.begin);
    uint32_t at = file_at(ref.begin);
    VariableSpan span;
    span.name = ref.name;
    span.begin = static_cast<uint32_t>(out.text.size());
    span.end = static_cast<uint32_t>(out.text.size() + value.size());
    span.multi_value = v && (v->multi || v->include_all);
    out.spans.push_back(std::move(span));
    out.text += value;
    out.map.insert(out.map.end(), value.size(), at);
    pos = search = ref.end;
  }
  copy_until(text.size());
  out.map.push_back(file_at(text.size()));
  return out;
}

}  // namespace promvet::sources
