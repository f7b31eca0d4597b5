// Syntax errors from ANTLR, phrased like Prometheus' unexpected(context, expected): the token
// described as Prometheus' Item.desc() does, and the production it broke read off the tokens
// around it.
#include <fmt/format.h>

#include "promql/literals.h"
#include "promql/parse_internal.h"

namespace promvet::promql::parse_detail {

// ---------------------------------------------------------------------------------------------
// Token descriptions in Prometheus' words (Item.desc()).

bool is_operator_token(size_t t) {
  switch (t) {
    case P::ADD:
    case P::SUB:
    case P::MUL:
    case P::DIV:
    case P::MOD:
    case P::POW:
    case P::EQLC:
    case P::NEQ:
    case P::GTE:
    case P::LTE:
    case P::GTR:
    case P::LSS:
    case P::EQL_REGEX:
    case P::NEQ_REGEX:
    case P::AND:
    case P::OR:
    case P::UNLESS:
    case P::ATAN2:
    case P::AT:
    case P::TRIM_UPPER:
    case P::TRIM_LOWER: return true;
    default: return false;
  }
}

bool is_aggregator_token(size_t t) { return t >= P::SUM && t <= P::LIMIT_RATIO; }

namespace {

bool is_keyword_token(size_t t) { return (t >= P::BOOL && t <= P::OFFSET) || (t >= P::ANCHORED && t <= P::FILL_RIGHT); }

std::string truncated_quote(std::string_view text) {
  // Go's %.10q: at most 10 runes, then "...".
  size_t runes = 0;
  size_t i = 0;
  while (i < text.size() && runes < 10) {
    size_t width = 1;
    literals::decode_utf8(text, i, &width);
    i += width;
    ++runes;
  }
  if (i >= text.size()) return literals::go_quote(text);
  return literals::go_quote(text.substr(0, i)) + "...";
}

std::string describe(const Token* t, std::string_view src) {
  size_t type = t->getType();
  if (type == Token::EOF) return "end of input";
  Range r = token_range(t);
  std::string_view text = src.substr(r.begin, r.end - r.begin);
  switch (type) {
    case P::IDENTIFIER: return "identifier " + literals::go_quote(text);
    case P::METRIC_IDENTIFIER: return "metric identifier " + literals::go_quote(text);
    case P::NUMBER: return "number " + truncated_quote(text);
    case P::DURATION: return "duration " + truncated_quote(text);
    case P::STRING: return "string " + truncated_quote(text);
    default: break;
  }
  if (is_keyword_token(type)) return fmt::format("<{}>", text);
  if (is_operator_token(type)) return fmt::format("<op:{}>", text);
  if (is_aggregator_token(type)) return fmt::format("<aggr:{}>", text);
  return literals::go_quote(text);
}

// ---------------------------------------------------------------------------------------------
// Syntax errors from ANTLR, phrased like Prometheus' unexpected(context, expected).

// Prometheus names the production it was in ("in grouping opts, expected label"); ANTLR's rule
// contexts do not line up with goyacc's states, so the context is read off the tokens around
// the offending one, which is what a reader of the message sees anyway.
class ErrorContext {
 public:
  ErrorContext(const std::vector<Token*>& tokens, size_t at) : tokens_(tokens), at_(at) {}

  std::string phrase() const {
    size_t prev = type(at_, 1);
    long open = innermost_open();
    if (open >= 0) {
      size_t open_type = tokens_[static_cast<size_t>(open)]->getType();
      if (open_type == P::LEFT_BRACE) {
        if (prev == P::LEFT_BRACE || prev == P::COMMA) return R"m( in label matching, expected identifier or "}")m";
        if (prev == P::IDENTIFIER) return " in label matching, expected label matching operator";
        if (is_match_op(prev)) return " in label matching, expected string";
        return R"m( in label matching, expected "," or "}")m";
      }
      if (open_type == P::LEFT_PAREN && is_grouping_keyword(type(static_cast<size_t>(open), 1))) {
        if (prev == P::LEFT_PAREN || prev == P::COMMA) return " in grouping opts, expected label";
        return R"m( in grouping opts, expected "," or ")")m";
      }
      if (open_type == P::LEFT_BRACKET) {
        if (prev == P::LEFT_BRACKET || prev == P::IDENTIFIER)
          return " in subquery or range selector, expected number, duration, step(), or range()";
        if (prev == P::COLON) return R"m( in subquery selector, expected number, duration, step(), range(), or "]")m";
        for (size_t i = static_cast<size_t>(open) + 1; i < at_; ++i)
          if (tokens_[i]->getType() == P::COLON) return R"m( in subquery selector, expected "]")m";
        return R"m( in subquery or range, expected ":" or "]")m";
      }
    }
    if (is_grouping_keyword(prev)) return R"m( in grouping opts, expected "(")m";
    if (prev == P::OFFSET || ((prev == P::SUB || prev == P::ADD) && type(at_, 2) == P::OFFSET))
      return " in offset, expected number, duration, step(), or range()";
    if (prev == P::AT) return " in @, expected timestamp";
    if ((prev == P::START || prev == P::END) && type(at_, 2) == P::AT) return " in @, expected timestamp";
    if (prev == P::LEFT_PAREN && (type(at_, 2) == P::START || type(at_, 2) == P::END) && type(at_, 3) == P::AT)
      return " in @, expected timestamp";
    if (closes_aggregation_grouping(at_)) return " in aggregation";
    return "";
  }

 private:
  size_t type(size_t i, size_t back) const { return i >= back ? tokens_[i - back]->getType() : Token::INVALID_TYPE; }

  static bool is_match_op(size_t t) { return t == P::EQL || t == P::NEQ || t == P::EQL_REGEX || t == P::NEQ_REGEX; }
  static bool is_grouping_keyword(size_t t) {
    return t == P::BY || t == P::WITHOUT || t == P::ON || t == P::IGNORING || t == P::GROUP_LEFT || t == P::GROUP_RIGHT;
  }

  long innermost_open() const {
    int depth = 0;
    for (size_t i = at_; i-- > 0;) {
      size_t t = tokens_[i]->getType();
      if (t == P::RIGHT_PAREN || t == P::RIGHT_BRACKET || t == P::RIGHT_BRACE) ++depth;
      if (t == P::LEFT_PAREN || t == P::LEFT_BRACKET || t == P::LEFT_BRACE) {
        if (depth == 0) return static_cast<long>(i);
        --depth;
      }
    }
    return -1;
  }

  // `sum by (a) <here>`: the token before is the ')' of an aggregation's grouping list.
  bool closes_aggregation_grouping(size_t i) const {
    if (type(i, 1) != P::RIGHT_PAREN) return false;
    int depth = 0;
    for (size_t k = i - 1; k-- > 0;) {
      size_t t = tokens_[k]->getType();
      if (t == P::RIGHT_PAREN) ++depth;
      if (t == P::LEFT_PAREN && depth-- == 0)
        return (type(k, 1) == P::BY || type(k, 1) == P::WITHOUT) && is_aggregator_token(type(k, 2));
    }
    return false;
  }

  const std::vector<Token*>& tokens_;
  size_t at_;
};

bool is_label_token(size_t t) {
  return t == P::IDENTIFIER || t == P::METRIC_IDENTIFIER || t == P::STRING || (t >= P::AND && t <= P::FILL_RIGHT);
}

}  // namespace

// ANTLR reports a failed group_left/group_right label list at its '(' (the predicted alternative
// died inside); Prometheus points at the token inside the list that broke it.
const Token* refine_offending(const std::vector<Token*>& tokens, const Token* offending) {
  size_t i = offending->getTokenIndex();
  if (offending->getType() != P::LEFT_PAREN || i == 0) return offending;
  size_t before = tokens[i - 1]->getType();
  if (before != P::GROUP_LEFT && before != P::GROUP_RIGHT) return offending;
  bool want_label = true;
  for (++i; i < tokens.size(); ++i) {
    size_t t = tokens[i]->getType();
    if (t == P::RIGHT_PAREN) return offending;
    if (want_label ? !is_label_token(t) : t != P::COMMA) return tokens[i];
    want_label = !want_label;
  }
  return offending;
}

std::string syntax_message(const std::vector<Token*>& tokens, const Token* offending, std::string_view src) {
  return "unexpected " + describe(offending, src) + ErrorContext(tokens, offending->getTokenIndex()).phrase();
}

}  // namespace promvet::promql::parse_detail
