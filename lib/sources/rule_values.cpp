// Prometheus' checks of rule-file values (rulefmt, model) and go-yaml's wording for a value of
// the wrong type.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>

#include "base/go_quote.h"
#include "sources/rules_internal.h"

namespace promvet::sources::rules_internal {

using base::go_quote;

// go-yaml's resolution of a plain scalar's tag, for "cannot unmarshal" messages.
std::string yaml_tag(const YNode& n) {
  if (n.kind == YNode::Seq) return "!!seq";
  if (n.kind == YNode::Map) return "!!map";
  if (n.kind == YNode::Null) return "!!null";
  if (!n.tag.empty())
    return n.tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + std::string(n.tag.substr(18)) : std::string(n.tag);
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
    if (digits && (j > i || std::all_of(v.begin() + static_cast<long>(i), v.end(), [](char c) {
                     return std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                   })))
      return "!!int";
    char* endp = nullptr;
    std::string t = v;
    std::strtod(t.c_str(), &endp);
    if (endp && *endp == '\0' &&
        std::any_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
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
