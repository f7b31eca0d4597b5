// Runs every fixture under testdata/checks/expfmt/<lint>/ through
// expfmt::Parser + expfmt::Linter and checks the expectations, in the syntax
// of every fixture harness (tests/fixture_expectations.h):
//
//   text 0.0.4 (*.prom):  "# expect: <id> <message substring>" binds to the
//     next line that is not a free comment (HELP/TYPE/UNIT lines count, since
//     family lints sit on them); "# expect+N: ..." binds N lines below.
//   OpenMetrics (*.om), which forbids free comments: a sidecar
//     "<fixture>.expect" with one "<line>:<col> <id> <message substring>".
//   "# fixture: max_label_values=N" sets that linter option.
//
// A missing and an unexpected finding both fail, so a fixture without
// expectations asserts silence. Fixtures must be valid expositions (no
// expfmt/invalid); the parser's own rule ids (the parser's rules in the check registry: duplicate
// series, histogram rules...) are expectations like lints. Also
// checks that lint ids, docs pages and fixture directories agree.
#include <gtest/gtest.h>


#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "checks/registry.h"
#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "naming/policy.h"
#include "fixture_expectations.h"
#include "test_support.h"

namespace promvet::expfmt {
namespace {

using test::Expectation;
using test::fixture_header;
using test::FixtureHeader;
using test::inline_expectations;
using test::list_dir;
using test::sidecar_expectations;
using test::split_lines;

// Marks the first open expectation a finding meets (line, column if given, id, message substring),
// or fails the test on an unexpected finding. Problem: LintProblem or naming::PolicyProblem.
template <class Problem>
void claim_expectation(std::vector<Expectation>& expected, const Problem& p) {
  auto it = std::find_if(expected.begin(), expected.end(), [&](const Expectation& e) {
    return !e.matched && e.line == p.pos.line && (e.column == 0 || e.column == p.pos.column) && e.id == p.check_id &&
           p.message.find(e.substring) != std::string::npos;
  });
  if (it == expected.end()) {
    ADD_FAILURE() << "unexpected finding " << p.pos.line << ":" << p.pos.column << " [" << p.check_id << "] "
                  << p.message;
  } else {
    it->matched = true;
  }
}

bool is_free_comment(const std::string& l) {
  std::size_t i = l.find_first_not_of(" \t");
  if (i == std::string::npos || l[i] != '#') return false;
  std::string rest = l.substr(i + 1);
  rest.erase(0, rest.find_first_not_of(" \t"));
  return rest.compare(0, 5, "HELP ") != 0 && rest.compare(0, 5, "TYPE ") != 0 && rest.compare(0, 5, "UNIT ") != 0;
}

struct Errors : Handler {
  std::vector<std::string> messages;  // expfmt/invalid: the fixture is broken
  std::vector<LintProblem> rules;     // the parser's own rule ids (check registry)
  std::vector<LintProblem> invalid;   // expfmt/invalid, as findings
  Linter* linter = nullptr;
  void on_metadata(const Metadata& m) override { linter->on_metadata(m); }
  void on_sample(const Sample& s) override { linter->on_sample(s); }
  void on_error(const Diagnostic& d) override {
    if (d.check_id != "expfmt/invalid") {
      LintProblem p;
      p.check_id = d.check_id;
      p.message = d.message;
      p.pos = d.pos;
      rules.push_back(std::move(p));
      return;
    }
    messages.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + " " + d.message);
    LintProblem p;
    p.check_id = d.check_id;
    p.message = d.message;
    p.pos = d.pos;
    invalid.push_back(std::move(p));
  }
};

std::string fixtures_root() { return test::testdata("checks/expfmt"); }

// `# fixture: max_label_values=N` sets that option; `checks=` limits the ids compared.
void run_fixture(const std::string& path, Format format, std::vector<Expectation> expected,
                 const FixtureHeader& header) {
  SCOPED_TRACE(path);
  LinterOptions options;
  options.max_label_values = header.number("max_label_values", options.max_label_values);
  Linter linter(format, options);
  Errors h;
  h.linter = &linter;
  ParserOptions po;
  po.format = format;
  Parser parser(po, h);
  parser.feed(test::read_file(path));
  parser.finish();
  if (parser.samples() == 0) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub)";
  // The fixtures of expfmt/invalid name it in their header; any other is a valid exposition.
  const bool invalid_expected = !header.checks.empty() && header.compares("expfmt/invalid");
  if (!invalid_expected)
    for (const std::string& e : h.messages) ADD_FAILURE() << "fixture is not a valid exposition: " << e;
  std::vector<LintProblem> found = linter.finish();
  if (invalid_expected) found.insert(found.end(), h.invalid.begin(), h.invalid.end());
  found.insert(found.end(), h.rules.begin(), h.rules.end());
  for (const LintProblem& p : found) {
    if (!header.compares(std::string(p.check_id))) continue;
    claim_expectation(expected, p);
  }
  for (const Expectation& e : expected) {
    if (!e.matched) ADD_FAILURE() << "missing finding at line " << e.line << ": [" << e.id << "] " << e.substring;
  }
}

TEST(LintFixtures, EveryFixtureProducesExactlyItsExpectations) {
  std::size_t fixtures = 0, expectations = 0;
  for (const std::string& dir : list_dir(fixtures_root())) {
    for (const std::string& name : list_dir(fixtures_root() + "/" + dir)) {
      std::string path = fixtures_root() + "/" + dir + "/" + name;
      auto ends = [&](const std::string& suf) {
        return name.size() > suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0;
      };
      if (ends(".prom")) {
        std::vector<std::string> lines = split_lines(test::read_file(path));
        auto e = inline_expectations(lines, is_free_comment);
        expectations += e.size();
        run_fixture(path, Format::kText, e, fixture_header(lines));
      } else if (ends(".om")) {
        std::string sidecar = test::read_file(path + ".expect");
        std::vector<std::string> errors;
        auto e = sidecar_expectations(sidecar, path + ".expect", &errors);
        for (const std::string& error : errors) ADD_FAILURE() << error;
        expectations += e.size();
        run_fixture(path, Format::kOpenMetrics, e, fixture_header(split_lines(sidecar)));
      } else {
        continue;
      }
      if (IsSkipped()) return;
      ++fixtures;
    }
  }
  EXPECT_GE(fixtures, 13u);
  EXPECT_GE(expectations, 20u);
}

TEST(LintFixtures, IdsDocsAndFixtureDirectoriesAgree) {
  std::vector<std::string> ids, dirs = list_dir(fixtures_root());
  // The registry's expfmt/* ids but the CLI's refusal of a URL's content type.
  for (const checks::CheckInfo& info : checks::builtin_registry().catalogue(checks::kMetricsCommand)) {
    std::string id(info.id);
    if (id.rfind("expfmt/", 0) != 0 || id == "expfmt/content-type") continue;
    ids.push_back(id.substr(id.find('/') + 1));
    EXPECT_FALSE(test::read_file(test::source_dir() + "/docs/checks/" + id + ".md").empty()) << id;
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, dirs);
  // Each directory holds at least one firing and one quiet case: at least
  // one expectation, and at least one line commented as quiet.
  for (const std::string& dir : dirs) {
    bool fires = false, quiet = false;
    for (const std::string& name : list_dir(fixtures_root() + "/" + dir)) {
      std::string text = test::read_file(fixtures_root() + "/" + dir + "/" + name);
      if (text.find("# expect") != std::string::npos || name.find(".expect") != std::string::npos) fires = true;
      if (text.find("quiet") != std::string::npos) quiet = true;
    }
    EXPECT_TRUE(fires) << dir << " has no firing case";
    EXPECT_TRUE(quiet) << dir << " has no must-stay-quiet case";
  }
}

// The policy/* ids of `promvet metrics --policy`: testdata/checks/policy/<id>/ holds the pack
// (pack.yaml) and expositions (*.prom) with their expectations; naming::PolicyChecker runs the
// pack over each as the command does.
TEST(PolicyFixtures, EveryPackFixtureProducesExactlyItsExpectations) {
  std::string root = test::testdata("checks/policy");
  std::size_t fixtures = 0;
  for (const std::string& dir : list_dir(root)) {
    std::string pack_path = root + "/" + dir + "/pack.yaml";
    std::string pack_text = test::read_file(pack_path);
    if (pack_text.empty()) continue;
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> pack = naming::Policy::parse(pack_text, pack_path, &errors);
    ASSERT_TRUE(pack) << pack_path;
    for (const std::string& name : list_dir(root + "/" + dir)) {
      if (name.size() < 5 || name.compare(name.size() - 5, 5, ".prom") != 0) continue;
      std::string path = root + "/" + dir + "/" + name;
      SCOPED_TRACE(path);
      std::vector<std::string> lines = split_lines(test::read_file(path));
      std::vector<Expectation> expected = inline_expectations(lines, is_free_comment);
      naming::PolicyChecker checker(*pack);
      ParserOptions po;
      po.format = Format::kText;
      Parser parser(po, checker);
      parser.feed(test::read_file(path));
      parser.finish();
      for (const naming::PolicyProblem& p : checker.take_problems()) {
        claim_expectation(expected, p);
      }
      for (const Expectation& e : expected)
        if (!e.matched) ADD_FAILURE() << "missing finding at line " << e.line << ": [" << e.id << "] " << e.substring;
      ++fixtures;
    }
  }
  EXPECT_GE(fixtures, 6u);
}

TEST(LintFixtures, InlineExpectationBindsPastFreeCommentsButNotMetadata) {
  auto e = inline_expectations(
      {"# expect: a x", "# a free comment", "# HELP m h", "m 1", "# expect+2: b y", "m 2", "m 3"}, is_free_comment);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].line, 3u);
  EXPECT_EQ(e[0].id, "a");
  EXPECT_EQ(e[0].substring, "x");
  EXPECT_EQ(e[1].line, 7u);
}

}  // namespace
}  // namespace promvet::expfmt
