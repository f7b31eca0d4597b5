// Differential test of the text 0.0.4 parser against `promtool check metrics`
// (prometheus/common TextParser): over mutated expositions, promvet reports a
// diagnostic exactly when promtool fails to parse. The one deliberate
// difference, invalid UTF-8 in HELP (the spec requires UTF-8, TextParser does
// not check), is excluded. Skips when promtool is not installed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "expfmt/scan.h"
#include "expfmt_recorder.h"
#include "test_support.h"

namespace promvet::test {
namespace {

const char* kSeed =
    "# HELP http_requests_total Requests \\\\ by \"code\".\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",path=\"/a\\\"b\"} 10 1700000000000\n"
    "http_requests_total{code=\"500\",path=\"/\"} 1e3\n"
    "# TYPE lat summary\n"
    "lat{quantile=\"0.5\"} 0.2\n"
    "lat_sum 3\n"
    "lat_count 9\n"
    "# TYPE h histogram\n"
    "h_bucket{le=\"1\"} 1\n"
    "h_bucket{le=\"+Inf\"} 2\n"
    "h_sum 3\n"
    "h_count 2\n"
    "  # free comment\n"
    "\n"
    "g -Inf\n";

bool has_invalid_utf8_help(const std::string& in) {
  for (std::size_t pos = 0; pos < in.size();) {
    std::size_t nl = in.find('\n', pos);
    if (nl == std::string::npos) nl = in.size();
    std::string_view line(in.data() + pos, nl - pos);
    if (line.find("HELP") != std::string_view::npos &&
        expfmt::parser_detail::invalid_utf8_at(line) != std::string_view::npos)
      return true;
    pos = nl + 1;
  }
  return false;
}

TEST(PromtoolAcceptance, TextParserAcceptsExactlyWhatPromtoolParses) {
  if (!have_program("promtool")) GTEST_SKIP() << "promtool not installed (apt-get install prometheus)";
  const std::string path = "/tmp/promvet-acceptance-" + std::to_string(::getpid()) + ".prom";
  std::mt19937 rng(20261123);
  const char kBytes[] =
      "{}\",=# \\\n\t\xff"
      "aZ09_:.+-eE";
  int compared = 0, promtool_errors = 0;
  for (int round = 0; round < 150; ++round) {
    std::string in = kSeed;
    for (int e = 1 + rng() % 3; e > 0; --e) {
      std::size_t at = rng() % in.size();
      switch (rng() % 3) {
        case 0: in[at] = kBytes[rng() % (sizeof kBytes - 1)]; break;
        case 1: in.erase(at, 1 + rng() % 6); break;
        default: in.insert(at, 1, kBytes[rng() % (sizeof kBytes - 1)]);
      }
    }
    if (in.empty() || in.back() != '\n') in += '\n';
    if (has_invalid_utf8_help(in)) continue;
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(in.data(), 1, in.size(), f);
    std::fclose(f);
    CommandResult r = run("promtool check metrics < '" + path + "'", 30);
    const bool theirs = (r.out + r.err).find("error while linting") != std::string::npos;
    expfmt::ParserOptions o;
    o.utf8_names = false;  // promtool 2.42 predates quoted names
    Recorder ours = parse_all(in, expfmt::Format::kText, o);
    // What TextParser rejects is expfmt/invalid; the rules it does not
    // enforce (duplicate series, histogram consistency...) have their own ids.
    std::vector<expfmt::Diagnostic> invalid;
    for (const expfmt::Diagnostic& d : ours.errors)
      if (d.check_id == "expfmt/invalid") invalid.push_back(d);
    ours.errors = invalid;
    EXPECT_EQ(!ours.errors.empty(), theirs)
        << "input:\n"
        << in << "\npromtool: " << r.err << r.out
        << "\npromvet: " << (ours.errors.empty() ? std::string("accepted") : ours.error_strings().front());
    ++compared;
    promtool_errors += theirs;
  }
  std::remove(path.c_str());
  EXPECT_GE(compared, 100);
  EXPECT_GE(promtool_errors, 20);  // the mutations do break the input
}

}  // namespace
}  // namespace promvet::test
