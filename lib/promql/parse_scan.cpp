// The errors Prometheus' lexer raises, found by a scan of ANTLR's token stream: the grammar's
// lexer accepts a superset (stray characters, malformed numbers and strings become tokens the
// parser never takes), and this scan phrases them as Prometheus does. It also enforces the
// nesting limit before the recursive-descent parser could recurse that deep.
#include <fmt/format.h>

#include <cctype>

#include "promql/literals.h"
#include "promql/parse_internal.h"

namespace promvet::promql::parse_detail {
namespace {

// The UTF-8 character starting at byte i, as Go decodes it (U+FFFD past the end too).
uint32_t rune_at(std::string_view src, size_t i) {
  if (i >= src.size()) return 0xFFFD;
  size_t width = 0;
  return literals::decode_utf8(src, i, &width);
}

// ASCII without a backslash: a string with such a text, quotes included, decodes without error.
bool plain_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\\') return false;
  return true;
}

// What Prometheus' scanner reports for a malformed number: the text up to where its scan of a
// number, then of a duration, stopped (lexNumberOrDuration + acceptRemainingDuration).
std::string_view bad_number_prefix(std::string_view s) {
  const auto is_alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  const auto in = [](char c, std::string_view set) { return c != '\0' && set.find(c) != std::string_view::npos; };
  size_t i = 0;
  const auto at = [&](size_t k) { return k < s.size() ? s[k] : '\0'; };
  std::string_view digits = "0123456789_";
  if (at(0) == '0' && (at(1) == 'x' || at(1) == 'X')) {
    i = 2;
    digits = "0123456789abcdefABCDEF_";
  }
  while (in(at(i), digits)) ++i;
  if (at(i) == '.') {
    ++i;
    while (in(at(i), digits)) ++i;
  }
  if (at(i) == '.') return s.substr(0, i + 1);
  if (!is_alnum(at(i))) return s.substr(0, i);
  if (!in(at(i), "smhdwy")) return s.substr(0, i);
  ++i;
  if (at(i) == 's') ++i;
  while (in(at(i), "0123456789")) {
    while (in(at(i), "0123456789")) ++i;
    if (!in(at(i), "smhdw")) return s.substr(0, i);
    ++i;
    if (at(i) == 's') ++i;
  }
  return s.substr(0, std::min(s.size(), i + 1));
}

// The lexer's state across tokens: its mode (statements, braces, brackets), the brackets open,
// and for the nesting limit the operators at each bracket level.
class Scanner {
 public:
  Scanner(std::string_view src, const ParseOptions& options) : src_(src), options_(options) {}

  std::optional<LexicalError> next(const Token* t) {
    size_t type = t->getType();
    Range r = token_range(t);
    if (std::optional<LexicalError> e = lexical_error(type, r)) return e;
    nest(type);
    if (level_ops_.size() - 1 + operator_total_ > options_.max_depth)
      return error(fmt::format("expression nesting exceeds the limit of {} levels", options_.max_depth), r);
    before_previous_ = previous_;
    previous_ = type;
    return std::nullopt;
  }

 private:
  enum class Mode { Statements, Braces, Brackets };

  static LexicalError error(std::string message, Range r) {
    return LexicalError{ParseError{std::move(message), r}, r.begin};
  }

  std::string quoted_rune(uint32_t at) const { return literals::go_quote_rune(rune_at(src_, at)); }

  std::optional<LexicalError> lexical_error(size_t type, Range r) {
    const char c = r.begin < src_.size() ? src_[r.begin] : '\0';
    switch (type) {
      case P::ERROR_CHAR:
        if (c == '!') return error("unexpected character after '!': " + quoted_rune(r.end), r);
        return error("unexpected character: " + quoted_rune(r.begin), r);
      case P::BRACES_ERROR_CHAR:
        if (c == '{') return error("unexpected left brace '{'", r);
        if (c == '!') return error("unexpected character inside braces after '!': " + quoted_rune(r.end), r);
        return error("unexpected character inside braces: " + quoted_rune(r.begin), r);
      case P::BRACKETS_ERROR_CHAR:
        return error("unexpected character in duration expression: " + quoted_rune(r.begin), r);
      case P::IDENTIFIER: return mode_ == Mode::Brackets ? bracket_word_error(r) : std::nullopt;
      case P::COLON:
        if (seen_colon_) return error("unexpected colon ':'", r);
        seen_colon_ = true;
        return std::nullopt;
      case P::BAD_NUMBER:
        return error("bad number or duration syntax: " + literals::go_quote(bad_number_prefix(text(r))), r);
      case P::UNTERMINATED_STRING: return unterminated_string_error(r);
      case P::STRING: {
        if (plain_ascii(text(r))) return std::nullopt;  // most strings: no escape to check
        literals::StringResult s = literals::unquote(text(r));
        if (!s.error.empty()) return error(s.error, r);
        return std::nullopt;
      }
      case P::EQL_REGEX:
        if (mode_ == Mode::Statements) return error("unexpected character after '=': '~'", r);
        return std::nullopt;
      case P::NEQ_REGEX:
        if (mode_ == Mode::Statements) return error("unexpected character after '!': '~'", r);
        return std::nullopt;
      default: return bracket_error(type, r);
    }
  }

  // Brackets of all kinds, and the end of input inside one.
  std::optional<LexicalError> bracket_error(size_t type, Range r) {
    switch (type) {
      case P::LEFT_BRACE: mode_ = Mode::Braces; break;
      case P::RIGHT_BRACE:
        if (mode_ != Mode::Braces) return error("unexpected character: '}'", r);
        mode_ = Mode::Statements;
        break;
      case P::LEFT_BRACKET:
        mode_ = Mode::Brackets;
        seen_colon_ = false;
        break;
      case P::RIGHT_BRACKET:
        if (mode_ != Mode::Brackets) return error("unexpected right bracket ']'", r);
        mode_ = Mode::Statements;
        break;
      case P::RIGHT_PAREN:
        // Prometheus emits the ')' before it notices, so it points just past it.
        if (--paren_depth_ < 0)
          return LexicalError{ParseError{"unexpected right parenthesis ')'", {r.end, r.end}}, r.begin};
        break;
      case P::LEFT_PAREN: ++paren_depth_; break;
      case Token::EOF:
        if (mode_ == Mode::Braces) return error("unexpected end of input inside braces", r);
        if (paren_depth_ > 0) return error("unclosed left parenthesis", r);
        if (mode_ == Mode::Brackets) return error("unexpected end of input in duration expression", r);
        break;
      default: break;
    }
    return std::nullopt;
  }

  // The words Prometheus' lexer knows inside brackets, in any letter case; any other is an error.
  std::optional<LexicalError> bracket_word_error(Range r) const {
    std::string word(text(r));
    for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (word == "step" || word == "range" || word == "min" || word == "max" || word == "min_of" || word == "max_of")
      return std::nullopt;
    std::string rune = quoted_rune(r.begin);
    if (previous_ == P::NUMBER || previous_ == P::DURATION)
      return error("unexpected character: " + rune + ", expected ':'", r);
    return error("unexpected character in duration expression: " + rune, r);
  }

  LexicalError unterminated_string_error(Range r) const {
    int following = r.end < src_.size() ? static_cast<unsigned char>(src_[r.end]) : -1;
    std::string message = literals::unquote_unterminated(text(r), following).error;
    // A backslash as the input's last byte: Prometheus' lexEscape meets the end first.
    if (following == '\\' && r.end + 1 == src_.size() && message == "unterminated quoted string")
      return LexicalError{ParseError{"escape sequence not terminated", {r.begin, r.end + 1}}, r.begin};
    return error(message, r);
  }

  // Nesting: every open bracket and every operator can add one level to the parse tree.
  void nest(size_t type) {
    if (type == P::LEFT_PAREN || type == P::LEFT_BRACKET || type == P::LEFT_BRACE) {
      level_ops_.push_back(0);
    } else if ((type == P::RIGHT_PAREN || type == P::RIGHT_BRACKET || type == P::RIGHT_BRACE) &&
               level_ops_.size() > 1) {
      operator_total_ -= level_ops_.back();
      level_ops_.pop_back();
      // A range or subquery wraps the expression before it: x[1m:][1m:]... nests like operators.
      if (type == P::RIGHT_BRACKET) {
        ++level_ops_.back();
        ++operator_total_;
      }
    } else if (type == P::NUMBER && signs_number()) {
      // A sign on a number literal is part of the literal in the tree (Prometheus folds -1 and
      // +Inf): it adds no level. The printer writes +Inf for an infinity, so without this an
      // expression just under the limit printed to text over it (promql_fuzz, 2026-12-07).
      --level_ops_.back();
      --operator_total_;
    } else if (is_operator_token(type) || type == P::OFFSET) {
      // Binary operators, and the offset / @ modifiers, each add a level (x offset 1m offset 1m ...).
      ++level_ops_.back();
      ++operator_total_;
    }
  }

  // Whether the token before this number is a unary sign: + or - where no operand can end, i.e.
  // at the start, after an operator or after an opening bracket or a comma.
  bool signs_number() const {
    if (previous_ != P::ADD && previous_ != P::SUB) return false;
    const size_t b = before_previous_;
    return b == Token::INVALID_TYPE || is_operator_token(b) || b == P::LEFT_PAREN || b == P::LEFT_BRACKET ||
           b == P::COMMA;
  }

  std::string_view text(Range r) const { return src_.substr(r.begin, r.end - r.begin); }

  std::string_view src_;
  const ParseOptions& options_;
  Mode mode_ = Mode::Statements;
  int paren_depth_ = 0;
  bool seen_colon_ = false;
  size_t previous_ = Token::INVALID_TYPE;
  size_t before_previous_ = Token::INVALID_TYPE;
  std::vector<uint32_t> level_ops_{0};
  uint32_t operator_total_ = 0;
};

}  // namespace

std::optional<LexicalError> scan_tokens(const std::vector<Token*>& tokens, std::string_view src,
                                        const ParseOptions& options) {
  Scanner scanner(src, options);
  for (const Token* t : tokens)
    if (std::optional<LexicalError> e = scanner.next(t)) return e;
  return std::nullopt;
}

}  // namespace promvet::promql::parse_detail
