// Parser-level tests: AST shape and ranges, precedence, keywords as names, lexical errors,
// limits (nesting, size), and inputs that must never crash (NUL, invalid UTF-8).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>
#include <string>

#include "promql/parse.h"
#include "promql/printer.h"

namespace pq = promvet::promql;

namespace {

pq::ExprPtr must_parse(const std::string& text) {
  pq::ParseResult r = pq::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : pq::format_error(text, *r.error));
  return std::move(r.expr);
}

std::string error_of(const std::string& text, pq::ParseOptions options = {}) {
  pq::ParseResult r = pq::parse(text, options);
  return r.ok() ? "ok" : pq::format_error(text, *r.error);
}

std::string slice(const std::string& text, pq::Range r) { return text.substr(r.begin, r.end - r.begin); }

}  // namespace

TEST(PromQLParse, PowerIsRightAssociativeAndBindsTighterThanUnaryMinus) {
  auto e = must_parse("-a ^ b ^ c");
  auto* u = pq::as<pq::Unary>(e.get());
  ASSERT_NE(u, nullptr);
  auto* outer = pq::as<pq::Binary>(u->expr.get());
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(outer->op, pq::BinaryOp::Pow);
  EXPECT_NE(pq::as<pq::VectorSelector>(outer->lhs.get()), nullptr);  // a ^ (b ^ c)
  EXPECT_NE(pq::as<pq::Binary>(outer->rhs.get()), nullptr);
}

TEST(PromQLParse, UnaryMinusBindsTighterThanMultiplication) {
  auto e = must_parse("-a * b");
  auto* b = pq::as<pq::Binary>(e.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Mul);
  EXPECT_NE(pq::as<pq::Unary>(b->lhs.get()), nullptr);
}

TEST(PromQLParse, OperatorPrecedenceLevels) {
  // or < and/unless < comparisons < +- < */%atan2 < ^
  auto e = must_parse("a or b and c == d + e * f ^ g");
  auto* b = pq::as<pq::Binary>(e.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Or);
  b = pq::as<pq::Binary>(b->rhs.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::And);
  b = pq::as<pq::Binary>(b->rhs.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Eql);
  b = pq::as<pq::Binary>(b->rhs.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Add);
  b = pq::as<pq::Binary>(b->rhs.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Mul);
  b = pq::as<pq::Binary>(b->rhs.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, pq::BinaryOp::Pow);
}

TEST(PromQLParse, SameLevelIsLeftAssociative) {
  auto e = must_parse("a - b - c");
  auto* b = pq::as<pq::Binary>(e.get());
  ASSERT_NE(b, nullptr);
  EXPECT_NE(pq::as<pq::Binary>(b->lhs.get()), nullptr);
  EXPECT_NE(pq::as<pq::VectorSelector>(b->rhs.get()), nullptr);
}

TEST(PromQLParse, NegativeNumberIsFoldedIntoTheLiteral) {
  std::string text = "- 2.5";
  auto e = must_parse(text);
  auto* n = pq::as<pq::NumberLiteral>(e.get());
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->value, -2.5);
  EXPECT_EQ(slice(text, n->range), "- 2.5");
}

TEST(PromQLParse, RangesPointIntoTheSource) {
  std::string text = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m] offset 1m))";
  auto e = must_parse(text);
  auto* agg = pq::as<pq::Aggregate>(e.get());
  ASSERT_NE(agg, nullptr);
  EXPECT_EQ(slice(text, agg->range), text);
  EXPECT_EQ(slice(text, agg->op_range), "sum");
  ASSERT_EQ(agg->grouping_ranges.size(), 1u);
  EXPECT_EQ(slice(text, agg->grouping_ranges[0]), "job");
  auto* call = pq::as<pq::Call>(agg->body());
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(slice(text, call->name_range), "rate");
  EXPECT_EQ(slice(text, call->range), "rate(http_requests_total{code=~\"5..\"}[5m] offset 1m)");
  auto* m = pq::as<pq::MatrixSelector>(call->args.at(0).get());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(slice(text, m->bracket_range), "[5m]");
  EXPECT_EQ(m->range_duration.ms, 300000);
  auto* vs = pq::as<pq::VectorSelector>(m->selector.get());
  ASSERT_NE(vs, nullptr);
  EXPECT_EQ(vs->name, "http_requests_total");
  EXPECT_EQ(slice(text, vs->name_range), "http_requests_total");
  ASSERT_EQ(vs->matchers.size(), 1u);
  EXPECT_EQ(slice(text, vs->matchers[0].value_range), "\"5..\"");
  EXPECT_EQ(vs->matchers[0].op, pq::MatchOp::Regex);
  ASSERT_TRUE(vs->mods.offset.has_value());
  EXPECT_EQ(vs->mods.offset->ms, 60000);
  EXPECT_EQ(slice(text, vs->mods.offset_range), "offset 1m");
}

TEST(PromQLParse, LineAndColumnOnMultiLineInput) {
  std::string text = "sum(\n  rate(foo[5m])\n) by (job)\n  + bar{";
  pq::ParseResult r = pq::parse(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(pq::format_error(text, *r.error), "4:9: parse error: unexpected end of input inside braces");
  auto e = must_parse("sum(\n  rate(foo[5m])\n)");
  pq::LineIndex index("sum(\n  rate(foo[5m])\n)");
  auto* call = pq::as<pq::Call>(pq::as<pq::Aggregate>(e.get())->body());
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(index.locate(call->range.begin).line, 2u);
  EXPECT_EQ(index.locate(call->range.begin).column, 3u);
}

// Lines start after every newline: first and last byte, two in a row, none at all.
TEST(PromQLParse, LineIndexStartsALineAfterEveryNewline) {
  pq::LineIndex index("\na\n\nbc\n");
  EXPECT_EQ(index.locate(0).line, 1u);
  EXPECT_EQ(index.locate(1).line, 2u);
  EXPECT_EQ(index.locate(3).line, 3u);
  EXPECT_EQ(index.locate(5).line, 4u);
  EXPECT_EQ(index.locate(5).column, 2u);
  EXPECT_EQ(index.locate(7).line, 5u);
  EXPECT_EQ(index.locate(7).column, 1u);
  pq::LineIndex one("abc");
  EXPECT_EQ(one.locate(2).line, 1u);
  EXPECT_EQ(one.locate(2).column, 3u);
}

TEST(PromQLParse, KeywordsAreCaseInsensitiveAndSomeAreMetricNames) {
  for (const char* name : {"sum", "offset", "by", "without", "avg", "start", "end", "and", "limitk"}) {
    auto e = must_parse(name);
    auto* vs = pq::as<pq::VectorSelector>(e.get());
    ASSERT_NE(vs, nullptr) << name;
    EXPECT_EQ(vs->name, name);
  }
  auto e = must_parse("SUM BY (job) (foo)");
  auto* agg = pq::as<pq::Aggregate>(e.get());
  ASSERT_NE(agg, nullptr);
  EXPECT_EQ(agg->grouping, std::vector<std::string>{"job"});
  for (const char* forbidden : {"bool", "on", "ignoring", "group_left", "group_right", "atan2"})
    EXPECT_NE(error_of(forbidden), "ok") << forbidden;
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("iNf").get())->value, std::numeric_limits<double>::infinity());
}

TEST(PromQLParse, KeywordsAreLabelNamesInsideBracesAndGroupings) {
  auto e = must_parse("foo{by=\"a\", on=\"b\", bool=\"c\"}");
  auto* vs = pq::as<pq::VectorSelector>(e.get());
  ASSERT_NE(vs, nullptr);
  ASSERT_EQ(vs->matchers.size(), 3u);
  EXPECT_EQ(vs->matchers[2].name, "bool");
  auto agg = must_parse("sum by (on, bool, offset) (foo)");
  EXPECT_EQ(pq::as<pq::Aggregate>(agg.get())->grouping, (std::vector<std::string>{"on", "bool", "offset"}));
}

TEST(PromQLParse, Utf8QuotedNames) {
  std::string text = "{\"my.metric\", \"a.b\"=\"x\"}";
  auto e = must_parse(text);
  auto* vs = pq::as<pq::VectorSelector>(e.get());
  ASSERT_NE(vs, nullptr);
  EXPECT_EQ(vs->metric_name(), "my.metric");
  ASSERT_EQ(vs->matchers.size(), 2u);
  EXPECT_TRUE(vs->matchers[0].bare_name);
  EXPECT_EQ(vs->matchers[1].name, "a.b");
  auto agg = must_parse("sum by (\"a.b\") (x) / on (\"c.d\") group_left (\"e\") y");
  auto* b = pq::as<pq::Binary>(agg.get());
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->matching.labels, std::vector<std::string>{"c.d"});
  EXPECT_EQ(b->matching.include, std::vector<std::string>{"e"});
}

TEST(PromQLParse, NumbersAndDurations) {
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("0x1F").get())->value, 31);
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("1_000").get())->value, 1000);
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("1e3").get())->value, 1000);
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse(".5").get())->value, 0.5);
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("010").get())->value, 8);  // Go's base-0 ParseInt
  auto d = must_parse("1h30m");
  EXPECT_EQ(pq::as<pq::NumberLiteral>(d.get())->value, 5400);
  EXPECT_TRUE(pq::as<pq::NumberLiteral>(d.get())->is_duration);
  auto m = must_parse("foo[1h30m]");
  EXPECT_EQ(pq::as<pq::MatrixSelector>(m.get())->range_duration.ms, 5400000);
  auto n = must_parse("foo[90]");
  EXPECT_EQ(pq::as<pq::MatrixSelector>(n.get())->range_duration.ms, 90000);
  EXPECT_EQ(error_of("foo[1m1h]"), "1:5: parse error: not a valid duration string: \"1m1h\"");
  // Overflow: an int64 overflow falls back to a float; a duration beyond int64 is an error.
  EXPECT_EQ(pq::as<pq::NumberLiteral>(must_parse("9223372036854775808").get())->value, 9223372036854775808.0);
  // Prometheus 3.x (model.ParseDuration reads the digits with strconv.ParseUint first); promtool
  // 2.42 said "duration out of range".
  EXPECT_EQ(error_of("foo[99999999999999999999s]"),
            "1:5: parse error: not a valid duration string: \"99999999999999999999s\"");
  EXPECT_EQ(error_of("foo[1y]"), "ok");
  // Found by promql_fuzz: a duration literal beyond int64 nanoseconds used as a number.
  EXPECT_EQ(error_of("f - 5555555555555m"), "1:5: parse error: duration out of range");
  EXPECT_EQ(error_of("foo[292y]"), "ok");
  EXPECT_EQ(error_of("foo[293y]"), "1:5: parse error: duration out of range");
  EXPECT_EQ(pq::as<pq::MatrixSelector>(must_parse("foo[1y]").get())->range_duration.ms, 31536000000);
  EXPECT_EQ(error_of("5x"), "1:1: parse error: bad number or duration syntax: \"5\"");
  EXPECT_EQ(error_of("1__0"),
            "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1__0\": invalid syntax");
}

TEST(PromQLParse, DurationExpressionsOffsetsAndAt) {
  auto e = must_parse("foo[5m+30s]");
  auto* m = pq::as<pq::MatrixSelector>(e.get());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->range_duration.ms, 330000);
  EXPECT_EQ(m->range_duration.expr->op, pq::DurationExpr::Op::Add);
  auto o = must_parse("foo offset -(1h)");
  const auto& off = pq::as<pq::VectorSelector>(o.get())->mods.offset;
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off->ms, -3600000);
  auto s = must_parse("max_over_time(rate(foo[1m])[30m:step()*2])");
  auto* sq = pq::as<pq::Subquery>(pq::as<pq::Call>(s.get())->args[0].get());
  ASSERT_NE(sq, nullptr);
  ASSERT_TRUE(sq->step.has_value());
  EXPECT_FALSE(sq->step->is_literal());
  auto a = must_parse("foo @ 1609746000.5 offset 5m");
  auto* vs = pq::as<pq::VectorSelector>(a.get());
  EXPECT_EQ(vs->mods.at, pq::AtKind::Timestamp);
  EXPECT_EQ(vs->mods.at_ms, 1609746000500);
  EXPECT_EQ(pq::as<pq::VectorSelector>(must_parse("foo @ end()").get())->mods.at, pq::AtKind::End);
  auto sub = must_parse("rate(foo[5m])[30m:]");
  EXPECT_FALSE(pq::as<pq::Subquery>(sub.get())->step.has_value());
  pq::ParseOptions strict;
  strict.enable_duration_expressions = false;
  EXPECT_EQ(error_of("foo[5m+30s]", strict), "1:5: parse error: experimental duration expression is not enabled");
}

TEST(PromQLParse, ModifierPlacementErrors) {
  EXPECT_EQ(error_of("foo offset 1m[5m]"), "1:14: parse error: no offset modifiers allowed before range");
  EXPECT_EQ(error_of("foo @ 1 [5m]"), "1:9: parse error: no @ modifiers allowed before range");
  EXPECT_EQ(error_of("(foo)[5m]"), "1:6: parse error: ranges only allowed for vector selectors");
  EXPECT_EQ(error_of("foo offset 1m offset 2m"), "1:1: parse error: offset may not be set multiple times");
  EXPECT_EQ(error_of("foo @ 1 @ 2"), "1:1: parse error: @ <timestamp> may not be set multiple times");
  EXPECT_EQ(error_of("sum(foo) offset 1m"),
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector "
            "selector or a subquery");
}

TEST(PromQLParse, LexicalErrorsUsePrometheusWording) {
  EXPECT_EQ(error_of("foo $ bar"), "1:5: parse error: unexpected character: '$'");
  EXPECT_EQ(error_of("sum(foo"), "1:8: parse error: unclosed left parenthesis");
  EXPECT_EQ(error_of("foo)"), "1:5: parse error: unexpected right parenthesis ')'");  // just past it, as Prometheus
  EXPECT_EQ(error_of("foo[5m"), "1:7: parse error: unexpected end of input in duration expression");
  EXPECT_EQ(error_of("foo{"), "1:5: parse error: unexpected end of input inside braces");
  EXPECT_EQ(error_of("foo{a:b=\"x\"}"), "1:6: parse error: unexpected character inside braces: ':'");
  EXPECT_EQ(error_of("\"\\q\""), "1:1: parse error: unknown escape sequence U+0071 'q'");
  EXPECT_EQ(error_of("\"abc"), "1:1: parse error: unterminated quoted string");
  EXPECT_EQ(error_of("`abc"), "1:1: parse error: unterminated raw string");
  EXPECT_EQ(error_of("foo =~ 1"), "1:5: parse error: unexpected character after '=': '~'");
}

TEST(PromQLParse, SyntaxErrorsReportOneMessageAtTheFirstProblem) {
  EXPECT_EQ(error_of("foo bar"), "1:5: parse error: unexpected identifier \"bar\"");
  EXPECT_EQ(error_of("foo{a=\"b\" c=\"d\"}"),
            "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\"");
  EXPECT_EQ(error_of("foo{a}"),
            "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator");
  EXPECT_EQ(error_of("foo offset"),
            "1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()");
  EXPECT_EQ(error_of("rate(foo[5m],)"), "1:13: parse error: trailing commas not allowed in function call args");
  EXPECT_EQ(error_of(""), "1:1: parse error: no expression found in input");
  EXPECT_EQ(error_of("  # only a comment"), "1:1: parse error: no expression found in input");
}

TEST(PromQLParse, DeepNestingIsAnErrorNotACrash) {
  std::string ok = std::string(999, '(') + "1" + std::string(999, ')');
  EXPECT_EQ(error_of(ok), "ok");
  for (const std::string& deep :
       {std::string(100000, '(') + "1" + std::string(100000, ')'), std::string(100000, '-') + "1",
        std::string(100000, '['), std::string(100000, '{'), [] {
          std::string s = "a";
          for (int i = 0; i < 100000; ++i) s += "+a";
          return s;
        }()}) {
    auto start = std::chrono::steady_clock::now();
    pq::ParseResult r = pq::parse(deep);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_FALSE(r.ok());
    EXPECT_LT(seconds, 5.0);
  }
  EXPECT_EQ(error_of(std::string(1001, '(') + "1" + std::string(1001, ')')),
            "1:1001: parse error: expression nesting exceeds the limit of 1000 levels");
}

// A sign on a number literal is folded into the literal, so it adds no level; the printer writes
// an infinity as +Inf, and an expression just under the limit must print to text that parses back
// (promql_fuzz found `x + inf + inf ...` printing as `x + +Inf + +Inf ...`, over the limit).
TEST(PromQLParse, ASignedNumberAddsNoNesting) {
  std::string sum = "x";
  for (int i = 0; i < 999; ++i) sum += "+inf";
  pq::ParseResult r = pq::parse(sum);
  ASSERT_TRUE(r.ok()) << r.error->message;
  std::string printed = pq::to_string(*r.expr);
  ASSERT_NE(printed.find("x + +Inf + +Inf"), std::string::npos) << printed.substr(0, 40);
  EXPECT_EQ(error_of(printed), "ok");
  EXPECT_EQ(error_of("x" + std::string(999, '+') + "-1"), "ok");  // 999 operators, the sign folded
  EXPECT_EQ(error_of("x" + std::string(1002, '+') + "1"),         // 1001 counted: only the last sign folds
            "1:1002: parse error: expression nesting exceeds the limit of 1000 levels");
  // A sign with an operand before it is a binary operator and counts.
  std::string differences = "1";
  for (int i = 0; i < 1001; ++i) differences += "-1";
  EXPECT_EQ(error_of(differences), "1:2002: parse error: expression nesting exceeds the limit of 1000 levels");
}

TEST(PromQLParse, SizeLimit) {
  pq::ParseOptions small;
  small.max_bytes = 10;
  EXPECT_EQ(error_of("foo + bar + baz", small), "1:1: parse error: expression is longer than the limit of 10 bytes");
}

TEST(PromQLParse, ArbitraryBytesNeverCrash) {
  std::string nul("foo\0bar", 7);
  EXPECT_EQ(error_of(nul), "1:4: parse error: unexpected character: '\\x00'");
  // Prometheus' lexer refuses invalid UTF-8 in strings too, at the string (checked against the
  // real server in prometheus_integration_test).
  EXPECT_EQ(error_of("foo{a=\"\xff\xfe\"}"), "1:7: parse error: invalid UTF-8 rune");
  EXPECT_NE(error_of("\xff"), "ok");
  EXPECT_NE(error_of("foo\xc3\xa9"), "ok");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_NE(error_of(all), "ok");
}

TEST(PromQLParse, ThreadsParseIndependently) {
  // Each thread owns its lexer/parser; results must not interfere.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures, t] {
      for (int i = 0; i < 200; ++i) {
        std::string text = "sum by (job) (rate(x" + std::to_string(t) + "[5m]))";
        pq::ParseResult r = pq::parse(text);
        if (!r.ok()) ++failures;
        if (pq::parse("foo bar").ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}
