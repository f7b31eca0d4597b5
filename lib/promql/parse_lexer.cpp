// The PromQL lexer, written by hand and emitting the token types the parser grammar declares
// (grammar/PromQLParser.g4, `tokens { ... }`). Like Prometheus' lexer it has three modes:
// statements; inside braces, where every word is a label name, keywords included; inside brackets
// (ranges, subquery steps and duration arithmetic), where ':' is a separator. It accepts a superset
// of PromQL: stray characters, malformed numbers and unterminated strings become tokens the parser
// never takes (ERROR_CHAR and its per-mode kin, BAD_NUMBER, UNTERMINATED_STRING), and the scan of the
// token stream (parse_scan.cpp) phrases them as Prometheus does. Where two token shapes match, the
// longer one wins, and on equal length the one listed first in the comments below.
#include <cstring>

#include "promql/parse_runtime_internal.h"

namespace promvet::promql::parse_detail {
namespace {

constexpr size_t kSkip = Token::INVALID_TYPE;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word(char c) { return is_letter(c) || is_digit(c); }
bool is_digit_or_underscore(char c) { return is_digit(c) || c == '_'; }
bool is_hex_or_underscore(char c) { return is_digit_or_underscore(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct Keyword {
  const char* word;
  size_t type;
};

// Case-insensitive words with their own token types, by length. Inf and NaN are numbers, as in
// Prometheus.
constexpr size_t kLongestKeyword = 12;
const std::vector<Keyword>& keywords_of_length(size_t n) {
  static const std::array<std::vector<Keyword>, kLongestKeyword + 1> table = [] {
    const Keyword all[] = {
        {"and", P::AND},
        {"or", P::OR},
        {"unless", P::UNLESS},
        {"atan2", P::ATAN2},
        {"sum", P::SUM},
        {"avg", P::AVG},
        {"count", P::COUNT},
        {"min", P::MIN},
        {"max", P::MAX},
        {"group", P::GROUP},
        {"stddev", P::STDDEV},
        {"stdvar", P::STDVAR},
        {"topk", P::TOPK},
        {"bottomk", P::BOTTOMK},
        {"quantile", P::QUANTILE},
        {"count_values", P::COUNT_VALUES},
        {"limitk", P::LIMITK},
        {"limit_ratio", P::LIMIT_RATIO},
        {"bool", P::BOOL},
        {"by", P::BY},
        {"without", P::WITHOUT},
        {"on", P::ON},
        {"ignoring", P::IGNORING},
        {"group_left", P::GROUP_LEFT},
        {"group_right", P::GROUP_RIGHT},
        {"offset", P::OFFSET},
        {"start", P::START},
        {"end", P::END},
        {"anchored", P::ANCHORED},
        {"smoothed", P::SMOOTHED},
        {"fill", P::FILL},
        {"fill_left", P::FILL_LEFT},
        {"fill_right", P::FILL_RIGHT},
        {"inf", P::NUMBER},
        {"nan", P::NUMBER},
    };
    std::array<std::vector<Keyword>, kLongestKeyword + 1> by_length;
    for (const Keyword& k : all) by_length[std::strlen(k.word)].push_back(k);
    return by_length;
  }();
  return table[n];
}

// The keyword `word` spells in any letter case, or `otherwise`.
size_t keyword_type(std::string_view word, size_t otherwise) {
  if (word.size() > kLongestKeyword) return otherwise;
  char lower[kLongestKeyword];
  for (size_t i = 0; i < word.size(); ++i)
    lower[i] = word[i] >= 'A' && word[i] <= 'Z' ? static_cast<char>(word[i] | 0x20) : word[i];
  for (const Keyword& k : keywords_of_length(word.size()))
    if (std::memcmp(k.word, lower, word.size()) == 0) return k.type;
  return otherwise;
}

}  // namespace

void Lexer::reset(std::string_view source) {
  src_ = source;
  at_ = 0;
  line_ = 1;
  line_start_ = 0;
  mode_ = Mode::Statements;
}

std::unique_ptr<Token> Lexer::nextToken() {
  for (;;) {
    const size_t start = at_;
    const size_t line = line_;
    const size_t column = start - line_start_;
    size_t type = Token::EOF;
    if (at_ < src_.size()) {
      type = scan();
      if (type == kSkip) continue;
    }
    // The end of input is a token starting there and stopping one byte before (ANTLR's emitEOF).
    std::unique_ptr<antlr4::CommonToken> t(
        new PooledToken(std::pair<antlr4::TokenSource*, antlr4::CharStream*>(this, input_), type,
                        Token::DEFAULT_CHANNEL, start, at_ - 1));
    t->setLine(line);
    t->setCharPositionInLine(column);
    return t;
  }
}

char Lexer::peek(size_t k) const { return at_ + k < src_.size() ? src_[at_ + k] : '\0'; }

void Lexer::newline_at(size_t i) {
  ++line_;
  line_start_ = i + 1;
}

// One token from at_ (not at the end), at_ moved past it; kSkip for whitespace and comments.
size_t Lexer::scan() {
  const char c = src_[at_];
  if (is_space(c)) {
    for (; at_ < src_.size() && is_space(src_[at_]); ++at_)
      if (src_[at_] == '\n') newline_at(at_);
    return kSkip;
  }
  // '#' runs to the end of the line, except inside brackets (there it is a stray character).
  if (c == '#' && mode_ != Mode::Brackets) {
    while (at_ < src_.size() && src_[at_] != '\n' && src_[at_] != '\r') ++at_;
    return kSkip;
  }
  switch (mode_) {
    case Mode::Statements: return scan_statement(c);
    case Mode::Braces: return scan_in_braces(c);
    case Mode::Brackets: return scan_in_brackets(c);
  }
  return kSkip;
}

size_t Lexer::scan_statement(char c) {
  if (is_letter(c) || c == ':') {
    // A word with a ':' is a metric name; without, a keyword, Inf/NaN or an identifier.
    const size_t start = at_;
    bool colon = false;
    for (; at_ < src_.size() && (is_word(src_[at_]) || src_[at_] == ':'); ++at_) colon = colon || src_[at_] == ':';
    if (colon) return P::METRIC_IDENTIFIER;
    return keyword_type(src_.substr(start, at_ - start), P::IDENTIFIER);
  }
  if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return scan_number();
  if (c == '"' || c == '\'' || c == '`') return scan_string(c);
  const size_t type = scan_operator(c);
  if (type == P::LEFT_BRACE) mode_ = Mode::Braces;
  if (type == P::LEFT_BRACKET) mode_ = Mode::Brackets;
  return type;
}

// Brackets, separators and operators of statements; any other byte is an ERROR_CHAR of its own.
size_t Lexer::scan_operator(char c) {
  const char next = peek(1);
  size_t type = P::ERROR_CHAR;
  size_t width = 1;
  const auto two = [&width](auto two_byte_type) {
    width = 2;
    return two_byte_type;
  };
  switch (c) {
    case '(': type = P::LEFT_PAREN; break;
    case ')': type = P::RIGHT_PAREN; break;
    case '{': type = P::LEFT_BRACE; break;
    case '}': type = P::RIGHT_BRACE; break;
    case '[': type = P::LEFT_BRACKET; break;
    case ']': type = P::RIGHT_BRACKET; break;
    case ',': type = P::COMMA; break;
    case '@': type = P::AT; break;
    case '+': type = P::ADD; break;
    case '-': type = P::SUB; break;
    case '*': type = P::MUL; break;
    case '/': type = P::DIV; break;
    case '%': type = P::MOD; break;
    case '^': type = P::POW; break;
    case '=': type = next == '=' ? two(P::EQLC) : next == '~' ? two(P::EQL_REGEX) : P::EQL; break;
    case '!': type = next == '=' ? two(P::NEQ) : next == '~' ? two(P::NEQ_REGEX) : P::ERROR_CHAR; break;
    // The trimming operators '</' and '>/' before '<' and '>', as Prometheus lexes them.
    case '<': type = next == '/' ? two(P::TRIM_UPPER) : next == '=' ? two(P::LTE) : P::LSS; break;
    case '>': type = next == '/' ? two(P::TRIM_LOWER) : next == '=' ? two(P::GTE) : P::GTR; break;
    default: break;
  }
  at_ += width;
  return type;
}

// Label matchers: label names (keywords are names here), strings, match operators, ',' and '}'.
size_t Lexer::scan_in_braces(char c) {
  if (is_letter(c)) {
    while (at_ < src_.size() && is_word(src_[at_])) ++at_;
    return P::IDENTIFIER;
  }
  if (c == '"' || c == '\'' || c == '`') return scan_string(c);
  const char next = peek(1);
  size_t type = P::BRACES_ERROR_CHAR;
  size_t width = 1;
  switch (c) {
    case '=':
      type = next == '~' ? P::EQL_REGEX : P::EQL;
      width = next == '~' ? 2 : 1;
      break;
    case '!':
      if (next == '=' || next == '~') {
        type = next == '=' ? P::NEQ : P::NEQ_REGEX;
        width = 2;
      }
      break;
    case ',': type = P::COMMA; break;
    case '}':
      type = P::RIGHT_BRACE;
      mode_ = Mode::Statements;
      break;
    default: break;
  }
  at_ += width;
  return type;
}

// Durations, numbers, words (step(), range(), min/max; Inf and NaN are numbers), ':' and
// arithmetic; no comments, strings or other brackets.
size_t Lexer::scan_in_brackets(char c) {
  if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return scan_number();
  if (is_letter(c)) {
    const size_t start = at_;
    while (at_ < src_.size() && is_word(src_[at_])) ++at_;
    const size_t type = keyword_type(src_.substr(start, at_ - start), P::IDENTIFIER);
    return type == P::NUMBER ? P::NUMBER : P::IDENTIFIER;
  }
  size_t type = P::BRACKETS_ERROR_CHAR;
  switch (c) {
    case ':': type = P::COLON; break;
    case ',': type = P::COMMA; break;
    case '(': type = P::LEFT_PAREN; break;
    case ')': type = P::RIGHT_PAREN; break;
    case '+': type = P::ADD; break;
    case '-': type = P::SUB; break;
    case '*': type = P::MUL; break;
    case '/': type = P::DIV; break;
    case '%': type = P::MOD; break;
    case '^': type = P::POW; break;
    case ']':
      type = P::RIGHT_BRACKET;
      mode_ = Mode::Statements;
      break;
    default: break;
  }
  ++at_;
  return type;
}

// From a digit or a '.' before one: the longest of a number, a duration and a run of number-ish
// characters (BAD_NUMBER, Prometheus' "bad number or duration syntax"); numbers and durations are
// scanned liberally (underscores anywhere) and validated in the AST builder, where the error can
// say what is wrong.
size_t Lexer::scan_number() {
  const size_t number = number_end(at_);
  const size_t duration = duration_end(at_);
  size_t run = at_ + 1;
  while (run < src_.size() && (is_word(src_[run]) || src_[run] == '.')) ++run;
  const size_t longest = std::max({number, duration, run});
  at_ = longest;
  if (number == longest) return P::NUMBER;
  if (duration == longest) return P::DURATION;
  return P::BAD_NUMBER;
}

// The end of the longest number from i (i itself when none): a hexadecimal integer ('0x' then
// hex digits or '_'), or digits and '_' with an optional fraction and exponent ('.5' included).
size_t Lexer::number_end(size_t i) const {
  const auto at = [this](size_t k) { return k < src_.size() ? src_[k] : '\0'; };
  size_t hex = i;
  if (at(i) == '0' && (at(i + 1) | 0x20) == 'x' && is_hex_or_underscore(at(i + 2))) {
    hex = i + 2;
    while (is_hex_or_underscore(at(hex))) ++hex;
  }
  size_t j = i;
  if (is_digit(at(j))) {
    while (is_digit_or_underscore(at(j))) ++j;
    if (at(j) == '.') {
      ++j;
      while (is_digit_or_underscore(at(j))) ++j;
    }
  } else if (at(j) == '.' && is_digit(at(j + 1))) {
    j += 2;
    while (is_digit_or_underscore(at(j))) ++j;
  } else {
    return hex;
  }
  if ((at(j) | 0x20) == 'e') {
    size_t k = j + 1;
    if (at(k) == '+' || at(k) == '-') ++k;
    if (is_digit_or_underscore(at(k))) {
      while (is_digit_or_underscore(at(k))) ++k;
      j = k;
    }
  }
  return std::max(hex, j);
}

// The end of the longest duration from i (i when none), as Prometheus' lexer takes one: digits
// and a unit letter (y for the first unit only), optionally followed by 's' ('ms', and 'hs' that
// the duration parser then rejects by name), repeated.
size_t Lexer::duration_end(size_t i) const {
  const auto at = [this](size_t k) { return k < src_.size() ? src_[k] : '\0'; };
  const auto unit_end = [&](size_t k, bool first) -> size_t {
    const char u = at(k);
    if (u == '\0' || std::strchr(first ? "smhdwy" : "smhdw", u) == nullptr) return 0;
    return at(k + 1) == 's' ? k + 2 : k + 1;
  };
  size_t end = i;
  for (bool first = true;; first = false) {
    size_t k = end;
    if (!is_digit(at(k))) break;
    while (is_digit(at(k))) ++k;
    const size_t after = unit_end(k, first);
    if (after == 0) break;
    end = after;
  }
  return end;
}

// A quoted string from its opening quote. In "..." and '...' a backslash takes the next byte
// whatever it is and a newline ends the string unterminated; `...` runs to the next backtick.
// Escapes are checked later (parse_scan.cpp), in Prometheus' words.
size_t Lexer::scan_string(char quote) {
  for (size_t j = at_ + 1;; ++j) {
    if (j >= src_.size()) {
      at_ = j;
      return P::UNTERMINATED_STRING;
    }
    const char c = src_[j];
    if (c == quote) {
      at_ = j + 1;
      return P::STRING;
    }
    if (quote != '`' && (c == '\n' || (c == '\\' && j + 1 >= src_.size()))) {
      at_ = j;
      return P::UNTERMINATED_STRING;
    }
    if (quote != '`' && c == '\\') {
      ++j;
      if (src_[j] == '\n') newline_at(j);
    } else if (c == '\n') {
      newline_at(j);
    }
  }
}

}  // namespace promvet::promql::parse_detail
