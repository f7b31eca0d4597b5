// The PromQL type checker against Prometheus' own messages and positions. Expected errors were
// taken from promtool 2.42 (`promtool check rules`) where that version has the feature, and from
// the newest Prometheus source (promql/parser/parse.go checkAST, generated_parser.y) where 3.x
// differs or adds something; those rows say so.
#include <gtest/gtest.h>

#include <string>

#include "promql/ast.h"
#include "promql/check.h"
#include "promql/functions.h"
#include "promql/parse.h"

namespace promvet::promql {
namespace {

struct Case {
  const char* expr;
  const char* want;  // "L:C: parse error: message", or "" when the expression is valid
};

void run_cases(const std::vector<Case>& cases, bool experimental) {
  ParseOptions opts;
  opts.enable_experimental_functions = experimental;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expr);
    const ParseResult r = parse(c.expr, opts);
    if (*c.want == '\0') {
      EXPECT_TRUE(r.ok()) << format_error(c.expr, *r.error);
    } else if (r.ok()) {
      ADD_FAILURE() << "accepted; want " << c.want;
    } else {
      EXPECT_EQ(format_error(c.expr, *r.error), c.want);
    }
  }
}

// ----- function calls

TEST(PromqlCheck, Calls) {
  run_cases(
      {
          {"rate(x)", R"(1:6: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {"rate(x[5m], 1)", R"(1:1: parse error: expected 1 argument(s) in call to "rate", got 2)"},
          {"round()", R"(1:1: parse error: expected at least 1 argument(s) in call to "round", got 0)"},
          {"round(x, 1, 2)", R"(1:1: parse error: expected at most 2 argument(s) in call to "round", got 3)"},
          {R"(label_join(x, "a"))",
           R"(1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 2)"},
          {R"(label_join(x, "a", ",", "b", "c", 1))",
           R"(1:35: parse error: expected type string in call to function "label_join", got scalar)"},
          {R"(label_join(x, "a", ",", "b", "c", "d"))", ""},
          {R"(label_join(x, "a", ","))", ""},
          {"time(1)", R"(1:1: parse error: expected 0 argument(s) in call to "time", got 1)"},
          {"time()", ""},
          {"pi()", ""},
          {"vector(x)", R"(1:8: parse error: expected type scalar in call to function "vector", got instant vector)"},
          {"histogram_quantile(x, y)",
           R"(1:20: parse error: expected type scalar in call to function "histogram_quantile", got instant vector)"},
          {"clamp(x, 1)", R"(1:1: parse error: expected 3 argument(s) in call to "clamp", got 2)"},
          {"quantile_over_time(x, y[5m])",
           R"(1:20: parse error: expected type scalar in call to function "quantile_over_time", got instant vector)"},
          {"quantile_over_time(0.5, x)",
           R"(1:25: parse error: expected type range vector in call to function "quantile_over_time", got instant vector)"},
          {"sum(rate(x))",
           R"(1:10: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {"rate(sum(x))",
           R"(1:6: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {R"(abs("a"))", R"(1:5: parse error: expected type instant vector in call to function "abs", got string)"},
          {"abs(x[5m])",
           R"(1:5: parse error: expected type instant vector in call to function "abs", got range vector)"},
          {"abs(x) + abs(y[1m])",
           R"(1:14: parse error: expected type instant vector in call to function "abs", got range vector)"},
          {"scalar(x[5m])",
           R"(1:8: parse error: expected type instant vector in call to function "scalar", got range vector)"},
          {"sort(1)", R"(1:6: parse error: expected type instant vector in call to function "sort", got scalar)"},
          {"timestamp(1)",
           R"(1:11: parse error: expected type instant vector in call to function "timestamp", got scalar)"},
          {R"(label_replace(x, 1, "a", "b", "c"))",
           R"(1:18: parse error: expected type string in call to function "label_replace", got scalar)"},
          // Label names and regular expressions of label_replace are checked at evaluation time.
          {R"(label_replace(x, "1bad", "", "a", "("))", ""},
          {"day_of_week()", ""},
          {"day_of_week(x, y)", R"(1:1: parse error: expected at most 1 argument(s) in call to "day_of_week", got 2)"},
          {"rate(x[5m:1m])", ""},
          {"rate(x[5m])[5m:]", ""},
          {"rate((x[5m]))", ""},
          {"foo(x)", R"(1:1: parse error: unknown function with name "foo")"},
          {"rate(foo(x))", R"(1:6: parse error: unknown function with name "foo")"},
          // Errors of the grammar actions come before every type error, wherever they are.
          {"rate(x) + foo()", R"(1:11: parse error: unknown function with name "foo")"},
          {"Rate(x[5m])", R"(1:1: parse error: unknown function with name "Rate")"},
          // Prometheus 3.x removed holt_winters (promtool 2.42 accepts it).
          {"holt_winters(x[5m], 0.5, 0.5)", R"(1:1: parse error: unknown function with name "holt_winters")"},
          {R"(absent(nonexistent{job="myjob"}) == bool 2)", ""},
          {"histogram_avg(x) + histogram_stddev(x) + histogram_stdvar(x)", ""},
      },
      false);
}

// ----- experimental functions (Prometheus 3.x; not in promtool 2.42)

TEST(PromqlCheck, ExperimentalFunctionsDisabled) {
  run_cases(
      {
          {R"(sort_by_label(x, "a"))", R"(1:1: parse error: function "sort_by_label" is not enabled)"},
          {R"(sort_by_label_desc(x, "a"))", R"(1:1: parse error: function "sort_by_label_desc" is not enabled)"},
          {"info(x)", R"(1:1: parse error: function "info" is not enabled)"},
          {"mad_over_time(x[5m])", R"(1:1: parse error: function "mad_over_time" is not enabled)"},
          {"double_exponential_smoothing(x[5m], 0.5, 0.5)",
           R"(1:1: parse error: function "double_exponential_smoothing" is not enabled)"},
          {"1 + ts_of_max_over_time(x[5m])", R"(1:5: parse error: function "ts_of_max_over_time" is not enabled)"},
          // The function name is checked after its arguments.
          {"first_over_time(foo())", R"(1:17: parse error: unknown function with name "foo")"},
          {"limitk(2, x)",
           "1:1: parse error: limitk() is experimental and must be enabled with "
           "--enable-feature=promql-experimental-functions"},
          {"limit_ratio(0.5, x)",
           "1:1: parse error: limit_ratio() is experimental and must be enabled with "
           "--enable-feature=promql-experimental-functions"},
          {"limitk(x)",
           "1:1: parse error: limitk() is experimental and must be enabled with "
           "--enable-feature=promql-experimental-functions"},
          {"limitk()", "1:1: parse error: no arguments for aggregate expression provided"},
      },
      false);
}

TEST(PromqlCheck, ExperimentalFunctionsEnabled) {
  run_cases(
      {
          {R"(sort_by_label(x, "a", "b"))", ""},
          {"sort_by_label(x)", ""},
          {"sort_by_label(x, 1)",
           R"(1:18: parse error: expected type string in call to function "sort_by_label", got scalar)"},
          {R"(info(x, {a="b"}))", ""},
          {"info(x)", ""},
          // The label selector of info may match the empty string.
          {R"(info(x, {a=""}))", ""},
          {R"(info({a=""}))", "1:6: parse error: vector selector must contain at least one non-empty matcher"},
          {"info(x, foo)", "1:9: parse error: expected label selectors only, got vector selector instead"},
          {"info(x, rate(y[5m]))", "1:9: parse error: expected label selectors only"},
          {"info(x, y[5m])",
           R"(1:1: parse error: expected type instant vector in call to function "info", got range vector)"},
          {R"(info(x, {a="b"}, 1))", R"(1:1: parse error: expected at most 2 argument(s) in call to "info", got 3)"},
          {"double_exponential_smoothing(x, 0.5, 0.5)",
           R"(1:30: parse error: expected type range vector in call to function "double_exponential_smoothing", got instant vector)"},
          {"mad_over_time(x[5m])", ""},
          {"ts_of_last_over_time(x)",
           R"(1:22: parse error: expected type range vector in call to function "ts_of_last_over_time", got instant vector)"},
          {R"(histogram_quantiles(x, "q", 0.5, 0.9))", ""},
          {"histogram_quantiles(x)",
           R"(1:1: parse error: expected at least 3 argument(s) in call to "histogram_quantiles", got 1)"},
          {"limitk(2, x)", ""},
          {"limit_ratio(0.5, x)", ""},
          {"limitk(x)",
           "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"},
          {R"(limitk("a", x))", "1:8: parse error: expected type scalar in aggregation parameter, got string"},
          {"limit_ratio(0.5, x[5m])",
           "1:18: parse error: expected type instant vector in aggregation expression, got range vector"},
      },
      true);
}

// ----- aggregations

TEST(PromqlCheck, Aggregations) {
  run_cases(
      {
          {"sum()", "1:1: parse error: no arguments for aggregate expression provided"},
          {"topk(x)",
           "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"},
          {"sum(x, y)",
           "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"},
          {"topk(1, 2, x)",
           "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 3"},
          {"sum(x[5m]) + topk(x)",
           "1:14: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"},
          {"sum(x[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"},
          {"sum(x[5m:])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"},
          {"sum by (a) (x[5m])",
           "1:13: parse error: expected type instant vector in aggregation expression, got range vector"},
          {"sum(x) + sum(y[1m])",
           "1:14: parse error: expected type instant vector in aggregation expression, got range vector"},
          {"topk(x, y)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector"},
          // The aggregated expression is checked before the parameter.
          {"topk(x, y[5m])",
           "1:9: parse error: expected type instant vector in aggregation expression, got range vector"},
          {"count_values(1, x)", "1:14: parse error: expected type string in aggregation parameter, got scalar"},
          {R"(count_values("v", x))", ""},
          {R"(quantile("a", x))", "1:10: parse error: expected type scalar in aggregation parameter, got string"},
          {"quantile(0.9, x)", ""},
          {"bottomk(scalar(y), x)", ""},
          {"sum without (a) (x)", ""},
          {"count(x) by (a, b)", ""},
          // Quoted grouping labels (3.x): any non-empty valid UTF-8 string.
          {R"(sum by ("a.b") (x))", ""},
          {R"(sum by ("") (x))", R"(1:9: parse error: invalid label name for grouping: "")"},
          {R"(sum(x) by (a, ""))", R"(1:15: parse error: invalid label name for grouping: "")"},
          {R"(sum by ("\xff") (x))", R"(1:9: parse error: invalid label name for grouping: "\xff")"},
          {R"(sum by ("ü") (x))", ""},
          // Grouping written first is reduced first; written last, after the arguments.
          {R"(sum by ("") (foo()))", R"(1:9: parse error: invalid label name for grouping: "")"},
          {R"(sum(foo()) by (""))", R"(1:5: parse error: unknown function with name "foo")"},
      },
      false);
}

// ----- binary expressions

TEST(PromqlCheck, Binary) {
  run_cases(
      {
          {"1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
          {"scalar(x) == 1", "1:11: parse error: comparisons between scalars must use BOOL modifier"},
          {"time() > 1", "1:8: parse error: comparisons between scalars must use BOOL modifier"},
          {"(1) == (2)", "1:5: parse error: comparisons between scalars must use BOOL modifier"},
          {"1\n  ==\n  1", "2:3: parse error: comparisons between scalars must use BOOL modifier"},
          {"1 > 2 and x", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
          {"1 == bool 1", ""},
          {"scalar(x) > bool 1", ""},
          {"x > bool 1", ""},
          {"x == 1", ""},
          {"x\n  >= bool\n  1", ""},
          {"x + bool y", "1:3: parse error: bool modifier can only be used on comparison operators"},
          {"1 + bool 2", "1:3: parse error: bool modifier can only be used on comparison operators"},
          {"x and on(a) group_left(a) y",
           R"(1:3: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"x + on(a) group_left(a) y", R"(1:3: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"x +  on(a) group_left(a)  y",
           R"(1:3: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"x == bool on(a) group_left(a) y",
           R"(1:3: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"x - on(foo) group_right(foo) sum(y)",
           R"(1:3: parse error: label "foo" must not occur in ON and GROUP clause at once)"},
          {"sum(rate(x[5m])) by (a) > on(a) group_left(a) sum(y)",
           R"(1:25: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"x + ignoring(a) group_left(a) y", ""},
          {"x + on(a) group_left(b) y", ""},
          {R"("a" + 1)", "1:1: parse error: binary expression must contain only scalar and instant vector types"},
          {R"(x + "a")", "1:5: parse error: binary expression must contain only scalar and instant vector types"},
          {"x[1m] and y", "1:1: parse error: binary expression must contain only scalar and instant vector types"},
          {"1 == bool x[5m]", "1:11: parse error: binary expression must contain only scalar and instant vector types"},
          {"1 or x", R"(1:1: parse error: set operator "or" not allowed in binary scalar expression)"},
          {"x unless 1", R"(1:1: parse error: set operator "unless" not allowed in binary scalar expression)"},
          {"1 and 1", R"(1:1: parse error: set operator "and" not allowed in binary scalar expression)"},
          {"x and y or 1", R"(1:1: parse error: set operator "or" not allowed in binary scalar expression)"},
          {"x or on(a) group_right(b) y", R"(1:1: parse error: no grouping allowed for "or" operation)"},
          {"x and on(a) group_left y", R"(1:1: parse error: no grouping allowed for "and" operation)"},
          {"topk(5, x) and on(a) group_right y", R"(1:1: parse error: no grouping allowed for "and" operation)"},
          {"x and on(a) y", ""},
          {"x unless ignoring(a) y", ""},
          {"x * on(a) 2", "1:1: parse error: vector matching only allowed between instant vectors"},
          {"2 / ignoring(a) x", "1:1: parse error: vector matching only allowed between instant vectors"},
          {"x + on(a) group_left(b) 1", "1:1: parse error: vector matching only allowed between instant vectors"},
          {"sum(x) by (a) + on(b) group_left(c) 1",
           "1:1: parse error: vector matching only allowed between instant vectors"},
          {"sum(x) by (a) + on() 1", ""},
          {"x atan2 y", ""},
          {"2 ^ 3 ^ x", ""},
          // Quoted matching labels (3.x).
          {R"(x + on("a.b") y)", ""},
          {R"(x + on("") y)", R"(1:8: parse error: invalid label name for grouping: "")"},
          {R"(x + on(a) group_left("") y)", R"(1:22: parse error: invalid label name for grouping: "")"},
      },
      false);
}

// ----- unary expressions and subqueries

TEST(PromqlCheck, UnaryAndSubquery) {
  run_cases(
      {
          {R"(-"a")",
           R"(1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string")"},
          {"+x[5m]",
           R"(1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector")"},
          {"-(x[5m])",
           R"(1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector")"},
          {"abs(-x[5m])",
           R"(1:5: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector")"},
          {"-x", ""},
          {"-scalar(x)", ""},
          {"x[5m][5m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
          {"(x[5m])[5m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
          {"x[5m][1m:] offset 5m", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
          {R"("a"[5m:])", "1:1: parse error: subquery is only allowed on instant vector, got string instead"},
          {"1[5m:]", "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"},
          {"x[5m:1m]", ""},
          {"rate(x[5m])[30m:1m]", ""},
      },
      false);
}

// ----- selectors

TEST(PromqlCheck, Selectors) {
  run_cases(
      {
          {R"({a=""})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a="", b=""})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a!="x"})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=~".*"})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=""}[5m])", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=""} offset 5m)", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"(rate({a=~"a*"}[5m]))", "1:6: parse error: vector selector must contain at least one non-empty matcher"},
          {R"(x{a=~"a"} or {b=""})", "1:14: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=~".+"})", ""},
          {R"({a=~"\\Q"})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=~"\\Qa"})", ""},
          {R"({a=~"\\Q.*\\E"})", ""},
          {R"({a=~"(?i)|x"})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a=~"\n*"})", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
          {R"({a!~".*"})", ""},
          {R"({a!~""})", ""},
          {R"({a=~"(?s).*", b!=""})", ""},
          {R"({__name__="bar"})", ""},
          {R"({"foo"})", ""},
          {R"(foo{a=""})", ""},
          {R"(foo{__name__="bar"})", R"(1:1: parse error: metric name must not be set twice: "foo" or "bar")"},
          {R"(foo{__name__="bar",__name__="baz"})",
           R"(1:1: parse error: metric name must not be set twice: "foo" or "bar")"},
          {R"(foo{"bar"})", R"(1:1: parse error: metric name must not be set twice: "foo" or "bar")"},
          {R"(rate(foo{__name__=~"b.*"}[5m]))",
           R"(1:6: parse error: metric name must not be set twice: "foo" or "b.*")"},
          {R"("a")", ""},
          {"x[5m]", ""},
      },
      false);
}

// Regular expressions are parsed as Prometheus 3.x does (Go's regexp/syntax on the pattern as
// written); promtool 2.42 compiled `^(?:re)$` first, so its messages name the wrapped pattern
// when the error spans the rest of it (missing ), missing ], unexpected )).
TEST(PromqlCheck, RegularExpressions) {
  run_cases(
      {
          {R"(foo{a=~"["})", "1:5: parse error: error parsing regexp: missing closing ]: `[`"},
          {R"(foo{a!~"("})", "1:5: parse error: error parsing regexp: missing closing ): `(`"},
          {R"~(foo{a=~"a)"})~", "1:5: parse error: error parsing regexp: unexpected ): `a)`"},
          {R"(foo{a=~"a**"})", "1:5: parse error: error parsing regexp: invalid nested repetition operator: `**`"},
          {R"(foo{a=~"x{2,1}"})", "1:5: parse error: error parsing regexp: invalid repeat count: `{2,1}`"},
          {R"(foo{a=~"x{1001}"})", "1:5: parse error: error parsing regexp: invalid repeat count: `{1001}`"},
          {R"~(foo{a=~"(?=x)"})~", "1:5: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
          {R"(foo{a=~"*"})", "1:5: parse error: error parsing regexp: missing argument to repetition operator: `*`"},
          {R"(foo{a=~"[z-a]"})", "1:5: parse error: error parsing regexp: invalid character class range: `z-a`"},
          {R"(foo{a=~"[[:foo:]]"})",
           "1:5: parse error: error parsing regexp: invalid character class range: `[:foo:]`"},
          {R"(foo{a=~"(?P<n"})", "1:5: parse error: error parsing regexp: invalid named capture: `(?P<n`"},
          {R"(foo{a=~"\\C"})", "1:5: parse error: error parsing regexp: invalid escape sequence: `\\C`"},
          {R"(rate(foo{a=~"("}[5m]))", "1:10: parse error: error parsing regexp: missing closing ): `(`"},
          {R"(foo{b="x", a=~"("})", "1:12: parse error: error parsing regexp: missing closing ): `(`"},
          // A regular expression error is a parse error: reported before any type error.
          {R"(rate(x) + y{a=~"("})", "1:13: parse error: error parsing regexp: missing closing ): `(`"},
          // Go 1.22+ accepts (?<name>re) (promtool 2.42, built with an older Go, does not).
          {R"~(foo{a=~"(?<n>x)"})~", ""},
          {R"(foo{a=~"\\pN+|\\Q(\\E"})", ""},
          {R"(foo{a=~"(?i)A|b"})", ""},
      },
      false);
}

// ----- positions: multi-line input, comments, modifiers, parentheses

TEST(PromqlCheck, Positions) {
  run_cases(
      {
          {"sum(\n  rate(x)\n)",
           R"(2:8: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {"1\n  ==\n  1", "2:3: parse error: comparisons between scalars must use BOOL modifier"},
          // Prometheus trims only whitespace around the operator, not comments.
          {"x # c\n+ bool y", "1:3: parse error: bool modifier can only be used on comparison operators"},
          {"x\n# c\nand on(a) group_left(a) y",
           R"(2:1: parse error: label "a" must not occur in ON and GROUP clause at once)"},
          {"-1 == 1", "1:4: parse error: comparisons between scalars must use BOOL modifier"},
          {"(rate(x))",
           R"(1:7: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {"x offset 5m + rate(x)",
           R"(1:20: parse error: expected type range vector in call to function "rate", got instant vector)"},
          {R"({a=~"("})", "1:2: parse error: error parsing regexp: missing closing ): `(`"},
          {"count_values(1, x[5m])",
           "1:17: parse error: expected type instant vector in aggregation expression, got range vector"},
          {R"(label_join(x, "a", ",", 1, "c"))",
           R"(1:25: parse error: expected type string in call to function "label_join", got scalar)"},
          {"histogram_fraction(0, 1, x[5m])",
           R"(1:26: parse error: expected type instant vector in call to function "histogram_fraction", got range vector)"},
          {"predict_linear(x[5m], x)",
           R"(1:23: parse error: expected type scalar in call to function "predict_linear", got instant vector)"},
          {R"(clamp_min(x, "a"))",
           R"(1:14: parse error: expected type scalar in call to function "clamp_min", got string)"},
          {"absent_over_time(x)",
           R"(1:18: parse error: expected type range vector in call to function "absent_over_time", got instant vector)"},
          {"day_of_month(x[5m])",
           R"(1:14: parse error: expected type instant vector in call to function "day_of_month", got range vector)"},
          {"round(x, y)", R"(1:10: parse error: expected type scalar in call to function "round", got instant vector)"},
          {"1 and on(a) x", "1:1: parse error: vector matching only allowed between instant vectors"},
          {"vector(time())", ""},
          {"scalar(vector(1))", ""},
          {"max_over_time(rate(x[5m])[1h:5m])", ""},
          {"min_over_time(x[5m:] offset 1m)", ""},
          {"irate(x[5m] offset 1h)", ""},
          {"x == bool on(a) y", ""},
          {"sum(x) by (a) and sum(y) by (a) or vector(1)", ""},
          {"sum(x) by (a) / ignoring(b) group_left(b) count(y)", ""},
          {R"(sort_by_label(foo()))", R"(1:15: parse error: unknown function with name "foo")"},
      },
      false);
}

// ----- check() on hand-built trees (no parser involved)

ExprPtr selector(std::string name, uint32_t begin) {
  auto vs = std::make_unique<VectorSelector>();
  vs->name = name;
  vs->name_range = {begin, begin + static_cast<uint32_t>(name.size())};
  vs->range = vs->name_range;
  return vs;
}

TEST(PromqlCheck, HandBuiltCall) {
  const std::string src = "rate(x)";
  auto call = std::make_unique<Call>();
  call->name = "rate";
  call->func = find_function("rate");
  call->name_range = {0, 4};
  call->range = {0, 7};
  call->args.push_back(selector("x", 5));
  auto e = check(*call, src);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, R"(expected type range vector in call to function "rate", got instant vector)");
  EXPECT_EQ(e->range.begin, 5u);

  call->func = nullptr;
  call->name = "nope";
  e = check(*call, src);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, R"(unknown function with name "nope")");
  EXPECT_EQ(e->range.begin, 0u);
  EXPECT_EQ(e->range.end, 4u);
}

TEST(PromqlCheck, HandBuiltSetOperatorIsNotMutated) {
  const std::string src = "a and b";
  auto b = std::make_unique<Binary>();
  b->op = BinaryOp::And;
  b->lhs = selector("a", 0);
  b->rhs = selector("b", 6);
  b->range = {0, 7};
  b->op_range = {2, 5};
  EXPECT_FALSE(check(*b, src));
  EXPECT_EQ(b->matching.card, Cardinality::OneToOne);  // left as parsed

  // Experimental functions are accepted when enabled.
  auto call = std::make_unique<Call>();
  call->name = "mad_over_time";
  call->func = find_function("mad_over_time");
  call->name_range = {0, 13};
  call->range = {0, 20};
  auto m = std::make_unique<MatrixSelector>();
  m->selector = selector("x", 14);
  m->range = {14, 19};
  call->args.push_back(std::move(m));
  const std::string src2 = "mad_over_time(x[5m])";
  auto e = check(*call, src2);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, R"(function "mad_over_time" is not enabled)");
  CheckOptions on;
  on.enable_experimental_functions = true;
  EXPECT_FALSE(check(*call, src2, on));
}

}  // namespace
}  // namespace promvet::promql

namespace promvet::promql {
namespace {

// Prometheus 3.14's checkAST rules for fill modifiers (promql/parser/parse.go).
TEST(PromqlCheck, FillModifiersOnlyBetweenInstantVectorsAndNotOnSetOperators) {
  ParseOptions opts;
  opts.enable_binop_fill_modifiers = true;
  const Case cases[] = {
      {"a + fill(0) b", ""},
      {"a > on (x) fill_left(1) fill_right(2) b", ""},
      {"a + fill(0) 1", "1:1: parse error: filling in missing series only allowed between instant vectors"},
      {"1 * fill_right(0) a", "1:1: parse error: filling in missing series only allowed between instant vectors"},
      {"a and fill(0) b", "1:1: parse error: filling in missing series not allowed for set operators"},
      {"a unless on (x) fill_left(0) b", "1:1: parse error: filling in missing series not allowed for set operators"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expr);
    const ParseResult r = parse(c.expr, opts);
    if (*c.want == '\0') {
      EXPECT_TRUE(r.ok()) << format_error(c.expr, *r.error);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(format_error(c.expr, *r.error), c.want);
    }
  }
}

}  // namespace
}  // namespace promvet::promql
