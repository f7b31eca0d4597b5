// Hostile and broken input: the parser must answer every byte sequence with
// events or positioned diagnostics, never crash or hang, and keep memory
// bounded by max_line_bytes.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <random>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "expfmt_recorder.h"
#include "test_support.h"

namespace promvet::test {
namespace {

using expfmt::Format;

// Every diagnostic points into the input it came from.
void expect_positioned(const Recorder& r, const std::string& input) {
  std::uint64_t lines = 1;
  for (char c : input) lines += c == '\n';
  for (const auto& d : r.errors) {
    EXPECT_GE(d.pos.line, 1u) << d.message;
    EXPECT_LE(d.pos.line, lines + 1) << d.message;
    EXPECT_GE(d.pos.column, 1u) << d.message;
    EXPECT_LE(d.pos.offset, input.size()) << d.message;
    EXPECT_FALSE(d.message.empty());
    EXPECT_LE(d.line.size(), 512u);
  }
}

long max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

const char* kValidText =
    "# HELP http_requests_total Requests.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",path=\"/a\\\"b\"} 10 1700000000000\n"
    "# TYPE lat summary\n"
    "lat{quantile=\"0.5\"} 0.2\n"
    "lat_sum 3\n"
    "lat_count 9\n";

const char* kValidOm =
    "# TYPE http_requests counter\n"
    "# HELP http_requests Requests.\n"
    "http_requests_total{code=\"200\"} 10 # {trace_id=\"x\"} 1 1.5\n"
    "# TYPE h histogram\n"
    "h_bucket{le=\"1\"} 1\n"
    "h_bucket{le=\"+Inf\"} 2\n"
    "h_count 2\n"
    "h_sum 1.5\n"
    "# EOF\n";

TEST(BadInput, EmptyTextIsEmptyAndOpenMetricsNeedsEof) {
  Recorder t = parse_all("", Format::kText);
  EXPECT_TRUE(t.events.empty());
  EXPECT_TRUE(t.errors.empty());
  Recorder o = parse_all("", Format::kOpenMetrics);
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].pos.line, 1u);
  EXPECT_EQ(o.errors[0].pos.column, 1u);
  EXPECT_NE(o.errors[0].message.find("missing \"# EOF\""), std::string::npos);
}

TEST(BadInput, RandomBinaryGivesPositionedDiagnostics) {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::string in(1 + rng() % 4096, '\0');
    for (char& c : in) c = static_cast<char>(rng());
    for (Format f : {Format::kText, Format::kOpenMetrics}) {
      Recorder r = parse_all(in, f);
      EXPECT_FALSE(r.errors.empty());
      expect_positioned(r, in);
    }
  }
}

TEST(BadInput, NulBytesAreErrorsOutsideLabelValuesAndHelp) {
  std::string in("a\0b 1\n", 6);
  Recorder r = parse_all(in, Format::kText);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].pos.column, 2u);
  // A NUL inside a label value is valid UTF-8 (corpus null_byte has one in HELP).
  std::string ok("a{b=\"x\0y\"} 1\n", 13);
  Recorder r2 = parse_all(ok, Format::kText);
  EXPECT_TRUE(r2.errors.empty());
  ASSERT_EQ(r2.events.size(), 1u);
  EXPECT_NE(r2.events[0].find(std::string("b@3=x\0y;", 8)), std::string::npos);
}

TEST(BadInput, InvalidUtf8IsReportedAtTheOffendingByte) {
  struct Case {
    std::string in;
    Format f;
    std::uint32_t col;
    const char* msg;
  };
  const Case cases[] = {
      {"a{b=\"ok\xe2\x82\"} 1\n", Format::kText, 8, "invalid utf-8 in label value"},
      {"a{b=\"\xf5\x80\x80\x80\"} 1\n# EOF\n", Format::kOpenMetrics, 6, "invalid utf-8 in label value"},
      {"# HELP a \xc0\xaf\n", Format::kText, 10, "invalid utf-8 in help text"},
      {"{\"m\xff\"} 1\n", Format::kText, 4, "invalid utf-8 in quoted name"},
      {"a \xff\n", Format::kText, 3, "expected float as value, got \"\\xff\""},
  };
  for (const Case& c : cases) {
    Recorder r = parse_all(c.in, c.f);
    ASSERT_FALSE(r.errors.empty()) << c.in;
    EXPECT_EQ(r.errors[0].pos.column, c.col) << r.errors[0].message;
    EXPECT_NE(r.errors[0].message.find(c.msg), std::string::npos) << r.errors[0].message;
  }
}

TEST(BadInput, TenMegabyteLineIsSkippedWithBoundedMemory) {
  Recorder r;
  expfmt::ParserOptions o;  // max_line_bytes: 8 MiB
  expfmt::Parser p(o, r);
  const long before = max_rss_kb();
  std::string chunk(64 * 1024, 'x');
  p.feed("a 1\nhuge{v=\"");
  for (int i = 0; i < 160; ++i) p.feed(chunk);  // 10 MiB, never one string
  p.feed("\"} 1\nb 2\n");
  p.finish();
  const long grown_kb = max_rss_kb() - before;
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].pos.line, 2u);
  EXPECT_EQ(r.errors[0].pos.column, o.max_line_bytes + 1);
  EXPECT_EQ(r.errors[0].pos.offset, 4u + o.max_line_bytes);
  EXPECT_NE(r.errors[0].message.find("line longer than 8388608 bytes"), std::string::npos);
  EXPECT_EQ(r.errors[0].line.size(), 512u);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].substr(0, 5), "3:1 b");
  EXPECT_LT(grown_kb, 24 * 1024) << "carry buffer must stay within max_line_bytes";
}

TEST(BadInput, MillionLabelsHitMaxLabels) {
  std::string in = "m{";
  for (int i = 0; i < 1000000; ++i) in += "l" + std::to_string(i) + "=\"v\",";
  in += "} 1\n";
  expfmt::ParserOptions o;
  o.max_line_bytes = in.size();
  Recorder r = parse_all(in, Format::kText, o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("too many labels: more than 1024"), std::string::npos);
  // l1024 starts after "m{" and 1024 labels: "l0..l9" take 7 bytes, "l10".."l99" 8, "l100".."l999" 9, "l1000".. 10.
  EXPECT_EQ(r.errors[0].pos.column, 3u + 10 * 7 + 90 * 8 + 900 * 9 + 24 * 10);
  EXPECT_TRUE(r.events.empty());
}

TEST(BadInput, MillionLabelsParseWhenAllowedAndDuplicatesAreFound) {
  std::string in = "m{";
  for (int i = 0; i < 1000000; ++i) in += "l" + std::to_string(i) + "=\"v\",";
  in += "} 1\n";
  expfmt::ParserOptions o;
  o.max_line_bytes = in.size() * 2;
  o.max_labels = 2000000;
  struct Count : expfmt::Handler {
    std::size_t labels = 0, errors = 0;
    void on_sample(const expfmt::Sample& s) override { labels = s.labels.size; }
    void on_error(const expfmt::Diagnostic&) override { ++errors; }
  } c;
  expfmt::Parser p(o, c);
  p.feed(in);
  p.feed(in.substr(0, in.size() - 4) + "l5=\"w\"} 1\n");  // a duplicate at the very end
  p.finish();
  EXPECT_EQ(c.labels, 1000000u);
  EXPECT_EQ(c.errors, 1u);
}

TEST(BadInput, TruncatedTextAtEveryByte) {
  const std::string full = kValidText;
  Recorder whole = parse_all(full, Format::kText);
  ASSERT_TRUE(whole.errors.empty());
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    std::string in = full.substr(0, cut);
    Recorder r = parse_all(in, Format::kText);
    expect_positioned(r, in);
    if (cut == 0 || in.back() == '\n') {
      EXPECT_TRUE(r.errors.empty()) << "cut at " << cut;
      ASSERT_LE(r.events.size(), whole.events.size());
      EXPECT_TRUE(std::equal(r.events.begin(), r.events.end(), whole.events.begin())) << "cut at " << cut;
    } else {
      // The last line is incomplete: TextParser's "unexpected end of input
      // stream", or a syntax error on the partial line.
      ASSERT_FALSE(r.errors.empty()) << "cut at " << cut;
      std::uint64_t last_line = 1;
      for (char ch : in) last_line += ch == '\n';
      EXPECT_EQ(r.errors.back().pos.line, last_line);
    }
  }
}

TEST(BadInput, TruncatedOpenMetricsAtEveryByte) {
  const std::string full = kValidOm;
  ASSERT_TRUE(parse_all(full, Format::kOpenMetrics).errors.empty());
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    std::string in = full.substr(0, cut);
    Recorder r = parse_all(in, Format::kOpenMetrics);
    expect_positioned(r, in);
    bool complete = in.size() >= 5 && in.compare(in.size() - 5, 5, "# EOF") == 0;
    EXPECT_EQ(r.errors.empty(), complete) << "cut at " << cut;
  }
}

TEST(BadInput, MutatedCorpusNeverCrashes) {
  std::string shared = shared_dir();
  std::vector<std::string> seeds = {kValidText, kValidOm};
  if (!shared.empty())
    for (const char* c : {"escaping", "histogram_exemplars", "roundtrip", "timestamps", "simple_stateset"})
      seeds.push_back(read_file(shared + "/corpus/openmetrics-parsers/" + c + "/metrics"));
  std::mt19937 rng(7);
  const char kBytes[] =
      "{}\",=# \\\n\t\0\xff\xc3"
      "aZ09_:.+-eE";
  for (int round = 0; round < 3000; ++round) {
    std::string in = seeds[rng() % seeds.size()];
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !in.empty(); ++e) {
      std::size_t at = rng() % in.size();
      switch (rng() % 3) {
        case 0: in[at] = kBytes[rng() % (sizeof kBytes - 1)]; break;
        case 1: in.erase(at, 1 + rng() % 8); break;
        default: in.insert(at, 1, kBytes[rng() % (sizeof kBytes - 1)]);
      }
    }
    for (Format f : {Format::kText, Format::kOpenMetrics}) {
      Recorder r = parse_all(in, f);
      expect_positioned(r, in);
    }
  }
}

}  // namespace
}  // namespace promvet::test
