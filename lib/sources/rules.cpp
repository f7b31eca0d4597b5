#include "sources/rules.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <tuple>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "promql/literals.h"
#include "sources/rule_dialects.h"
#include "sources/yaml_tree_internal.h"

namespace promvet::sources {
namespace {

using promql::literals::go_quote;
using yaml_tree::Doc;
using yaml_tree::is_break;
using yaml_tree::is_white;
using yaml_tree::map_scalar;
using yaml_tree::YNode;

// ---------------------------------------------------------------------------------------------
// Prometheus value checks.

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

// ---------------------------------------------------------------------------------------------
// Go text/template checks (the parse-time errors Prometheus reports for alert templates).

struct TTok {
  enum Kind { Ident, Var, Field, Dot, Str, Num, LParen, RParen, Pipe, Declare, Assign, Comma, Char } kind;
  std::string text;
  int line;
};

const std::unordered_set<std::string>& template_funcs() {
  static const std::unordered_set<std::string> f = {
      // Go builtins.
      "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
      "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
      // Prometheus template functions (template/template.go).
      "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title",
      "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024",
      "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "pathPrefix", "externalURL",
      "parseDuration", "stripPort", "stripDomain", "toDuration", "now"};
  return f;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Element checks done by text/template's parser as it reads an action's tokens.
std::string check_tokens(const std::vector<TTok>& toks, std::unordered_set<std::string>& vars, bool complete,
                         const std::string& context) {
  size_t start = 0;
  // Declarations: $x := ..., $i, $e := ...
  if (toks.size() >= 2 && toks[0].kind == TTok::Var) {
    size_t k = 0;
    std::vector<std::string> names;
    while (k < toks.size() && toks[k].kind == TTok::Var) {
      names.push_back(toks[k].text);
      if (k + 1 < toks.size() && toks[k + 1].kind == TTok::Comma) k += 2;
      else { ++k; break; }
    }
    if (k < toks.size() && (toks[k].kind == TTok::Declare || toks[k].kind == TTok::Assign)) {
      if (toks[k].kind == TTok::Assign)
        for (auto& nm : names)
          if (!vars.count(nm)) return std::to_string(toks[0].line) + ": undefined variable " + go_quote(nm);
      for (auto& nm : names) vars.insert(nm);
      start = k + 1;
    }
  }
  int depth = 0;
  bool empty_cmd = true;
  for (size_t k = start; k < toks.size(); ++k) {
    const TTok& t = toks[k];
    switch (t.kind) {
      case TTok::Char:
        return std::to_string(t.line) + ": unexpected " + go_quote(t.text) + " in operand";
      case TTok::Ident:
        if (t.text != "true" && t.text != "false" && t.text != "nil" && !template_funcs().count(t.text))
          return std::to_string(t.line) + ": function " + go_quote(t.text) + " not defined";
        empty_cmd = false;
        break;
      case TTok::Var: {
        std::string base = t.text;
        if (!vars.count(base)) return std::to_string(t.line) + ": undefined variable " + go_quote(base);
        empty_cmd = false;
        break;
      }
      case TTok::LParen: ++depth; empty_cmd = true; break;
      case TTok::RParen:
        if (depth == 0) return std::to_string(t.line) + ": unexpected \")\" in " + context;
        if (empty_cmd) return std::to_string(t.line) + ": missing value for parenthesized pipeline";
        --depth;
        empty_cmd = false;
        break;
      case TTok::Pipe:
        if (empty_cmd) return std::to_string(t.line) + ": missing value for command";
        empty_cmd = true;
        break;
      default: empty_cmd = false; break;
    }
  }
  if (complete) {
    int line = toks.empty() ? 0 : toks.back().line;
    if (depth > 0) return std::to_string(line) + ": unclosed left paren";
    if (empty_cmd) return "";  // reported by the caller with its context
  }
  return "";
}

}  // namespace

std::string check_go_template(std::string_view s) {
  std::unordered_set<std::string> vars = {"$", "$labels", "$externalLabels", "$externalURL", "$value"};
  std::vector<std::string> blocks;
  int line = 1;
  size_t i = 0;
  const size_t n = s.size();
  auto count_lines = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < n; ++k)
      if (s[k] == '\n') ++line;
  };
  while (i < n) {
    size_t a = s.find("{{", i);
    if (a == std::string_view::npos) {
      count_lines(i, n);
      break;
    }
    count_lines(i, a);
    size_t j = a + 2;
    if (j + 1 < n && s[j] == '-' && (s[j + 1] == ' ' || s[j + 1] == '\t' || s[j + 1] == '\n' || s[j + 1] == '\r')) ++j;
    // Comments.
    {
      size_t k = j;
      while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) ++k;
      if (s.substr(j).rfind("/*", 0) == 0 || (k > j && s.substr(k).rfind("/*", 0) == 0 && s[j - 1] == '-')) {
        size_t c = s.find("*/", k + 2);
        if (c == std::string_view::npos) return std::to_string(line) + ": unclosed comment";
        size_t e = c + 2;
        while (e < n && (s[e] == ' ' || s[e] == '\t' || s[e] == '\n' || s[e] == '\r')) ++e;
        if (e < n && s[e] == '-') ++e;
        if (s.substr(e).rfind("}}", 0) != 0) {
          if (s.substr(c + 2).rfind("}}", 0) != 0) return std::to_string(line) + ": comment ends before closing delimiter";
          e = c + 2;
        }
        count_lines(a, e + 2);
        i = e + 2;
        continue;
      }
    }
    std::vector<TTok> toks;
    bool closed = false;
    std::string lex_error;
    while (j < n) {
      char c = s[j];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        // " -}}" right trim marker.
        if (j + 3 < n + 0 && s[j + 1] == '-' && s.substr(j + 2, 2) == "}}") {
          count_lines(j, j + 1);
          j += 4;
          closed = true;
          break;
        }
        if (c == '\n') ++line;
        ++j;
        continue;
      }
      if (s.substr(j, 2) == "}}") {
        j += 2;
        closed = true;
        break;
      }
      size_t b = j;
      TTok t{TTok::Char, "", line};
      // `$x.y` and `x.y`: the name, then a field chain that belongs to the same operand; the
      // token's text is the name alone.
      const auto operand_with_fields = [&](TTok::Kind kind) {
        while (j < n && is_ident_char(s[j])) ++j;
        while (j < n && s[j] == '.' && j + 1 < n && is_ident_char(s[j + 1])) {
          ++j;
          while (j < n && is_ident_char(s[j])) ++j;
        }
        t.kind = kind;
        std::string_view word = s.substr(b, j - b);
        t.text = std::string(word.substr(0, word.find('.')));
        return t;
      };
      if (c == '"') {
        ++j;
        while (j < n && s[j] != '"' && s[j] != '\n') j += (s[j] == '\\' && j + 1 < n && s[j + 1] != '\n') ? 2 : 1;
        if (j >= n || s[j] != '"') { lex_error = "unterminated quoted string"; break; }
        ++j;
        t.kind = TTok::Str;
      } else if (c == '`') {
        size_t e = s.find('`', j + 1);
        if (e == std::string_view::npos) { lex_error = "unterminated raw quoted string"; break; }
        count_lines(j, e);
        j = e + 1;
        t.kind = TTok::Str;
      } else if (c == '\'') {
        ++j;
        while (j < n && s[j] != '\'' && s[j] != '\n') j += (s[j] == '\\' && j + 1 < n) ? 2 : 1;
        if (j >= n || s[j] != '\'') { lex_error = "unterminated character constant"; break; }
        ++j;
        t.kind = TTok::Num;
      } else if (c == '(') { ++j; t.kind = TTok::LParen;
      } else if (c == ')') { ++j; t.kind = TTok::RParen;
      } else if (c == '|') { ++j; t.kind = TTok::Pipe;
      } else if (c == ',') { ++j; t.kind = TTok::Comma;
      } else if (c == '=') { ++j; t.kind = TTok::Assign;
      } else if (c == ':' && j + 1 < n && s[j + 1] == '=') { j += 2; t.kind = TTok::Declare;
      } else if (c == '$') {
        ++j;
        toks.push_back(operand_with_fields(TTok::Var));
        continue;
      } else if (c == '.') {
        ++j;
        if (j < n && is_ident_char(s[j]) && !std::isdigit(static_cast<unsigned char>(s[j]))) {
          while (j < n && (is_ident_char(s[j]) || (s[j] == '.' && j + 1 < n && is_ident_char(s[j + 1])))) ++j;
          t.kind = TTok::Field;
        } else if (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) {
          while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_')) ++j;
          t.kind = TTok::Num;
        } else {
          t.kind = TTok::Dot;
        }
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+') && j + 1 < n && std::isdigit(static_cast<unsigned char>(s[j + 1])))) {
        ++j;
        while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_' ||
                         ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E' || s[j - 1] == 'p'))))
          ++j;
        t.kind = TTok::Num;
      } else if (is_ident_char(c)) {
        toks.push_back(operand_with_fields(TTok::Ident));
        continue;
      } else {
        // One character (a UTF-8 sequence counts as one).
        ++j;
        while (j < n && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
        t.kind = TTok::Char;
      }
      t.text = std::string(s.substr(b, j - b));
      toks.push_back(t);
    }
    if (!closed && lex_error.empty()) lex_error = "unclosed action";
    // Keywords.
    std::string kw = !toks.empty() && toks[0].kind == TTok::Ident ? toks[0].text : "";
    static const std::unordered_set<std::string> keywords = {"if", "else", "end", "range", "with", "define",
                                                             "template", "block", "break", "continue"};
    bool is_kw = keywords.count(kw) > 0;
    if (!lex_error.empty()) {
      std::vector<TTok> rest(toks.begin() + (is_kw ? 1 : 0), toks.end());
      std::string e = check_tokens(rest, vars, false, "command");
      if (!e.empty()) return e;
      return std::to_string(line) + ": " + lex_error;
    }
    int aline = toks.empty() ? line : toks[0].line;
    if (toks.empty()) return std::to_string(line) + ": missing value for command";
    std::vector<TTok> rest(toks.begin() + (is_kw ? 1 : 0), toks.end());
    if (kw == "end") {
      if (blocks.empty()) return std::to_string(aline) + ": unexpected {{end}}";
      blocks.pop_back();
    } else if (kw == "else") {
      if (blocks.empty() || blocks.back() == "define") return std::to_string(aline) + ": unexpected {{else}}";
      if (!rest.empty() && rest[0].kind == TTok::Ident && (rest[0].text == "if" || rest[0].text == "with")) {
        std::string sub = rest[0].text;
        rest.erase(rest.begin());
        if (rest.empty()) return std::to_string(aline) + ": missing value for " + sub;
        std::string e = check_tokens(rest, vars, true, sub);
        if (!e.empty()) return e;
      }
    } else if (kw == "if" || kw == "range" || kw == "with") {
      if (rest.empty()) return std::to_string(aline) + ": missing value for " + kw;
      std::string e = check_tokens(rest, vars, true, kw);
      if (!e.empty()) return e;
      blocks.push_back(kw);
    } else if (kw == "define" || kw == "block") {
      blocks.push_back(kw);
    } else if (kw == "template" || kw == "break" || kw == "continue") {
      // Arguments are not checked.
    } else {
      std::string e = check_tokens(rest, vars, true, "command");
      if (!e.empty()) return e;
      // An empty pipeline after a declaration or pipe.
      if (!rest.empty() && (rest.back().kind == TTok::Pipe || rest.back().kind == TTok::Declare ||
                            rest.back().kind == TTok::Assign))
        return std::to_string(rest.back().line) + ": missing value for command";
    }
    i = j;
  }
  if (!blocks.empty()) return std::to_string(line) + ": unexpected EOF";
  return "";
}

namespace {

// ---------------------------------------------------------------------------------------------
// Suppression comments.

struct LineInfo {
  std::vector<uint32_t> starts;           // byte offset of each line
  std::vector<uint8_t> comment_only;      // first non-blank character is '#'
  std::vector<uint8_t> blank;
  std::vector<std::vector<std::string>> disable;  // ids from `# promvet: disable=`
};

void split_ids(std::string_view list, std::vector<std::string>& out) {
  size_t i = 0;
  while (i <= list.size()) {
    size_t c = list.find(',', i);
    if (c == std::string_view::npos) c = list.size();
    std::string_view id = list.substr(i, c - i);
    while (!id.empty() && is_white(id.front())) id.remove_prefix(1);
    while (!id.empty() && is_white(id.back())) id.remove_suffix(1);
    if (!id.empty()) out.emplace_back(id);
    i = c + 1;
  }
}

LineInfo scan_lines(std::string_view s, std::vector<std::string>& file_disabled) {
  LineInfo li;
  size_t p = 0;
  while (p <= s.size()) {
    size_t e = s.find('\n', p);
    if (e == std::string_view::npos) e = s.size();
    std::string_view line = s.substr(p, e - p);
    li.starts.push_back(static_cast<uint32_t>(p));
    size_t f = 0;
    while (f < line.size() && (is_white(line[f]) || line[f] == '\r')) ++f;
    li.blank.push_back(f == line.size());
    li.comment_only.push_back(f < line.size() && line[f] == '#');
    li.disable.emplace_back();
    size_t h = line.find('#');
    while (h != std::string_view::npos) {
      if (h == 0 || is_white(line[h - 1])) {
        std::string_view rest = line.substr(h + 1);
        while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
        if (rest.rfind("promvet:", 0) == 0) {
          rest.remove_prefix(8);
          while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
          bool file = rest.rfind("disable-file=", 0) == 0;
          bool one = !file && rest.rfind("disable=", 0) == 0;
          if (file || one) {
            rest.remove_prefix(file ? 13 : 8);
            // id[, id]...: ids separated by commas (blanks allowed around them); anything
            // else ends the list.
            size_t end = 0;
            for (;;) {
              while (end < rest.size() && !is_white(rest[end]) && rest[end] != '\r' && rest[end] != '#' && rest[end] != ',') ++end;
              size_t k = end;
              while (k < rest.size() && is_white(rest[k])) ++k;
              if (k < rest.size() && rest[k] == ',') {
                ++k;
                while (k < rest.size() && is_white(rest[k])) ++k;
                end = k;
                continue;
              }
              break;
            }
            split_ids(rest.substr(0, end), file ? file_disabled : li.disable.back());
          }
        }
      }
      h = line.find('#', h + 1);
    }
    if (e == s.size()) break;
    p = e + 1;
  }
  return li;
}

void add_ids(const LineInfo& li, int line, std::vector<std::string>& out) {
  if (line < 0 || static_cast<size_t>(line) >= li.disable.size()) return;
  for (const auto& id : li.disable[static_cast<size_t>(line)])
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
}

// The comment block directly above `line`.
void add_above(const LineInfo& li, int line, std::vector<std::string>& out) {
  for (int l = line - 1; l >= 0 && li.comment_only[static_cast<size_t>(l)]; --l) add_ids(li, l, out);
}

// ---------------------------------------------------------------------------------------------
// Rule file structure.

class Loader {
 public:
  Loader(std::string_view content, SourceFile& out, RulesDialect dialect) : s_(content), out_(out) {
    choice_.dialect = dialect;
    choice_.configured = dialect != RulesDialect::Auto;
  }

  void run(const std::vector<Doc>& docs) {
    li_ = scan_lines(s_, out_.file_disabled_checks);
    if (!choice_.configured) detect(docs);
    int rule_docs = 0, foreign_docs = 0;
    std::vector<DocKind> kinds;
    for (const Doc& d : docs) {
      doc_ = &d;
      kinds.push_back(classify_doc());
      if (kinds.back() == DocKind::Rules) ++rule_docs;
      if (kinds.back() == DocKind::Foreign || kinds.back() == DocKind::Object) ++foreign_docs;
    }
    for (size_t d = 0; d < docs.size(); ++d) {
      // Other Kubernetes objects next to PrometheusRules (a rendered bundle) are not rules; alone
      // (--kind rules), they are read strictly as one.
      if (kinds[d] == DocKind::Object && rule_docs > 0) continue;
      doc_ = &docs[d];
      doc_end_line_ = d + 1 < docs.size() ? docs[d + 1].start_line : static_cast<int>(li_.starts.size());
      load_doc();
    }
    out_.not_a_rule_file = foreign_docs > 0 && rule_docs == 0;
    note_skipped_logql();
  }

 private:
  enum class DocKind { Empty, Rules, Foreign, Object };  // Object: a Kubernetes object, not a PrometheusRule
  // A rule file's document is a mapping with `groups`, or a PrometheusRule; anything else
  // (another kind of object, a list, a scalar) is some other YAML file. `group:`, `rules:` or
  // `rule:` at the top are a rule file's mistakes, not another file: such a file is linted, so
  // the mistake is reported. (`rule_files:` is Prometheus' own configuration: skipped.)
  static bool rule_like_key(const std::string& key) {
    std::string k = key;
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k == "groups" || k == "group" || k == "rules" || k == "rule";
  }
  DocKind classify_doc() {
    if (doc_->root == UINT32_MAX) return DocKind::Empty;
    const YNode& root = node(doc_->root);
    if (root.kind == YNode::Null) return DocKind::Empty;
    if (root.kind != YNode::Map) return DocKind::Foreign;
    bool rule_key = false, api_version = false, kind = false;
    for (size_t k = 0; k + 1 < root.children.size(); k += 2) {
      const YNode& key = node(root.children[k]);
      const YNode& val = node(root.children[k + 1]);
      if (key.kind != YNode::Scalar) continue;
      rule_key = rule_key || rule_like_key(key.value);
      api_version = api_version || key.value == "apiVersion";
      if (key.value == "kind") {
        if (val.kind == YNode::Scalar && val.value == "PrometheusRule") return DocKind::Rules;
        kind = true;
      }
    }
    // Another Kubernetes object (a ClusterRole has `rules:` of its own) is not a rule file.
    if (api_version && kind) return DocKind::Object;
    return rule_key ? DocKind::Rules : DocKind::Foreign;
  }

  const YNode& node(uint32_t i) const {
    const YNode* n = &doc_->nodes[i];
    for (int hop = 0; n->kind == YNode::Alias && n->target != UINT32_MAX && hop < 64; ++hop) n = &doc_->nodes[n->target];
    return *n;
  }
  uint32_t offset(const YNode& n) const { return static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(std::max(0, n.mark.pos)), s_.size())); }
  void diag(const std::string& id, std::string msg, const YNode& at, size_t len = 0) {
    Diagnostic d;
    d.check_id = id;
    d.message = std::move(msg);
    d.offset = offset(at);
    if (len == 0) len = at.kind == YNode::Scalar ? std::max<size_t>(1, at.value.size() + (at.quoted ? 2 : 0)) : 1;
    d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + len, s_.size()));
    out_.diagnostics.push_back(std::move(d));
  }
  // Map entries, reporting duplicate keys.
  std::vector<std::pair<const YNode*, uint32_t>> entries(const YNode& map) {
    std::vector<std::pair<const YNode*, uint32_t>> r;
    std::unordered_map<std::string, int> seen;
    for (size_t k = 0; k + 1 < map.children.size(); k += 2) {
      const YNode& key = node(map.children[k]);
      if (key.kind == YNode::Scalar) {
        auto [it, fresh] = seen.emplace(key.value, key.mark.line + 1);
        if (!fresh) {
          diag("rules/duplicate-key",
               "mapping key " + go_quote(key.value) + " already defined at line " + std::to_string(it->second), key);
          continue;
        }
      }
      r.emplace_back(&key, map.children[k + 1]);
    }
    return r;
  }
  // Map entries without duplicate-key reports (for a second pass over the same map).
  std::vector<std::pair<const YNode*, uint32_t>> entries_quiet(const YNode& map) const {
    std::vector<std::pair<const YNode*, uint32_t>> r;
    for (size_t k = 0; k + 1 < map.children.size(); k += 2) r.emplace_back(&node(map.children[k]), map.children[k + 1]);
    return r;
  }
  std::string key_name(const YNode& k) const { return k.kind == YNode::Scalar ? k.value : std::string(); }

  // A string field: scalars (any tag) or null; sequences and maps are type errors.
  bool string_field(const YNode& v, std::string& out) {
    if (v.kind == YNode::Scalar) { out = v.value; return true; }
    if (v.kind == YNode::Null) { out.clear(); return true; }
    diag("rules/invalid-type", unmarshal_error(v, "string"), v);
    return false;
  }

  void duration_field(const YNode& v) {
    std::string s;
    if (!string_field(v, s)) return;
    if (v.kind == YNode::Null) return;
    std::string e = duration_error(s);
    if (!e.empty()) diag("rules/invalid-duration", e, v);
  }

  void load_doc() {
    if (doc_->root == UINT32_MAX) return;
    const YNode& root = node(doc_->root);
    if (root.kind == YNode::Null) return;
    if (root.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(root, "rulefmt.RuleGroups"), root);
      return;
    }
    auto top = entries(root);
    bool crd = false;
    for (auto& [k, v] : top) {
      const YNode& val = node(v);
      if (k->value == "kind" && val.kind == YNode::Scalar && val.value == "PrometheusRule") crd = true;
      if (k->value == "apiVersion" && val.kind == YNode::Scalar && val.value.rfind("monitoring.coreos.com/", 0) == 0) crd = true;
    }
    if (crd) {
      for (auto& [k, v] : top) {
        if (k->value != "spec") continue;
        const YNode& spec = node(v);
        if (spec.kind != YNode::Map) {
          if (spec.kind != YNode::Null) diag("rules/invalid-type", unmarshal_error(spec, "v1.PrometheusRuleSpec"), spec);
          continue;
        }
        for (auto& [sk, sv] : entries(spec)) {
          if (sk->value == "groups") {
            crd_ = true;
            groups(node(sv));
            crd_ = false;
          }
          else diag("rules/unknown-field", "field " + key_name(*sk) + " not found in type v1.PrometheusRuleSpec", *sk);
        }
      }
      return;
    }
    for (auto& [k, v] : top) {
      const DialectField* f = dialect_top_field(key_name(*k));
      if (k->value == "groups") groups(node(v));
      else if (f && dialect_has(choice_.dialect, *f)) dialect_value(*f, node(v));
      else diag("rules/unknown-field", "field " + key_name(*k) + " not found in type rulefmt.RuleGroups" + foreign_hint(f), *k);
    }
  }

  void groups(const YNode& gs) {
    if (gs.kind == YNode::Null) return;
    if (gs.kind != YNode::Seq) {
      diag("rules/invalid-type", unmarshal_error(gs, "[]rulefmt.RuleGroup"), gs);
      return;
    }
    for (size_t gi = 0; gi < gs.children.size(); ++gi) {
      const YNode& g = node(gs.children[gi]);
      int next_line = gi + 1 < gs.children.size() ? node(gs.children[gi + 1]).mark.line : doc_end_line_;
      group(g, next_line);
    }
  }

  void group(const YNode& g, int next_line) {
    if (g.kind == YNode::Null) return;
    if (g.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(g, "rulefmt.RuleGroup"), g);
      return;
    }
    std::string name, interval;
    const YNode* name_node = nullptr;
    const YNode* rules = nullptr;
    for (auto& [k, vi] : entries(g)) {
      const YNode& v = node(vi);
      const std::string key = key_name(*k);
      if (key == "name") {
        if (string_field(v, name)) name_node = k;
        else name_node = k;
      } else if (key == "interval" || key == "query_offset") {
        duration_field(v);
        if (key == "interval" && v.kind == YNode::Scalar) interval = v.value;
      } else if (key == "limit") {
        if (v.kind != YNode::Null && (v.kind != YNode::Scalar || yaml_tag(v) != "!!int"))
          diag("rules/invalid-type", unmarshal_error(v, "int"), v);
      } else if (key == "rules") {
        rules = &v;
      } else if (crd_ && (key == "partial_response_strategy" || key == "labels")) {
        // PrometheusRule (prometheus-operator) fields for Thanos and newer Prometheus; the
        // operator's CRD takes the strategy with Thanos' values, any case.
        dialect_value(*dialect_group_field(key), v);
      } else if (const DialectField* f = dialect_group_field(key); f && !crd_ && dialect_has(choice_.dialect, *f)) {
        dialect_value(*f, v);
      } else {
        diag("rules/unknown-field", "field " + key + " not found in type rulefmt.RuleGroup" + foreign_hint(crd_ ? nullptr : dialect_group_field(key)), *k);
      }
    }
    if (name.empty()) {
      diag("rules/empty-group-name", "Groupname must not be empty", g);
    } else if (!group_names_.insert(name).second) {
      diag("rules/duplicate-group", "groupname: " + go_quote(name) + " is repeated in the same file", g);
    }
    // Group-level suppressions.
    std::vector<std::string> group_ids;
    add_ids(li_, g.mark.line, group_ids);
    add_above(li_, g.mark.line, group_ids);
    if (name_node) {
      int l = name_node->mark.line;
      add_ids(li_, l, group_ids);
      for (int k = l + 1; k < static_cast<int>(li_.comment_only.size()) && li_.comment_only[static_cast<size_t>(k)]; ++k)
        add_ids(li_, k, group_ids);
    }
    if (!rules || rules->kind == YNode::Null) return;
    if (rules->kind != YNode::Seq) {
      diag("rules/invalid-type", unmarshal_error(*rules, "[]rulefmt.RuleNode"), *rules);
      return;
    }
    std::set<std::string> seen;  // duplicate rules: same name and labels within the group
    for (size_t ri = 0; ri < rules->children.size(); ++ri) {
      const YNode& r = node(rules->children[ri]);
      int end_line = ri + 1 < rules->children.size() ? node(rules->children[ri + 1]).mark.line : next_line;
      rule(r, name, interval, group_ids, end_line, seen);
    }
  }

  // File offsets of a scalar as written: quotes included, a block scalar from its `|`/`>` to the
  // end of its last content line.
  std::pair<uint32_t, uint32_t> extent(const YNode& n) const {
    uint32_t begin = offset(n);
    if (n.kind != YNode::Scalar) return {begin, static_cast<uint32_t>(std::min<size_t>(begin + 1, s_.size()))};
    std::string text;
    OffsetMap map;
    map_scalar(s_, n, text, map);
    uint32_t end = map.to_file.empty() ? begin : std::max(begin, map.to_file.back());
    if (begin < s_.size() && (s_[begin] == '"' || s_[begin] == '\'') && end < s_.size() && s_[end] == s_[begin] && end > begin)
      ++end;
    while (end > begin + 1 && (s_[end - 1] == '\n' || s_[end - 1] == '\r')) --end;  // a block scalar's last break
    if (end == begin && begin < s_.size()) ++end;  // an empty plain value: one character to point at
    return {begin, std::min<uint32_t>(end, static_cast<uint32_t>(s_.size()))};
  }

  // Suppressions of a rule: its group's, its lines' and the comment block above it. They apply
  // to its expression and to the rules/* diagnostics found inside it.
  void rule(const YNode& r, const std::string& group, const std::string& interval,
            const std::vector<std::string>& group_ids, int next_line, std::set<std::string>& seen) {
    std::vector<std::string> ids = group_ids;
    int start = r.mark.line;
    int end = std::max(start, next_line - 1);
    while (end > start && static_cast<size_t>(end) < li_.blank.size() &&
           (li_.blank[static_cast<size_t>(end)] || li_.comment_only[static_cast<size_t>(end)]))
      --end;
    for (int l = start; l <= end; ++l) add_ids(li_, l, ids);
    add_above(li_, start, ids);
    const size_t first = out_.diagnostics.size();
    rule_body(r, group, interval, ids, seen);
    for (size_t i = first; i < out_.diagnostics.size(); ++i) out_.diagnostics[i].disabled_checks = ids;
  }

  void rule_body(const YNode& r, const std::string& group, const std::string& interval,
                 const std::vector<std::string>& disabled_ids, std::set<std::string>& seen) {
    if (r.kind == YNode::Null) {
      diag("rules/missing-record-or-alert", "one of 'record' or 'alert' must be set", r);
      return;
    }
    if (r.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(r, "rulefmt.RuleNode"), r);
      return;
    }
    const YNode *record = nullptr, *alert = nullptr, *expr = nullptr, *labels = nullptr, *annotations = nullptr;
    const YNode *for_key = nullptr, *kff_key = nullptr, *ann_key = nullptr;
    const YNode *for_value = nullptr, *kff_value = nullptr;
    for (auto& [k, vi] : entries(r)) {
      const YNode& v = node(vi);
      const std::string key = key_name(*k);
      if (key == "record") record = &v;
      else if (key == "alert") alert = &v;
      else if (key == "expr") expr = &v;
      else if (key == "for") { for_key = k; for_value = &v; duration_field(v); }
      else if (key == "keep_firing_for") { kff_key = k; kff_value = &v; duration_field(v); }
      else if (key == "labels") labels = &v;
      else if (key == "annotations") { annotations = &v; ann_key = k; }
      else diag("rules/unknown-field", "field " + key + " not found in type rulefmt.RuleNode" + misplaced_group_field_hint(key), *k);
    }
    auto value_of = [](const YNode* n) { return n && n->kind == YNode::Scalar ? n->value : std::string(); };
    std::string rec = value_of(record), al = value_of(alert);
    if (!rec.empty() && !al.empty()) {
      diag("rules/record-and-alert", "only one of 'record' and 'alert' must be set", *record);
    } else if (rec.empty() && al.empty()) {
      diag("rules/missing-record-or-alert", "one of 'record' or 'alert' must be set", r);
    }
    if (value_of(expr).empty()) diag("rules/missing-expr", "field 'expr' must be set in rule", expr ? *expr : r);
    if (!rec.empty()) {
      if (ann_key) diag("rules/invalid-recording-field", "invalid field 'annotations' in recording rule", *ann_key);
      if (for_key) diag("rules/invalid-recording-field", "invalid field 'for' in recording rule", *for_key);
      if (kff_key) diag("rules/invalid-recording-field", "invalid field 'keep_firing_for' in recording rule", *kff_key);
      if (!valid_metric_name(rec)) diag("rules/invalid-record-name", "invalid recording rule name: " + rec, *record);
    }
    const bool alerting = rec.empty() && !al.empty();
    auto string_map = [&](const YNode* m, bool is_labels) {
      if (!m || m->kind == YNode::Null) return;
      if (m->kind != YNode::Map) {
        diag("rules/invalid-type", unmarshal_error(*m, "map[string]string"), *m);
        return;
      }
      for (auto& [k, vi] : entries(*m)) {
        const YNode& v = node(vi);
        std::string val;
        if (!string_field(v, val)) continue;
        const std::string name = key_name(*k);
        if (is_labels) {
          if (!valid_label_name(name) || name == "__name__") diag("rules/invalid-label-name", "invalid label name: " + name, *k);
          if (!valid_utf8(val)) diag("rules/invalid-label-value", "invalid label value: " + val, v);
        } else if (!valid_label_name(name)) {
          diag("rules/invalid-annotation-name", "invalid annotation name: " + name, *k);
        }
        if (alerting) {
          std::string e = check_go_template(val);
          if (!e.empty())
            diag("rules/invalid-template",
                 std::string(is_labels ? "label " : "annotation ") + go_quote(name) + ": template: __alert_" + al + ":" + e, v);
        }
      }
    };
    string_map(labels, true);
    string_map(annotations, false);

    // promtool's "lint error N duplicate rule(s) found" (same record/alert name and labels in
    // a group), reported on each repetition.
    if (!rec.empty() || !al.empty()) {
      std::vector<std::pair<std::string, std::string>> ls;
      if (labels && labels->kind == YNode::Map)
        for (auto& [k, vi] : entries_quiet(*labels)) {
          const YNode& v = node(vi);
          ls.emplace_back(key_name(*k), v.kind == YNode::Scalar ? v.value : std::string());
        }
      std::sort(ls.begin(), ls.end());
      std::string key = rec.empty() ? al : rec;
      std::string shown;
      for (auto& [k, v] : ls) {
        key += '\xff' + k + '\xfe' + v;
        shown += (shown.empty() ? "" : ", ") + k + ": " + v;
      }
      if (!seen.insert(key).second) {
        Diagnostic d;
        d.check_id = "rules/duplicate-rule";
        // Two recording rules overwrite each other's series. Two alerting rules of one name and
        // labels are a common way to give one alert several conditions (mixins do it): their
        // alerts are merged by Alertmanager, so promtool's lint is only worth an info there.
        d.severity = rec.empty() ? DiagnosticSeverity::Info : DiagnosticSeverity::Warning;
        d.message = "duplicate rule found: metric: " + (rec.empty() ? al : rec) + ", label(s): {" + shown +
                    "}; might cause inconsistency while recording expressions";
        if (rec.empty())
          d.message += " (for alerting rules: several conditions of one alert, fine if that is what is meant)";
        d.offset = offset(r);
        d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
        out_.diagnostics.push_back(std::move(d));
      }
    }

    if (!expr || expr->kind != YNode::Scalar) return;
    Expression e;
    e.kind = alerting ? ExpressionKind::AlertingRule : ExpressionKind::RecordingRule;
    e.group = group;
    e.rule_name = rec.empty() ? al : rec;
    e.scrape_interval_hint = interval;
    map_scalar(s_, *expr, e.text, e.map);
    e.logql = skip_as_logql(e);
    e.original = e.text;
    e.disabled_checks = disabled_ids;
    RuleInfo& info = e.rule;
    info.offset = offset(r);
    if (const YNode* name = !rec.empty() ? record : alert) std::tie(info.name_offset, info.name_end) = extent(*name);
    if (for_value) {
      info.has_for = true;
      if (for_value->kind == YNode::Scalar) info.for_duration = for_value->value;
      std::tie(info.for_offset, info.for_end) = extent(*for_value);
    }
    if (kff_value && kff_value->kind == YNode::Scalar) info.keep_firing_for = kff_value->value;
    auto fill = [&](const YNode* m, std::vector<RuleEntry>& into) {
      if (!m || m->kind != YNode::Map) return;
      for (auto& [k, vi] : entries_quiet(*m)) {
        const YNode& v = node(vi);
        if (k->kind != YNode::Scalar || (v.kind != YNode::Scalar && v.kind != YNode::Null)) continue;
        RuleEntry entry;
        entry.name = k->value;
        entry.value = v.kind == YNode::Scalar ? v.value : std::string();
        entry.name_offset = offset(*k);
        std::tie(entry.value_offset, entry.value_end) = extent(v);
        into.push_back(std::move(entry));
      }
    };
    fill(labels, info.labels);
    fill(annotations, info.annotations);
    out_.expressions.push_back(std::move(e));
  }

  std::string_view s_;
  SourceFile& out_;
  LineInfo li_;
  const Doc* doc_ = nullptr;
  int doc_end_line_ = 0;
  std::set<std::string> group_names_;
  bool crd_ = false;

  // -------------------------------------------------------------------------------------------
  // Dialects (sources/rule_dialects.h): which tool the file is for, its fields, LogQL.

  int line_of(uint32_t offset) const {
    return static_cast<int>(std::upper_bound(li_.starts.begin(), li_.starts.end(), offset) - li_.starts.begin());
  }

  // Auto: the file's own fields and expressions decide, in file order.
  void detect(const std::vector<Doc>& docs) {
    std::vector<DialectEvidence> evidence;
    auto field = [&](const YNode& key, const DialectField* f) {
      if (!f) return;
      if (std::optional<RulesDialect> d = evidence_of(*f)) evidence.push_back({key.value, offset(key), *d});
    };
    auto scan_groups = [&](const YNode& gs, bool crd) {
      if (gs.kind != YNode::Seq) return;
      for (uint32_t gi : gs.children) {
        const YNode& g = node(gi);
        if (g.kind != YNode::Map) continue;
        for (auto& [k, v] : entries_quiet(g)) {
          if (!crd) field(*k, dialect_group_field(key_name(*k)));
          const YNode& rules = node(v);
          if (key_name(*k) != "rules" || rules.kind != YNode::Seq) continue;
          for (uint32_t ri : rules.children) {
            const YNode& r = node(ri);
            if (r.kind != YNode::Map) continue;
            for (auto& [rk, rv] : entries_quiet(r)) {
              const YNode& expr = node(rv);
              if (key_name(*rk) != "expr" || expr.kind != YNode::Scalar) continue;
              std::string text;
              OffsetMap map;
              map_scalar(s_, expr, text, map);
              if (std::optional<LogqlSign> sign = find_logql(text))
                evidence.push_back({"LogQL `" + sign->sign + "`", map.at(sign->offset), RulesDialect::Loki});
            }
          }
        }
      }
    };
    for (const Doc& d : docs) {
      doc_ = &d;
      if (d.root == UINT32_MAX || node(d.root).kind != YNode::Map) continue;
      for (auto& [k, v] : entries_quiet(node(d.root))) {
        const std::string key = key_name(*k);
        if (key == "groups") scan_groups(node(v), false);
        else if (key == "spec" && node(v).kind == YNode::Map)
          for (auto& [sk, sv] : entries_quiet(node(v)))
            if (key_name(*sk) == "groups") scan_groups(node(sv), true);
        field(*k, dialect_top_field(key));
      }
    }
    doc_ = nullptr;
    DetectedDialect found = detect_dialect(evidence);
    choice_.dialect = found.dialect;
    if (found.because) choice_.because = found.because->what + " at line " + std::to_string(line_of(found.because->offset));
  }

  // For a field this dialect does not have: which dialects do, and why the file is read as it is.
  std::string foreign_hint(const DialectField* f) const { return f ? foreign_field_hint(*f, choice_) : ""; }

  // A dialect field's value, decoded as its tool decodes it.
  void dialect_value(const DialectField& f, const YNode& v) {
    std::string text;
    switch (f.type) {
      case DialectFieldType::Duration: duration_field(v); return;
      case DialectFieldType::String: string_field(v, text); return;
      case DialectFieldType::PartialResponseStrategy:
        if (string_field(v, text)) {
          std::string e = partial_response_strategy_error(text);
          if (!e.empty()) diag("rules/invalid-type", e, v);
        }
        return;
      case DialectFieldType::Bool:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Scalar || v.quoted || !go_yaml_bool(v.value)) diag("rules/invalid-type", unmarshal_error(v, "bool"), v);
        return;
      case DialectFieldType::StringList:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Seq) {
          diag("rules/invalid-type", unmarshal_error(v, "[]string"), v);
          return;
        }
        for (uint32_t c : v.children) string_field(node(c), text);
        return;
      case DialectFieldType::LabelMap:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Map) {
          diag("rules/invalid-type", unmarshal_error(v, "map[string]string"), v);
          return;
        }
        for (auto& [k, vi] : entries(v)) {
          const YNode& lv = node(vi);
          if (!string_field(lv, text)) continue;
          const std::string name = key_name(*k);
          if (!valid_label_name(name) || name == "__name__") diag("rules/invalid-label-name", "invalid label name: " + name, *k);
          if (!valid_utf8(text)) diag("rules/invalid-label-value", "invalid label value: " + text, lv);
        }
        return;
      case DialectFieldType::RemoteWriteList:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Seq) {
          diag("rules/invalid-type", unmarshal_error(v, "[]rwrulefmt.RemoteWriteConfig"), v);
          return;
        }
        for (uint32_t c : v.children) {
          const YNode& item = node(c);
          if (item.kind == YNode::Null) continue;
          if (item.kind != YNode::Map) {
            diag("rules/invalid-type", unmarshal_error(item, "rwrulefmt.RemoteWriteConfig"), item);
            continue;
          }
          for (auto& [k, vi] : entries(item)) {
            if (key_name(*k) == "url") string_field(node(vi), text);
            else diag("rules/unknown-field", "field " + key_name(*k) + " not found in type rwrulefmt.RemoteWriteConfig", *k);
          }
        }
        return;
    }
  }

  // Loki files: every expression is LogQL. Auto-detected other files: an expression that is
  // recognisably LogQL. Neither is given to the PromQL parser (Expression::logql); one note per
  // file says so.
  bool skip_as_logql(const Expression& e) {
    std::optional<LogqlSign> sign;
    if (choice_.dialect != RulesDialect::Loki) {
      if (choice_.configured || !(sign = find_logql(e.text))) return false;
    }
    if (skipped_logql_++ == 0) {
      first_logql_ = e.map.at(0);
      if (sign) first_sign_ = "LogQL `" + sign->sign + "` at line " + std::to_string(line_of(e.map.at(sign->offset)));
    }
    return true;
  }

  void note_skipped_logql() {
    if (skipped_logql_ == 0) return;
    Diagnostic d;
    d.check_id = "rules/logql-skipped";
    d.severity = DiagnosticSeverity::Info;
    d.message = logql_skipped_message(skipped_logql_, choice_, first_sign_);
    d.offset = first_logql_;
    d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
    out_.diagnostics.push_back(std::move(d));
  }

  DialectChoice choice_;
  size_t skipped_logql_ = 0;
  uint32_t first_logql_ = 0;
  std::string first_sign_;
};

}  // namespace

SourceFile load_rules(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  std::optional<std::vector<Doc>> docs = yaml_tree::parse_documents(content, options, out.diagnostics);
  if (!docs) return out;
  Loader loader(content, out, options.rules_dialect);
  loader.run(*docs);
  return out;
}

}  // namespace promvet::sources
