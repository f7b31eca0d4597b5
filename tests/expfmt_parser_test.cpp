// Parser behaviour in both formats: one table of rule violations with the
// exact position and message of the first diagnostic, valid inputs with
// their exact event streams, chunking invariance, UTF-8 names, detection.
#include <gtest/gtest.h>


#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "expfmt_recorder.h"
#include "test_support.h"

namespace promvet::test {
namespace {

using expfmt::Format;

struct ErrorCase {
  const char* name;
  Format format;
  std::string input;
  std::uint64_t line;
  std::uint32_t column;
  const char* message;  // substring of the first diagnostic
};

const Format kText = Format::kText;
const Format kOm = Format::kOpenMetrics;

// A sample with labels l0..l<n-1> and then l0 again (the lexer looks
// duplicates up in a hash set from 16 labels on).
std::string labels_then_first_again(int n) {
  std::string s = "a{";
  for (int k = 0; k < n; ++k) s += "l" + std::to_string(k) + "=\"v\",";
  return s + "l0=\"w\"} 1\n";
}

// clang-format off
const ErrorCase kErrorCases[] = {
  // Text 0.0.4, as prometheus/common TextParser (promtool check metrics).
  {"TextSecondTypeLine", kText, "# TYPE a counter\n# TYPE a gauge\n", 2, 8, "second TYPE line for metric name \"a\""},
  {"TextTypeAfterSamples", kText, "a 1\n# TYPE a gauge\n", 2, 8, "TYPE reported after samples"},
  {"TextTypeOfSummaryCountGoesToSummary", kText, "# TYPE s summary\n# TYPE s_count counter\n", 2, 8, "second TYPE line for metric name \"s\""},
  {"TextSecondHelpLine", kText, "# HELP a x\n# HELP a y\n", 2, 8, "second HELP line for metric name \"a\""},
  {"TextUnknownType", kText, "# TYPE a stateset\n", 1, 10, "unknown metric type \"stateset\""},
  {"TextTypeWithTrailingSpace", kText, "# TYPE a gauge \n", 1, 10, "unknown metric type \"gauge \""},
  {"TextInvalidNameInComment", kText, "# HELP a-b help\n", 1, 9, "invalid metric name in comment"},
  {"TextInvalidEscapeInLabelValue", kText, "a{b=\"x\\z\"} 1\n", 1, 7, "invalid escape sequence \"\\\\z\" in label value"},
  // After a valid escape the lexer's one-pass unescaping hands over to the general path: the same
  // errors at the same columns, an unterminated string and invalid UTF-8 before a bad escape.
  {"TextInvalidEscapeAfterAValidOne", kText, "a{b=\"x\\\"y\\z\"} 1\n", 1, 10, "invalid escape sequence \"\\\\z\" in label value"},
  {"TextUnterminatedAfterAnEscape", kText, "a{b=\"x\\\"y} 1\n", 1, 5, "unterminated label value"},
  {"TextInvalidUtf8AfterAnEscape", kText, "a{b=\"x\\\"\xff\"} 1\n", 1, 9, "invalid utf-8 in label value"},
  {"TextInvalidUtf8BeforeALaterBadEscape", kText, "a{b=\"x\\\"\\z\xff\"} 1\n", 1, 11, "invalid utf-8 in label value"},
  {"TextInvalidEscapeInHelp", kText, "# HELP a tab\\there\n", 1, 13, "invalid escape sequence \"\\\\t\" in help text"},
  {"TextDuplicateLabelName", kText, "a{b=\"1\",b=\"2\"} 1\n", 1, 9, "duplicate label name \"b\""},
  // "abcdefghijklmn" shares the lexer's one-bit prefilter with "b" (first byte + 5 x length, mod 64):
  // not reported as a duplicate of it, and the second "b" still is.
  {"TextDuplicateLabelNameAfterADifferentNameWithTheSameFilterBit", kText,
   "a{b=\"1\",abcdefghijklmn=\"2\",b=\"3\"} 1\n", 1, 28, "duplicate label name \"b\""},
  {"TextDuplicateLabelNameAfterSixteenLabels", kText, labels_then_first_again(16), 1, 121,
   "duplicate label name \"l0\""},
  {"TextDuplicateLabelNameAfterFifteenLabels", kText, labels_then_first_again(15), 1, 113,
   "duplicate label name \"l0\""},
  {"TextReservedNameLabel", kText, "a{__name__=\"x\"} 1\n", 1, 3, "label name \"__name__\" is reserved"},
  {"TextInvalidMetricName", kText, "0a 1\n", 1, 1, "invalid metric name"},
  {"TextDotInUnquotedName", kText, "http.requests 1\n", 1, 5, "invalid character \".\" in metric name; quote the name: {\"my.metric\"}"},
  {"TextLabelSetWithoutName", kText, "{a=\"b\"} 1\n", 1, 1, "missing metric name"},
  {"TextUnterminatedLabelValue", kText, "a{b=\"c} 1\n", 1, 5, "unterminated label value"},
  {"TextMissingEquals", kText, "a{b \"c\"} 1\n", 1, 5, "expected \"=\" after label name \"b\""},
  {"TextBadValue", kText, "a x\n", 1, 3, "expected float as value, got \"x\""},
  {"TextHexValue", kText, "a 0x1p3\n", 1, 3, "expected float as value, got \"0x1p3\""},
  {"TextFloatTimestamp", kText, "a 1 1.5\n", 1, 5, "expected integer as timestamp, got \"1.5\""},
  {"TextTrailingBlankAfterValue", kText, "a 1 \n", 1, 5, "expected integer as timestamp, got \"\""},
  {"TextSpuriousAfterTimestamp", kText, "a 1 2 3\n", 1, 6, "spurious string after timestamp: \" 3\""},
  {"TextRejectsExemplar", kText, "a_total 1 # {a=\"b\"} 1\n", 1, 11, "expected integer as timestamp, got \"#\""},
  {"TextMissingFinalNewline", kText, "a 1\nb 2", 2, 4, "unexpected end of input stream"},
  {"TextInvalidUtf8LabelValue", kText, "a{b=\"\xff\"} 1\n", 1, 6, "invalid utf-8 in label value"},
  {"TextInvalidUtf8Help", kText, "# HELP a ok \xc3\x28\n", 1, 13, "invalid utf-8 in help text"},
  {"TextNonFloatQuantile", kText, "# TYPE s summary\ns{quantile=\"x\"} 1\n", 2, 3, "expected float as value for \"quantile\" label, got \"x\""},
  {"TextNonFloatLe", kText, "# TYPE h histogram\nh_bucket{le=\"big\"} 1\n", 2, 10, "expected float as value for \"le\" label, got \"big\""},
  {"TextNulInName", kText, "a\0b 1\n", 1, 2, "expected float as value"},
  {"TextCarriageReturn", kText, "a 1\r\n", 1, 3, "expected float as value, got \"1\\x0d\""},
  // OpenMetrics 1.0.
  {"OmBlankLine", kOm, "a 1\n\n# EOF\n", 2, 1, "empty line"},
  {"OmMissingEof", kOm, "a 1\n", 2, 1, "missing \"# EOF\""},
  {"OmContentAfterEof", kOm, "# EOF\na 1\n", 2, 1, "unexpected content after \"# EOF\""},
  {"OmNewlineAfterEofThenBlank", kOm, "# EOF\n\n", 2, 1, "unexpected content after \"# EOF\""},
  {"OmDoubleSpace", kOm, "a  1\n# EOF\n", 1, 3, "single space"},
  {"OmTrailingSpace", kOm, "a 1 \n# EOF\n", 1, 4, "unexpected trailing space"},
  {"OmTrailingComma", kOm, "a{b=\"c\",} 1\n# EOF\n", 1, 9, "trailing comma"},
  {"OmSpaceInLabelSet", kOm, "a{b=\"c\", d=\"e\"} 1\n# EOF\n", 1, 9, "invalid label name"},
  {"OmFreeComment", kOm, "# hello\n# EOF\n", 1, 3, "unknown comment \"hello\""},
  {"OmNoSpaceAfterHash", kOm, "#a 1\n# EOF\n", 1, 2, "expected a space after \"#\""},
  {"OmUntyped", kOm, "# TYPE a untyped\n# EOF\n", 1, 10, "openmetrics calls it \"unknown\""},
  {"OmSecondType", kOm, "# TYPE a gauge\n# TYPE a gauge\n# EOF\n", 2, 8, "second TYPE line for metric family \"a\""},
  {"OmSecondHelp", kOm, "# HELP a x\n# HELP a y\n# EOF\n", 2, 8, "second HELP line for metric family \"a\""},
  {"OmMetadataAfterSamples", kOm, "# TYPE a gauge\na 1\n# HELP a x\n# EOF\n", 3, 8, "metadata for metric family \"a\" after its samples"},
  {"OmUnitNotSuffix", kOm, "# UNIT a_bytes seconds\n# EOF\n", 1, 16, "unit \"seconds\" is not a suffix of metric family name \"a_bytes\""},
  {"OmUnitOnInfo", kOm, "# TYPE a_x info\n# UNIT a_x x\n# EOF\n", 2, 8, "info metric family \"a_x\" must not have a UNIT"},
  {"OmInvalidEscapeKeptButUtf8Checked", kOm, "a{b=\"\\z\xff\"} 1\n# EOF\n", 1, 8, "invalid utf-8 in label value"},
  {"OmCounterNegative", kOm, "# TYPE c counter\nc_total -1\n# EOF\n", 2, 9, "counter \"c_total\" must be non-negative and not NaN, got \"-1\""},
  {"OmCounterNaN", kOm, "# TYPE c counter\nc_total NaN\n# EOF\n", 2, 9, "must be non-negative and not NaN"},
  {"OmCounterWithoutTotal", kOm, "# TYPE c counter\nc 1\n# EOF\n", 2, 1, "sample name \"c\" is not valid in counter metric family \"c\""},
  {"OmInfoValue", kOm, "# TYPE i info\ni_info 2\n# EOF\n", 2, 8, "info metric value must be 1"},
  {"OmStateSetValue", kOm, "# TYPE s stateset\ns{s=\"a\"} 0.5\n# EOF\n", 2, 10, "stateset value must be 0 or 1"},
  {"OmStateSetMissingLabel", kOm, "# TYPE s stateset\ns{x=\"a\"} 1\n# EOF\n", 2, 1, "stateset sample \"s\" has no label \"s\""},
  {"OmQuantileOutOfRange", kOm, "# TYPE s summary\ns{quantile=\"1.5\"} 1\n# EOF\n", 2, 3, "quantile \"1.5\" is outside [0, 1]"},
  {"OmSummaryWithoutQuantile", kOm, "# TYPE s summary\ns 1\n# EOF\n", 2, 1, "has no \"quantile\" label"},
  {"OmLeNotSorted", kOm, "# TYPE h histogram\nh_bucket{le=\"2\"} 0\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\n# EOF\n", 3, 10, "buckets must be sorted by \"le\" ascending"},
  {"OmLeNotCanonicalInf", kOm, "# TYPE h histogram\nh_bucket{le=\"inf\"} 0\n# EOF\n", 2, 10, "invalid le label value \"inf\""},
  {"OmMissingInfBucket", kOm, "# TYPE h histogram\nh_bucket{le=\"1\"} 0\n# EOF\n", 2, 1, "histogram \"h\" has no \"+Inf\" bucket"},
  {"OmBucketsNotCumulative", kOm, "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 4\n# EOF\n", 3, 21, "bucket counts must be cumulative"},
  {"OmCountNotInfBucket", kOm, "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n# EOF\n", 3, 9, "\"h_count\" \"3\" does not match the \"+Inf\" bucket"},
  {"OmSumWithoutCount", kOm, "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n# EOF\n", 2, 1, "h_sum is present without h_count"},
  {"OmGcountWithoutGsum", kOm, "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\n# EOF\n", 2, 1, "g_gcount is present without g_gsum"},
  {"OmExemplarOnGauge", kOm, "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n", 2, 5, "only counter \"_total\" and histogram \"_bucket\" samples may have exemplars"},
  {"OmExemplarTooLong", kOm, "# TYPE c counter\nc_total 1 # {a=\"" + std::string(128, 'x') + "\"} 1\n# EOF\n", 2, 13, "exemplar label set has 129 utf-8 code points, more than 128"},
  {"OmExemplarBadTimestamp", kOm, "# TYPE c counter\nc_total 1 # {} 1 NaN\n# EOF\n", 2, 18, "exemplar timestamp"},
  {"OmDuplicateSeries", kOm, "a{x=\"1\"} 1\na{x=\"1\"} 2\n# EOF\n", 2, 1, "duplicate sample for series \"a\""},
  {"OmInterleavedFamilies", kOm, "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n", 5, 1, "metric family \"a\" clashes with an earlier family"},
  {"OmInterleavedLabelSets", kOm, "a{x=\"1\"} 1 1\na{x=\"2\"} 1 1\na{x=\"1\"} 1 2\n# EOF\n", 3, 1, "labels of \"a\" reappear after another label set"},
  {"OmClashingTypeNames", kOm, "# TYPE a_total gauge\n# TYPE a counter\n# EOF\n", 2, 8, "counter \"a\" clashes with an earlier metric family named \"a_total\""},
  {"OmTimestampBackwards", kOm, "a 1 10\na 2 9\n# EOF\n", 2, 5, "timestamp 9 goes backwards within metric \"a\""},
  {"OmTimestampPresenceMixed", kOm, "a 1 10\na 2\n# EOF\n", 2, 4, "mixes samples with and without timestamps"},
  {"OmInfTimestamp", kOm, "a 1 +Inf\n# EOF\n", 1, 5, "expected a finite float as timestamp, got \"+Inf\""},
  {"OmInvalidUtf8Help", kOm, "# HELP a \xed\xa0\x80\n# EOF\n", 1, 10, "invalid utf-8 in help text"},
  {"OmQuotedNameInvalidUtf8", kOm, "{\"a\xc0\"} 1\n# EOF\n", 1, 4, "invalid utf-8 in quoted name"},
};
// clang-format on

class ParserErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrors, ReportsFirstViolationWithPosition) {
  const ErrorCase& c = GetParam();
  Recorder r = parse_all(c.input, c.format);
  ASSERT_FALSE(r.errors.empty()) << "no diagnostic for:\n" << c.input;
  const expfmt::Diagnostic& d = r.errors.front();
  EXPECT_EQ(d.pos.line, c.line) << d.message;
  EXPECT_EQ(d.pos.column, c.column) << d.message;
  EXPECT_NE(d.message.find(c.message), std::string::npos) << "got: " << d.message;
  EXPECT_EQ(d.message, fmt::format("{}", d.message.c_str()));  // no embedded NUL
  EXPECT_FALSE(d.message.empty());
  EXPECT_TRUE(d.message[0] < 'A' || d.message[0] > 'Z') << "messages are lowercase: " << d.message;
  EXPECT_NE(d.message.back(), '.');
}

std::string error_case_name(const ::testing::TestParamInfo<ErrorCase>& p) { return p.param.name; }

INSTANTIATE_TEST_SUITE_P(Table, ParserErrors, ::testing::ValuesIn(kErrorCases), error_case_name);

TEST(TextParser, AttributesSummaryAndHistogramSamplesLikeTextParser) {
  Recorder r = parse_all(
      "# HELP rpc_seconds RPC latency.\n"
      "# TYPE rpc_seconds summary\n"
      "rpc_seconds{quantile=\"0.5\",svc=\"a\\\"b\"} 0.1\n"
      "rpc_seconds_sum{svc=\"a\\\"b\"} 5\n"
      "rpc_seconds_count{svc=\"a\\\"b\"} 10\n"
      "other_count 3\n"
      "# TYPE h histogram\n"
      "h_bucket{le=\"+Inf\",} 1\n"
      "h_count 1\n"
      "x_total  +Inf   1700000000000\n"
      "\n"
      "  # a free comment\n",
      kText);
  EXPECT_TRUE(r.errors.empty()) << r.error_strings().front();
  const std::vector<std::string> want = {
      "1:1 HELP rpc_seconds [RPC latency.]",
      "2:1 TYPE rpc_seconds [summary]",
      "3:1 rpc_seconds family=rpc_seconds type=summary {quantile@13=0.5;svc@28=a\"b;} 0.1 (0.1@40)",
      "4:1 rpc_seconds_sum family=rpc_seconds type=summary {svc@17=a\"b;} 5 (5@29)",
      "5:1 rpc_seconds_count family=rpc_seconds type=summary {svc@19=a\"b;} 10 (10@31)",
      "6:1 other_count family=other_count type=untyped {} 3 (3@13)",
      "7:1 TYPE h [histogram]",
      "8:1 h_bucket family=h type=histogram {le@10=+Inf;} 1 (1@22)",
      "9:1 h_count family=h type=histogram {} 1 (1@9)",
      "10:1 x_total family=x_total type=untyped {} inf (+Inf@10) ts=1700000000000",
  };
  EXPECT_EQ(r.events, want);
}

TEST(TextParser, CounterTypeNamesTheTotalSample) {
  // promtool: "# TYPE x counter" does not adopt "x_total"; it is its own
  // untyped family.
  Recorder r = parse_all("# TYPE x counter\nx_total 1\nx 2\n", kText);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[1], "2:1 x_total family=x_total type=untyped {} 1 (1@9)");
  EXPECT_EQ(r.events[2], "3:1 x family=x type=counter {} 2 (2@3)");
}

TEST(TextParser, TypeWordIsCaseInsensitiveAndIgnoresBackslashes) {
  // As TextParser: "# TYPE x Gau\\ge" declares a gauge (promtool 2.42 agrees).
  Recorder r = parse_all("# TYPE x Gau\\ge\nx 1\n# TYPE y GAUGE_HISTOGRAM\n", kText);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[1], "2:1 x family=x type=gauge {} 1 (1@3)");
  EXPECT_EQ(r.events[2], "3:1 TYPE y [GAUGE_HISTOGRAM]");
}

TEST(TextParser, ValueMayFollowTheNameWithoutBlankLikeTextParser) {
  Recorder r = parse_all("a-1 2\nb.5\n", kText);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events, (std::vector<std::string>{"1:1 a family=a type=untyped {} -1 (-1@2) ts=2",
                                                "2:1 b family=b type=untyped {} 0.5 (.5@2)"}));
}

TEST(TextParser, MergesFamilyThatReappearsLater) {
  Recorder r = parse_all("# TYPE a gauge\na 1\nb 1\na{x=\"y\"} 2\n", kText);
  // Read as one family (as TextParser and Prometheus do), with a warning.
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].check_id, "expfmt/family-not-contiguous");
  EXPECT_EQ(r.errors[0].severity, base::Severity::kWarning);
  EXPECT_EQ(r.errors[0].pos.line, 4u);
  ASSERT_EQ(r.events.size(), 4u);
  EXPECT_EQ(r.events[3], "4:1 a family=a type=gauge {x@3=y;} 2 (2@10)");
}

TEST(TextParser, ReadsAsCurrentPrometheusCommonDoes) {
  // \" in HELP, a metric name anywhere inside the braces, "gaugehistogram".
  Recorder r = parse_all(
      "# HELP a say \\\"hi\\\"\n# TYPE a gauge\n{x=\"1\", \"a\"} 1\n{y=\"2\", a} 2\n"
      "# TYPE g gaugehistogram\ng_bucket{le=\"+Inf\"} 1\n",
      kText);
  EXPECT_TRUE(r.errors.empty()) << r.error_strings().front();
  ASSERT_EQ(r.events.size(), 6u);
  EXPECT_EQ(r.events[0], "1:1 HELP a [say \"hi\"]");
  EXPECT_NE(r.events[3].find("family=a type=gauge"), std::string::npos) << r.events[3];
  EXPECT_NE(r.events[5].find("type=gaugehistogram"), std::string::npos) << r.events[5];
  Recorder two = parse_all("{x=\"1\", \"a\", \"b\"} 1\n", kText);
  ASSERT_EQ(two.errors.size(), 1u);
  EXPECT_NE(two.errors[0].message.find("multiple metric names"), std::string::npos);
  Recorder neg = parse_all("# TYPE h histogram\nh_bucket{le=\"+Inf\"} -1\nh_count -1\n", kText);
  ASSERT_EQ(neg.errors.size(), 2u);
  EXPECT_EQ(neg.errors[0].message, "negative bucket population for histogram \"h\"");
  EXPECT_EQ(neg.errors[1].message, "negative count for histogram \"h\"");
}

TEST(TextParser, UnescapesLabelValuesExactly) {
  // Escapes at the start, middle and end of values, runs longer than 16
  // bytes between them, UTF-8 after an escape, and two escaped values in
  // one line (each unescaped into its own part of the buffer).
  Recorder r = parse_all(
      "a{b=\"q\\\"uote0\",c=\"\\\\x\\n\"} 1\n"
      "a{b=\"\\\"0123456789abcdefghij\\\"0123456789abcdefghij\\\\\"} 2\n"
      "a{b=\"\\\"\xc3\xa9\"} 3\n",
      kText);
  EXPECT_TRUE(r.errors.empty()) << r.error_strings().front();
  const std::vector<std::string> want = {
      "1:1 a family=a type=untyped {b@3=q\"uote0;c@16=\\x\n;} 1 (1@27)",
      "2:1 a family=a type=untyped {b@3=\"0123456789abcdefghij\"0123456789abcdefghij\\;} 2 (2@55)",
      "3:1 a family=a type=untyped {b@3=\"\xc3\xa9;} 3 (3@13)",
  };
  EXPECT_EQ(r.events, want);
}

TEST(TextParser, AcceptsHelpOnlyNameAndEmptyHelp) {
  Recorder r = parse_all("# HELP a\n# HELP a \n# HELP a real help\n# TYPE b\n", kText);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events, (std::vector<std::string>{"1:1 HELP a []", "2:1 HELP a []", "3:1 HELP a [real help]"}));
}

TEST(OpenMetricsParser, ProducesExactEvents) {
  Recorder r = parse_all(
      "# TYPE a counter\n"
      "# HELP a Help \\n text.\n"
      "a_total{x=\"1\"} 1 # {trace_id=\"abc\"} 0.5 1.25\n"
      "a_created{x=\"1\"} 100\n"
      "# TYPE h_seconds histogram\n"
      "# UNIT h_seconds seconds\n"
      "h_seconds_bucket{le=\"1\"} 0\n"
      "h_seconds_bucket{le=\"+Inf\"} 2 # {t=\"1\"} 3\n"
      "h_seconds_count 2\n"
      "h_seconds_sum 4\n"
      "# TYPE i info\n"
      "i_info{v=\"1\"} 1\n"
      "# TYPE s stateset\n"
      "s{s=\"a\"} 1\n"
      "s{s=\"b\"} 0\n"
      "t 1 1.5\n"
      "{\"my.metric\",\"a.b\"=\"x\\z\"} NaN\n"
      "# EOF\n",
      kOm);
  EXPECT_TRUE(r.errors.empty()) << r.error_strings().front();
  const std::vector<std::string> want = {
      "1:1 TYPE a [counter]",
      "2:1 HELP a [Help \n text.]",
      "3:1 a_total family=a type=counter {x@9=1;} 1 (1@16) ex@18{trace_id=abc;} 0.5 ts=1.25",
      "4:1 a_created family=a type=counter {x@11=1;} 100 (100@18)",
      "5:1 TYPE h_seconds [histogram]",
      "6:1 UNIT h_seconds [seconds]",
      "7:1 h_seconds_bucket family=h_seconds type=histogram {le@18=1;} 0 (0@26)",
      "8:1 h_seconds_bucket family=h_seconds type=histogram {le@18=+Inf;} 2 (2@29) ex@31{t=1;} 3",
      "9:1 h_seconds_count family=h_seconds type=histogram {} 2 (2@17)",
      "10:1 h_seconds_sum family=h_seconds type=histogram {} 4 (4@15)",
      "11:1 TYPE i [info]",
      "12:1 i_info family=i type=info {v@8=1;} 1 (1@15)",
      "13:1 TYPE s [stateset]",
      "14:1 s family=s type=stateset {s@3=a;} 1 (1@10)",
      "15:1 s family=s type=stateset {s@3=b;} 0 (0@10)",
      "16:1 t family=t type=unknown {} 1 (1@3) ts=1.5",
      "17:1 my.metric family=my.metric type=unknown {a.b@14=x\\z;} nan (NaN@27)",
  };
  EXPECT_EQ(r.events, want);
}

TEST(OpenMetricsParser, AcceptsEofWithoutFinalNewline) {
  Recorder r = parse_all("a 1\n# EOF", kOm);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events.size(), 1u);
}

TEST(OpenMetricsParser, RepeatedSeriesWithIncreasingTimestampsIsFine) {
  Recorder r = parse_all("a 1 1\na 2 2\na 3 2\n# EOF\n", kOm);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.events.size(), 3u);
}

TEST(Utf8Names, QuotedMetricAndLabelNamesInBothFormats) {
  for (Format f : {kText, kOm}) {
    std::string in =
        "# HELP \"my.metric\" Dotted.\n# TYPE \"my.metric\" gauge\n"
        "{\"my.metric\", \"le.vel\"=\"x\"} 1\n";
    if (f == kOm)
      in = "# HELP \"my.metric\" Dotted.\n# TYPE \"my.metric\" gauge\n"
           "{\"my.metric\",\"le.vel\"=\"x\"} 1\n# EOF\n";
    Recorder r = parse_all(in, f);
    EXPECT_TRUE(r.errors.empty()) << expfmt::format_name(f) << ": " << r.error_strings().front();
    ASSERT_EQ(r.events.size(), 3u);
    EXPECT_EQ(r.events[0], "1:1 HELP my.metric [Dotted.]");
    EXPECT_EQ(r.events[2].substr(0, 50), "3:1 my.metric family=my.metric type=gauge {le.vel@");
  }
}

TEST(Utf8Names, RejectedWhenOptionIsOff) {
  expfmt::ParserOptions o;
  o.utf8_names = false;
  Recorder r = parse_all("{\"my.metric\"} 1\n", kText, o);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].pos.column, 2u);
  EXPECT_NE(r.errors[0].message.find("invalid label name"), std::string::npos);
}

TEST(ParserOptions, MaxLabelsIsEnforced) {
  expfmt::ParserOptions o;
  o.max_labels = 2;
  Recorder r = parse_all("a{x=\"1\",y=\"2\",z=\"3\"} 1\n", kText, o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].pos.column, 15u);
  EXPECT_NE(r.errors[0].message.find("too many labels: more than 2"), std::string::npos);
  EXPECT_TRUE(r.events.empty());
}

TEST(ParserOptions, StopsAfterMaxErrors) {
  expfmt::ParserOptions o;
  o.max_errors = 3;
  std::string in;
  for (int i = 0; i < 10; ++i) in += "bad line\n";
  in += "good 1\n";
  Recorder r = parse_all(in, kText, o);
  EXPECT_EQ(r.errors.size(), 3u);
  EXPECT_TRUE(r.events.empty());  // the rest is ignored
}

TEST(ParserRecovery, ContinuesWithNextLineAfterSyntaxError) {
  Recorder r = parse_all("a{ 1\nb 2\n", kText);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, "a{ 1");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].substr(0, 5), "2:1 b");
}

TEST(ParserRecovery, DiagnosticLineIsTruncatedTo512Bytes) {
  Recorder r = parse_all("a " + std::string(2000, 'x') + "\n", kText);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line.size(), 512u);
}

TEST(ParserCounters, CountsBytesLinesAndSamples) {
  Recorder r;
  expfmt::Parser p(expfmt::ParserOptions{}, r);
  p.feed("a 1\n# x\nb{");
  p.feed("c=\"d\"} 2\n");
  p.finish();
  EXPECT_TRUE(p.ok());
  EXPECT_EQ(p.bytes(), 19u);
  EXPECT_EQ(p.lines(), 3u);
  EXPECT_EQ(p.samples(), 2u);
  EXPECT_EQ(p.error_count(), 0u);
}

// --- chunking invariance -------------------------------------------------

std::vector<std::string> run_chunked(const std::string& in, Format f, std::size_t mode, unsigned seed) {
  Recorder r;
  expfmt::ParserOptions o;
  o.format = f;
  o.max_line_bytes = 4096;
  expfmt::Parser p(o, r);
  std::mt19937 rng(seed);
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t n = mode == 0 ? in.size() : mode == 1 ? 1 : 1 + rng() % 97;
    n = std::min(n, in.size() - i);
    p.feed(std::string_view(in).substr(i, n));
    i += n;
  }
  p.finish();
  std::vector<std::string> out = r.events;
  for (auto& e : r.error_strings()) out.push_back("error " + e);
  return out;
}

void expect_chunking_invariant(const std::string& in, Format f, const std::string& what) {
  auto whole = run_chunked(in, f, 0, 0);
  EXPECT_EQ(run_chunked(in, f, 1, 0), whole) << what << " byte by byte";
  for (unsigned seed = 1; seed <= 3; ++seed)
    EXPECT_EQ(run_chunked(in, f, 2, seed), whole) << what << " random chunks, seed " << seed;
}

void expect_case_chunking_invariant(const ExpositionCase& c) {
  expect_chunking_invariant(c.text, c.openmetrics ? kOm : kText, c.name);
}

TEST(ChunkingInvariance, CorpusGivesSameEventsAndDiagnosticsForAnyChunking) {
  if (shared_dir().empty()) GTEST_SKIP() << "../shared corpus not available";
  EXPECT_GE(for_each_exposition_case(ExpositionCases::kCorpus, expect_case_chunking_invariant), 200);
}

TEST(ChunkingInvariance, TestdataGivesSameEventsForAnyChunking) {
  EXPECT_GE(for_each_exposition_case(ExpositionCases::kTestdata, expect_case_chunking_invariant), 3);
}

TEST(ChunkingInvariance, LongLinesAndCarriedLinesAgree) {
  std::string in = "a 1\n" + std::string(10000, 'x') + " 1\nb{c=\"" + std::string(3000, 'y') + "\"} 2\nc 3";
  expect_chunking_invariant(in, kText, "long lines");
  auto whole = run_chunked(in, kText, 0, 0);
  ASSERT_GE(whole.size(), 3u);
  EXPECT_EQ(whole[0].substr(0, 5), "1:1 a");
  EXPECT_NE(std::find_if(
                whole.begin(), whole.end(),
                [](const std::string& s) { return s.rfind("error 2:4097@4100 line longer than 4096 bytes", 0) == 0; }),
            whole.end());
}

// --- format detection ----------------------------------------------------

TEST(DetectFormat, UsesContentTypeThenContent) {
  using expfmt::detect_format;
  EXPECT_EQ(detect_format("application/openmetrics-text; version=1.0.0; charset=utf-8", "", ""), kOm);
  EXPECT_EQ(detect_format("text/plain; version=0.0.4", "a 1\n", "a 1\n"), kText);
  EXPECT_EQ(detect_format("", "a 1\n", "a 1\n# EOF\n"), kOm);
  EXPECT_EQ(detect_format("", "a 1\n", "a 1\n# EOF"), kOm);
  EXPECT_EQ(detect_format("", "a 1\n", "x\n#  EOF\n"), kText);
  EXPECT_EQ(detect_format("", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n", ""), kOm);
  EXPECT_EQ(detect_format("", "a_total 1 # {t=\"1\"} 1\n", ""), kOm);
  EXPECT_EQ(detect_format("", "# TYPE b info\n", ""), kOm);
  EXPECT_EQ(detect_format("", "# TYPE b gauge\n# TYPE c untyped\n", ""), kText);
  EXPECT_EQ(detect_format("", "", ""), kText);
}

}  // namespace
}  // namespace promvet::test

namespace promvet::test {
namespace {

// --- testdata/expfmt fixtures --------------------------------------------

TEST(Testdata, ValidFixturesParseCleanly) {
  for (auto [file, f] : {std::pair{"expfmt/valid.prom", kText}, std::pair{"expfmt/valid.om.txt", kOm},
                         std::pair{"expfmt/node_exporter.prom", kText}}) {
    std::string in = read_file(testdata(file));
    ASSERT_FALSE(in.empty()) << file;
    Recorder r = parse_all(in, f);
    EXPECT_TRUE(r.errors.empty()) << file << ": " << r.error_strings().front();
    EXPECT_GE(r.events.size(), 10u) << file;
  }
}

// Each line of <fixture>.expect is "<line>:<col> <message prefix>", in the
// order the diagnostics are reported; nothing else may be reported.
TEST(Testdata, InvalidFixturesReportExactlyTheExpectedDiagnostics) {
  for (auto [file, f] : {std::pair{"expfmt/invalid_text.prom", kText}, std::pair{"expfmt/invalid_om.om.txt", kOm}}) {
    Recorder r = parse_all(read_file(testdata(file)), f);
    std::string expect = read_file(testdata(std::string(file) + ".expect"));
    std::vector<std::string> want;
    for (std::size_t pos = 0, nl; pos < expect.size(); pos = nl + 1) {
      nl = expect.find('\n', pos);
      if (nl == std::string::npos) nl = expect.size();
      if (nl > pos) want.push_back(expect.substr(pos, nl - pos));
    }
    ASSERT_EQ(r.errors.size(), want.size()) << file;
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto& d = r.errors[i];
      std::string got = fmt::format("{}:{} {}", d.pos.line, d.pos.column, d.message);
      EXPECT_EQ(got.substr(0, want[i].size()), want[i]) << file;
    }
  }
}

}  // namespace
}  // namespace promvet::test
