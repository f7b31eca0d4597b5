// Linter behaviour per lint id: each lint has a firing and a must-stay-quiet
// case asserting id, metric, exact message, line and (for promlint lints) how
// many times promtool would print the line. Events are built by a tiny line
// splitter below so these tests do not depend on the real parser; the last
// tests go through expfmt::Parser and skip while it is a stub.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "checks/registry.h"
#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "support/line_feeder.h"
#include "test_support.h"

namespace promvet::expfmt {
namespace {

std::vector<LintProblem> lint(const std::string& text, Format format = Format::kText,
                              LinterOptions options = LinterOptions{}) {
  Linter linter(format, options);
  test::LineFeeder(format, linter).feed(text);
  return linter.finish();
}

std::vector<LintProblem> with_id(const std::vector<LintProblem>& all, std::string_view id) {
  std::vector<LintProblem> r;
  for (const LintProblem& p : all) {
    if (p.check_id == id) r.push_back(p);
  }
  return r;
}

void expect_one(const std::vector<LintProblem>& all, std::string_view id, const std::string& metric,
                const std::string& message, std::uint64_t line, std::uint64_t occurrences = 1) {
  std::vector<LintProblem> got = with_id(all, id);
  ASSERT_EQ(got.size(), 1u) << "id " << id;
  EXPECT_EQ(got[0].metric, metric);
  EXPECT_EQ(got[0].message, message);
  EXPECT_EQ(got[0].pos.line, line);
  EXPECT_EQ(got[0].occurrences, occurrences);
  EXPECT_FALSE(got[0].line.empty());
}

const char kHelpAndType[] = "# HELP %s x\n# TYPE %s %s\n";

std::string family(const std::string& name, const std::string& type, const std::string& samples) {
  char buf[512];
  std::snprintf(buf, sizeof buf, kHelpAndType, name.c_str(), name.c_str(), type.c_str());
  return buf + samples;
}

TEST(NoHelp, FiresOnFamilyWithoutHelpAtItsTypeLine) {
  auto p = lint("# HELP a_seconds ok\na_seconds 1\n# TYPE b gauge\nb 1\n");
  expect_one(p, "expfmt/no-help", "b", "no help text", 3);
  EXPECT_TRUE(with_id(p, "expfmt/no-help")[0].promlint);
}

TEST(NoHelp, FiresOnEmptyHelpTextBecauseTextParserLeavesHelpUnset) {
  expect_one(lint("# HELP c \nc 1\n"), "expfmt/no-help", "c", "no help text", 1);
}

TEST(NoHelp, QuietWhenHelpPresentAndForFamiliesWithoutSamples) {
  // "d" has no samples: TextParser drops it, promtool lints nothing.
  EXPECT_TRUE(with_id(lint("# HELP a x\na 1\n# TYPE d gauge\n"), "expfmt/no-help").empty());
}

TEST(NoHelp, HelpOnSummaryCountLineCountsForTheSummary) {
  // TextParser resolves "# HELP s_count" to summary "s".
  auto p = lint("# TYPE s summary\n# HELP s_count x\ns_sum 1\ns_count 1\n");
  EXPECT_TRUE(with_id(p, "expfmt/no-help").empty());
}

TEST(BaseUnit, FiresOnPrefixedAndNonBaseUnits) {
  auto p = lint(family("req_milliseconds", "gauge", "req_milliseconds 1\n") +
                family("entropy_bits", "gauge", "entropy_bits 1\n"));
  auto got = with_id(p, "expfmt/base-unit");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].metric, "req_milliseconds");
  EXPECT_EQ(got[0].message, "use base unit \"seconds\" instead of \"milliseconds\"");
  EXPECT_EQ(got[1].metric, "entropy_bits");
  EXPECT_EQ(got[1].message, "use base unit \"bytes\" instead of \"bits\"");
  EXPECT_EQ(got[1].pos.line, 4u);
}

TEST(BaseUnit, QuietOnBaseUnitsAndWordsThatMerelyEndInAUnit) {
  // "thermometers" is not "meters"; "kilobytes_seconds" style needs a whole word.
  auto p = lint(family("disk_bytes", "gauge", "disk_bytes 1\n") +
                family("thermometers_count_total", "counter", "thermometers_count_total 1\n"));
  EXPECT_TRUE(with_id(p, "expfmt/base-unit").empty());
}

TEST(CounterTotalSuffix, FiresOnCounterWithoutTotal) {
  expect_one(lint(family("requests", "counter", "requests 1\n")), "expfmt/counter-total-suffix", "requests",
             "counter metrics should have \"_total\" suffix", 1);
}

TEST(CounterTotalSuffix, QuietOnCounterWithTotalAndOnOpenMetricsCounter) {
  EXPECT_TRUE(
      with_id(lint(family("requests_total", "counter", "requests_total 1\n")), "expfmt/counter-total-suffix").empty());
  // OpenMetrics names the family without "_total"; promtool sees the sample name.
  auto p = lint("# TYPE requests counter\n# HELP requests x\nrequests_total 1\n# EOF\n", Format::kOpenMetrics);
  EXPECT_TRUE(with_id(p, "expfmt/counter-total-suffix").empty());
  EXPECT_TRUE(p.empty());
}

TEST(NonCounterTotalSuffix, FiresOnGaugeEndingInTotal) {
  expect_one(lint(family("g_total", "gauge", "g_total 1\n")), "expfmt/non-counter-total-suffix", "g_total",
             "non-counter metrics should not have \"_total\" suffix", 1);
}

TEST(NonCounterTotalSuffix, QuietOnUntyped) {
  // lintCounter skips untyped families.
  EXPECT_TRUE(lint("# HELP u_total x\nu_total 1\n").empty());
}

TEST(ReservedSuffix, FiresOnGaugeWithBucketCountSum) {
  auto p = lint(family("a_bucket", "gauge", "a_bucket 1\n") + family("b_count", "gauge", "b_count 1\n") +
                family("c_sum", "counter", "c_sum 1\n"));
  auto got = with_id(p, "expfmt/reserved-suffix");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].message, "non-histogram metrics should not have \"_bucket\" suffix");
  EXPECT_EQ(got[1].message, "non-histogram and non-summary metrics should not have \"_count\" suffix");
  EXPECT_EQ(got[2].metric, "c_sum");
  EXPECT_EQ(got[2].message, "non-histogram and non-summary metrics should not have \"_sum\" suffix");
  EXPECT_EQ(got[2].pos.line, 7u);
}

TEST(ReservedSuffix, QuietOnUntypedSumAndOnSummaryChildren) {
  auto p = lint("# HELP x_sum x\nx_sum 1\n" + family("s", "summary", "s{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\n"));
  EXPECT_TRUE(with_id(p, "expfmt/reserved-suffix").empty());
}

TEST(ReservedLabel, CountsOneLinePerSeriesLikePromtool) {
  // Gauge: every sample is a metric. Summary: samples group by labels other
  // than "quantile", so s{le="1"} quantile/sum/count lines are one metric.
  auto p = lint(family("g", "gauge", "g{le=\"1\"} 1\ng{le=\"2\"} 1\n") +
                family("s", "summary",
                       "s{le=\"1\",quantile=\"0.5\"} 1\ns{le=\"1\",quantile=\"0.9\"} 1\ns_sum{le=\"1\"} 1\n"
                       "s_count{le=\"1\"} 1\ns{le=\"2\",quantile=\"0.5\"} 1\n") +
                family("h", "histogram", "h_bucket{quantile=\"1\",le=\"+Inf\"} 1\nh_count{quantile=\"1\"} 1\n"));
  auto got = with_id(p, "expfmt/reserved-label");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].metric, "g");
  EXPECT_EQ(got[0].message, "non-histogram metrics should not have \"le\" label");
  EXPECT_EQ(got[0].pos.line, 3u);
  EXPECT_EQ(got[0].occurrences, 2u);
  EXPECT_EQ(got[1].metric, "s");
  EXPECT_EQ(got[1].occurrences, 2u);
  EXPECT_EQ(got[1].pos.line, 7u);
  EXPECT_EQ(got[2].metric, "h");
  EXPECT_EQ(got[2].message, "non-summary metrics should not have \"quantile\" label");
  EXPECT_EQ(got[2].occurrences, 1u);
}

TEST(ReservedLabel, QuietOnHistogramLeSummaryQuantileAndUntyped) {
  auto p = lint(family("h", "histogram", "h_bucket{le=\"+Inf\"} 1\nh_count 1\n") +
                family("s", "summary", "s{quantile=\"0.5\"} 1\n") + "# HELP u x\nu{le=\"1\",quantile=\"1\"} 1\n");
  EXPECT_TRUE(with_id(p, "expfmt/reserved-label").empty());
}

TEST(TypeInName, FiresOncePerTypeWord) {
  auto p = lint(family("a_gauge_histogram", "gauge", "a_gauge_histogram 1\n"));
  auto got = with_id(p, "expfmt/type-in-name");
  ASSERT_EQ(got.size(), 3u);
  std::vector<std::string> msgs;
  for (auto& g : got) msgs.push_back(g.message);
  std::sort(msgs.begin(), msgs.end());
  EXPECT_EQ(msgs[0], "metric name should not include type 'gauge'");
  EXPECT_EQ(msgs[1], "metric name should not include type 'gauge_histogram'");
  EXPECT_EQ(msgs[2], "metric name should not include type 'histogram'");
}

TEST(TypeInName, MatchesCaseInsensitivelyButOnlyWholeWords) {
  expect_one(lint("# HELP x_Counter_y x\nx_Counter_y 1\n"), "expfmt/type-in-name", "x_Counter_y",
             "metric name should not include type 'counter'", 1);
  EXPECT_TRUE(
      with_id(lint("# HELP gauges_x x\ngauges_x 1\n# HELP xcounter x\nxcounter 1\n"), "expfmt/type-in-name").empty());
}

TEST(ReservedChars, FiresOnColon) {
  expect_one(lint("# HELP job:rate5m x\njob:rate5m 1\n"), "expfmt/reserved-chars", "job:rate5m",
             "metric names should not contain ':'", 1);
}

TEST(ReservedChars, QuietWithoutColonEvenInLabelValues) {
  EXPECT_TRUE(lint("# HELP up x\nup{instance=\"h:9100\"} 1\n").empty());
}

TEST(CamelCase, FiresOnMetricNameAndOncePerSeriesOnLabelName) {
  auto p = lint("# HELP fooBar x\nfooBar 1\n# HELP m x\nm{someLabel=\"a\"} 1\nm{someLabel=\"b\"} 2\n");
  auto got = with_id(p, "expfmt/camel-case");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].metric, "fooBar");
  EXPECT_EQ(got[0].message, "metric names should be written in 'snake_case' not 'camelCase'");
  EXPECT_EQ(got[1].metric, "m");
  EXPECT_EQ(got[1].message, "label names should be written in 'snake_case' not 'camelCase'");
  EXPECT_EQ(got[1].pos.line, 4u);
  EXPECT_EQ(got[1].pos.column, 3u);  // at the label, not the line start
  EXPECT_EQ(got[1].occurrences, 2u);
}

TEST(CamelCase, QuietOnUpperCaseRunsAfterUnderscoreOrDigit) {
  // [a-z][A-Z] only: "node_Udp_X", "HTTP", "v2X" do not match.
  EXPECT_TRUE(lint("# HELP node_Udp_X x\nnode_Udp_X{HTTP=\"1\",v2X=\"2\"} 1\n").empty());
}

TEST(AbbreviatedUnit, FiresOncePerMatchingAbbreviation) {
  expect_one(lint("# HELP m_ms_s x\nm_ms_s 1\n"), "expfmt/abbreviated-unit", "m_ms_s",
             "metric names should not contain abbreviated units", 1, 2);
}

TEST(AbbreviatedUnit, QuietOnAbbreviationInsideAWord) {
  EXPECT_TRUE(lint("# HELP msgs_sent x\nmsgs_sent 1\n").empty());
}

TEST(UnitMismatch, FiresOnDeclaredNonBaseUnit) {
  auto p = lint(
      "# TYPE b_milliseconds gauge\n# HELP b_milliseconds x\n# UNIT b_milliseconds milliseconds\n"
      "b_milliseconds 1\n# TYPE d_kilobytes gauge\n# HELP d_kilobytes x\n# UNIT d_kilobytes kilobytes\n"
      "d_kilobytes 1\n# EOF\n",
      Format::kOpenMetrics);
  auto got = with_id(p, "expfmt/unit-mismatch");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].metric, "b_milliseconds");
  EXPECT_EQ(got[0].message, "unit \"milliseconds\" is not a base unit; use \"seconds\"");
  EXPECT_EQ(got[0].pos.line, 3u);
  EXPECT_FALSE(got[0].promlint);
  EXPECT_EQ(got[1].message, "unit \"kilobytes\" is not a base unit; use \"bytes\"");
  EXPECT_EQ(got[1].pos.line, 7u);
}

TEST(UnitMismatch, LeavesUnitNotSuffixToTheParser) {
  // The specification makes it invalid; the parser reports expfmt/invalid.
  auto p = lint("# TYPE a_seconds gauge\n# HELP a_seconds x\n# UNIT a_seconds bytes\na_seconds 1\n# EOF\n",
                Format::kOpenMetrics);
  EXPECT_TRUE(with_id(p, "expfmt/unit-mismatch").empty());
}

TEST(UnitMismatch, QuietOnMatchingBaseUnitAndEmptyUnit) {
  auto p = lint(
      "# TYPE a_seconds gauge\n# HELP a_seconds x\n# UNIT a_seconds seconds\na_seconds 1\n"
      "# TYPE b gauge\n# HELP b x\n# UNIT b \nb 1\n# EOF\n",
      Format::kOpenMetrics);
  EXPECT_TRUE(with_id(p, "expfmt/unit-mismatch").empty());
}

TEST(HighCardinality, FiresAtTheSampleThatExceedsTheLimit) {
  LinterOptions o;
  o.max_label_values = 3;
  std::string text = "# HELP r x\n# TYPE r gauge\n";
  for (int i = 0; i < 6; ++i) text += "r{path=\"/p" + std::to_string(i % 5) + "\",code=\"200\"} 1\n";
  auto p = lint(text, Format::kText, o);
  expect_one(p, "expfmt/high-cardinality", "r",
             "label \"path\" has more than 3 distinct values; every value is a new series, drop the label or "
             "bound its values",
             6);
  EXPECT_FALSE(with_id(p, "expfmt/high-cardinality")[0].promlint);
}

TEST(HighCardinality, QuietAtTheLimitAndWhenExtendedLintsAreOff) {
  LinterOptions o;
  o.max_label_values = 3;
  std::string text = "# HELP r x\n# TYPE r gauge\n";
  for (int i = 0; i < 9; ++i) text += "r{path=\"/p" + std::to_string(i % 3) + "\"} 1\n";
  // The repeated series are expfmt/metric-not-unique's business.
  EXPECT_TRUE(with_id(lint(text, Format::kText, o), "expfmt/high-cardinality").empty());
  o.extended = false;
  std::string many = "# HELP r x\n# TYPE r gauge\n";
  for (int i = 0; i < 9; ++i) many += "r{path=\"/p" + std::to_string(i) + "\"} 1\n";
  EXPECT_TRUE(lint(many, Format::kText, o).empty());
}

TEST(IdLikeLabelValue, FiresOncePerFamilyAndLabelForEachKind) {
  auto p = lint(
      "# HELP a x\na{id=\"123e4567-e89b-12d3-a456-426614174000\"} 1\na{id=\"223e4567-e89b-12d3-a456-426614174000\"} 1\n"
      "a{id=\"323e4567-e89b-12d3-a456-426614174000\"} 1\n"
      "# HELP b x\nb{sha=\"3f786850e387550fdab836ed7e6dc881de23001b\"} 1\nb{sha=\"89e6c98d92887913cadf06b2adb97f26cde4849b\"} 1\n"
      "# HELP c x\nc{at=\"1700000000\"} 1\nc{at=\"1700000060123\"} 1\n"
      "# HELP d x\nd{peer=\"10.0.0.1:51234\"} 1\nd{peer=\"[2001:db8::1]:443\"} 1\n");
  auto got = with_id(p, "expfmt/id-like-label-value");
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].metric, "a");
  EXPECT_EQ(got[0].pos.line, 2u);
  EXPECT_EQ(got[0].message,
            "label \"id\" has ID-like values (UUID \"123e4567-e89b-12d3-a456-426614174000\"); every new ID is a new "
            "series, move it to logs or traces");
  EXPECT_NE(got[1].message.find("(hex hash \"3f786850"), std::string::npos);
  EXPECT_NE(got[2].message.find("(unix timestamp \"1700000000\")"), std::string::npos);
  EXPECT_NE(got[3].message.find("(IP address and port \"10.0.0.1:51234\")"), std::string::npos);
  EXPECT_EQ(got[3].pos.line, 12u);
}

TEST(IdLikeLabelValue, QuietOnSingleBuildHashVersionsAndPlainNumbers) {
  // One git revision in a build_info series is fine; versions, small
  // numbers, decimal words and bare addresses are not IDs.
  auto p = lint(
      "# HELP build_info x\nbuild_info{revision=\"3f786850e387550fdab836ed7e6dc881de23001b\"} 1\n"
      "build_info{revision=\"3f786850e387550fdab836ed7e6dc881de23001b\",x=\"1\"} 1\n"
      "# HELP v x\nv{version=\"1.2.3\",code=\"200\",size=\"1234567890123\",addr=\"10.0.0.1\",word=\"deadbeefdeadbeef\"} 1\n"
      "v{version=\"1.2.4\",code=\"404\",size=\"999999\",addr=\"10.0.0.2\",word=\"facefacefaceface\"} 1\n"
      // Federated series carry instance="host:port"; that is a target, not an ID.
      "# HELP f x\nf{instance=\"10.0.0.1:9100\"} 1\nf{instance=\"10.0.0.2:9100\"} 1\n");
  EXPECT_TRUE(with_id(p, "expfmt/id-like-label-value").empty());
}

TEST(OpenMetrics, LintsFamiliesUnderTheirClassicNames) {
  // Counter "jobs" is promtool's "jobs_total"; info "build" is "build_info";
  // gauge histogram buckets carry "le" legitimately.
  auto p = lint(
      "# TYPE jobs counter\njobs_total{workerId=\"1\"} 1\njobs_created{workerId=\"1\"} 1\n"
      "# TYPE build info\n# HELP build x\nbuild_info{version=\"1\"} 1\n"
      "# TYPE depth gaugehistogram\n# HELP depth x\ndepth_bucket{le=\"+Inf\"} 1\ndepth_gcount 1\n"
      "depth_gsum 1\n# EOF\n",
      Format::kOpenMetrics);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].metric, "jobs_total");
  EXPECT_EQ(p[0].message, "no help text");
  EXPECT_EQ(p[1].metric, "jobs_total");
  EXPECT_EQ(p[1].message, "label names should be written in 'snake_case' not 'camelCase'");
  EXPECT_EQ(p[1].pos.line, 2u);
}

// The lints' entries of the check registry (lib/checks/expfmt/module.cpp).
std::vector<checks::CheckInfo> lint_entries() {
  std::vector<checks::CheckInfo> out;
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue(checks::kMetricsCommand))
    if (c.id.rfind("expfmt/", 0) == 0 && c.stage == checks::Stage::kExposition) out.push_back(c);
  return out;
}

TEST(LintCatalogue, ListsEveryIdOnceWithSeverityAndADocsPage) {
  std::vector<std::string> ids;
  for (const checks::CheckInfo& info : lint_entries()) {
    ids.emplace_back(info.id);
    if (info.promtool && info.id != "expfmt/invalid") {
      EXPECT_EQ(info.severity, checks::Severity::kWarning) << info.id;
    }
    std::string doc = test::source_dir() + "/docs/checks/" + std::string(info.id) + ".md";
    EXPECT_FALSE(test::read_file(doc).empty()) << "missing " << doc;
  }
  EXPECT_EQ(ids.size(), 24u);  // 14 lints, 8 parser rules, expfmt/invalid, expfmt/content-type
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_EQ(ids, sorted);
}

TEST(Linter, EveryProblemCarriesACatalogueIdAndAPosition) {
  std::vector<std::string> known;
  for (const checks::CheckInfo& info : lint_entries()) known.emplace_back(info.id);
  auto p = lint(test::read_file(test::testdata("expfmt/promlint_all.prom")));
  ASSERT_FALSE(p.empty());
  for (const LintProblem& x : p) {
    EXPECT_NE(std::find(known.begin(), known.end(), std::string(x.check_id)), known.end()) << x.check_id;
    EXPECT_GE(x.pos.line, 1u);
    EXPECT_FALSE(x.line.empty());
  }
  // Sorted by position.
  EXPECT_TRUE(std::is_sorted(p.begin(), p.end(),
                             [](const LintProblem& a, const LintProblem& b) { return a.pos.offset < b.pos.offset; }));
}

// Through the real parser: the same problems as the line feeder.
std::vector<LintProblem> lint_parsed(const std::string& text, Format format, bool* parsed) {
  Linter linter(format, LinterOptions{});
  ParserOptions po;
  po.format = format;
  Parser parser(po, linter);
  parser.feed(text);
  parser.finish();
  *parsed = parser.samples() > 0;
  return linter.finish();
}

TEST(LinterWithParser, MatchesLineFeederOnEveryPromlintFixture) {
  std::string text = test::read_file(test::testdata("expfmt/promlint_all.prom"));
  bool parsed = false;
  auto via_parser = lint_parsed(text, Format::kText, &parsed);
  if (!parsed) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub)";
  auto via_feeder = lint(text);
  ASSERT_EQ(via_parser.size(), via_feeder.size());
  for (std::size_t i = 0; i < via_parser.size(); ++i) {
    EXPECT_EQ(via_parser[i].check_id, via_feeder[i].check_id);
    EXPECT_EQ(via_parser[i].metric, via_feeder[i].metric);
    EXPECT_EQ(via_parser[i].message, via_feeder[i].message);
    EXPECT_EQ(via_parser[i].pos.line, via_feeder[i].pos.line);
    EXPECT_EQ(via_parser[i].pos.column, via_feeder[i].pos.column);
    EXPECT_EQ(via_parser[i].occurrences, via_feeder[i].occurrences);
  }
}

TEST(LinterWithParser, LabelLintsPointAtTheLabelName) {
  bool parsed = false;
  auto p = lint_parsed("# HELP m x\n# TYPE m gauge\nm{code=\"1\",someLabel=\"a\"} 1\n", Format::kText, &parsed);
  if (!parsed) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub)";
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].check_id, "expfmt/camel-case");
  EXPECT_EQ(p[0].pos.line, 3u);
  EXPECT_EQ(p[0].pos.column, 12u);
  EXPECT_EQ(p[0].line, "m{code=\"1\",someLabel=\"a\"} 1");
}

TEST(LinterWithParser, ResolvesSummaryChildrenToTheirFamily) {
  bool parsed = false;
  auto p =
      lint_parsed("# HELP s x\n# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\n", Format::kText, &parsed);
  if (!parsed) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub)";
  EXPECT_TRUE(p.empty());
}

}  // namespace
}  // namespace promvet::expfmt
