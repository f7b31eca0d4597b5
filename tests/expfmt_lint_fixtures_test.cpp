// Runs every fixture under testdata/checks/expfmt/<lint>/ through
// expfmt::Parser + expfmt::Linter and checks the inline expectations:
//
//   text 0.0.4 (*.prom):  "# expect: <id> <message substring>" binds to the
//     next line that is not a free comment (HELP/TYPE lines count, since
//     family lints sit on them); "# expect+N: ..." binds N lines below.
//   OpenMetrics (*.om), which forbids free comments: a sidecar
//     "<fixture>.expect" with one "<line>:<col> <id> <message substring>".
//
// A missing and an unexpected finding both fail, so a fixture without
// expectations asserts silence. Fixtures must be valid expositions (no
// expfmt/invalid); the parser's own rule ids (validity_catalogue(): duplicate
// series, histogram rules...) are expectations like lints. Also
// checks that lint ids, docs pages and fixture directories agree.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "test_support.h"

namespace promvet::expfmt {
namespace {

struct Expectation {
  std::uint64_t line = 0;
  std::uint32_t column = 0;  // 0: any
  std::string id;
  std::string message;  // substring
  bool matched = false;
};

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

bool is_free_comment(const std::string& l) {
  std::size_t i = l.find_first_not_of(" \t");
  if (i == std::string::npos || l[i] != '#') return false;
  std::string rest = l.substr(i + 1);
  rest.erase(0, rest.find_first_not_of(" \t"));
  return rest.compare(0, 5, "HELP ") != 0 && rest.compare(0, 5, "TYPE ") != 0 && rest.compare(0, 5, "UNIT ") != 0;
}

// "<id> <message substring>"
void split_id_message(const std::string& s, Expectation* e) {
  std::string t = s.substr(s.find_first_not_of(' '));
  std::size_t sp = t.find(' ');
  e->id = t.substr(0, sp);
  e->message = sp == std::string::npos ? "" : t.substr(sp + 1);
}

std::vector<Expectation> inline_expectations(const std::vector<std::string>& lines) {
  std::vector<Expectation> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.rfind("# expect", 0) != 0) continue;
    std::size_t colon = l.find(':');
    Expectation e;
    split_id_message(l.substr(colon + 1), &e);
    if (l[8] == '+') {
      e.line = i + 1 + std::stoul(l.substr(9, colon - 9));
    } else {
      std::size_t j = i + 1;
      while (j < lines.size() && is_free_comment(lines[j])) ++j;
      e.line = j + 1;
    }
    out.push_back(e);
  }
  return out;
}

std::vector<Expectation> sidecar_expectations(const std::string& text) {
  std::vector<Expectation> out;
  for (const std::string& l : split_lines(text)) {
    if (l.empty() || l[0] == '#') continue;
    Expectation e;
    std::size_t colon = l.find(':'), sp = l.find(' ');
    e.line = std::stoul(l.substr(0, colon));
    e.column = static_cast<std::uint32_t>(std::stoul(l.substr(colon + 1, sp - colon - 1)));
    split_id_message(l.substr(sp), &e);
    out.push_back(e);
  }
  return out;
}

struct Errors : Handler {
  std::vector<std::string> messages;  // expfmt/invalid: the fixture is broken
  std::vector<LintProblem> rules;     // the parser's own rule ids (validity_catalogue())
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
  }
};

std::string fixtures_root() { return test::testdata("checks/expfmt"); }

// "# lint-options: max_label_values=N" in a text fixture sets that option.
LintOptions fixture_options(const std::string& text) {
  LintOptions o;
  std::size_t at = text.find("# lint-options: max_label_values=");
  if (at != std::string::npos) o.max_label_values = std::stoul(text.substr(at + 33));
  return o;
}

void run_fixture(const std::string& path, Format format, std::vector<Expectation> expected) {
  SCOPED_TRACE(path);
  Linter linter(format, fixture_options(test::read_file(path)));
  Errors h;
  h.linter = &linter;
  ParserOptions po;
  po.format = format;
  Parser parser(po, h);
  parser.feed(test::read_file(path));
  parser.finish();
  if (parser.samples() == 0) GTEST_SKIP() << "expfmt::Parser emits no samples yet (stub)";
  for (const std::string& e : h.messages) ADD_FAILURE() << "fixture is not a valid exposition: " << e;
  std::vector<LintProblem> found = linter.finish();
  found.insert(found.end(), h.rules.begin(), h.rules.end());
  for (const LintProblem& p : found) {
    auto it = std::find_if(expected.begin(), expected.end(), [&](const Expectation& e) {
      return !e.matched && e.line == p.pos.line && (e.column == 0 || e.column == p.pos.column) &&
             e.id == p.check_id && p.message.find(e.message) != std::string::npos;
    });
    if (it == expected.end()) {
      ADD_FAILURE() << "unexpected finding " << p.pos.line << ":" << p.pos.column << " [" << p.check_id << "] "
                    << p.message;
    } else {
      it->matched = true;
    }
  }
  for (const Expectation& e : expected) {
    if (!e.matched) ADD_FAILURE() << "missing finding at line " << e.line << ": [" << e.id << "] " << e.message;
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
        auto e = inline_expectations(split_lines(test::read_file(path)));
        expectations += e.size();
        run_fixture(path, Format::kText, e);
      } else if (ends(".om")) {
        auto e = sidecar_expectations(test::read_file(path + ".expect"));
        expectations += e.size();
        run_fixture(path, Format::kOpenMetrics, e);
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
  std::vector<LintInfo> all(lint_catalogue().begin(), lint_catalogue().end());
  all.insert(all.end(), validity_catalogue().begin(), validity_catalogue().end());
  for (const LintInfo& info : all) {
    std::string id(info.id);
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

TEST(LintFixtures, InlineExpectationBindsPastFreeCommentsButNotMetadata) {
  auto e = inline_expectations({"# expect: a x", "# a free comment", "# HELP m h", "m 1", "# expect+2: b y", "m 2",
                                "m 3"});
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].line, 3u);
  EXPECT_EQ(e[0].id, "a");
  EXPECT_EQ(e[0].message, "x");
  EXPECT_EQ(e[1].line, 7u);
}

}  // namespace
}  // namespace promvet::expfmt
