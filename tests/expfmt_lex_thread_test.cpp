// ParserOptions::lex_thread: lexing large chunks on a second thread gives the
// same events and diagnostics, in the same order, as lexing on the parser's
// thread, for every input of the OpenMetrics corpus and of testdata (each
// repeated until the chunks are large enough for the lexing thread), whole or
// in chunks of random size, with and without the error limit stopping early.
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

// Everything a handler sees, one string per event or diagnostic, in order;
// positions and offsets included.
std::vector<std::string> run(const std::string& in, Format f, bool lex_thread, std::size_t max_errors, unsigned seed) {
  Recorder r;
  expfmt::ParserOptions o;
  o.format = f;
  o.max_line_bytes = 4096;
  o.max_errors = max_errors;
  o.lex_thread = lex_thread;
  expfmt::Parser p(o, r);
  std::mt19937 rng(seed);
  for (std::size_t i = 0; i < in.size();) {
    // seed 0: one chunk; else chunks of 1 byte to 300 KiB.
    std::size_t n = seed == 0 ? in.size() : 1 + rng() % (300u << 10);
    n = std::min(n, in.size() - i);
    p.feed(std::string_view(in).substr(i, n));
    i += n;
  }
  p.finish();
  std::vector<std::string> out = r.events;
  for (auto& e : r.error_strings()) out.push_back("error " + e);
  out.push_back("lines " + std::to_string(p.lines()) + " samples " + std::to_string(p.samples()));
  return out;
}

// in repeated to at least 128 KiB, so whole feeds reach the lexing thread.
std::string enlarge(const std::string& in) {
  if (in.empty()) return in;
  std::string out;
  while (out.size() < (128u << 10)) out += in;
  return out;
}

void expect_same(const std::string& small, Format f, const std::string& what) {
  const std::string in = enlarge(small);
  for (std::size_t max_errors : {std::size_t{100}, std::size_t{1} << 30}) {
    for (unsigned seed = 0; seed <= 1; ++seed) {
      EXPECT_EQ(run(in, f, true, max_errors, seed), run(in, f, false, max_errors, seed))
          << what << ", max_errors " << max_errors << ", chunk seed " << seed;
    }
  }
}

void expect_same_case(const ExpositionCase& c) {
  expect_same(c.text, c.openmetrics ? Format::kOpenMetrics : Format::kText, c.name);
}

TEST(LexThread, CorpusGivesSameEventsAndDiagnostics) {
  if (shared_dir().empty()) GTEST_SKIP() << "../shared corpus not available";
  EXPECT_GE(for_each_exposition_case(ExpositionCases::kCorpus, expect_same_case), 200);
}

TEST(LexThread, TestdataGivesSameEventsAndDiagnostics) {
  EXPECT_GE(for_each_exposition_case(ExpositionCases::kTestdata, expect_same_case), 3);
}

TEST(LexThread, LongLinesBlankLinesAndErrorsAgree) {
  std::string in;
  for (int i = 0; i < 3000; ++i) {
    in += "# HELP m" + std::to_string(i % 7) + " help \\n text\n\n  \t\n";
    in += "m" + std::to_string(i % 7) + "{a=\"x\\\"y\",b=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
    if (i % 97 == 0) in += std::string(5000, 'z') + " 1\n";  // longer than max_line_bytes
    if (i % 89 == 0) in += "m1{a=\"unterminated 1\n";
  }
  EXPECT_EQ(run(in, Format::kText, true, 1u << 30, 0), run(in, Format::kText, false, 1u << 30, 0));
  EXPECT_EQ(run(in, Format::kText, true, 100, 0), run(in, Format::kText, false, 100, 0));
  EXPECT_EQ(run(in, Format::kOpenMetrics, true, 1u << 30, 0), run(in, Format::kOpenMetrics, false, 1u << 30, 0));
}

}  // namespace
}  // namespace promvet::test
