// Parity with `promtool check metrics` (Prometheus 2.42, promlint from
// client_golang 1.14): the multiset of "<metric> <message>" lines promtool
// prints on stderr must equal what expfmt::Parser + expfmt::Linter report
// (promlint lints only, each LintProblem expanded by its occurrences).
//
// Inputs: a real node_exporter scrape, the hand-written promlint_all.prom,
// and a seeded generator that produces a few hundred families hitting every
// lint. Skips when promtool is not installed or the parser is still a stub.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "support/line_feeder.h"
#include "test_support.h"

namespace promvet::expfmt {
namespace {

struct Collected : Handler {
  std::vector<std::string> errors;
  void on_error(const Diagnostic& d) override {
    if (errors.size() < 20) errors.push_back(std::to_string(d.pos.line) + ": " + d.message);
  }
};

class Tee : public Handler {
 public:
  Tee(Handler& a, Handler& b) : a_(a), b_(b) {}
  void on_metadata(const Metadata& m) override {
    a_.on_metadata(m);
    b_.on_metadata(m);
  }
  void on_sample(const Sample& s) override {
    a_.on_sample(s);
    b_.on_sample(s);
  }
  void on_error(const Diagnostic& d) override {
    a_.on_error(d);
    b_.on_error(d);
  }

 private:
  Handler& a_;
  Handler& b_;
};

struct PromvetLines {
  std::vector<std::string> lines;         // "<metric> <message>", sorted, with repeats
  std::vector<std::string> parse_errors;  // the first 20
  std::uint64_t error_count = 0;
  std::uint64_t samples = 0;
};

// Events from the real parser, or (via_parser false) from the test-only
// LineFeeder, which checks the Linter alone while the parser is a stub.
PromvetLines promvet_lines(const std::string& text, bool via_parser) {
  LinterOptions lo;
  lo.extended = false;
  Linter linter(Format::kText, lo);
  PromvetLines r;
  if (via_parser) {
    Collected errors;
    Tee tee(errors, linter);
    ParserOptions po;
    po.format = Format::kText;
    Parser parser(po, tee);
    // Odd chunk size: lines straddle chunks as they do when streaming.
    for (std::size_t at = 0; at < text.size(); at += 4093) parser.feed(std::string_view(text).substr(at, 4093));
    parser.finish();
    r.samples = parser.samples();
    r.parse_errors = errors.errors;
    r.error_count = parser.error_count();
  } else {
    test::LineFeeder(Format::kText, linter).feed(text);
    r.samples = 1;
  }
  for (const LintProblem& p : linter.finish()) {
    EXPECT_TRUE(p.promlint) << p.check_id;
    // client_golang added "metric not unique" after 1.14 (promtool 2.42);
    // tests/expfmt_upstream_test.cpp holds it to the newer promlint.
    if (p.check_id == "expfmt/metric-not-unique") continue;
    for (std::uint64_t i = 0; i < p.occurrences; ++i) r.lines.push_back(p.metric + " " + p.message);
  }
  std::sort(r.lines.begin(), r.lines.end());
  return r;
}

struct PromtoolLines {
  int exit_code = -1;
  std::vector<std::string> lines;
};

// promtool prints "<metric> <text>" per problem on stderr, sorted by metric
// then text, and exits 3 when there are problems (1 when it cannot parse).
PromtoolLines promtool_lines(const std::string& path) {
  test::CommandResult r = test::run("promtool check metrics < '" + path + "'", 120);
  PromtoolLines out;
  out.exit_code = r.exit_code;
  std::istringstream in(r.err);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.lines.push_back(line);
  }
  std::sort(out.lines.begin(), out.lines.end());
  return out;
}

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> r;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(r));
  return r;
}

std::string head(const std::vector<std::string>& v, std::size_t n = 15) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < n; ++i) s += "  " + v[i] + "\n";
  if (v.size() > n) s += "  ... " + std::to_string(v.size() - n) + " more\n";
  return s;
}

void expect_parity(const std::string& path, std::size_t* compared = nullptr, bool via_parser = true,
                   std::vector<std::string>* promtool_out = nullptr) {
  if (!test::have_program("promtool")) GTEST_SKIP() << "promtool not installed (apt-get install prometheus)";
  std::string text = test::read_file(path);
  ASSERT_FALSE(text.empty()) << path;
  PromvetLines ours = promvet_lines(text, via_parser);
  if (ours.samples == 0) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub): cannot compare";
  PromtoolLines theirs = promtool_lines(path);
  ASSERT_TRUE(theirs.exit_code == 0 || theirs.exit_code == 3)
      << "promtool could not lint " << path << " (exit " << theirs.exit_code << "):\n"
      << head(theirs.lines);
  EXPECT_EQ(minus(theirs.lines, ours.lines), std::vector<std::string>{})
      << "promtool reports, promvet does not (" << path << "):\n"
      << head(minus(theirs.lines, ours.lines)) << "parser errors:\n"
      << head(ours.parse_errors);
  EXPECT_EQ(minus(ours.lines, theirs.lines), std::vector<std::string>{})
      << "promvet reports, promtool does not (" << path << "):\n"
      << head(minus(ours.lines, theirs.lines)) << "parser errors:\n"
      << head(ours.parse_errors);
  if (compared) *compared = theirs.lines.size();
  if (promtool_out) promtool_out->insert(promtool_out->end(), theirs.lines.begin(), theirs.lines.end());
  if (via_parser) {
    std::printf("[ parity   ] %s: %zu promtool lines, %zu promvet lines, %llu samples, %llu parser errors\n",
                path.c_str(), theirs.lines.size(), ours.lines.size(), static_cast<unsigned long long>(ours.samples),
                static_cast<unsigned long long>(ours.error_count));
  } else {
    std::printf("[ parity   ] %s (line feeder): %zu promtool lines, %zu promvet lines\n", path.c_str(),
                theirs.lines.size(), ours.lines.size());
  }
}

// Every message promlint 1.14 can print, without the metric name.
const char* const kPromlintMessages[] = {
    "no help text",
    "use base unit ",
    "counter metrics should have \"_total\" suffix",
    "non-counter metrics should not have \"_total\" suffix",
    "non-histogram metrics should not have \"_bucket\" suffix",
    "non-histogram and non-summary metrics should not have \"_count\" suffix",
    "non-histogram and non-summary metrics should not have \"_sum\" suffix",
    "non-histogram metrics should not have \"le\" label",
    "non-summary metrics should not have \"quantile\" label",
    "metric name should not include type 'counter'",
    "metric name should not include type 'gauge'",
    "metric name should not include type 'summary'",
    "metric name should not include type 'histogram'",
    "metric name should not include type 'gauge_histogram'",
    "metric names should not contain ':'",
    "metric names should be written in 'snake_case' not 'camelCase'",
    "label names should be written in 'snake_case' not 'camelCase'",
    "metric names should not contain abbreviated units",
};

void expect_every_message(const std::vector<std::string>& lines) {
  for (const char* m : kPromlintMessages) {
    bool found =
        std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(m) != std::string::npos; });
    EXPECT_TRUE(found) << "no promtool line has " << m;
  }
}

TEST(PromtoolParity, NodeExporterScrape) { expect_parity(test::testdata("expfmt/node_exporter.prom")); }

TEST(PromtoolParity, NodeExporterScrapeLinterOnly) {
  expect_parity(test::testdata("expfmt/node_exporter.prom"), nullptr, false);
}

TEST(PromtoolParity, PromlintAllFixtureLinterOnly) {
  std::vector<std::string> lines;
  expect_parity(test::testdata("expfmt/promlint_all.prom"), nullptr, false, &lines);
  if (!HasFatalFailure() && !IsSkipped()) expect_every_message(lines);
}

TEST(PromtoolParity, BundledTextExamples) {
  // Whatever the bundled examples hold, promvet and promtool must agree.
  for (const char* rel : {"examples/conductor_actuator.prom", "examples/vllm_metrics.prom"}) {
    std::string path = test::testdata(rel);
    if (test::read_file(path).empty()) continue;
    expect_parity(path);
    if (IsSkipped()) return;
  }
}

TEST(PromtoolParity, SharedExpositionGeneratorWithCamelCaseLabels) {
  // gen_exposition.py writes escaped HELP texts and label values; renaming
  // "path" to "pathName" makes every series of every family a finding.
  std::string gen = test::shared_dir() + "/tools/gen_exposition.py";
  if (test::shared_dir().empty() || test::read_file(gen).empty() || !test::have_program("python3")) {
    GTEST_SKIP() << "shared tools/gen_exposition.py not available";
  }
  test::CommandResult r = test::run("python3 '" + gen + "' 40 30", 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = r.out;
  for (std::size_t at = text.find("path=\""); at != std::string::npos; at = text.find("path=\"", at)) {
    text.replace(at, 4, "pathName");
  }
  std::string path = testing::TempDir() + "promvet_parity_gen_exposition_" + std::to_string(::getpid()) + ".prom";
  {
    std::ofstream f(path, std::ios::binary);
    f << text;
  }
  std::size_t compared = 0;
  expect_parity(path, &compared);
  if (!HasFailure() && !IsSkipped()) {
    EXPECT_EQ(compared, 40u * 30u);
    std::remove(path.c_str());
  }
}

TEST(PromtoolParity, FamilyGroupingLikeTextParser) {
  // Split families, HELP on a summary's _count, x_sum without x, counter
  // "y" exposed as "y_total", label sets of summaries and histograms.
  std::size_t compared = 0;
  expect_parity(test::testdata("expfmt/promlint_families.prom"), &compared);
  if (!HasFatalFailure() && !IsSkipped()) {
    EXPECT_EQ(compared, 10u);
  }
}

TEST(PromtoolParity, FamilyGroupingLinterOnly) {
  expect_parity(test::testdata("expfmt/promlint_families.prom"), nullptr, false);
}

TEST(PromtoolParity, PromlintAllFixtureTriggersEveryLint) {
  std::size_t compared = 0;
  std::vector<std::string> lines;
  expect_parity(test::testdata("expfmt/promlint_all.prom"), &compared, true, &lines);
  if (!HasFatalFailure() && !IsSkipped()) expect_every_message(lines);
}

// --- generated input -------------------------------------------------------

// splitmix64: the same sequence on every platform and standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <typename T, std::size_t N>
  const T& pick(const T (&a)[N]) {
    return a[below(N)];
  }

 private:
  std::uint64_t s_;
};

const char* const kWords[] = {"api", "cache", "queue", "disk", "rpc", "worker", "db", "net", "job", "shard"};
const char* const kCamel[] = {"reqCount", "cacheHit", "fooBar", "httpServer", "dbConn"};
const char* const kTypeWords[] = {"counter", "gauge", "summary", "histogram", "gauge_histogram", "Counter", "GAUGE"};
// At most one unit word per name: promtool picks among several at random.
const char* const kUnits[] = {"seconds",  "milliseconds", "microseconds", "bytes",   "kilobytes", "megabytes",
                              "bits",     "hours",        "minutes",      "days",    "celsius",   "fahrenheit",
                              "meters",   "kilometers",   "miles",        "grams",   "pounds",    "joules",
                              "calories", "volts",        "amperes",      "kelvins", "gibibytes", "nanoseconds"};
const char* const kAbbreviations[] = {"ms", "s", "kb", "mb", "sec", "b", "h", "d", "m", "us", "ns", "gb"};
const char* const kSuffixes[] = {"_total", "_count", "_sum", "_bucket"};
const char* const kLabels[] = {"code",       "method",    "path",    "le",    "quantile",
                               "instanceId", "shardName", "podName", "region"};
const char* const kValues[] = {"a", "b", "c", "200", "500", "GET", "eu", "us"};

struct Family {
  std::string name;
  std::string type;  // "" for no TYPE line
};

std::string make_name(Rng& r, int index) {
  std::string n = r.pick(kWords);
  if (r.chance(12)) n += std::string("_") + r.pick(kCamel);
  if (r.chance(8)) n = std::string(r.pick(kCamel)) + "_" + n;
  n += (r.chance(6) ? ":" : "_") + std::string("f") + std::to_string(index);
  if (r.chance(30)) n += std::string("_") + r.pick(kWords);
  if (r.chance(14)) n += std::string("_") + r.pick(kTypeWords);
  if (r.chance(45)) {
    n += std::string("_") + r.pick(kUnits);
  } else if (r.chance(20)) {
    n += std::string("_") + r.pick(kAbbreviations);
    if (r.chance(20)) n += std::string("_") + r.pick(kAbbreviations);
  }
  if (r.chance(35)) n += r.pick(kSuffixes);
  return n;
}

std::string labels_text(const std::vector<std::pair<std::string, std::string>>& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string s = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) s += ",";
    s += labels[i].first + "=\"" + labels[i].second + "\"";
  }
  if (!extra.empty()) s += (labels.empty() ? "" : ",") + extra;
  return s + "}";
}

std::string generate(std::uint64_t seed, int families, int* family_count) {
  Rng r(seed);
  std::string out;
  for (int i = 0; i < families; ++i) {
    std::string name = make_name(r, i);
    static const char* const kTypes[] = {"counter", "counter",   "gauge",   "gauge",  "",
                                         "",        "histogram", "summary", "untyped"};
    std::string type = r.pick(kTypes);
    // Metadata: HELP (sometimes empty), TYPE, in either order.
    std::string help;
    int h = static_cast<int>(r.below(100));
    if (h < 70) help = "# HELP " + name + " Help for " + name + ".\n";
    else if (h < 76) help = "# HELP " + name + "\n";
    else if (h < 82) help = "# HELP " + name + " \n";
    std::string type_line = type.empty() ? "" : "# TYPE " + name + " " + type + "\n";
    out += r.chance(50) ? help + type_line : type_line + help;

    // Label names for this family, never the bucket/quantile label itself.
    std::vector<std::string> names;
    std::size_t nlabels = r.below(4);
    for (std::size_t k = 0; k < nlabels; ++k) {
      std::string l = r.pick(kLabels);
      if ((type == "histogram" && l == "le") || (type == "summary" && l == "quantile")) continue;
      if (std::find(names.begin(), names.end(), l) == names.end()) names.push_back(l);
    }
    std::size_t series = 1 + r.below(4);
    std::vector<std::string> seen;
    for (std::size_t s = 0; s < series; ++s) {
      std::vector<std::pair<std::string, std::string>> labels;
      for (const std::string& l : names) {
        std::string v = l == "le" || l == "quantile" ? std::to_string(r.below(3)) : r.pick(kValues);
        labels.emplace_back(l, v);
      }
      std::string key = labels_text(labels);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      if (type == "histogram") {
        std::size_t c1 = r.below(5), c2 = c1 + r.below(5), c3 = c2 + r.below(5);
        out += name + "_bucket" + labels_text(labels, "le=\"0.1\"") + " " + std::to_string(c1) + "\n";
        out += name + "_bucket" + labels_text(labels, "le=\"1\"") + " " + std::to_string(c2) + "\n";
        out += name + "_bucket" + labels_text(labels, "le=\"+Inf\"") + " " + std::to_string(c3) + "\n";
        out += name + "_sum" + key + " " + std::to_string(c3 * 0.25) + "\n";
        out += name + "_count" + key + " " + std::to_string(c3) + "\n";
      } else if (type == "summary") {
        out += name + labels_text(labels, "quantile=\"0.5\"") + " 0.1\n";
        out += name + labels_text(labels, "quantile=\"0.9\"") + " 0.4\n";
        out += name + "_sum" + key + " 12.5\n";
        out += name + "_count" + key + " 40\n";
      } else {
        // A counter TYPE'd as "x" but exposed as "x_total" is its own family
        // to TextParser (untyped, no help), like a misconfigured exporter.
        std::string sample_name = name;
        if (type == "counter" && r.chance(8) && name.size() > 6 && name.substr(name.size() - 6) != "_total") {
          sample_name += "_total";
        }
        std::string line = sample_name + key + " " + std::to_string(r.below(1000)) + "\n";
        out += line;
        if (r.chance(5)) out += line;  // duplicate series: promlint counts it twice
      }
    }
    // A gauge "x" with an unrelated untyped "x_count" next to it.
    if (type == "gauge" && r.chance(10)) out += name + "_count 1\n";
  }
  *family_count = families;
  return out;
}

void generated_parity(bool via_parser) {
  std::size_t total = 0;
  std::vector<std::string> all;
  for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
    int families = 0;
    std::string text = generate(seed, 300, &families);
    // ctest runs the two generated_parity tests at once: one file each.
    std::string path =
        testing::TempDir() + "promvet_parity_" + std::to_string(::getpid()) + "_" + std::to_string(seed) + ".prom";
    {
      std::ofstream f(path, std::ios::binary);
      f << text;
    }
    std::size_t compared = 0;
    expect_parity(path, &compared, via_parser, &all);
    if (testing::Test::IsSkipped() || testing::Test::HasFatalFailure()) return;
    std::printf("[ parity   ] seed %llu: %d families\n", static_cast<unsigned long long>(seed), families);
    total += compared;
    if (!testing::Test::HasFailure()) std::remove(path.c_str());  // kept for a look otherwise
  }
  EXPECT_GE(total, 300u);
  expect_every_message(all);
}

TEST(PromtoolParity, GeneratedFamiliesHitEveryLint) { generated_parity(true); }

TEST(PromtoolParity, GeneratedFamiliesLinterOnly) { generated_parity(false); }

TEST(PromtoolParity, GeneratorIsDeterministicAndCoversEveryPromlintMessage) {
  int families = 0;
  std::string a = generate(1, 300, &families);
  EXPECT_EQ(a, generate(1, 300, &families));
  // Lint the generated text without the parser (the Linter over a trivial
  // event source is what expfmt_lint_test covers); here only coverage of
  // the generator matters: every promlint message must appear somewhere.
  const char* const kNeedles[] = {":f",  "_total", "_count",        "_bucket", "_sum",     "le=",    "quantile=",
                                  "Id=", "Name=",  "_milliseconds", "_ms",     "_counter", "# HELP "};
  for (const char* needle : kNeedles) EXPECT_NE(a.find(needle), std::string::npos) << needle;
}

}  // namespace
}  // namespace promvet::expfmt
