// lib/base: the one copy of UTF-8 decoding, Go's quoting, the legacy name predicates, Prometheus
// durations and string helpers. Expected values are Go's and prometheus/common's behaviour.
#include <gtest/gtest.h>

#include <string>

#include "base/base64.h"
#include "base/duration.h"
#include "base/go_quote.h"
#include "base/names.h"
#include "base/severity.h"
#include "base/strings.h"
#include "base/utf8.h"

namespace base = promvet::base;

TEST(BaseUtf8, DecodesLikeGo) {
  size_t w = 0;
  EXPECT_EQ(base::decode_utf8("a", 0, &w), 'a');
  EXPECT_EQ(w, 1u);
  EXPECT_EQ(base::decode_utf8("\xc3\xa9", 0, &w), 0xE9u);
  EXPECT_EQ(w, 2u);
  EXPECT_EQ(base::decode_utf8("\xf0\x9f\x98\x80", 0, &w), 0x1F600u);
  EXPECT_EQ(w, 4u);
  // A literal U+FFFD is 3 bytes wide; an invalid byte decodes as U+FFFD with width 1.
  EXPECT_EQ(base::decode_utf8("\xef\xbf\xbd", 0, &w), base::kRuneError);
  EXPECT_EQ(w, 3u);
  for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80"}) {
    EXPECT_EQ(base::decode_utf8(bad, 0, &w), base::kRuneError) << bad;
    EXPECT_EQ(w, 1u) << bad;
  }
}

TEST(BaseUtf8, ValidatesLikeGo) {
  EXPECT_TRUE(base::valid_utf8(""));
  EXPECT_TRUE(base::valid_utf8("caf\xc3\xa9 \xe6\xb8\xa9"));
  EXPECT_EQ(base::invalid_utf8_at("ab\xc0\xaf"), 2u);        // overlong
  EXPECT_EQ(base::invalid_utf8_at("a\xed\xa0\x80"), 1u);     // surrogate
  EXPECT_EQ(base::invalid_utf8_at("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(base::invalid_utf8_at("ok\xe2\x82"), 2u);        // truncated
  EXPECT_EQ(base::invalid_utf8_at("ok"), std::string_view::npos);
  EXPECT_EQ(base::count_code_points("caf\xc3\xa9"), 4u);
}

// The reasons go-yaml's reader names (sources/yaml_stream.cpp), in the order it tests them.
TEST(BaseUtf8, StepSaysWhatIsWrong) {
  using P = base::Utf8Problem;
  auto problem = [](std::string_view s) { return base::decode_utf8_step(s, 0).problem; };
  EXPECT_EQ(problem("\xc3\xa9"), P::kNone);
  EXPECT_EQ(problem("\xff"), P::kInvalidLeadingByte);
  EXPECT_EQ(problem("\x80"), P::kInvalidLeadingByte);
  EXPECT_EQ(problem("\xe2\x82"), P::kTruncated);
  EXPECT_EQ(problem("\xc0\xaf"), P::kOverlong);
  EXPECT_EQ(problem("\xed\xa0\x80"), P::kNotACodePoint);
  EXPECT_EQ(problem("\xf4\x90\x80\x80"), P::kNotACodePoint);
  base::Utf8Step step = base::decode_utf8_step("\xe2\x82x", 0);
  EXPECT_EQ(step.problem, P::kInvalidTrailingByte);
  EXPECT_EQ(step.problem_at, 2u);
  EXPECT_EQ(base::decode_utf8_step("\xc0\xaf", 0).code_point, 0x2Fu);  // overlong '/'
}

TEST(BaseUtf8, EncodesEveryWidth) {
  for (uint32_t cp : {0x41u, 0xE9u, 0x6E29u, 0x1F600u, 0x10FFFFu}) {
    std::string s;
    base::append_utf8(s, cp);
    size_t w = 0;
    EXPECT_EQ(base::decode_utf8(s, 0, &w), cp);
    EXPECT_EQ(w, s.size());
  }
}

TEST(BaseGoQuote, QuotesLikeStrconvQuote) {
  EXPECT_EQ(base::go_quote(""), R"("")");
  EXPECT_EQ(base::go_quote("a\"b\\c'"), R"("a\"b\\c'")");
  EXPECT_EQ(base::go_quote("\a\b\f\n\r\t\v"), R"("\a\b\f\n\r\t\v")");
  EXPECT_EQ(base::go_quote(std::string("\0\x7f", 2)), R"("\x00\x7f")");
  EXPECT_EQ(base::go_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(base::go_quote("\xc2\xa0"), R"("\u00a0")");  // no-break space: not printable
  EXPECT_EQ(base::go_quote("\xcd\xb8"), R"("\u0378")");  // unassigned: not printable
  EXPECT_EQ(base::go_quote("\xf3\xa0\x80\x81"), R"("\U000e0001")");
  EXPECT_EQ(base::go_quote("a\xff"), R"("a\xff")");
  EXPECT_EQ(base::go_quote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");
}

TEST(BaseGoQuote, RunesAndUnicodeNotation) {
  EXPECT_EQ(base::go_quote_rune('x'), "'x'");
  EXPECT_EQ(base::go_quote_rune('\''), R"('\'')");
  EXPECT_EQ(base::go_quote_rune('"'), R"('"')");
  EXPECT_EQ(base::go_quote_rune(0), R"('\x00')");
  EXPECT_EQ(base::go_quote_rune(0xD800), R"('\ufffd')");  // not a valid rune
  EXPECT_EQ(base::go_unicode('q'), "U+0071 'q'");
  EXPECT_EQ(base::go_unicode('\n'), "U+000A");
  EXPECT_EQ(base::go_unicode(0x1F600), "U+1F600 '\xf0\x9f\x98\x80'");
  EXPECT_TRUE(base::is_go_printable(' '));
  EXPECT_FALSE(base::is_go_printable(0xAD));
  EXPECT_FALSE(base::is_go_printable(0x2028));
}

TEST(BaseNames, LegacyPredicates) {
  EXPECT_TRUE(base::is_legacy_metric_name("job:up:sum_rate5m"));
  EXPECT_TRUE(base::is_legacy_metric_name("_0"));
  EXPECT_FALSE(base::is_legacy_metric_name(""));
  EXPECT_FALSE(base::is_legacy_metric_name("0a"));
  EXPECT_FALSE(base::is_legacy_metric_name("a.b"));
  EXPECT_FALSE(base::is_legacy_metric_name("caf\xc3\xa9"));
  EXPECT_TRUE(base::is_legacy_label_name("__name__"));
  EXPECT_FALSE(base::is_legacy_label_name("a:b"));
  EXPECT_FALSE(base::is_legacy_label_name("1a"));
  EXPECT_FALSE(base::is_legacy_label_name(""));
}

TEST(BaseDuration, ParsesLikeModelParseDuration) {
  EXPECT_EQ(base::parse_duration("0").ms, 0);
  EXPECT_EQ(base::parse_duration("1h30m").ms, 5400000);
  EXPECT_EQ(base::parse_duration("1y2w3d4h5m6s7ms").ms, ((((365LL + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7);
  EXPECT_EQ(base::parse_duration("292y").error, "");
  EXPECT_EQ(base::parse_duration("").error, "empty duration string");
  EXPECT_EQ(base::parse_duration("1m1h").error, R"(not a valid duration string: "1m1h")");
  EXPECT_EQ(base::parse_duration("5m5m").error, R"(not a valid duration string: "5m5m")");
  EXPECT_EQ(base::parse_duration("-5m").error, R"(not a valid duration string: "-5m")");
  EXPECT_EQ(base::parse_duration("5").error, R"(not a valid duration string: "5")");
  EXPECT_EQ(base::parse_duration("1.5h").error, R"(unknown unit "." in duration "1.5h")");
  EXPECT_EQ(base::parse_duration("5x").error, R"(unknown unit "x" in duration "5x")");
  EXPECT_EQ(base::parse_duration("293y").error, "duration out of range");
  EXPECT_EQ(base::parse_duration("5555555555555m").error, "duration out of range");
  // Digits beyond uint64: strconv.ParseUint fails before any range check.
  EXPECT_EQ(base::parse_duration("99999999999999999999s").error,
            R"(not a valid duration string: "99999999999999999999s")");
}

TEST(BaseDuration, Promtool2Wording) {
  // prometheus/common before v0.42, as promtool 2.42 reports rule-file durations.
  const auto old = [](const char* d) { return base::parse_duration(d, base::DurationWording::kPromtool2).error; };
  EXPECT_EQ(old("5x"), R"(not a valid duration string: "5x")");
  EXPECT_EQ(old("3 minutes"), R"(not a valid duration string: "3 minutes")");
  EXPECT_EQ(old(""), "empty duration string");
  EXPECT_EQ(old("99999999999999999999s"), "duration out of range");
  EXPECT_EQ(old("293y"), "duration out of range");
  EXPECT_EQ(old("293y1x"), R"(not a valid duration string: "293y1x")");  // syntax before range
  EXPECT_EQ(old("1h30m"), "");
  EXPECT_EQ(base::parse_duration("1h30m", base::DurationWording::kPromtool2).ms, 5400000);
}

TEST(BaseDuration, FormatsLikeDurationString) {
  EXPECT_EQ(base::format_duration_ms(0), "0s");
  EXPECT_EQ(base::format_duration_ms(1500), "1s500ms");
  EXPECT_EQ(base::format_duration_ms(7 * 86400000LL), "1w");
  EXPECT_EQ(base::format_duration_ms(90 * 86400000LL), "90d");
  EXPECT_EQ(base::format_duration_ms(365 * 86400000LL), "1y");
  EXPECT_EQ(base::format_duration_ms(-300000), "-5m");
  for (const char* d : {"1h30m", "2w", "1d1h1m1s1ms", "90d", "1y"})
    EXPECT_EQ(base::format_duration_ms(base::parse_duration(d).ms), d);
}

TEST(BaseStrings, Helpers) {
  EXPECT_TRUE(base::ends_with("up_total", "_total"));
  EXPECT_TRUE(base::ends_with("_total", "_total"));
  EXPECT_FALSE(base::ends_with("total", "_total"));
  EXPECT_TRUE(base::has_stem_and_suffix("x_count", "_count"));
  EXPECT_FALSE(base::has_stem_and_suffix("_count", "_count"));
  EXPECT_TRUE(base::starts_with("__name__", "__"));
  EXPECT_FALSE(base::starts_with("_", "__"));
  EXPECT_TRUE(base::iequals("Inf", "inf"));
  EXPECT_TRUE(base::iequals("NAN", "nAn"));
  EXPECT_FALSE(base::iequals("inf", "infinity"));
}

TEST(BaseStrings, AsciiLowerAndGoSpace) {
  EXPECT_EQ(base::ascii_lower("HTTPS"), "https");
  EXPECT_EQ(base::ascii_lower("Caf\xc3\x89"), "caf\xc3\x89");  // bytes above ASCII stay
  for (char c : {' ', '\t', '\n', '\r'}) EXPECT_TRUE(base::is_space_or_newline(c));
  for (char c : {'\v', '\f', 'x'}) EXPECT_FALSE(base::is_space_or_newline(c));
}

// As Go's base64.StdEncoding.DecodeString: padding required, CR and LF ignored.
TEST(BaseBase64, DecodesLikeGoStdEncoding) {
  std::string out;
  EXPECT_TRUE(base::decode_base64("Y2Fm6Q==", &out));
  EXPECT_EQ(out, "caf\xe9");
  out.clear();
  EXPECT_TRUE(base::decode_base64("Y2Fm\nw6k=", &out));
  EXPECT_EQ(out, "caf\xc3\xa9");
  out.clear();
  EXPECT_TRUE(base::decode_base64("", &out));
  EXPECT_EQ(out, "");
  for (const char* bad : {"Y2Fm6Q=", "Y2Fm6Q", "42", "Y2Fm6Q==Y2Fm", "====", "Y2F=m6Q=", "Y2Fm6Q=\x01=", "Y2F?"}) {
    out.clear();
    EXPECT_FALSE(base::decode_base64(bad, &out)) << bad;
  }
}

TEST(BaseSeverity, NamesRoundTrip) {
  for (base::Severity s : {base::Severity::kInfo, base::Severity::kWarning, base::Severity::kError})
    EXPECT_EQ(base::parse_severity(base::severity_name(s)), s);
  EXPECT_EQ(base::severity_name(base::Severity::kWarning), "warning");
  EXPECT_FALSE(base::parse_severity("fatal").has_value());
  EXPECT_FALSE(base::parse_severity("Warning").has_value());
}
