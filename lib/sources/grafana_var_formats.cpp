// How Grafana writes a variable's values into a query: the `${var:format}` formats and the
// Prometheus data source's regex escaping of multi-value variables (split from grafana_vars.cpp).
#include <cctype>

#include "sources/grafana_vars.h"

#include <fmt/format.h>

namespace promvet::sources {

namespace {

std::string join(const std::vector<std::string>& v, std::string_view sep) { return fmt::to_string(fmt::join(v, sep)); }

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

}  // namespace

std::string prometheus_regex_escape(std::string_view value) {
  // The value lands inside a double-quoted PromQL string: a regex `\.` is written `\\.` there.
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\\\\\";
    else if (c == '"') out += "\\\"";
    else if (std::string_view("$^*+?.()|[]{}").find(c) != std::string_view::npos) {
      out += "\\\\";
      out += c;
    } else out += c;
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
      for (char c : s) {
        if (c == '"') e += '\\';
        e += c;
      }
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

}  // namespace promvet::sources
