// End-to-end tests of `promvet parse` and `promvet fmt`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace promvet::test {
namespace {

CommandResult promvet(const std::string& args) { return run(shell_quote(cli()) + " " + args, 60); }

// ----- parse -e

TEST(CliParse, ValidExpressionExits0Silently) {
  CommandResult r = promvet("parse -e 'sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(CliParse, SyntaxErrorPrintsPositionedMessageAndExits1) {
  CommandResult r = promvet("parse -e 'sum(foo'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "1:8: parse error: unclosed left parenthesis\n");
}

TEST(CliParse, TypeErrorIsReportedLikePrometheus) {
  CommandResult r = promvet("parse -e 'rate(foo)'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector\n");
}

TEST(CliParse, ColumnIsOnTheRightLineOfAMultiLineExpression) {
  CommandResult r = promvet("parse -e \"$(printf 'sum(\\n  rate(foo)\\n)')\"");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "2:8: parse error: expected type range vector in call to function \"rate\", got instant vector\n");
}

TEST(CliParse, EmptyExpressionIsAnError) {
  CommandResult r = promvet("parse -e ''");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "1:1: parse error: no expression found in input\n");
}

TEST(CliParse, ExperimentalFunctionsNeedTheFlag) {
  CommandResult off = promvet("parse -e 'sort_by_label(foo, \"a\")'");
  EXPECT_EQ(off.exit_code, 1);
  EXPECT_NE(off.out.find("is not enabled"), std::string::npos) << off.out;
  CommandResult on = promvet("parse --enable-experimental-functions -e 'sort_by_label(foo, \"a\")'");
  EXPECT_EQ(on.exit_code, 0) << on.out << on.err;
  EXPECT_EQ(on.out, "");
  CommandResult limitk = promvet("parse --enable-experimental-functions -e 'limitk(2, foo)'");
  EXPECT_EQ(limitk.exit_code, 0) << limitk.out;
}

TEST(CliParse, EnableFeatureTakesPrometheusNamesAsACommaListOrRepeated) {
  const std::string expr = "'rate(x[5m] anchored) + fill(0) rate(y[5m])'";
  CommandResult off = promvet("parse -e " + expr);
  EXPECT_EQ(off.exit_code, 1);
  EXPECT_EQ(off.out, "1:6: parse error: anchored modifier is experimental and not enabled\n");
  CommandResult half = promvet("parse --enable-feature=promql-extended-range-selectors -e " + expr);
  EXPECT_EQ(half.exit_code, 1);
  EXPECT_EQ(half.out, "1:1: parse error: binop fill modifiers are experimental and not enabled\n");
  CommandResult list =
      promvet("parse --enable-feature=promql-extended-range-selectors,promql-binop-fill-modifiers -e " + expr);
  EXPECT_EQ(list.exit_code, 0) << list.out << list.err;
  CommandResult repeated = promvet(
      "fmt --enable-feature promql-extended-range-selectors --enable-feature promql-binop-fill-modifiers -e " + expr);
  EXPECT_EQ(repeated.exit_code, 0) << repeated.err;
  EXPECT_EQ(repeated.out, "rate(x[5m] anchored) + fill (0) rate(y[5m])\n");
  CommandResult alias = promvet("parse --enable-feature=promql-experimental-functions -e 'limitk(2, foo)'");
  EXPECT_EQ(alias.exit_code, 0) << alias.out;
  CommandResult bogus = promvet("parse --enable-feature=promql-anchored -e 'foo'");
  EXPECT_EQ(bogus.exit_code, 2);
}

TEST(CliLint, FeatureGatedSyntaxIsAWarningUnlessTheServerHasTheFeature) {
  std::string dir = write_temp("feature-dir", "");
  run("rm -f " + shell_quote(dir) + " && mkdir -p " + shell_quote(dir));
  run("printf '%s\\n' 'rate(x_total[5m] smoothed)' > " + shell_quote(dir + "/q.promql"));
  CommandResult plain = promvet("lint " + shell_quote(dir + "/q.promql"));
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_NE(plain.out.find("q.promql:1:6: warning: a smoothed range needs Prometheus' "
                           "--enable-feature=promql-extended-range-selectors"),
            std::string::npos)
      << plain.out;
  EXPECT_EQ(plain.out.find("promql/invalid"), std::string::npos) << plain.out;
  CommandResult flag =
      promvet("lint --enable-feature=promql-extended-range-selectors " + shell_quote(dir + "/q.promql"));
  EXPECT_EQ(flag.out.find("promql/feature-flag"), std::string::npos) << flag.out;
  run("printf 'prometheus_features: [promql-extended-range-selectors]\\n' > " + shell_quote(dir + "/.promvet.yaml"));
  CommandResult config =
      promvet("lint --config " + shell_quote(dir + "/.promvet.yaml") + " " + shell_quote(dir + "/q.promql"));
  EXPECT_EQ(config.exit_code, 0) << config.out << config.err;
  EXPECT_EQ(config.out.find("promql/feature-flag"), std::string::npos) << config.out;
  run("printf 'prometheus_features: [anchored]\\n' > " + shell_quote(dir + "/.promvet.yaml"));
  CommandResult bad =
      promvet("lint --config " + shell_quote(dir + "/.promvet.yaml") + " " + shell_quote(dir + "/q.promql"));
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.err.find("prometheus_features: unknown feature \"anchored\""), std::string::npos) << bad.err;
  run("rm -rf " + shell_quote(dir));
}

TEST(CliParse, Prometheus3SyntaxIsAccepted) {
  for (const char* e : {"{\"my.metric\", job=\"x\"}", "sum by (\"a.b\") (foo)", "1_000", "foo[5]", "h </ 0.5"}) {
    CommandResult r = promvet(std::string("parse -e ") + shell_quote(e));
    EXPECT_EQ(r.exit_code, 0) << e << ": " << r.out << r.err;
  }
}

TEST(CliParse, DurationExpressionsNeedTheirFeatureAsInPrometheus) {
  for (const char* e : {"foo[5m+30s]", "foo offset -(1h)", "rate(foo[step()])", "foo[min_of(step(), 5m)]"}) {
    CommandResult off = promvet(std::string("parse -e ") + shell_quote(e));
    EXPECT_EQ(off.exit_code, 1) << e;
    EXPECT_NE(off.out.find("parse error: experimental duration expression is not enabled"), std::string::npos)
        << e << ": " << off.out;
    CommandResult on = promvet(std::string("parse --enable-feature=promql-duration-expr -e ") + shell_quote(e));
    EXPECT_EQ(on.exit_code, 0) << e << ": " << on.out << on.err;
  }
}

TEST(CliParse, JsonHasEveryNodeWithKindRangeAndPosition) {
  CommandResult r = promvet("parse --json -e 'sum by (job) (rate(foo{a=\"b\"}[5m])) > bool 1'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["kind"], "BinaryExpr");
  EXPECT_EQ(j["op"], ">");
  EXPECT_EQ(j["bool"], true);
  EXPECT_EQ(j["range"]["begin"], 0);
  EXPECT_EQ(j["range"]["start"], "1:1");
  const nlohmann::json& agg = j["lhs"];
  EXPECT_EQ(agg["kind"], "AggregateExpr");
  EXPECT_EQ(agg["op"], "sum");
  EXPECT_EQ(agg["by"], nlohmann::json::array({"job"}));
  const nlohmann::json& call = agg["args"][0];
  EXPECT_EQ(call["kind"], "Call");
  EXPECT_EQ(call["name"], "rate");
  EXPECT_EQ(call["range"]["begin"], 14);
  EXPECT_EQ(call["range"]["start"], "1:15");
  const nlohmann::json& ms = call["args"][0];
  EXPECT_EQ(ms["kind"], "MatrixSelector");
  EXPECT_EQ(ms["range_duration"]["ms"], 300000);
  EXPECT_EQ(ms["selector"]["kind"], "VectorSelector");
  EXPECT_EQ(ms["selector"]["name"], "foo");
  EXPECT_EQ(ms["selector"]["matchers"][0]["name"], "a");
  EXPECT_EQ(ms["selector"]["matchers"][0]["op"], "=");
  EXPECT_EQ(ms["selector"]["matchers"][0]["value"], "b");
  EXPECT_EQ(j["rhs"]["kind"], "NumberLiteral");
  EXPECT_EQ(j["rhs"]["value"], 1);
  EXPECT_EQ(j["rhs"]["range"]["start"], "1:44");
}

TEST(CliParse, JsonSpellsInfAndNaNAsStrings) {
  CommandResult r = promvet("parse --json -e 'NaN'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["value"], "NaN");
}

TEST(CliParse, JsonOnInvalidInputPrintsTheErrorOnly) {
  CommandResult r = promvet("parse --json -e 'foo{'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "1:5: parse error: unexpected end of input inside braces\n");
}

TEST(CliParse, UsageErrorsExit2) {
  EXPECT_EQ(promvet("parse").exit_code, 2);
  EXPECT_EQ(promvet("parse -e foo --each-line -").exit_code, 2);
  EXPECT_EQ(promvet("parse --json --each-line -").exit_code, 2);
}

// ----- parse --each-line

TEST(CliParseEachLine, OneVerdictPerInputLine) {
  std::string path = write_temp("each.promql",
                                "up\n"
                                "rate(foo)\n"
                                "sum(foo\n"
                                "\n"
                                "{\"my.metric\"}\n"
                                "foo offset 5m @ 100\r\n");
  CommandResult r = promvet("parse --each-line " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            "ok\n"
            "error: 1:6: expected type range vector in call to function \"rate\", got instant vector\n"
            "error: 1:8: unclosed left parenthesis\n"
            "error: 1:1: no expression found in input\n"
            "ok\n"
            "ok\n");
}

TEST(CliParseEachLine, AllValidExits0) {
  std::string path = write_temp("each-ok.promql", "up\nsum(rate(x[5m]))\n1 + 2\n");
  CommandResult r = promvet("parse --each-line " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\nok\nok\n");
}

TEST(CliParseEachLine, ReadsStdin) {
  CommandResult r = run("printf 'up\\n1 +\\n' | " + shell_quote(cli()) + " parse --each-line -");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "ok\nerror: 1:4: unexpected end of input\n");
}

TEST(CliParseEachLine, ExperimentalFlagApplies) {
  std::string path = write_temp("each-exp.promql", "limitk(1, foo)\n");
  EXPECT_EQ(promvet("parse --each-line " + shell_quote(path)).exit_code, 1);
  CommandResult r = promvet("parse --enable-experimental-functions --each-line " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "ok\n");
}

TEST(CliParseEachLine, MissingFileExits2) {
  CommandResult r = promvet("parse --each-line /nonexistent/promvet-no-such-file");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;
}

TEST(CliParseEachLine, ManyLinesAreFast) {
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m])) > 0\n";
  std::string path = write_temp("each-many.promql", content);
  CommandResult r = run(shell_quote(cli()) + " parse --each-line " + shell_quote(path) + " | sort | uniq -c", 60);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("20000 ok"), std::string::npos) << r.out;
}

// ----- fmt

TEST(CliFmt, ShortExpressionStaysOnOneLine) {
  CommandResult r = promvet("fmt -e 'sum  by(job)(rate( foo[5m] ))'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sum by (job) (rate(foo[5m]))\n");
}

TEST(CliFmt, LongExpressionIsSplitAndStillParses) {
  std::string e =
      "sum by (job, instance) (rate(http_requests_total{code=~\"5..\", handler!=\"/metrics\"}[5m])) / "
      "sum by (job, instance) (rate(http_requests_total{handler!=\"/metrics\"}[5m])) > 0.05";
  std::string path = write_temp("long.promql", e + "\n");
  CommandResult r = promvet("fmt " + shell_quote(path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find('\n'), r.out.size() - 1) << "expected several lines:\n" << r.out;
  EXPECT_EQ(r.out.rfind("\n"), r.out.size() - 1);
  // The pretty form is valid PromQL.
  std::string pretty_path = write_temp("long-pretty.promql", r.out);
  CommandResult again = promvet("fmt " + shell_quote(pretty_path));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
}

TEST(CliFmt, MultiLineFileWithComments) {
  std::string path = write_temp("multi.promql",
                                "# error ratio\n"
                                "sum(\n"
                                "  rate(foo[5m])  # per second\n"
                                ")\n");
  CommandResult r = promvet("fmt " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sum(rate(foo[5m]))\n");
}

TEST(CliFmt, ReadsStdin) {
  CommandResult r = run("printf 'foo  +  bar' | " + shell_quote(cli()) + " fmt -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "foo + bar\n");
}

TEST(CliFmt, ParseErrorExits1WithMessage) {
  std::string path = write_temp("bad.promql", "sum(\n  foo\n");
  CommandResult r = promvet("fmt " + shell_quote(path));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, path + ":3:1: parse error: unclosed left parenthesis\n");
  CommandResult e = promvet("fmt -e 'foo +'");
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(e.err, "1:6: parse error: unexpected end of input\n");
}

TEST(CliFmt, UsageAndIoErrorsExit2) {
  EXPECT_EQ(promvet("fmt").exit_code, 2);
  EXPECT_EQ(promvet("fmt -e foo /tmp/x").exit_code, 2);
  EXPECT_EQ(promvet("fmt /nonexistent/promvet-no-such-file").exit_code, 2);
}

}  // namespace
}  // namespace promvet::test
