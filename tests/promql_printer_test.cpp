// lib/promql/printer.h: Prometheus' String() and Pretty(), checked against the in→out behaviour
// of Prometheus' printer_test.go and prettier_test.go, plus the parse → print → parse round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <dirent.h>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "promql/ast.h"
#include "promql/parse.h"
#include "promql/printer.h"
#include "test_support.h"

namespace promvet::promql {
namespace {

// ----- helpers

ParseOptions options() {
  ParseOptions o;
  o.enable_experimental_functions = true;  // limitk, limit_ratio
  o.enable_extended_range_selectors = true;
  o.enable_binop_fill_modifiers = true;
  return o;
}

ExprPtr must_parse(const std::string& in) {
  ParseResult r = parse(in, options());
  EXPECT_TRUE(r.ok()) << in << ": " << (r.error ? format_error(in, *r.error) : "");
  return std::move(r.expr);
}

// Printing e and parsing the text again gives the same tree and the same text.
void expect_round_trip(const Expr& e, const std::string& context) {
  std::string printed = to_string(e);
  ParseResult again = parse(printed, options());
  ASSERT_TRUE(again.ok()) << context << "\nprinted: " << printed << "\n"
                          << (again.error ? format_error(printed, *again.error) : "");
  EXPECT_TRUE(equal(*again.expr, e)) << context << "\nprinted: " << printed
                                     << "\nreprinted: " << to_string(*again.expr);
  EXPECT_EQ(to_string(*again.expr), printed) << context;
}

struct Case {
  const char* in;
  const char* out;  // nullptr: the same as in
};

// ----- String(): Prometheus printer_test.go (TestExprString, TestBinaryExprUTF8Labels) and more
// cases of the same behaviour.

const Case kStringCases[] = {
    // Prometheus 3.14: extended ranges after the range and before @/offset, fill modifiers after
    // the grouping, trim operators, min_of/max_of in durations (as printer.go prints them).
    {"rate(x[5m]   anchored)", "rate(x[5m] anchored)"},
    {"x[5m] smoothed @ 10 offset 1m", "x[5m] smoothed @ 10.000 offset 1m"},
    {"x @ 10 smoothed offset 1m", "x @ 10.000 smoothed offset 1m"},
    {"a + fill(0) b", "a + fill (0) b"},
    {"a * on(x) group_left(y) fill_right(-1) fill_left(2) b",
     "a * on (x) group_left (y) fill_left (2) fill_right (-1) b"},
    {"a + fill_left(1) fill_right(1) b", "a + fill (1) b"},
    {"h </ 0.5 >/ 0.1", nullptr},
    {"x[min_of(step(), 5m)]", nullptr},
    {"x offset max_of(1m, 2 * range())", nullptr},
    // Aggregations: grouping moves before the body, `by ()` vanishes, `without ()` stays.
    {R"(sum by() (task:errors:rate10s{job="s"}))", R"(sum(task:errors:rate10s{job="s"}))"},
    {R"(sum by(code) (task:errors:rate10s{job="s"}))", R"(sum by (code) (task:errors:rate10s{job="s"}))"},
    {R"(sum without() (task:errors:rate10s{job="s"}))", R"(sum without () (task:errors:rate10s{job="s"}))"},
    {R"(sum without(instance) (task:errors:rate10s{job="s"}))",
     R"(sum without (instance) (task:errors:rate10s{job="s"}))"},
    {R"(sum by("foo.bar") (task:errors:rate10s{job="s"}))", R"(sum by ("foo.bar") (task:errors:rate10s{job="s"}))"},
    {R"(sum without("foo.bar") (task:errors:rate10s{job="s"}))",
     R"(sum without ("foo.bar") (task:errors:rate10s{job="s"}))"},
    {R"(topk(5, task:errors:rate10s{job="s"}))", nullptr},
    {R"(count_values("value", task:errors:rate10s{job="s"}))", nullptr},
    {R"(sum by("üüü") (foo))", R"(sum by ("üüü") (foo))"},
    {R"(sum without("äää") (foo))", R"(sum without ("äää") (foo))"},
    {R"(count by("ööö", job) (foo))", R"(count by ("ööö", job) (foo))"},
    {"sum(rate(foo[5m])) by (job)", "sum by (job) (rate(foo[5m]))"},
    {"sum by (foo,bar,)(some_metric)", "sum by (foo, bar) (some_metric)"},
    {"quantile(0.9, foo)", nullptr},
    {"bottomk by (a) (3, foo)", "bottomk by (a) (3, foo)"},
    {"limitk(2, foo)", nullptr},
    {"limit_ratio(0.5, foo)", nullptr},
    {"group without (job) (foo)", nullptr},
    {"stddev(foo)", nullptr},
    // Vector matching.
    {"a - on() c", "a - on () c"},
    {"a - on(b) c", "a - on (b) c"},
    {"a - on(b) group_left(x) c", "a - on (b) group_left (x) c"},
    {"a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"},
    {"a - on(b) group_left c", "a - on (b) group_left () c"},
    {"a - on(b) group_left() (c)", "a - on (b) group_left () (c)"},
    {"a - ignoring(b) c", "a - ignoring (b) c"},
    {"a - ignoring() c", "a - c"},
    {"a - ignoring() group_left(__metric__) c", "a - ignoring () group_left (__metric__) c"},
    {"a - ignoring() group_left c", "a - ignoring () group_left () c"},
    {"a * on(b) group_right(c, d) e", "a * on (b) group_right (c, d) e"},
    {"up > bool 0", nullptr},
    {"up == bool on(job) down", "up == bool on (job) down"},
    {R"(foo / on("äää") bar)", R"(foo / on ("äää") bar)"},
    {R"(foo / ignoring("üüü") bar)", R"(foo / ignoring ("üüü") bar)"},
    {R"(foo / on("äää") group_left("ööö") bar)", R"(foo / on ("äää") group_left ("ööö") bar)"},
    {R"(foo / on("äää") group_right("ööö") bar)", R"(foo / on ("äää") group_right ("ööö") bar)"},
    {R"(foo / on(legacy, "üüü") bar)", R"(foo / on (legacy, "üüü") bar)"},
    {"foo / on(job, instance) bar", "foo / on (job, instance) bar"},
    {"foo and on(a) bar", "foo and on (a) bar"},
    {"foo or bar", nullptr},
    {"foo unless ignoring(a) bar", "foo unless ignoring (a) bar"},
    {"foo and ignoring() bar", "foo and bar"},
    // Operators and parentheses are printed as parsed.
    {"a+b*c", "a + b * c"},
    {"(a + b) * c", nullptr},
    {"a ^ b ^ c", nullptr},
    {"(a ^ b) ^ c", nullptr},
    {"foo atan2 bar", nullptr},
    {"foo%bar", "foo % bar"},
    {"-foo", nullptr},
    {"- foo", "-foo"},
    {"+foo", "+foo"},
    {"-(foo + bar)", nullptr},
    {"-sum(foo)", nullptr},
    {"((foo))", nullptr},
    // Selectors: matchers sorted, the name matcher folded into the name, UTF-8 names quoted.
    {R"({__name__="a"})", nullptr},
    {R"(a{b!="c"}[1m])", nullptr},
    {R"(a{b=~"c"}[1m])", nullptr},
    {R"(a{b!~"c"}[1m])", nullptr},
    {R"({__name__="",a="x"})", nullptr},
    {R"({"a.b"="c"})", nullptr},
    {R"({"0"="1"})", nullptr},
    {R"({"_0"="1"})", R"({_0="1"})"},
    {R"(foo{b="c", a="d"})", R"(foo{a="d",b="c"})"},
    {R"({job="x",__name__!="foo"})", R"({__name__!="foo",job="x"})"},
    {R"({__name__=~"foo|bar",a="b"})", nullptr},
    {R"({__name__="foo",a="b"})", R"({__name__="foo",a="b"})"},
    {R"({"foo"})", R"({__name__="foo"})"},
    {R"({"my.metric", a="b"})", R"({__name__="my.metric",a="b"})"},
    {R"({"my.metric", "a.b"=~"x"})", R"({"a.b"=~"x",__name__="my.metric"})"},
    {R"(foo{a='b'})", R"(foo{a="b"})"},
    {"foo{a=`b\\c`}", R"(foo{a="b\\c"})"},
    {R"(foo{a="b",})", R"(foo{a="b"})"},
    {R"(foo{a="b", a="c"})", R"(foo{a="b",a="c"})"},
    {"task:errors:rate10s", nullptr},
    // Range selectors, offsets and @ (after the range; @ before offset).
    {"a offset 1m", nullptr},
    {"a offset -7m", nullptr},
    {R"(a{c="d"}[5m] offset 1m)", nullptr},
    {"a[5m] offset 1m", nullptr},
    {"a[12m] offset -3m", nullptr},
    {"a[1h:5m] offset 1m", nullptr},
    {"a @ 10", "a @ 10.000"},
    {"a[1m] @ 10", "a[1m] @ 10.000"},
    {"a @ start()", nullptr},
    {"a @ end()", nullptr},
    {"a[1m] @ start()", nullptr},
    {"a[1m] @ end()", nullptr},
    {"foo @ 1609746000", "foo @ 1609746000.000"},
    {"foo @ 1.5", "foo @ 1.500"},
    {"foo @ -10", "foo @ -10.000"},
    {"foo offset 5m @ 10", "foo @ 10.000 offset 5m"},
    {"foo[5m] offset 5m @ 10", "foo[5m] @ 10.000 offset 5m"},
    {"foo[5m:] offset 1m @ end()", "foo[5m:] @ end() offset 1m"},
    {"rate(foo[300s])", "rate(foo[5m])"},
    {"foo[90m]", "foo[1h30m]"},
    {"foo[1500ms]", "foo[1s500ms]"},
    {"foo[7d]", "foo[1w]"},
    {"foo[8d]", "foo[8d]"},
    {"foo[365d]", "foo[1y]"},
    {"foo[1h0m]", "foo[1h]"},
    {"foo[300]", "foo[5m]"},
    {"foo offset 3600", "foo offset 1h"},
    {"foo offset 1h30m", nullptr},
    // Subqueries.
    {"foo[30m:1m]", nullptr},
    {"foo[30m:]", nullptr},
    {"rate(foo[5m])[30m:1m]", nullptr},
    {"sum(foo)[5m:] @ start()", nullptr},
    {"(foo + bar)[1h:10s] offset -5m", nullptr},
    // Calls.
    {"predict_linear(foo[1h], 3000)", nullptr},
    {"time()", nullptr},
    {R"(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"))", nullptr},
    {R"(label_join(foo, "dst", ",", "a", "b"))", nullptr},
    {"histogram_quantile(0.9, sum by (le) (rate(foo[5m])))", nullptr},
    // Numbers: Go's FormatFloat(v, 'f', -1, 64); durations used as numbers stay durations.
    {"1048576", nullptr},
    {"1e6", "1000000"},
    {"1e-7", "0.0000001"},
    {".5", "0.5"},
    {"0x10", "16"},
    {"1_000", "1000"},
    {"-1", nullptr},
    {"- 1", "-1"},
    {"Inf", "+Inf"},
    {"-Inf", nullptr},
    {"NaN", nullptr},
    {"foo * 0.1", nullptr},
    {"time() - 5m", nullptr},
    {"time() - 90m", "time() - 1h30m"},
    {"1h30m", nullptr},
    // Strings: Go's strconv.Quote.
    {R"("a\nb")", nullptr},
    {R"('single')", R"("single")"},
    {R"('say "hi"')", R"("say \"hi\"")"},
    {"`raw\\n`", R"("raw\\n")"},
    {R"("\u00e4")", R"("ä")"},
    {R"("\x01\t\a\b\f\r\v")", R"("\x01\t\a\b\f\r\v")"},
    {R"("\u00a0")", R"("\u00a0")"},
    {R"("\U0001F600")", "\"\U0001F600\""},
    {R"("\u200b")", R"("\u200b")"},
    // Duration expressions (Prometheus 3.x).
    {"foo[step()]", nullptr},
    {"foo[-step()]", nullptr},
    {"foo[(step())]", nullptr},
    {"foo[-(step())]", nullptr},
    {"foo offset step()", nullptr},
    {"foo offset -step()", nullptr},
    {"foo offset (step())", nullptr},
    {"foo offset -(step())", nullptr},
    {"foo offset +(5*2)", "foo offset (5 * 2)"},
    {"foo[range()]", nullptr},
    {"foo[-range()]", nullptr},
    {"foo offset range()", nullptr},
    {"foo offset -range()", nullptr},
    {"foo[5m+30s]", "foo[5m + 30s]"},
    {"foo[2*1h]", "foo[2 * 1h]"},
    {"foo[-5m+35m]", "foo[-5m + 35m]"},
    {"foo[(5m+30s)*2]", "foo[(5m + 30s) * 2]"},
    {"foo[30m:step()*2]", "foo[30m:step() * 2]"},
    {"foo[step()+range():]", "foo[step() + range():]"},
    {"foo offset -(1h)", "foo offset -1h"},
    {"foo offset -(5)", "foo offset -5s"},
    {"foo[--5m+10m]", "foo[5m + 10m]"},
    {"foo[-(10s-5s)+20s]", "foo[-(10s - 5s) + 20s]"},
    {"foo[(5m)]", "foo[5m]"},
    {"foo[(5m)+1m]", "foo[5m + 1m]"},  // parentheses around a literal leave no trace
    {"foo[-(5m)+10m]", "foo[-5m + 10m]"},
    {"foo[1h % 7m]", nullptr},
    {"foo[2 ^ 3 * 1s]", nullptr},
    {"foo[10m / 2]", nullptr},
    {"foo offset (1h - 5m)", nullptr},
};

TEST(PromqlPrinter, StringMatchesPrometheus) {
  for (const Case& c : kStringCases) {
    SCOPED_TRACE(c.in);
    ExprPtr e = must_parse(c.in);
    if (!e) continue;
    std::string want = c.out ? c.out : c.in;
    EXPECT_EQ(to_string(*e), want);
    expect_round_trip(*e, c.in);
  }
}

TEST(PromqlPrinter, StringCaseCount) { EXPECT_GE(sizeof(kStringCases) / sizeof(kStringCases[0]), 60u); }

// ----- Pretty(): Prometheus prettier_test.go, all with maxCharactersPerLine = 10.

const Case kPrettyCases[] = {
    // TestAggregateExprPretty
    {"sum(foo)", "sum(foo)"},
    {R"(sum by() (task:errors:rate10s{job="s"}))", "sum(\n  task:errors:rate10s{job=\"s\"}\n)"},
    {R"(sum without(job,foo) (task:errors:rate10s{job="s"}))",
     "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"},
    {R"(sum(task:errors:rate10s{job="s"}) without(job,foo))",
     "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"},
    {R"(sum by(job,foo) (task:errors:rate10s{job="s"}))", "sum by (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"},
    {R"(sum (task:errors:rate10s{job="s"}) by(job,foo))", "sum by (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"},
    {R"(topk(10, ask:errors:rate10s{job="s"}))", "topk(\n  10,\n  ask:errors:rate10s{job=\"s\"}\n)"},
    {R"(sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"})))",
     "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"},
    {R"(sum by(job,foo) (sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"}))))",
     "sum by (job, foo) (\n  sum by (job, foo) (\n    sum by (job, foo) (\n      task:errors:rate10s{job=\"s\"}\n    )\n  "
     ")\n)"},
    {"sum by(job,foo)\n(sum by(job,foo) (task:errors:rate10s{job=\"s\"}))",
     "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"},
    {"sum by(job,foo)\n(sum(task:errors:rate10s{job=\"s\"}) without(job,foo))",
     "sum by (job, foo) (\n  sum without (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"},
    {"sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job=\"s\"}))",
     "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"},
    // TestBinaryExprPretty
    {"a+b", "a + b"},
    {"a == bool 1", "  a\n== bool\n  1"},
    {"a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"},
    {"foo_1 + foo_2", "  foo_1\n+\n  foo_2"},
    {"foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"},
    {"foo + baar + foo_3", "  foo + baar\n+\n  foo_3"},
    {"foo_1 + foo_2 + foo_3 + foo_4", "      foo_1\n    +\n      foo_2\n  +\n    foo_3\n+\n  foo_4"},
    {"foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
     "      foo_1\n    + ignoring (foo)\n      foo_2\n  + ignoring (job) group_left ()\n    foo_3\n+ on (instance) "
     "group_right ()\n  foo_4"},
    // TestCallExprPretty
    {"rate(foo[1m])", "rate(\n  foo[1m]\n)"},
    {"sum_over_time(foo[1m])", "sum_over_time(\n  foo[1m]\n)"},
    {"rate(long_vector_selector[10m:1m] @ start() offset 1m)",
     "rate(\n  long_vector_selector[10m:1m] @ start() offset 1m\n)"},
    {"histogram_quantile(0.9, rate(foo[1m]))", "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"},
    {"max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
     "max_over_time(\n  rate(\n    demo_api_request_duration_seconds_count[1m]\n  )[1m:] @ start() offset 1m\n)"},
    {R"(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"))",
     "label_replace(\n  up{job=\"api-server\",service=\"a:c\"},\n  \"foo\",\n  \"$1\",\n  \"service\",\n  \"(.*):.*\"\n)"},
    {R"(label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*"))",
     "label_replace(\n  label_replace(\n    up{job=\"api-server\",service=\"a:c\"},\n    \"foo\",\n    \"$1\",\n    "
     "\"service\",\n    \"(.*):.*\"\n  ),\n  \"foo\",\n  \"$1\",\n  \"service\",\n  \"(.*):.*\"\n)"},
    // TestParenExprPretty
    {"(foo)", "(foo)"},
    {"(_foo_long_)", "(\n  _foo_long_\n)"},
    {"((foo_long))", "(\n  (foo_long)\n)"},
    {"((_foo_long_))", "(\n  (\n    _foo_long_\n  )\n)"},
    {"(((foo_long)))", "(\n  (\n    (foo_long)\n  )\n)"},
    // TestStepInvariantExpr
    {"a @ 1", "a @ 1.000"},
    {"a @ start()", "a @ start()"},
    {"vector_selector @ start()", "vector_selector @ start()"},
    // TestExprPretty
    {"(1 + 2)", "(1 + 2)"},
    {"(foo + bar)", "(\n  foo + bar\n)"},
    {"(foo_long + bar_long)", "(\n    foo_long\n  +\n    bar_long\n)"},
    {"(foo_long + bar_long + bar_2_long)", "(\n      foo_long\n    +\n      bar_long\n  +\n    bar_2_long\n)"},
    {"((foo_long + bar_long) + bar_2_long)",
     "(\n    (\n        foo_long\n      +\n        bar_long\n    )\n  +\n    bar_2_long\n)"},
    {"(1111 + 2222)", "(\n    1111\n  +\n    2222\n)"},
    {"(sum_over_time(foo[1m]))", "(\n  sum_over_time(\n    foo[1m]\n  )\n)"},
    {"histogram_quantile(0.9, rate(foo[1m] @ start()))",
     "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m] @ start()\n  )\n)"},
    {R"((label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")))",
     "(\n  label_replace(\n    up{job=\"api-server\",service=\"a:c\"},\n    \"foo\",\n    \"$1\",\n    \"service\",\n    "
     "\"(.*):.*\"\n  )\n)"},
    {R"((label_replace(label_replace((up{job="api-server",service="a:c"}), "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*")))",
     "(\n  label_replace(\n    label_replace(\n      (\n        up{job=\"api-server\",service=\"a:c\"}\n      ),\n      "
     "\"foo\",\n      \"$1\",\n      \"service\",\n      \"(.*):.*\"\n    ),\n    \"foo\",\n    \"$1\",\n    "
     "\"service\",\n    \"(.*):.*\"\n  )\n)"},
    {R"((node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 24*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0))",
     R"~((
            node_filesystem_avail_bytes{fstype!="",job="node"}
          /
            node_filesystem_size_bytes{fstype!="",job="node"}
        *
          100
      <
        40
    and
        predict_linear(
          node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
            24 * 60
          *
            60
        )
      <
        0
  and
      node_filesystem_readonly{fstype!="",job="node"}
    ==
      0
))~"},
    {R"((node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0))",
     R"~(  (
        node_timex_offset_seconds
      >
        0.05
    and
        deriv(
          node_timex_offset_seconds[5m]
        )
      >=
        0
  )
or
  (
        node_timex_offset_seconds
      <
        -0.05
    and
        deriv(
          node_timex_offset_seconds[5m]
        )
      <=
        0
  ))~"},
    {R"(1 - ((node_memory_MemAvailable_bytes{job="node"} or (node_memory_Buffers_bytes{job="node"} + node_memory_Cached_bytes{job="node"} + node_memory_MemFree_bytes{job="node"} + node_memory_Slab_bytes{job="node"}) ) / node_memory_MemTotal_bytes{job="node"}))",
     R"~(  1
-
  (
      (
          node_memory_MemAvailable_bytes{job="node"}
        or
          (
                  node_memory_Buffers_bytes{job="node"}
                +
                  node_memory_Cached_bytes{job="node"}
              +
                node_memory_MemFree_bytes{job="node"}
            +
              node_memory_Slab_bytes{job="node"}
          )
      )
    /
      node_memory_MemTotal_bytes{job="node"}
  ))~"},
    {R"(min by (job, integration) (rate(alertmanager_notifications_failed_total{job="alertmanager", integration=~".*"}[5m]) / rate(alertmanager_notifications_total{job="alertmanager", integration="~.*"}[5m])) > 0.01)",
     R"~(  min by (job, integration) (
      rate(
        alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m]
      )
    /
      rate(
        alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m]
      )
  )
>
  0.01)~"},
    {R"((count by (job) (changes(process_start_time_seconds{job="alertmanager"}[10m]) > 4) / count by (job) (up{job="alertmanager"})) >= 0.5)",
     R"~(  (
      count by (job) (
          changes(
            process_start_time_seconds{job="alertmanager"}[10m]
          )
        >
          4
      )
    /
      count by (job) (
        up{job="alertmanager"}
      )
  )
>=
  0.5)~"},
    // TestUnaryPretty
    {"-1", "-1"},
    {"-vector_selector", "-vector_selector"},
    {"(-vector_selector)", "(\n  -vector_selector\n)"},
    {"-histogram_quantile(0.9,rate(foo[1m]))", "-histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"},
    {"-histogram_quantile(0.99, sum by (le) (rate(foo[1m])))",
     "-histogram_quantile(\n  0.99,\n  sum by (le) (\n    rate(\n      foo[1m]\n    )\n  )\n)"},
    {"-histogram_quantile(0.9, -rate(foo[1m] @ start()))",
     "-histogram_quantile(\n  0.9,\n  -rate(\n    foo[1m] @ start()\n  )\n)"},
    {"(-histogram_quantile(0.9, -rate(foo[1m] @ start())))",
     "(\n  -histogram_quantile(\n    0.9,\n    -rate(\n      foo[1m] @ start()\n    )\n  )\n)"},
    // TestDurationExprPretty
    {"rate(foo[2*1h])", "rate(\n  foo[2 * 1h]\n)"},
    {"rate(foo[-5m+35m])", "rate(\n  foo[-5m + 35m]\n)"},
    // Prometheus quirk kept: a subquery that fits on its line is not indented.
    {"rate(foo[5m:])", "rate(\nfoo[5m:]\n)"},
    // More of the same rules.
    {"time() - 5m", "  time()\n-\n  5m"},
    {R"(count_values("le", foo))", "count_values(\n  \"le\",\n  foo\n)"},
    {"foo_bar offset 5m", "foo_bar offset 5m"},
    {"-(foo_bar_baz)", "-(\n  foo_bar_baz\n)"},
};

TEST(PromqlPrinter, PrettyMatchesPrometheus) {
  for (const Case& c : kPrettyCases) {
    SCOPED_TRACE(c.in);
    ExprPtr e = must_parse(c.in);
    if (!e) continue;
    EXPECT_EQ(pretty(*e, 10), c.out);
    // Pretty output is PromQL too: it parses back to the same tree.
    std::string p = pretty(*e, 10);
    ParseResult again = parse(p, options());
    ASSERT_TRUE(again.ok()) << p;
    EXPECT_TRUE(equal(*again.expr, *e)) << p;
  }
}

TEST(PromqlPrinter, PrettyCaseCount) { EXPECT_GE(sizeof(kPrettyCases) / sizeof(kPrettyCases[0]), 20u); }

TEST(PromqlPrinter, PrettyDefaultWidthKeepsShortExpressionsOnOneLine) {
  ExprPtr e = must_parse(R"(sum by (job) (rate(http_requests_total{job="api"}[5m])) > 10)");
  ASSERT_TRUE(e);
  EXPECT_EQ(pretty(*e), R"(sum by (job) (rate(http_requests_total{job="api"}[5m])) > 10)");
  ExprPtr long_e = must_parse(
      R"(sum by (job) (rate(http_requests_total{job="api-server",handler="/api/v1/query"}[5m])) / sum by (job) (rate(http_requests_total[5m])))");
  ASSERT_TRUE(long_e);
  EXPECT_EQ(pretty(*long_e),
            "  sum by (job) (rate(http_requests_total{handler=\"/api/v1/query\",job=\"api-server\"}[5m]))\n"
            "/\n  sum by (job) (rate(http_requests_total[5m]))");
}

// ----- Property: every valid expression of testdata/promql/*.txt prints to text that parses back
// to the same tree and prints the same again; Pretty() output parses back to the same tree.

std::vector<std::string> promql_testdata_files() {
  std::vector<std::string> files;
  std::string dir = test::testdata("promql");
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* ent = readdir(d)) {
      std::string name = ent->d_name;
      if (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0) files.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(PromqlPrinter, RoundTripsEveryValidTestdataExpression) {
  std::vector<std::string> files = promql_testdata_files();
  if (files.empty()) GTEST_SKIP() << "no testdata/promql/*.txt";
  size_t checked = 0;
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.empty() || line[0] == '#') continue;
      size_t arrow = line.rfind(" => ");
      if (arrow == std::string::npos) continue;
      std::string expr = line.substr(0, arrow);
      std::string verdict = line.substr(arrow + 4);
      if (verdict != "ok") continue;
      std::string context = file + ":" + std::to_string(lineno) + ": " + expr;
      ParseResult r = parse(expr, options());
      if (!r.ok()) continue;  // the parser's own tests report this
      ++checked;
      expect_round_trip(*r.expr, context);
      EXPECT_EQ(pretty(*r.expr, std::numeric_limits<size_t>::max()), to_string(*r.expr)) << context;
      for (size_t width : {size_t{0}, size_t{10}, size_t{100}}) {
        std::string p = pretty(*r.expr, width);
        ParseResult again = parse(p, options());
        ASSERT_TRUE(again.ok()) << context << "\npretty(" << width << "):\n" << p;
        EXPECT_TRUE(equal(*again.expr, *r.expr)) << context << "\npretty(" << width << "):\n" << p;
      }
    }
  }
  EXPECT_GT(checked, 0u);
}

// ----- The formatting helpers.

TEST(PromqlPrinter, FormatDurationMs) {
  EXPECT_EQ(format_duration_ms(0), "0s");
  EXPECT_EQ(format_duration_ms(1), "1ms");
  EXPECT_EQ(format_duration_ms(1500), "1s500ms");
  EXPECT_EQ(format_duration_ms(60 * 1000), "1m");
  EXPECT_EQ(format_duration_ms(5400000), "1h30m");
  EXPECT_EQ(format_duration_ms(86400000), "1d");
  EXPECT_EQ(format_duration_ms(7 * 86400000LL), "1w");
  EXPECT_EQ(format_duration_ms(14 * 86400000LL), "2w");
  EXPECT_EQ(format_duration_ms(90 * 86400000LL), "90d");  // not 12w6d
  EXPECT_EQ(format_duration_ms(365 * 86400000LL), "1y");
  EXPECT_EQ(format_duration_ms(366 * 86400000LL), "366d");
  EXPECT_EQ(format_duration_ms(730 * 86400000LL), "2y");
  EXPECT_EQ(format_duration_ms(86400000LL + 3600000 + 60000 + 1000 + 1), "1d1h1m1s1ms");
  EXPECT_EQ(format_duration_ms(-300000), "-5m");
}

// A duration literal prints to the millisecond it was written with, even where seconds * 1e9 is
// inexact (above 2^53 ns): 1h7777777777s printed as ...36s999ms before (found by promql_fuzz).
TEST(PromqlPrinter, DurationLiteralsPrintTheirOwnMillisecond) {
  for (const auto& [in, out] : std::vector<std::pair<std::string, std::string>>{
           {"1h7777777777s+77", "90020d14h49m37s + 77"},
           {"9h30m5ms", "9h30m5ms"},
           {"foo[7777777777s5ms]", "foo[90020d13h49m37s5ms]"},
       }) {
    ParseResult r = parse(in, options());
    ASSERT_TRUE(r.ok()) << in;
    EXPECT_EQ(to_string(*r.expr), out) << in;
    expect_round_trip(*r.expr, in);
  }
}

TEST(PromqlPrinter, FormatNumber) {
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(-0.0), "-0");
  EXPECT_EQ(format_number(1), "1");
  EXPECT_EQ(format_number(-1.5), "-1.5");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1e6), "1000000");
  EXPECT_EQ(format_number(1e21), "1000000000000000000000");
  EXPECT_EQ(format_number(1e-7), "0.0000001");
  EXPECT_EQ(format_number(123456789.125), "123456789.125");
  EXPECT_EQ(format_number(0.30000000000000004), "0.30000000000000004");
  EXPECT_EQ(format_number(1.5e300), "15" + std::string(299, '0'));
  EXPECT_EQ(format_number(5e-324), "0." + std::string(323, '0') + "5");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_number(std::nan("")), "NaN");
}

TEST(PromqlPrinter, QuoteStringIsGoStrconvQuote) {
  EXPECT_EQ(quote_string(""), R"("")");
  EXPECT_EQ(quote_string("abc"), R"("abc")");
  EXPECT_EQ(quote_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(quote_string("\a\b\f\n\r\t\v"), R"("\a\b\f\n\r\t\v")");
  EXPECT_EQ(quote_string(std::string("\0\x01\x1f\x7f", 4)), R"("\x00\x01\x1f\x7f")");
  EXPECT_EQ(quote_string("'"), R"("'")");
  EXPECT_EQ(quote_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");                            // printable: kept
  EXPECT_EQ(quote_string("\xe6\xb8\xa9\xe5\xba\xa6"), "\"\xe6\xb8\xa9\xe5\xba\xa6\"");  // 温度
  EXPECT_EQ(quote_string("\xc2\x80"), R"("\u0080")");                                   // C1 control
  EXPECT_EQ(quote_string("\xc2\xa0"), R"("\u00a0")");                                   // no-break space
  EXPECT_EQ(quote_string("\xc2\xad"), R"("\u00ad")");                                   // soft hyphen (Cf)
  EXPECT_EQ(quote_string("\xe2\x80\xa8"), R"("\u2028")");                               // line separator
  EXPECT_EQ(quote_string("\xef\xbb\xbf"), R"("\ufeff")");                               // BOM
  EXPECT_EQ(quote_string("\xf3\xa0\x80\x81"), R"("\U000e0001")");                       // language tag (Cf)
  EXPECT_EQ(quote_string("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");                  // emoji: printable
  EXPECT_EQ(quote_string("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");                          // U+FFFD written out
  EXPECT_EQ(quote_string("a\xff"
                         "b"),
            R"("a\xffb")");                                      // invalid UTF-8
  EXPECT_EQ(quote_string("\xe2\x82"), R"("\xe2\x82")");          // truncated sequence
  EXPECT_EQ(quote_string("\xed\xa0\x80"), R"("\xed\xa0\x80")");  // surrogate
  EXPECT_EQ(quote_string("\xc0\xaf"), R"("\xc0\xaf")");          // overlong
}

TEST(PromqlPrinter, FormatLabelName) {
  EXPECT_EQ(format_label_name("job"), "job");
  EXPECT_EQ(format_label_name("_0"), "_0");
  EXPECT_EQ(format_label_name("__name__"), "__name__");
  EXPECT_EQ(format_label_name("0"), R"("0")");
  EXPECT_EQ(format_label_name("a.b"), R"("a.b")");
  EXPECT_EQ(format_label_name("a:b"), R"("a:b")");
  EXPECT_EQ(format_label_name(""), R"("")");
  EXPECT_EQ(format_label_name("\xc3\xbc"), "\"\xc3\xbc\"");
}

// ----- Hand-built trees: nodes the parser never produces in this exact shape still print sensibly.

std::unique_ptr<VectorSelector> selector(const std::string& name) {
  auto vs = std::make_unique<VectorSelector>();
  vs->name = name;
  return vs;
}

DurationExprPtr lit(double seconds, bool is_duration) {
  auto d = std::make_unique<DurationExpr>();
  d->seconds = seconds;
  d->literal_is_duration = is_duration;
  return d;
}

TEST(PromqlPrinter, HandBuiltTrees) {
  // Matrix selector with @ and offset on its vector selector.
  auto m = std::make_unique<MatrixSelector>();
  auto vs = selector("http_requests_total");
  vs->matchers.push_back(Matcher{"job", MatchOp::Regex, "api.*", {}, {}, {}, false});
  vs->mods.offset = Duration{};
  vs->mods.offset->ms = -300000;
  vs->mods.offset->expr = lit(-300, true);
  vs->mods.at = AtKind::Timestamp;
  vs->mods.at_ms = 1609746000123;
  m->selector = std::move(vs);
  m->range_duration.ms = 300000;
  m->range_duration.expr = lit(300, true);
  EXPECT_EQ(to_string(*m), R"(http_requests_total{job=~"api.*"}[5m] @ 1609746000.123 offset -5m)");

  // A metric name that is not a legacy name cannot stand outside the braces.
  auto utf8 = selector("my.metric");
  EXPECT_EQ(to_string(*utf8), R"({__name__="my.metric"})");

  // Duration expression trees.
  Duration d;
  d.expr = std::make_unique<DurationExpr>();
  d.expr->op = DurationExpr::Op::Mul;
  d.expr->lhs = std::make_unique<DurationExpr>();
  d.expr->lhs->op = DurationExpr::Op::Add;
  d.expr->lhs->wrapped = true;
  d.expr->lhs->lhs = lit(300, true);
  d.expr->lhs->rhs = std::make_unique<DurationExpr>();
  d.expr->lhs->rhs->op = DurationExpr::Op::Step;
  d.expr->rhs = lit(2, false);
  EXPECT_EQ(to_string(d), "(5m + step()) * 2");
  Duration neg;
  neg.expr = std::make_unique<DurationExpr>();
  neg.expr->op = DurationExpr::Op::Neg;
  neg.expr->rhs = std::make_unique<DurationExpr>();
  neg.expr->rhs->op = DurationExpr::Op::Range;
  EXPECT_EQ(to_string(neg), "-range()");
  Duration plain;
  plain.ms = 5400000;
  EXPECT_EQ(to_string(plain), "1h30m");

  // Numbers written as durations.
  NumberLiteral n;
  n.value = 90;
  n.is_duration = true;
  EXPECT_EQ(to_string(n), "1m30s");
  n.value = -1.5;
  EXPECT_EQ(to_string(n), "-1s500ms");
  n.is_duration = false;
  EXPECT_EQ(to_string(n), "-1.5");

  // Binary with group_right and bool.
  Binary b;
  b.op = BinaryOp::Gtr;
  b.return_bool = true;
  b.lhs = selector("a");
  b.rhs = selector("b");
  b.matching.on = true;
  b.matching.has_on_or_ignoring = true;
  b.matching.labels = {"x", "y.z"};
  b.matching.card = Cardinality::OneToMany;
  b.matching.has_group_modifier = true;
  b.matching.include = {"w"};
  EXPECT_EQ(to_string(b), R"(a > bool on (x, "y.z") group_right (w) b)");
  EXPECT_EQ(pretty(b, 5), "  a\n> bool on (x, \"y.z\") group_right (w)\n  b");
}

}  // namespace
}  // namespace promvet::promql

// Found by promql_fuzz: trees the parser accepts without type checking must print re-parseably.
TEST(PromqlPrinter, EmptySelectorPrintsAsBraces) {
  promvet::promql::ParseOptions untyped;
  untyped.type_check = false;
  auto r = promvet::promql::parse("aNaN/{}", untyped);
  ASSERT_TRUE(r.ok());
  std::string printed = promvet::promql::to_string(*r.expr);
  EXPECT_EQ(printed, "aNaN / {}");
  auto again = promvet::promql::parse(printed, untyped);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(promvet::promql::equal(*r.expr, *again.expr));
}

// Found by promql_fuzz: a name set twice (an error only when type checking) keeps both when printed.
TEST(PromqlPrinter, NameSetTwicePrintsBoth) {
  promvet::promql::ParseOptions untyped;
  untyped.type_check = false;
  for (const char* input : {"-m{\"m\"}", "m{__name__=\"m\"}"}) {
    auto r = promvet::promql::parse(input, untyped);
    ASSERT_TRUE(r.ok()) << input;
    std::string printed = promvet::promql::to_string(*r.expr);
    EXPECT_NE(printed.find("{__name__=\"m\"}"), std::string::npos) << input << " printed as " << printed;
    auto again = promvet::promql::parse(printed, untyped);
    ASSERT_TRUE(again.ok()) << printed;
    EXPECT_TRUE(promvet::promql::equal(*r.expr, *again.expr)) << printed;
  }
}

// Found by promql_fuzz: "+Inf ^ 0" parses as +(Inf ^ 0); an infinite left operand of ^ prints
// unsigned, everywhere else as Prometheus prints it.
TEST(PromqlPrinter, InfinityAsTheBaseOfAPower) {
  for (const char* input : {"inf^0", "Inf ^ 2 ^ 3", "inf[1m:] ^ 2"}) {
    promvet::promql::ParseOptions untyped;
    untyped.type_check = false;
    auto r = promvet::promql::parse(input, untyped);
    ASSERT_TRUE(r.ok()) << input;
    std::string printed = promvet::promql::to_string(*r.expr);
    EXPECT_EQ(printed.rfind("Inf", 0), 0u) << input << " printed as " << printed;
    auto again = promvet::promql::parse(printed, untyped);
    ASSERT_TRUE(again.ok()) << printed;
    EXPECT_TRUE(promvet::promql::equal(*r.expr, *again.expr)) << printed;
    auto from_pretty = promvet::promql::parse(promvet::promql::pretty(*r.expr, 3), untyped);
    ASSERT_TRUE(from_pretty.ok());
    EXPECT_TRUE(promvet::promql::equal(*r.expr, *from_pretty.expr)) << promvet::promql::pretty(*r.expr, 3);
  }
  EXPECT_EQ(promvet::promql::to_string(*promvet::promql::parse("inf + 1").expr), "+Inf + 1");
  EXPECT_EQ(promvet::promql::to_string(*promvet::promql::parse("2 ^ inf").expr), "2 ^ +Inf");
}

// Found by promql_fuzz: "+Inf[5s:]" parses as +(Inf[5s:]); an infinite literal under a subquery
// prints unsigned too.
TEST(PromqlPrinter, InfinityAsTheExpressionOfASubquery) {
  promvet::promql::ParseOptions untyped;
  untyped.type_check = false;
  for (const char* input : {"inf[5:]", "Inf[1m:30s] offset 1m", "-inf[5m:]", "(inf)[5m:]"}) {
    auto r = promvet::promql::parse(input, untyped);
    ASSERT_TRUE(r.ok()) << input;
    std::string printed = promvet::promql::to_string(*r.expr);
    if (input[0] != '(') EXPECT_EQ(printed.find("+Inf"), std::string::npos) << input << " printed as " << printed;
    auto again = promvet::promql::parse(printed, untyped);
    ASSERT_TRUE(again.ok()) << printed;
    EXPECT_TRUE(promvet::promql::equal(*r.expr, *again.expr)) << printed;
    auto from_pretty = promvet::promql::parse(promvet::promql::pretty(*r.expr), untyped);
    ASSERT_TRUE(from_pretty.ok());
    EXPECT_TRUE(promvet::promql::equal(*r.expr, *from_pretty.expr)) << promvet::promql::pretty(*r.expr);
  }
  EXPECT_EQ(promvet::promql::to_string(*promvet::promql::parse("inf[5m:]", untyped).expr), "Inf[5m:]");
}
