// The hand-written PromQL corpus (testdata/promql/*.txt): every case's verdict and exact
// message, as Prometheus reports them, and the printer round trip for every valid case.
//
// Format, one case per line:
//   EXPR => ok
//   EXPR => error LINE:COL: MESSAGE
//   [experimental] EXPR => ...      (parsed with enable_experimental_functions)
// EXPR is everything before the last " => "; "#" at line start is a comment; blank lines
// are ignored. Verdicts come from promtool 2.42 (`promtool check rules`), or from Prometheus
// 3.x' parser tests where a `# 3.x:` comment says so.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "promql/parse.h"
#include "promql/printer.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;
using promql::ParseOptions;
using promql::ParseResult;

struct Case {
  std::string file;  // base name
  int line = 0;
  std::string expr;
  bool experimental = false;
  bool expect_ok = true;
  std::string expected_error;  // "LINE:COL: parse error: MESSAGE"
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Parses one corpus line; false (with *problem set) when it is malformed.
bool parse_case_line(const std::string& raw, Case* c, std::string* problem) {
  std::string line = raw;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  size_t arrow = line.rfind(" => ");
  if (arrow == std::string::npos) {
    *problem = "no \" => \"";
    return false;
  }
  std::string expr = line.substr(0, arrow);
  std::string verdict = trim(line.substr(arrow + 4));
  static const std::string kExperimental = "[experimental] ";
  if (expr.rfind(kExperimental, 0) == 0) {
    c->experimental = true;
    expr = expr.substr(kExperimental.size());
  }
  c->expr = expr;
  if (verdict == "ok") {
    c->expect_ok = true;
    return true;
  }
  static const std::string kError = "error ";
  if (verdict.rfind(kError, 0) != 0) {
    *problem = "verdict is neither \"ok\" nor \"error L:C: MESSAGE\"";
    return false;
  }
  std::string rest = verdict.substr(kError.size());  // "L:C: MESSAGE"
  size_t colon = rest.find(": ");
  if (colon == std::string::npos) {
    *problem = "error verdict without position";
    return false;
  }
  c->expect_ok = false;
  c->expected_error = rest.substr(0, colon) + ": parse error: " + rest.substr(colon + 2);
  return true;
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(testdata("promql"), ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Corpus {
  std::vector<Case> cases;
  std::vector<std::string> problems;  // malformed lines
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    for (const std::string& path : corpus_files()) {
      std::ifstream in(path, std::ios::binary);
      std::string line;
      int n = 0;
      std::string base = fs::path(path).filename().string();
      while (std::getline(in, line)) {
        ++n;
        if (trim(line).empty() || line[0] == '#') continue;
        Case k;
        k.file = base;
        k.line = n;
        std::string problem;
        if (parse_case_line(line, &k, &problem)) {
          out.cases.push_back(std::move(k));
        } else {
          out.problems.push_back(base + ":" + std::to_string(n) + ": " + problem + ": " + line);
        }
      }
    }
    return out;
  }();
  return c;
}

ParseOptions options_for(const Case& c) {
  ParseOptions o;
  o.type_check = true;
  o.enable_experimental_functions = c.experimental;
  return o;
}

std::string verdict_of(const std::string& expr, const ParseResult& r) {
  if (r.ok()) return "ok";
  return promql::format_error(expr, *r.error);
}

std::string where(const Case& c) { return c.file + ":" + std::to_string(c.line); }

TEST(PromqlCorpus, FilesAreWellFormedAndLargeEnough) {
  const Corpus& c = corpus();
  for (const std::string& p : c.problems) ADD_FAILURE() << "malformed corpus line: " << p;
  EXPECT_GE(corpus_files().size(), 10u) << "testdata/promql/*.txt missing?";
  EXPECT_GE(c.cases.size(), 500u);
}

TEST(PromqlCorpus, EveryCaseHasPrometheusVerdictAndMessage) {
  struct Tally {
    int cases = 0, passed = 0;
  };
  std::map<std::string, Tally> per_file;
  int failures = 0;
  for (const Case& c : corpus().cases) {
    Tally& t = per_file[c.file];
    ++t.cases;
    ParseResult r = promql::parse(c.expr, options_for(c));
    std::string got = verdict_of(c.expr, r);
    std::string want = c.expect_ok ? "ok" : c.expected_error;
    if (got == want) {
      ++t.passed;
      continue;
    }
    ++failures;
    ADD_FAILURE() << where(c) << ": " << (c.experimental ? "[experimental] " : "") << c.expr << "\n  want: " << want
                  << "\n  got:  " << got;
  }
  std::ostringstream summary;
  int total = 0, passed = 0;
  for (const auto& [file, t] : per_file) {
    summary << "  " << file << ": " << t.passed << "/" << t.cases << " pass\n";
    total += t.cases;
    passed += t.passed;
  }
  summary << "  total: " << passed << "/" << total << " pass, " << failures << " fail\n";
  std::cout << "PromQL corpus:\n" << summary.str();
  EXPECT_EQ(failures, 0) << summary.str();
}

// Multi-line inputs (the corpus is one case per line). Verdicts from promtool 2.42.
TEST(PromqlCorpus, MultiLineExpressions) {
  struct MultiLine {
    const char* expr;
    const char* want;  // "ok" or the formatted error
  };
  const MultiLine cases[] = {
      {"sum(\n  rate(foo[5m])\n)", "ok"},
      {"sum(\n  rate(foo)\n)",
       "2:8: parse error: expected type range vector in call to function \"rate\", got instant vector"},
      {"foo\n+\nbar", "ok"},
      {"foo +\n", "2:1: parse error: unexpected end of input"},
      {"# comment\nfoo", "ok"},
      {"foo # c\n+ bar # d\n", "ok"},
      {"sum by (job) (\n  foo{\n    a=\"b\",\n  }\n)", "ok"},
      {"foo{\n  a=\"b\"\n  c=\"d\"\n}",
       "3:3: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""},
      {"foo\n\n\n)", "4:2: parse error: unexpected right parenthesis ')'"},
      {"\"a\nb\"", "1:1: parse error: unterminated quoted string"},
      {"`a\nb`", "ok"},
      {"foo[5m\n]", "ok"},
      {"rate(\n\tfoo[5m]\n) * on(a)\n  group_left(b)\nbar", "ok"},
      {"\n\n  sum(", "3:7: parse error: unclosed left parenthesis"},
      {"foo{a=\"b\"}\n  offset 5m\n  @ 100", "ok"},
      {"foo\r\n+ bar", "ok"},
      {"x{a=\"\xe6\x97\xa5\xe6\x9c\xac\"} + rate(y)",
       "1:22: parse error: expected type range vector in call to function \"rate\", got instant vector"},
      {"# only a comment\n", "1:1: parse error: no expression found in input"},
  };
  for (const MultiLine& c : cases) {
    ParseResult r = promql::parse(c.expr);
    EXPECT_EQ(verdict_of(c.expr, r), c.want) << "input: " << c.expr;
    if (r.ok()) {
      std::string printed = promql::to_string(*r.expr);
      ParseResult again = promql::parse(printed);
      ASSERT_TRUE(again.ok()) << printed;
      EXPECT_TRUE(promql::equal(*r.expr, *again.expr)) << printed;
    }
  }
}

// For every valid case: printing, re-parsing and printing again gives the same text, and
// the re-parsed tree equals the original.
TEST(PromqlCorpus, ValidCasesRoundTripThroughThePrinter) {
  int checked = 0, failures = 0;
  for (const Case& c : corpus().cases) {
    if (!c.expect_ok) continue;
    ParseOptions o = options_for(c);
    ParseResult r = promql::parse(c.expr, o);
    if (!r.ok()) continue;  // reported by the verdict test
    ++checked;
    std::string printed = promql::to_string(*r.expr);
    ParseResult again = promql::parse(printed, o);
    if (!again.ok()) {
      ++failures;
      ADD_FAILURE() << where(c) << ": " << c.expr << "\n  printed: " << printed
                    << "\n  does not parse: " << promql::format_error(printed, *again.error);
      continue;
    }
    std::string reprinted = promql::to_string(*again.expr);
    if (reprinted != printed) {
      ++failures;
      ADD_FAILURE() << where(c) << ": " << c.expr << "\n  printed:   " << printed << "\n  reprinted: " << reprinted;
      continue;
    }
    if (!promql::equal(*r.expr, *again.expr)) {
      ++failures;
      ADD_FAILURE() << where(c) << ": " << c.expr << "\n  printed: " << printed << "\n  re-parses to a different tree";
      continue;
    }
    // pretty() output is valid PromQL too, with the same tree.
    std::string pretty = promql::pretty(*r.expr, 40);
    ParseResult from_pretty = promql::parse(pretty, o);
    if (!from_pretty.ok() || !promql::equal(*r.expr, *from_pretty.expr)) {
      ++failures;
      ADD_FAILURE() << where(c) << ": " << c.expr << "\n  pretty:\n"
                    << pretty << "\n  "
                    << (from_pretty.ok() ? "re-parses to a different tree"
                                         : "does not parse: " + promql::format_error(pretty, *from_pretty.error));
    }
  }
  std::cout << "PromQL corpus round trip: " << checked - failures << "/" << checked << " valid cases\n";
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace promvet::test
