// Drives the ANTLR-generated lexer and parser and turns the parse tree into the promvet AST.
// Error policy: one error per expression, the first in source order. Lexer-level problems
// (stray characters, bad numbers, unbalanced brackets, bad escapes) are found by a scan of the
// token stream, parser-level ones from ANTLR's first exception; whichever sits earlier wins, as
// in Prometheus where the lexer feeds the parser token by token.
#include "promql/parse.h"

#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <typeinfo>

#include "PromQLLexer.h"
#include "PromQLParser.h"
#include "promql/functions.h"
#include "promql/literals.h"

namespace promvet::promql {
namespace {

using promvet_antlr::PromQLLexer;
using P = promvet_antlr::PromQLParser;
using antlr4::ParserRuleContext;
using antlr4::Token;

struct Failure {
  ParseError error;
};

[[noreturn]] void fail(std::string message, Range range) { throw Failure{ParseError{std::move(message), range}}; }

// The lexer sees ASCII only: every byte >= 0x80 becomes \x01. The grammar treats both alike (they
// occur only under negated sets and catch-all rules), token indices stay byte offsets, and no
// message or value is taken from the lexer's text, only from the source. ANTLR caches its lexer
// DFA for code points up to 127 alone: fed UTF-8 (or bytes as code points), it ran the full ATN
// closure for every non-ASCII character, half the time of a fuzzed query file.
std::string ascii_for_lexer(std::string_view src) {
  std::string out(src);
  for (char& c : out)
    if (static_cast<unsigned char>(c) >= 0x80) c = '\x01';
  return out;
}

Range token_range(const Token* t) {
  if (t->getType() == Token::EOF) {
    auto at = static_cast<uint32_t>(t->getStartIndex());
    return {at, at};
  }
  return {static_cast<uint32_t>(t->getStartIndex()), static_cast<uint32_t>(t->getStopIndex() + 1)};
}

Range ctx_range(ParserRuleContext* c) {
  Range r = token_range(c->getStart());
  if (c->getStop() && c->getStop()->getType() != Token::EOF && c->getStop()->getStopIndex() + 1 >= r.begin)
    r.end = static_cast<uint32_t>(c->getStop()->getStopIndex() + 1);
  return r;
}

Range merge(Range a, Range b) { return {std::min(a.begin, b.begin), std::max(a.end, b.end)}; }

// ---------------------------------------------------------------------------------------------
// Token descriptions in Prometheus' words (Item.desc()).

bool is_operator_token(size_t t) {
  switch (t) {
    case P::ADD: case P::SUB: case P::MUL: case P::DIV: case P::MOD: case P::POW: case P::EQLC:
    case P::NEQ: case P::GTE: case P::LTE: case P::GTR: case P::LSS: case P::EQL_REGEX:
    case P::NEQ_REGEX: case P::AND: case P::OR: case P::UNLESS: case P::ATAN2: case P::AT:
    case P::TRIM_UPPER: case P::TRIM_LOWER:
      return true;
    default: return false;
  }
}

bool is_aggregator_token(size_t t) { return t >= P::SUM && t <= P::LIMIT_RATIO; }
bool is_keyword_token(size_t t) { return (t >= P::BOOL && t <= P::OFFSET) || (t >= P::ANCHORED && t <= P::FILL_RIGHT); }

std::string truncated_quote(std::string_view text) {
  // Go's %.10q: at most 10 runes, then "...".
  size_t runes = 0;
  size_t i = 0;
  while (i < text.size() && runes < 10) {
    auto b = static_cast<unsigned char>(text[i]);
    i += b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
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
// Lexical scan: the errors Prometheus' lexer would raise, and the nesting limit.

// The UTF-8 character starting at byte i, as Go decodes it (U+FFFD past the end too).
uint32_t rune_at(std::string_view src, size_t i) {
  if (i >= src.size()) return 0xFFFD;
  size_t width = 0;
  return literals::decode_utf8(src, i, &width);
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

struct LexicalError {
  ParseError error;
  uint32_t token_begin;  // for ordering against a syntax error: the token the lexer stopped at
};

std::optional<LexicalError> scan_tokens(const std::vector<Token*>& tokens, std::string_view src,
                                        const ParseOptions& options) {
  enum class Mode { Statements, Braces, Brackets } mode = Mode::Statements;
  int paren_depth = 0;
  bool seen_colon = false;
  size_t previous = Token::INVALID_TYPE;
  std::vector<uint32_t> level_ops{0};
  uint32_t operator_total = 0;
  for (const Token* t : tokens) {
    size_t type = t->getType();
    Range r = token_range(t);
    char c = r.begin < src.size() ? src[r.begin] : '\0';
    const auto err = [&](std::string message) { return LexicalError{ParseError{std::move(message), r}, r.begin}; };
    switch (type) {
      case P::ERROR_CHAR:
        if (c == '!') return err("unexpected character after '!': " + literals::go_quote_rune(rune_at(src, r.end)));
        return err("unexpected character: " + literals::go_quote_rune(rune_at(src, r.begin)));
      case P::BRACES_ERROR_CHAR:
        if (c == '{') return err("unexpected left brace '{'");
        if (c == '!')
          return err("unexpected character inside braces after '!': " + literals::go_quote_rune(rune_at(src, r.end)));
        return err("unexpected character inside braces: " + literals::go_quote_rune(rune_at(src, r.begin)));
      case P::BRACKETS_ERROR_CHAR:
        return err("unexpected character in duration expression: " +
                   literals::go_quote_rune(rune_at(src, r.begin)));
      case P::IDENTIFIER:
        if (mode == Mode::Brackets) {
          // The words Prometheus' lexer knows inside brackets, in any letter case.
          std::string word(src.substr(r.begin, r.end - r.begin));
          for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          if (word != "step" && word != "range" && word != "min" && word != "max" && word != "min_of" &&
              word != "max_of") {
            std::string rune = literals::go_quote_rune(rune_at(src, r.begin));
            if (previous == P::NUMBER || previous == P::DURATION)
              return err("unexpected character: " + rune + ", expected ':'");
            return err("unexpected character in duration expression: " + rune);
          }
        }
        break;
      case P::COLON:
        if (seen_colon) return err("unexpected colon ':'");
        seen_colon = true;
        break;
      case P::BAD_NUMBER:
        return err("bad number or duration syntax: " +
                   literals::go_quote(bad_number_prefix(src.substr(r.begin, r.end - r.begin))));
      case P::UNTERMINATED_STRING: {
        int following = r.end < src.size() ? static_cast<unsigned char>(src[r.end]) : -1;
        std::string message = literals::unquote_unterminated(src.substr(r.begin, r.end - r.begin), following).error;
        // A backslash as the input's last byte: Prometheus' lexEscape meets the end first.
        if (following == '\\' && r.end + 1 == src.size() && message == "unterminated quoted string")
          return LexicalError{ParseError{"escape sequence not terminated", {r.begin, r.end + 1}}, r.begin};
        return err(message);
      }
      case P::STRING: {
        literals::StringResult s = literals::unquote(src.substr(r.begin, r.end - r.begin));
        if (!s.error.empty()) return err(s.error);
        break;
      }
      case P::EQL_REGEX:
        if (mode == Mode::Statements) return err("unexpected character after '=': '~'");
        break;
      case P::NEQ_REGEX:
        if (mode == Mode::Statements) return err("unexpected character after '!': '~'");
        break;
      case P::LEFT_BRACE: mode = Mode::Braces; break;
      case P::RIGHT_BRACE:
        if (mode != Mode::Braces) return err("unexpected character: '}'");
        mode = Mode::Statements;
        break;
      case P::LEFT_BRACKET:
        mode = Mode::Brackets;
        seen_colon = false;
        break;
      case P::RIGHT_BRACKET:
        if (mode != Mode::Brackets) return err("unexpected right bracket ']'");
        mode = Mode::Statements;
        break;
      case P::RIGHT_PAREN:
        // Prometheus emits the ')' before it notices, so it points just past it.
        if (--paren_depth < 0) return LexicalError{ParseError{"unexpected right parenthesis ')'", {r.end, r.end}}, r.begin};
        break;
      case P::LEFT_PAREN: ++paren_depth; break;
      case Token::EOF:
        if (mode == Mode::Braces) return err("unexpected end of input inside braces");
        if (paren_depth > 0) return err("unclosed left parenthesis");
        if (mode == Mode::Brackets) return err("unexpected end of input in duration expression");
        break;
      default: break;
    }
    // Nesting: every open bracket and every operator can add one level to the parse tree.
    if (type == P::LEFT_PAREN || type == P::LEFT_BRACKET || type == P::LEFT_BRACE) {
      level_ops.push_back(0);
    } else if ((type == P::RIGHT_PAREN || type == P::RIGHT_BRACKET || type == P::RIGHT_BRACE) && level_ops.size() > 1) {
      operator_total -= level_ops.back();
      level_ops.pop_back();
      // A range or subquery wraps the expression before it: x[1m:][1m:]... nests like operators.
      if (type == P::RIGHT_BRACKET) {
        ++level_ops.back();
        ++operator_total;
      }
    } else if (is_operator_token(type) || type == P::OFFSET) {
      // Binary operators, and the offset / @ modifiers, each add a level (x offset 1m offset 1m ...).
      ++level_ops.back();
      ++operator_total;
    }
    if (level_ops.size() - 1 + operator_total > options.max_depth)
      return err(fmt::format("expression nesting exceeds the limit of {} levels", options.max_depth));
    previous = type;
  }
  return std::nullopt;
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

// ---------------------------------------------------------------------------------------------
// Parse tree → AST.

class Builder {
 public:
  Builder(std::string_view src, const ParseOptions& options) : src_(src), options_(options) {}

  ExprPtr expr(P::ExpressionContext* ctx) {
    // typeid, not a dynamic_cast chain: this dispatch runs once per node and dominated profiles.
    const std::type_info& t = typeid(*ctx);
    if (t == typeid(P::BinaryContext)) return binary(static_cast<P::BinaryContext*>(ctx));
    if (t == typeid(P::VectorSelectorContext)) return selector(static_cast<P::VectorSelectorContext*>(ctx));
    if (t == typeid(P::FunctionCallContext)) return call(static_cast<P::FunctionCallContext*>(ctx));
    if (t == typeid(P::AggregationContext)) return aggregation(static_cast<P::AggregationContext*>(ctx));
    if (t == typeid(P::NumberLiteralContext)) return number(static_cast<P::NumberLiteralContext*>(ctx));
    if (t == typeid(P::StringLiteralContext)) return string(static_cast<P::StringLiteralContext*>(ctx));
    if (t == typeid(P::ParensContext)) return parens(static_cast<P::ParensContext*>(ctx));
    if (t == typeid(P::UnaryContext)) return unary(static_cast<P::UnaryContext*>(ctx));
    if (t == typeid(P::RangeSelectorContext)) return range_selector(static_cast<P::RangeSelectorContext*>(ctx));
    if (t == typeid(P::SubqueryContext)) return subquery(static_cast<P::SubqueryContext*>(ctx));
    if (t == typeid(P::OffsetModifierContext)) return offset(static_cast<P::OffsetModifierContext*>(ctx));
    if (t == typeid(P::AtModifierContext)) return at(static_cast<P::AtModifierContext*>(ctx));
    if (t == typeid(P::ExtendedRangeContext)) return extended_range(static_cast<P::ExtendedRangeContext*>(ctx));
  fail("unsupported expression", ctx_range(ctx));
  }

 private:
  std::string_view text(const Token* t) const {
    Range r = token_range(t);
    return src_.substr(r.begin, r.end - r.begin);
  }

  std::string unquoted(const Token* t) const { return literals::unquote(text(t)).value; }

  static BinaryOp binary_op(size_t type) {
    switch (type) {
      case P::ADD: return BinaryOp::Add;
      case P::SUB: return BinaryOp::Sub;
      case P::MUL: return BinaryOp::Mul;
      case P::DIV: return BinaryOp::Div;
      case P::MOD: return BinaryOp::Mod;
      case P::POW: return BinaryOp::Pow;
      case P::ATAN2: return BinaryOp::Atan2;
      case P::EQLC: return BinaryOp::Eql;
      case P::NEQ: return BinaryOp::Neq;
      case P::GTR: return BinaryOp::Gtr;
      case P::LSS: return BinaryOp::Lss;
      case P::GTE: return BinaryOp::Gte;
      case P::LTE: return BinaryOp::Lte;
      case P::AND: return BinaryOp::And;
      case P::TRIM_UPPER: return BinaryOp::TrimUpper;
      case P::TRIM_LOWER: return BinaryOp::TrimLower;
      case P::OR: return BinaryOp::Or;
      default: return BinaryOp::Unless;
    }
  }

  ExprPtr binary(P::BinaryContext* c) {
    auto node = std::make_unique<Binary>();
    node->op = binary_op(c->op->getType());
    node->op_range = token_range(c->op);
    // Fixed layout [lhs, op, binModifiers, rhs]: indexing beats ANTLR's accessors, which
    // dynamic_cast every child on each call.
    node->lhs = expr(static_cast<P::ExpressionContext*>(c->children[0]));
    auto* m = static_cast<P::BinModifiersContext*>(c->children[2]);
    if (m && !m->children.empty()) {
      node->return_bool = m->BOOL() != nullptr;
      node->matching.range = ctx_range(m);
      if (m->ON() || m->IGNORING()) {
        node->matching.has_on_or_ignoring = true;
        node->matching.on = m->ON() != nullptr;
        node->matching.labels = labels(m->groupingLabels(), nullptr);
      }
      if (m->GROUP_LEFT() || m->GROUP_RIGHT()) {
        node->matching.has_group_modifier = true;
        node->matching.card = m->GROUP_LEFT() ? Cardinality::ManyToOne : Cardinality::OneToMany;
        if (P::GroupingLabelsContext* include = m->groupLabels()->groupingLabels())
          node->matching.include = labels(include, nullptr);
      }
      if (P::FillModifiersContext* f = m->fillModifiers()) fill_values(f, &node->matching);
    }
    node->rhs = expr(static_cast<P::ExpressionContext*>(c->children[3]));
    node->range = merge(node->lhs->range, node->rhs->range);
    if ((node->matching.fill_lhs || node->matching.fill_rhs) && !options_.enable_binop_fill_modifiers)
      fail("binop fill modifiers are experimental and not enabled", node->range);
    return node;
  }

  // fill(v) sets both sides; fill_left / fill_right one each, in the order written.
  void fill_values(P::FillModifiersContext* f, VectorMatching* vm) {
    const auto& kids = f->children;
    for (size_t i = 0; i + 1 < kids.size(); i += 2) {
      size_t keyword = static_cast<antlr4::tree::TerminalNode*>(kids[i])->getSymbol()->getType();
      auto* v = static_cast<P::FillValueContext*>(kids[i + 1]);
      bool is_duration = false;
      double value = number_value((v->NUMBER() ? v->NUMBER() : v->DURATION())->getSymbol(), &is_duration);
      if (v->SUB()) value = -value;
      if (keyword != P::FILL_RIGHT) vm->fill_lhs = value;
      if (keyword != P::FILL_LEFT) vm->fill_rhs = value;
    }
  }

  std::vector<std::string> labels(P::GroupingLabelsContext* g, std::vector<Range>* ranges) {
    std::vector<std::string> out;
    for (P::GroupingLabelContext* l : g->groupingLabel()) {
      const Token* t = l->getStart();
      Range r = token_range(t);
      std::string name = t->getType() == P::STRING ? unquoted(t) : std::string(text(t));
      out.push_back(std::move(name));
      if (ranges) ranges->push_back(r);
    }
    return out;
  }

  ExprPtr selector(P::VectorSelectorContext* c) {
    auto node = std::make_unique<VectorSelector>();
    node->range = ctx_range(c);
    if (P::MetricNameContext* name = c->metricName()) {
      node->name = std::string(text(name->getStart()));
      node->name_range = token_range(name->getStart());
    }
    if (P::LabelMatchersContext* ms = c->labelMatchers()) {
      const auto& kids = ms->children;  // '{' m ',' m ... [','] '}'
      for (size_t i = 1; i + 1 < kids.size(); i += 2)
        node->matchers.push_back(matcher(static_cast<P::LabelMatcherContext*>(kids[i])));
    }
    return node;
  }

  Matcher matcher(P::LabelMatcherContext* m) {
    Matcher out;
    out.range = ctx_range(m);
    const Token* first = m->getStart();
    if (!m->matchOp()) {
      out.name = "__name__";
      out.bare_name = true;
      out.value = unquoted(first);
      out.value_range = token_range(first);
      out.name_range = out.value_range;
      return out;
    }
    out.name = first->getType() == P::STRING ? unquoted(first) : std::string(text(first));
    out.name_range = token_range(first);
    switch (m->matchOp()->getStart()->getType()) {
      case P::NEQ: out.op = MatchOp::NotEqual; break;
      case P::EQL_REGEX: out.op = MatchOp::Regex; break;
      case P::NEQ_REGEX: out.op = MatchOp::NotRegex; break;
      default: out.op = MatchOp::Equal; break;
    }
    const Token* value = m->getStop();
    out.value = unquoted(value);
    out.value_range = token_range(value);
    return out;
  }

  ExprPtr call(P::FunctionCallContext* c) {
    auto node = std::make_unique<Call>();
    node->name = std::string(text(c->fn));
    node->name_range = token_range(c->fn);
    node->func = find_function(node->name);
    node->range = ctx_range(c);
    arguments(c->callArguments(), &node->args);
    return node;
  }

  void arguments(P::CallArgumentsContext* a, std::vector<ExprPtr>* out) {
    // Children: '(' [expr] (',' [expr])* ')'; a comma not followed by an expression is Prometheus'
    // trailing-comma error, reported at that comma.
    const auto& kids = a->children;
    for (size_t i = 1; i + 1 < kids.size(); ++i) {
      if (auto* e = dynamic_cast<P::ExpressionContext*>(kids[i])) {
        out->push_back(expr(e));
        continue;
      }
      if (!dynamic_cast<P::ExpressionContext*>(kids[i + 1])) {
        const Token* comma = static_cast<antlr4::tree::TerminalNode*>(kids[i])->getSymbol();
        fail("trailing commas not allowed in function call args", token_range(comma));
      }
    }
  }

  static AggregateOp aggregate_op(size_t type) {
    switch (type) {
      case P::AVG: return AggregateOp::Avg;
      case P::COUNT: return AggregateOp::Count;
      case P::MIN: return AggregateOp::Min;
      case P::MAX: return AggregateOp::Max;
      case P::GROUP: return AggregateOp::Group;
      case P::STDDEV: return AggregateOp::Stddev;
      case P::STDVAR: return AggregateOp::Stdvar;
      case P::TOPK: return AggregateOp::Topk;
      case P::BOTTOMK: return AggregateOp::Bottomk;
      case P::QUANTILE: return AggregateOp::Quantile;
      case P::COUNT_VALUES: return AggregateOp::CountValues;
      case P::LIMITK: return AggregateOp::Limitk;
      case P::LIMIT_RATIO: return AggregateOp::LimitRatio;
      default: return AggregateOp::Sum;
    }
  }

  ExprPtr aggregation(P::AggregationContext* c) {
    auto node = std::make_unique<Aggregate>();
    node->op = aggregate_op(c->aggregateOp()->getStart()->getType());
    node->op_range = token_range(c->aggregateOp()->getStart());
    node->range = ctx_range(c);
    if (P::AggregateModifierContext* m = c->aggregateModifier()) {
      node->has_grouping_clause = true;
      node->without = m->WITHOUT() != nullptr;
      node->grouping = labels(m->groupingLabels(), &node->grouping_ranges);
    }
    arguments(c->callArguments(), &node->args);
    return node;
  }

  double number_value(const Token* t, bool* is_duration) {
    *is_duration = t->getType() == P::DURATION;
    if (*is_duration) {
      literals::DurationResult d = literals::parse_duration(text(t));
      if (!d.error.empty()) fail(d.error, token_range(t));
      return static_cast<double>(d.ms) / 1000.0;
    }
    literals::NumberResult n = literals::parse_number(text(t));
    if (!n.error.empty()) fail(n.error, token_range(t));
    return n.value;
  }

  ExprPtr number(P::NumberLiteralContext* c) {
    auto node = std::make_unique<NumberLiteral>();
    node->value = number_value(c->getStart(), &node->is_duration);
    node->range = ctx_range(c);
    return node;
  }

  ExprPtr string(P::StringLiteralContext* c) {
    auto node = std::make_unique<StringLiteral>();
    node->value = unquoted(c->getStart());
    node->range = ctx_range(c);
    return node;
  }

  ExprPtr parens(P::ParensContext* c) {
    auto node = std::make_unique<Paren>();
    node->expr = expr(c->expression());
    node->range = ctx_range(c);
    return node;
  }

  ExprPtr unary(P::UnaryContext* c) {
    ExprPtr inner = expr(c->expression());
    bool negative = c->op->getType() == P::SUB;
    Range range = merge(token_range(c->op), inner->range);
    // Prometheus folds a sign into a number literal.
    if (auto* n = as<NumberLiteral>(inner.get())) {
      if (negative) n->value = -n->value;
      n->range = range;
      return inner;
    }
    auto node = std::make_unique<Unary>();
    node->negative = negative;
    node->expr = std::move(inner);
    node->range = range;
    return node;
  }

  // ----- durations

  DurationExprPtr duration_expr(P::DurationExprContext* c) {
    auto node = std::make_unique<DurationExpr>();
    node->range = ctx_range(c);
    const auto& kids = c->children;
    auto exprs = c->durationExpr();
    if (c->durationCall()) return duration_call(c->durationCall());
    if (exprs.empty()) {  // a literal
      const Token* t = c->getStart();
      node->op = DurationExpr::Op::Literal;
      node->seconds = number_value(t, &node->literal_is_duration);
      return node;
    }
    if (kids.size() == 3 && c->LEFT_PAREN()) {  // ( expr )
      DurationExprPtr inner = duration_expr(exprs[0]);
      inner->wrapped = true;
      inner->range = node->range;
      return inner;
    }
    if (exprs.size() == 1) {  // unary sign
      DurationExprPtr inner = duration_expr(exprs[0]);
      bool negative = c->op->getType() == P::SUB;
      if (inner->op == DurationExpr::Op::Literal && !inner->wrapped) {
        if (negative) inner->seconds = -inner->seconds;
        inner->range = node->range;
        return inner;
      }
      if (!negative) return inner;
      node->op = DurationExpr::Op::Neg;
      node->rhs = std::move(inner);
      return node;
    }
    node->lhs = duration_expr(exprs[0]);
    node->rhs = duration_expr(exprs[1]);
    switch (c->op->getType()) {
      case P::ADD: node->op = DurationExpr::Op::Add; break;
      case P::SUB: node->op = DurationExpr::Op::Sub; break;
      case P::MUL: node->op = DurationExpr::Op::Mul; break;
      case P::DIV: node->op = DurationExpr::Op::Div; break;
      case P::MOD: node->op = DurationExpr::Op::Mod; break;
      default: node->op = DurationExpr::Op::Pow; break;
    }
    if ((node->op == DurationExpr::Op::Div || node->op == DurationExpr::Op::Mod) &&
        node->rhs->op == DurationExpr::Op::Literal && node->rhs->seconds == 0)
      fail(node->op == DurationExpr::Op::Div ? "division by zero" : "modulo by zero", token_range(c->op));
    return node;
  }

  DurationExprPtr duration_call(P::DurationCallContext* c) {
    auto node = std::make_unique<DurationExpr>();
    node->range = ctx_range(c);
    std::string_view name = text(c->IDENTIFIER()->getSymbol());
    bool has_args = !c->durationExpr().empty();
    // Prometheus' lexer takes step, range, min_of and max_of as keywords, in any letter case.
    std::string lower(name);
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "step" && !has_args) {
      node->op = DurationExpr::Op::Step;
    } else if (lower == "range" && !has_args) {
      node->op = DurationExpr::Op::Range;
    } else if ((lower == "min_of" || lower == "max_of") && has_args) {
      node->op = lower == "min_of" ? DurationExpr::Op::MinOf : DurationExpr::Op::MaxOf;
      node->lhs = duration_expr(c->durationExpr(0));
      node->rhs = duration_expr(c->durationExpr(1));
    } else {
      fail(fmt::format("unexpected function {} in duration expression, expected step() or range()",
                       literals::go_quote(name)),
           node->range);
    }
    return node;
  }

  // Folds literal arithmetic so a constant expression has a value (ms); step()/range() do not.
  static std::optional<double> fold(const DurationExpr& d) {
    using Op = DurationExpr::Op;
    if (d.op == Op::Literal) return d.seconds;
    if (d.op == Op::Step || d.op == Op::Range) return std::nullopt;
    std::optional<double> r = fold(*d.rhs);
    if (!r) return std::nullopt;
    if (d.op == Op::Neg) return -*r;
    std::optional<double> l = fold(*d.lhs);
    if (!l) return std::nullopt;
    switch (d.op) {
      case Op::MinOf: return std::min(*l, *r);
      case Op::MaxOf: return std::max(*l, *r);
      case Op::Add: return *l + *r;
      case Op::Sub: return *l - *r;
      case Op::Mul: return *l * *r;
      case Op::Div: return *l / *r;
      case Op::Mod: return std::fmod(*l, *r);
      default: return std::pow(*l, *r);
    }
  }

  Duration duration(DurationExprPtr e, Range range, bool positive) {
    Duration d;
    d.range = range;
    std::optional<double> seconds = fold(*e);
    if (seconds) {
      // Prometheus keeps durations as int64 nanoseconds.
      if (!std::isfinite(*seconds) || std::fabs(*seconds) > 9223372036.854775807) fail("duration out of range", range);
      double ms = std::round(*seconds * 1000.0);
      d.ms = static_cast<int64_t>(ms);
      if (positive && d.ms <= 0 && e->op == DurationExpr::Op::Literal) fail("duration must be greater than 0", range);
    }
    if (e->op != DurationExpr::Op::Literal && !options_.enable_duration_expressions)
      fail("experimental duration expression is not enabled", range);
    d.expr = std::move(e);
    return d;
  }

  // ----- postfix modifiers

  ExprPtr range_selector(P::RangeSelectorContext* c) {
    ExprPtr inner = expr(c->expression());
    Range brackets = merge(token_range(c->LEFT_BRACKET()->getSymbol()), token_range(c->RIGHT_BRACKET()->getSymbol()));
    auto* vs = as<VectorSelector>(inner.get());
    if (!vs) fail("ranges only allowed for vector selectors", brackets);
    if (vs->mods.offset) fail("no offset modifiers allowed before range", brackets);
    if (vs->mods.at != AtKind::None) fail("no @ modifiers allowed before range", brackets);
    auto node = std::make_unique<MatrixSelector>();
    P::DurationExprContext* d = c->durationExpr();
    node->range_duration = duration(duration_expr(d), ctx_range(d), true);
    node->bracket_range = brackets;
    node->range = merge(inner->range, brackets);
    node->selector = std::move(inner);
    return node;
  }

  ExprPtr subquery(P::SubqueryContext* c) {
    auto node = std::make_unique<Subquery>();
    node->expr = expr(c->expression());
    auto ds = c->durationExpr();
    node->range_duration = duration(duration_expr(ds[0]), ctx_range(ds[0]), true);
    if (ds.size() > 1) node->step = duration(duration_expr(ds[1]), ctx_range(ds[1]), true);
    node->bracket_range = merge(token_range(c->LEFT_BRACKET()->getSymbol()), token_range(c->RIGHT_BRACKET()->getSymbol()));
    node->range = merge(node->expr->range, node->bracket_range);
    return node;
  }

  // The modifiers of the selector or subquery `e` (a matrix's live on its vector selector).
  Modifiers* modifiers_of(Expr* e, const char* what) {
    if (auto* v = as<VectorSelector>(e)) return &v->mods;
    if (auto* m = as<MatrixSelector>(e)) return &as<VectorSelector>(m->selector.get())->mods;
    if (auto* s = as<Subquery>(e)) return &s->mods;
    fail(fmt::format("{} modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                     what),
         e->range);
  }

  ExprPtr offset(P::OffsetModifierContext* c) {
    ExprPtr inner = expr(c->expression());
    Modifiers* mods = modifiers_of(inner.get(), "offset");
    if (mods->offset && !(mods->offset->is_literal() && mods->offset->ms == 0))
      fail("offset may not be set multiple times", inner->range);
    P::OffsetValueContext* v = c->offsetValue();
    bool negative = v->SUB() != nullptr;
    DurationExprPtr d;
    if (v->durationCall()) {
      d = duration_call(v->durationCall());
    } else if (v->durationExpr()) {
      d = duration_expr(v->durationExpr());
      d->wrapped = true;
      d->range = merge(token_range(v->LEFT_PAREN()->getSymbol()), token_range(v->RIGHT_PAREN()->getSymbol()));
    } else {
      d = std::make_unique<DurationExpr>();
      const Token* t = v->getStop();
      d->seconds = number_value(t, &d->literal_is_duration);
      d->range = token_range(t);
    }
    if (negative) {
      if (d->op == DurationExpr::Op::Literal && !d->wrapped) {
        d->seconds = -d->seconds;
      } else {
        auto neg = std::make_unique<DurationExpr>();
        neg->op = DurationExpr::Op::Neg;
        neg->rhs = std::move(d);
        d = std::move(neg);
      }
    }
    d->range = ctx_range(v);
    mods->offset = duration(std::move(d), ctx_range(v), false);
    mods->offset_range = merge(token_range(c->OFFSET()->getSymbol()), ctx_range(v));
    inner->range = ctx_range(c);
    return inner;
  }

  ExprPtr at(P::AtModifierContext* c) {
    ExprPtr inner = expr(c->expression());
    Modifiers* mods = modifiers_of(inner.get(), "@");
    if (mods->at != AtKind::None) fail("@ <timestamp> may not be set multiple times", inner->range);
    P::AtValueContext* v = c->atValue();
    if (v->START()) {
      mods->at = AtKind::Start;
    } else if (v->END()) {
      mods->at = AtKind::End;
    } else {
      bool is_duration = false;
      double ts = number_value(v->getStop(), &is_duration);
      if (v->SUB()) ts = -ts;
      if (!std::isfinite(ts) || ts >= 9.223372036854775807e18 || ts <= -9.223372036854775808e18)
        fail(fmt::format("timestamp out of bounds for @ modifier: {}", go_float(ts)), inner->range);
      double ms = std::round(ts * 1000.0);
      if (!(std::fabs(ms) < 9.2e18)) fail(fmt::format("timestamp out of bounds for @ modifier: {}", go_float(ts)), inner->range);
      mods->at = AtKind::Timestamp;
      mods->at_ms = static_cast<int64_t>(ms);
    }
    mods->at_range = merge(token_range(c->AT()->getSymbol()), ctx_range(v));
    inner->range = ctx_range(c);
    return inner;
  }

  // `anchored` / `smoothed` after a selector (Prometheus' setAnchored / setSmoothed).
  ExprPtr extended_range(P::ExtendedRangeContext* c) {
    ExprPtr inner = expr(c->expression());
    bool anchored = c->ANCHORED() != nullptr;
    const char* name = anchored ? "anchored" : "smoothed";
    if (!options_.enable_extended_range_selectors)
      fail(fmt::format("{} modifier is experimental and not enabled", name), inner->range);
    VectorSelector* vs = as<VectorSelector>(inner.get());
    if (auto* m = as<MatrixSelector>(inner.get())) vs = as<VectorSelector>(m->selector.get());
    if (!vs) {
      if (as<Subquery>(inner.get())) fail(fmt::format("{} modifier is not supported for subqueries", name), inner->range);
      fail(fmt::format("{} modifier not implemented", name), inner->range);
    }
    (anchored ? vs->anchored : vs->smoothed) = true;
    if (vs->anchored && vs->smoothed) fail("anchored and smoothed modifiers cannot be used together", inner->range);
    inner->range = ctx_range(c);
    return inner;
  }

  // Go's %f.
  static std::string go_float(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{:.6f}", v);
  }

  std::string_view src_;
  const ParseOptions& options_;
};

// One lexer/parser pair per thread: ANTLR's DFA cache is shared, but constructing the objects
// per expression would dominate the cost of parsing short expressions.
struct Machinery {
  antlr4::ANTLRInputStream input;
  PromQLLexer lexer{&input};
  antlr4::CommonTokenStream tokens{&lexer};
  P parser{&tokens};
  Machinery() {
    lexer.removeErrorListeners();
    parser.removeErrorListeners();
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  }
};

struct SyntaxError {
  ParseError error;
  size_t token_index;
};

P::RootContext* run_parser(Machinery& m, antlr4::atn::PredictionMode mode, std::string_view src,
                           std::optional<SyntaxError>* error) {
  m.parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(mode);
  try {
    return m.parser.root();
  } catch (antlr4::ParseCancellationException& pce) {
    try {
      std::rethrow_if_nested(pce);
    } catch (antlr4::RecognitionException& re) {
      const Token* t = re.getOffendingToken();
      if (!t) t = m.tokens.LT(1);
      t = refine_offending(m.tokens.getTokens(), t);
      *error = SyntaxError{ParseError{syntax_message(m.tokens.getTokens(), t, src), token_range(t)}, t->getTokenIndex()};
    } catch (...) {
      *error = SyntaxError{ParseError{"syntax error", {0, 0}}, 0};
    }
    return nullptr;
  }
}

}  // namespace

ParseResult parse(std::string_view source, const ParseOptions& options) {
  ParseResult result;
  if (source.size() > options.max_bytes) {
    result.error = ParseError{fmt::format("expression is longer than the limit of {} bytes", options.max_bytes),
                              {0, static_cast<uint32_t>(std::min<size_t>(source.size(), UINT32_MAX))}};
    return result;
  }
  thread_local Machinery m;
  m.input.load(ascii_for_lexer(source));
  m.lexer.setInputStream(&m.input);
  m.tokens.setTokenSource(&m.lexer);
  m.tokens.fill();

  std::optional<LexicalError> lexical = scan_tokens(m.tokens.getTokens(), source, options);
  if (!lexical && m.tokens.size() == 1) {  // only EOF: blank or comments
    result.error = ParseError{"no expression found in input", {0, 0}};
    return result;
  }
  // A nesting error must stop us before the recursive-descent parser recurses that deep.
  if (lexical && lexical->error.message.rfind("expression nesting", 0) == 0) {
    result.error = lexical->error;
    return result;
  }

  m.parser.setTokenStream(&m.tokens);
  std::optional<SyntaxError> syntax;
  P::RootContext* tree = run_parser(m, antlr4::atn::PredictionMode::SLL, source, &syntax);
  if (!tree) {
    // SLL can fail on input LL accepts; only LL's verdict is final.
    syntax.reset();
    m.tokens.seek(0);
    m.parser.setTokenStream(&m.tokens);
    tree = run_parser(m, antlr4::atn::PredictionMode::LL, source, &syntax);
  }
  struct TreeCleanup {
    P& parser;
    ~TreeCleanup() { parser.getTreeTracker().reset(); }
  } cleanup{m.parser};

  if (lexical && (!syntax || lexical->token_begin <= syntax->error.range.begin)) {
    result.error = lexical->error;
    return result;
  }
  if (syntax) {
    result.error = syntax->error;
    return result;
  }
  try {
    Builder builder(source, options);
    result.expr = builder.expr(tree->expression());
  } catch (const Failure& f) {
    result.error = f.error;
    return result;
  }
  if (options.type_check) {
    CheckOptions check_options;
    check_options.enable_experimental_functions = options.enable_experimental_functions;
    if (std::optional<CheckError> e = check(*result.expr, source, check_options)) {
      result.error = ParseError{e->message, e->range};
      result.expr.reset();
    }
  }
  return result;
}

std::string format_error(std::string_view source, const ParseError& error) {
  LineIndex index(source);
  LineIndex::Location at = index.locate(std::min<uint32_t>(error.range.begin, static_cast<uint32_t>(source.size())));
  return fmt::format("{}:{}: parse error: {}", at.line, at.column, error.message);
}

}  // namespace promvet::promql
