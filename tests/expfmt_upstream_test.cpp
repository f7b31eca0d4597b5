// The exposition tests of the Prometheus projects, extracted as data by
// tools/upstream/extract_expfmt.py (inputs and expected verdicts only), run through
// expfmt::Parser and expfmt::Linter. The extracted cases come from fetched snapshots of
// other projects, so they are not committed here: the test reads them from
// ../shared/upstream/expfmt (beside the repository, like the OpenMetrics corpus) or
// $PROMVET_UPSTREAM_DIR/expfmt, and is skipped without them.
//
// - prometheus/common text_parse_test.go (what `promtool check metrics`
//   parses with): promvet reports an error exactly when TextParser fails.
// - client_golang promlint_test.go: the promlint lints give exactly the
//   problems (metric, text) upstream expects.
// - Prometheus' own parsers (model/textparse prom, OpenMetrics, NHCB): every
//   input they reject is an error in promvet; on every input they accept,
//   each promvet finding is one of the cases where promvet deliberately holds
//   the specification (kSpecCases below, listed in docs/checks/expfmt/README.md)
//   with the severity listed there.
//
// testdata/upstream/expfmt/known_disagreements.txt names cases that do not
// agree yet; a listed case that agrees fails the test too, so the list only
// shrinks. The agreement per file is printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "test_support.h"

namespace promvet::expfmt {
namespace {

using nlohmann::json;

// Where the specification is stricter than a Prometheus parser that accepts
// the input: the finding promvet gives instead, and its severity. The same
// list is in docs/checks/expfmt/README.md.
struct SpecCase {
  std::string_view format;  // "text", "openmetrics" or "" for both
  std::string_view check_id;
  std::string_view message;  // substring; "" for any message of the id
  bool warning;
};
constexpr SpecCase kSpecCases[] = {
    // promtool (prometheus/common TextParser) rejects it: an error.
    {"text", "expfmt/invalid", "the last line has no trailing newline", false},
    {"text", "expfmt/invalid", "expected \",\" or \"}\" after label value", false},
    // Prometheus drops the histogram (NHCB) or its quantiles read wrong.
    {"", "expfmt/non-cumulative-buckets", "", false},
    {"", "expfmt/count-mismatch", "", false},
    {"", "expfmt/bucket-without-le", "", false},
    // The later sample of the series is dropped by the scrape.
    {"", "expfmt/duplicate-series", "", false},
    // rate() reads the negative value as a counter reset.
    {"", "expfmt/negative-counter", "", false},
    // Prometheus reads it as meant; the specification forbids it.
    {"", "expfmt/family-not-contiguous", "", true},
    {"openmetrics", "expfmt/openmetrics-strict", "", true},
    {"text", "expfmt/missing-inf-bucket", "", true},
    // OpenMetrics 1.0 requires it, and the conformance suite rejects it.
    {"openmetrics", "expfmt/missing-inf-bucket", "", false},
};

struct Finding {
  std::string id;
  bool warning = false;
  std::string text;
};

struct Collector : Handler {
  Linter* linter = nullptr;
  std::vector<Finding> findings;
  void on_metadata(const Metadata& m) override {
    if (linter) linter->on_metadata(m);
  }
  void on_sample(const Sample& s) override {
    if (linter) linter->on_sample(s);
  }
  void on_error(const Diagnostic& d) override {
    findings.push_back({std::string(d.check_id), d.severity == base::Severity::kWarning,
                        std::to_string(d.pos.line) + ": " + d.message});
  }
};

std::string base64_decode(const std::string& in) {
  static const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    std::size_t k = abc.find(c);
    if (k == std::string::npos) continue;  // '=' padding
    v = (v << 6) | static_cast<unsigned>(k);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((v >> bits) & 0xff));
    }
  }
  return out;
}

std::string case_input(const json& c) {
  return c.contains("input") ? c["input"].get<std::string>() : base64_decode(c["input_base64"].get<std::string>());
}

struct Run {
  std::vector<Finding> findings;
  std::vector<std::string> problems;  // "metric: text", one per occurrence, sorted
  bool has_error() const {
    return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return !f.warning; });
  }
};

Run run_case(const json& c) {
  const Format format = c["format"] == "openmetrics" ? Format::kOpenMetrics : Format::kText;
  LinterOptions lo;
  lo.extended = false;
  Linter linter(format, lo);
  Collector h;
  h.linter = &linter;
  ParserOptions po;
  po.format = format;
  Parser parser(po, h);
  parser.feed(case_input(c));
  parser.finish();
  Run r;
  r.findings = std::move(h.findings);
  for (const LintProblem& p : linter.finish()) {
    if (!p.promlint) continue;
    for (std::uint64_t i = 0; i < p.occurrences; ++i) r.problems.push_back(p.metric + ": " + p.message);
  }
  std::sort(r.problems.begin(), r.problems.end());
  return r;
}

bool listed_spec_case(const std::string& format, const Finding& f) {
  for (const SpecCase& s : kSpecCases) {
    if ((s.format.empty() || s.format == format) && f.id == s.check_id && f.warning == s.warning &&
        f.text.find(s.message) != std::string::npos)
      return true;
  }
  return false;
}

// "" when promvet agrees with the upstream verdict, else why not.
std::string disagreement(const std::string& file, const json& c) {
  Run r = run_case(c);
  std::ostringstream why;
  auto all = [&]() {
    for (const Finding& f : r.findings) why << "\n    [" << f.id << (f.warning ? " warning] " : " error] ") << f.text;
    return why.str();
  };
  const bool reject = c["verdict"] == "reject";
  if (file == "client_golang_promlint") {
    std::vector<std::string> want;
    for (const json& p : c["problems"])
      want.push_back(p["metric"].get<std::string>() + ": " + p["text"].get<std::string>());
    std::sort(want.begin(), want.end());
    for (const Finding& f : r.findings) {
      if (!listed_spec_case("text", f)) return "promvet finding is no listed specification case:" + all();
    }
    if (want != r.problems) {
      why << "problems differ; upstream:";
      for (const auto& w : want) why << "\n    " << w;
      why << "\n  promvet:";
      for (const auto& g : r.problems) why << "\n    " << g;
      return why.str();
    }
    return "";
  }
  if (reject)
    return r.has_error()
               ? ""
               : "upstream rejects (" + c["upstream_error"].get<std::string>() + "), promvet accepts:" + all();
  if (file == "common_text_parse") return r.has_error() ? "upstream accepts, promvet rejects:" + all() : "";
  for (const Finding& f : r.findings) {
    if (!listed_spec_case(c["format"], f))
      return "upstream accepts; promvet finding is no listed specification case:" + all();
  }
  return "";
}

std::set<std::string> known_disagreements() {
  std::set<std::string> out;
  std::istringstream in(test::read_file(test::testdata("upstream/expfmt/known_disagreements.txt")));
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l[0] == '#') continue;
    out.insert(l.substr(0, l.find(' ')));
  }
  return out;
}

std::string upstream_dir() { return test::upstream_cases_dir("expfmt"); }

TEST(UpstreamExpfmt, EveryCaseAgreesOrIsAKnownDisagreement) {
  const std::string dir = upstream_dir();
  if (dir.empty())
    GTEST_SKIP() << "upstream cases not present (../shared/upstream/expfmt or $PROMVET_UPSTREAM_DIR/expfmt)";
  const std::set<std::string> known = known_disagreements();
  std::size_t total = 0;
  for (const char* file : {"common_text_parse", "prometheus_promparse", "prometheus_openmetricsparse",
                           "prometheus_nhcbparse", "client_golang_promlint"}) {
    const std::string text = test::read_file(dir + "/" + file + ".json");
    ASSERT_FALSE(text.empty()) << file;
    const json doc = json::parse(text);
    ASSERT_FALSE(doc["commit"].get<std::string>().empty());
    ASSERT_EQ(doc["licence"], "Apache-2.0");
    std::size_t agree = 0, cases = 0;
    for (const json& c : doc["cases"]) {
      ++cases;
      const std::string name = std::string(file) + ":" + c["name"].get<std::string>();
      const std::string why = disagreement(file, c);
      if (why.empty()) ++agree;
      if (known.count(name)) {
        EXPECT_FALSE(why.empty()) << name << " agrees now: remove it from known_disagreements.txt";
      } else {
        EXPECT_TRUE(why.empty()) << name << ": " << why << "\n  input: " << json(case_input(c)).dump();
      }
    }
    std::printf("upstream %-28s %zu/%zu agree\n", file, agree, cases);
    EXPECT_GT(cases, 0u) << file;
    total += cases;
  }
  EXPECT_GE(total, 250u);
}

}  // namespace
}  // namespace promvet::expfmt
