// Go text/template checks: the parse-time errors Prometheus reports for alert label and
// annotation templates (sources/rules.h, check_go_template), in text/template's wording.
#include <cctype>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/go_quote.h"
#include "base/strings.h"
#include "sources/rules.h"

namespace promvet::sources {
namespace {

using base::go_quote;

struct TTok {
  enum Kind { Ident, Var, Field, Dot, Str, Num, LParen, RParen, Pipe, Declare, Assign, Comma, Char } kind;
  std::string text;
  int line;
};

const std::unordered_set<std::string>& template_funcs() {
  static const std::unordered_set<std::string> f = {
      // Go builtins.
      "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq",
      "ge", "gt", "le", "lt", "ne",
      // Prometheus template functions (template/template.go).
      "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper",
      "toLower", "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024", "humanizeDuration",
      "humanizePercentage", "humanizeTimestamp", "toTime", "pathPrefix", "externalURL", "parseDuration", "stripPort",
      "stripDomain", "toDuration", "now"};
  return f;
}

// The variables Prometheus defines for alert templates, or declared by the template itself.
bool defined(const std::unordered_set<std::string>& declared, const std::string& name) {
  return name == "$" || name == "$labels" || name == "$externalLabels" || name == "$externalURL" || name == "$value" ||
         declared.count(name) > 0;
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
      else {
        ++k;
        break;
      }
    }
    if (k < toks.size() && (toks[k].kind == TTok::Declare || toks[k].kind == TTok::Assign)) {
      if (toks[k].kind == TTok::Assign)
        for (auto& nm : names)
          if (!defined(vars, nm)) return std::to_string(toks[0].line) + ": undefined variable " + go_quote(nm);
      for (auto& nm : names) vars.insert(nm);
      start = k + 1;
    }
  }
  int depth = 0;
  bool empty_cmd = true;
  for (size_t k = start; k < toks.size(); ++k) {
    const TTok& t = toks[k];
    switch (t.kind) {
      case TTok::Char: return std::to_string(t.line) + ": unexpected " + go_quote(t.text) + " in operand";
      case TTok::Ident:
        if (t.text != "true" && t.text != "false" && t.text != "nil" && !template_funcs().count(t.text))
          return std::to_string(t.line) + ": function " + go_quote(t.text) + " not defined";
        empty_cmd = false;
        break;
      case TTok::Var: {
        std::string base = t.text;
        if (!defined(vars, base)) return std::to_string(t.line) + ": undefined variable " + go_quote(base);
        empty_cmd = false;
        break;
      }
      case TTok::LParen:
        ++depth;
        empty_cmd = true;
        break;
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

using base::is_space_or_newline;

// One template, action by action: `{{` ... `}}` lexed into tokens, comments skipped, keywords
// (if/range/with/else/end/define/...) matched into blocks, each pipeline checked by check_tokens.
class TemplateChecker {
 public:
  explicit TemplateChecker(std::string_view s) : s_(s), n_(s.size()) {}

  std::string run() {
    size_t i = 0;
    while (i < n_) {
      size_t a = s_.find("{{", i);
      if (a == std::string_view::npos) {
        count_lines(i, n_);
        break;
      }
      count_lines(i, a);
      size_t j = a + 2;
      if (j + 1 < n_ && s_[j] == '-' && is_space_or_newline(s_[j + 1])) ++j;
      std::string error;
      size_t after_comment = 0;
      Comment comment = skip_comment(a, j, after_comment, error);
      if (comment == Comment::Error) return error;
      if (comment == Comment::Skipped) {
        i = after_comment;
        continue;
      }
      std::vector<TTok> toks;
      bool closed = false;
      std::string lex_error;
      j = lex_action(j, toks, closed, lex_error);
      if (!closed && lex_error.empty()) lex_error = "unclosed action";
      std::string e = check_action(toks, lex_error);
      if (!e.empty()) return e;
      i = j;
    }
    if (!blocks_.empty()) return std::to_string(line_) + ": unexpected EOF";
    return "";
  }

 private:
  enum class Comment { None, Skipped, Error };

  void count_lines(size_t from, size_t to) {
    for (size_t k = from; k < to && k < n_; ++k)
      if (s_[k] == '\n') ++line_;
  }

  // `{{/* ... */}}` (trim markers allowed) starting at `a`, its content at `j`: Skipped with
  // `next` after its `}}`, Error with the message, or None when the action is no comment.
  Comment skip_comment(size_t a, size_t j, size_t& next, std::string& error) {
    size_t k = j;
    while (k < n_ && is_space_or_newline(s_[k])) ++k;
    if (!(s_.substr(j).rfind("/*", 0) == 0 || (k > j && s_.substr(k).rfind("/*", 0) == 0 && s_[j - 1] == '-')))
      return Comment::None;
    size_t c = s_.find("*/", k + 2);
    if (c == std::string_view::npos) {
      error = std::to_string(line_) + ": unclosed comment";
      return Comment::Error;
    }
    size_t e = c + 2;
    while (e < n_ && is_space_or_newline(s_[e])) ++e;
    if (e < n_ && s_[e] == '-') ++e;
    if (s_.substr(e).rfind("}}", 0) != 0) {
      if (s_.substr(c + 2).rfind("}}", 0) != 0) {
        error = std::to_string(line_) + ": comment ends before closing delimiter";
        return Comment::Error;
      }
      e = c + 2;
    }
    count_lines(a, e + 2);
    next = e + 2;
    return Comment::Skipped;
  }

  // The tokens of the action whose content starts at `j`, up to its `}}` (`closed`) or a lexical
  // error; returns the offset after the action.
  size_t lex_action(size_t j, std::vector<TTok>& toks, bool& closed, std::string& lex_error) {
    while (j < n_) {
      char c = s_[j];
      if (is_space_or_newline(c)) {
        // " -}}" right trim marker.
        if (j + 3 < n_ + 0 && s_[j + 1] == '-' && s_.substr(j + 2, 2) == "}}") {
          count_lines(j, j + 1);
          j += 4;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        ++j;
        continue;
      }
      if (s_.substr(j, 2) == "}}") {
        j += 2;
        closed = true;
        break;
      }
      lex_error = lex_token(j, toks);
      if (!lex_error.empty()) break;
    }
    return j;
  }

  // `$x.y` and `x.y` from `b`: the name, then a field chain that belongs to the same operand; the
  // token's text is the name alone.
  TTok operand_with_fields(size_t b, size_t& j, TTok::Kind kind) const {
    while (j < n_ && is_ident_char(s_[j])) ++j;
    while (j < n_ && s_[j] == '.' && j + 1 < n_ && is_ident_char(s_[j + 1])) {
      ++j;
      while (j < n_ && is_ident_char(s_[j])) ++j;
    }
    std::string_view word = s_.substr(b, j - b);
    return TTok{kind, std::string(word.substr(0, word.find('.'))), line_};
  }

  // One token at `j` (not a blank, not `}}`), appended to `toks`; returns a lexical error or "".
  std::string lex_token(size_t& j, std::vector<TTok>& toks) {
    const char c = s_[j];
    const size_t b = j;
    TTok t{TTok::Char, "", line_};
    if (c == '"') {
      ++j;
      while (j < n_ && s_[j] != '"' && s_[j] != '\n') j += (s_[j] == '\\' && j + 1 < n_ && s_[j + 1] != '\n') ? 2 : 1;
      if (j >= n_ || s_[j] != '"') return "unterminated quoted string";
      ++j;
      t.kind = TTok::Str;
    } else if (c == '`') {
      size_t e = s_.find('`', j + 1);
      if (e == std::string_view::npos) return "unterminated raw quoted string";
      count_lines(j, e);
      j = e + 1;
      t.kind = TTok::Str;
    } else if (c == '\'') {
      ++j;
      while (j < n_ && s_[j] != '\'' && s_[j] != '\n') j += (s_[j] == '\\' && j + 1 < n_) ? 2 : 1;
      if (j >= n_ || s_[j] != '\'') return "unterminated character constant";
      ++j;
      t.kind = TTok::Num;
    } else if (c == '(') {
      ++j;
      t.kind = TTok::LParen;
    } else if (c == ')') {
      ++j;
      t.kind = TTok::RParen;
    } else if (c == '|') {
      ++j;
      t.kind = TTok::Pipe;
    } else if (c == ',') {
      ++j;
      t.kind = TTok::Comma;
    } else if (c == '=') {
      ++j;
      t.kind = TTok::Assign;
    } else if (c == ':' && j + 1 < n_ && s_[j + 1] == '=') {
      j += 2;
      t.kind = TTok::Declare;
    } else if (c == '$') {
      ++j;
      toks.push_back(operand_with_fields(b, j, TTok::Var));
      return "";
    } else if (c == '.') {
      ++j;
      t.kind = lex_after_dot(j);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               ((c == '-' || c == '+') && j + 1 < n_ && std::isdigit(static_cast<unsigned char>(s_[j + 1])))) {
      ++j;
      while (j < n_ && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '.' || s_[j] == '_' ||
                        ((s_[j] == '-' || s_[j] == '+') && (s_[j - 1] == 'e' || s_[j - 1] == 'E' || s_[j - 1] == 'p'))))
        ++j;
      t.kind = TTok::Num;
    } else if (is_ident_char(c)) {
      toks.push_back(operand_with_fields(b, j, TTok::Ident));
      return "";
    } else {
      // One character (a UTF-8 sequence counts as one).
      ++j;
      while (j < n_ && (static_cast<unsigned char>(s_[j]) & 0xC0) == 0x80) ++j;
      t.kind = TTok::Char;
    }
    t.text = std::string(s_.substr(b, j - b));
    toks.push_back(t);
    return "";
  }

  // After a `.` at j - 1: a field chain `.x.y`, a number `.5`, or the dot itself.
  TTok::Kind lex_after_dot(size_t& j) const {
    if (j < n_ && is_ident_char(s_[j]) && !std::isdigit(static_cast<unsigned char>(s_[j]))) {
      while (j < n_ && (is_ident_char(s_[j]) || (s_[j] == '.' && j + 1 < n_ && is_ident_char(s_[j + 1])))) ++j;
      return TTok::Field;
    }
    if (j < n_ && std::isdigit(static_cast<unsigned char>(s_[j]))) {
      while (j < n_ && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '.' || s_[j] == '_')) ++j;
      return TTok::Num;
    }
    return TTok::Dot;
  }

  // An action's keyword and pipeline: blocks opened and closed, pipelines checked.
  std::string check_action(const std::vector<TTok>& toks, const std::string& lex_error) {
    std::string kw = !toks.empty() && toks[0].kind == TTok::Ident ? toks[0].text : "";
    static const std::unordered_set<std::string> keywords = {"if",     "else",     "end",   "range", "with",
                                                             "define", "template", "block", "break", "continue"};
    bool is_kw = keywords.count(kw) > 0;
    if (!lex_error.empty()) {
      std::vector<TTok> rest(toks.begin() + (is_kw ? 1 : 0), toks.end());
      std::string e = check_tokens(rest, vars_, false, "command");
      if (!e.empty()) return e;
      return std::to_string(line_) + ": " + lex_error;
    }
    int aline = toks.empty() ? line_ : toks[0].line;
    if (toks.empty()) return std::to_string(line_) + ": missing value for command";
    if (!is_kw) return check_command(toks);  // most actions ({{ $value }}): no copy, no keyword compared
    std::vector<TTok> rest(toks.begin() + 1, toks.end());
    if (kw == "end") {
      if (blocks_.empty()) return std::to_string(aline) + ": unexpected {{end}}";
      blocks_.pop_back();
    } else if (kw == "else") {
      if (blocks_.empty() || blocks_.back() == "define") return std::to_string(aline) + ": unexpected {{else}}";
      if (!rest.empty() && rest[0].kind == TTok::Ident && (rest[0].text == "if" || rest[0].text == "with")) {
        std::string sub = rest[0].text;
        rest.erase(rest.begin());
        if (rest.empty()) return std::to_string(aline) + ": missing value for " + sub;
        return check_tokens(rest, vars_, true, sub);
      }
    } else if (kw == "if" || kw == "range" || kw == "with") {
      if (rest.empty()) return std::to_string(aline) + ": missing value for " + kw;
      std::string e = check_tokens(rest, vars_, true, kw);
      if (!e.empty()) return e;
      blocks_.push_back(kw);
    } else if (kw == "define" || kw == "block") {
      blocks_.push_back(kw);
    } else if (kw == "template" || kw == "break" || kw == "continue") {
      // Arguments are not checked.
    }
    return "";
  }

  // An action that is a pipeline: its commands, and no empty one at the end.
  std::string check_command(const std::vector<TTok>& toks) {
    std::string e = check_tokens(toks, vars_, true, "command");
    if (!e.empty()) return e;
    // An empty pipeline after a declaration or pipe.
    if (!toks.empty() &&
        (toks.back().kind == TTok::Pipe || toks.back().kind == TTok::Declare || toks.back().kind == TTok::Assign))
      return std::to_string(toks.back().line) + ": missing value for command";
    return "";
  }

  std::string_view s_;
  size_t n_;
  int line_ = 1;
  std::unordered_set<std::string> vars_;  // declared by the template (see defined())
  std::vector<std::string> blocks_;
};

}  // namespace

std::string check_go_template(std::string_view s) {
  // Most label and annotation values hold no action: nothing to parse.
  if (s.find("{{") == std::string_view::npos) return "";
  return TemplateChecker(s).run();
}

}  // namespace promvet::sources
