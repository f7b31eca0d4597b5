// Prometheus' checks of rule-file values (rulefmt, model) and go-yaml's wording for a value of
// the wrong type.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>

#include "promql/literals.h"
#include "sources/rules_internal.h"

namespace promvet::sources::rules_internal {

using promql::literals::go_quote;

// model.ParseDuration (prometheus/common): "" and the unit order y w d h m s ms.
std::string duration_error(std::string_view v) {
  if (v == "0") return "";
  if (v.empty()) return "empty duration string";
  static const char* units[] = {"y", "w", "d", "h", "m", "s", "ms"};
  static const uint64_t unit_ms[] = {365ull * 24 * 3600 * 1000, 7ull * 24 * 3600 * 1000, 24ull * 3600 * 1000,
                                     3600ull * 1000, 60ull * 1000, 1000ull, 1ull};
  size_t i = 0;
  int next_unit = 0;
  bool overflow = false;
  uint64_t total = 0;
  while (i < v.size()) {
    size_t d = i;
    uint64_t num = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      if (num > (UINT64_MAX - 9) / 10) overflow = true;
      num = num * 10 + static_cast<uint64_t>(v[i] - '0');
      ++i;
    }
    if (i == d) return "not a valid duration string: " + go_quote(v);
    size_t u = i;
    while (i < v.size() && v[i] >= 'a' && v[i] <= 'z') ++i;
    std::string_view unit = v.substr(u, i - u);
    int found = -1;
    for (int k = next_unit; k < 7; ++k)
      if (unit == units[k]) { found = k; break; }
    if (found < 0) return "not a valid duration string: " + go_quote(v);
    next_unit = found + 1;
    if (num != 0 && unit_ms[found] > UINT64_MAX / num) overflow = true;
    else total += num * unit_ms[found];
    if (total > static_cast<uint64_t>(INT64_MAX) / 1000000) overflow = true;
  }
  if (overflow) return "duration out of range";
  return "";
}

bool valid_label_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_metric_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += len;
  }
  return true;
}

// go-yaml's resolution of a plain scalar's tag, for "cannot unmarshal" messages.
std::string yaml_tag(const YNode& n) {
  if (n.kind == YNode::Seq) return "!!seq";
  if (n.kind == YNode::Map) return "!!map";
  if (n.kind == YNode::Null) return "!!null";
  if (!n.tag.empty()) return n.tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + n.tag.substr(18) : n.tag;
  if (n.quoted) return "!!str";
  const std::string& v = n.value;
  static const std::set<std::string> bools = {"true", "True", "TRUE", "false", "False", "FALSE"};
  if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return "!!null";
  if (bools.count(v)) return "!!bool";
  size_t i = (v[0] == '+' || v[0] == '-') ? 1 : 0;
  if (i < v.size()) {
    bool digits = true;
    size_t j = i;
    if (v.compare(j, 2, "0x") == 0 || v.compare(j, 2, "0o") == 0 || v.compare(j, 2, "0b") == 0) j += 2;
    if (j == v.size()) digits = false;
    for (size_t k = j; k < v.size(); ++k)
      if (!std::isxdigit(static_cast<unsigned char>(v[k])) && v[k] != '_') digits = false;
    if (digits && (j > i || std::all_of(v.begin() + static_cast<long>(i), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '_'; })))
      return "!!int";
    char* endp = nullptr;
    std::string t = v;
    std::strtod(t.c_str(), &endp);
    if (endp && *endp == '\0' && std::any_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return "!!float";
  }
  if (v == ".inf" || v == "+.inf" || v == "-.inf" || v == ".nan" || v == ".Inf" || v == ".NaN") return "!!float";
  return "!!str";
}

std::string unmarshal_error(const YNode& n, const std::string& into) {
  std::string msg = "cannot unmarshal " + yaml_tag(n);
  if (n.kind == YNode::Scalar) {
    std::string v = n.value;
    if (v.size() > 10) v = v.substr(0, 7) + "...";
    msg += " `" + v + "`";
  }
  return msg + " into " + into;
}

}  // namespace promvet::sources::rules_internal
