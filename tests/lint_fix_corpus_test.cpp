// --fix and the advice promvet gives, on files it did not write: the bundled examples and the
// real-world corpus (public dashboards and rule files kept outside the repository, found as in
// realworld_corpus_test.cpp; without it that part is skipped, not passed).
//   - Every expression promvet advises in a message ("use rate(x[5m] offset 1h)") parses and
//     type-checks (issue 22: it once advised `rate(x offset 1h[5m])`).
//   - On a copy of the corpus (the corpus itself is never modified): after `lint --fix`, the
//     files load as before (no new parse error, no new invalid query), nothing fixable is left,
//     and exactly the lines of the dry run's diff changed; every other byte is identical.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "promql/parse.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

std::string corpus_dir() { return realworld_corpus_dir(); }

// The PromQL a message advises: "use <name>(<arguments>)" up to its closing parenthesis.
std::vector<std::string> advised_expressions(const std::string& message) {
  std::vector<std::string> out;
  for (size_t at = message.find("use "); at != std::string::npos; at = message.find("use ", at + 1)) {
    size_t b = at + 4, i = b;
    while (i < message.size() && (std::isalnum(static_cast<unsigned char>(message[i])) || message[i] == '_')) ++i;
    if (i == b || i >= message.size() || message[i] != '(') continue;
    int depth = 0;
    bool quoted = false;
    for (; i < message.size(); ++i) {
      char c = message[i];
      if (quoted) {
        if (c == '\\') ++i;
        else if (c == '"') quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        break;
      }
    }
    std::string call = i < message.size() ? message.substr(b, i + 1 - b) : std::string();
    // "use sum()" or "use absent(...)" names a function in prose; it is not a query to paste.
    bool prose = call.size() >= 2 && (call.compare(call.size() - 2, 2, "()") == 0 ||
                                      (call.size() >= 5 && call.compare(call.size() - 5, 5, "(...)") == 0));
    if (!call.empty() && !prose) out.push_back(call);
  }
  return out;
}

// Grafana fills these in before Prometheus sees the query.
std::string without_grafana_variables(std::string s) {
  for (std::string var : {"$__rate_interval", "$__interval", "$__range"})
    for (size_t at; (at = s.find(var)) != std::string::npos;) s.replace(at, var.size(), "1m");
  return s;
}

// Lints `dir` (every project separately when `projects`), checks the advice of every message,
// returns how many were checked.
size_t check_advice(const std::string& dir, bool projects) {
  std::vector<std::string> targets;
  if (projects) {
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_directory()) targets.push_back(entry.path().filename().string());
  } else {
    targets.push_back(".");
  }
  promql::ParseOptions options;
  for (std::string_view f : promql::kFeatures) promql::enable_feature(options, f);
  size_t checked = 0;
  for (const std::string& t : targets) {
    CommandResult r = run("cd " + shell_quote(dir) + " && '" + cli() + "' lint -o json " + shell_quote(t));
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << t << r.err;
    nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
    if (out.is_discarded()) continue;
    for (const auto& f : out["findings"]) {
      for (const std::string& advice : advised_expressions(f.value("message", std::string()))) {
        promql::ParseResult p = promql::parse(without_grafana_variables(advice), options);
        EXPECT_TRUE(p.ok()) << f.value("file", std::string()) << ":" << f.value("line", 0) << ": " << advice << ": "
                            << (p.error ? p.error->message : "");
        ++checked;
      }
    }
  }
  return checked;
}

TEST(LintAdvice, EveryAdvisedExpressionOfTheExamplesParses) {
  EXPECT_GT(check_advice(testdata("examples"), false), 0u);
}

TEST(LintAdvice, EveryAdvisedExpressionOfTheCorpusParses) {
  std::string corpus = corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "no corpus (set PROMVET_REALWORLD_DIR)";
  size_t n = check_advice(corpus, true);
  std::cout << "advised expressions parsed: " << n << '\n';
  EXPECT_GT(n, 0u);
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Old-side line numbers of the '-' lines of a unified diff, per file ("--- a/FILE").
std::map<std::string, std::set<size_t>> removed_lines(const std::string& diff) {
  std::map<std::string, std::set<size_t>> out;
  std::string file;
  size_t old_line = 0;
  for (const std::string& l : lines_of(diff)) {
    if (l.rfind("--- a/", 0) == 0) {
      file = l.substr(6);
    } else if (l.rfind("+++ ", 0) == 0) {
    } else if (l.rfind("@@ -", 0) == 0) {
      old_line = std::stoul(l.substr(4));
    } else if (!l.empty() && l[0] == '-') {
      out[file].insert(old_line++);
    } else if (!l.empty() && l[0] == ' ') {
      ++old_line;
    }
  }
  return out;
}

std::map<std::string, int> count_by_check(const std::string& json, const std::string& prefix) {
  std::map<std::string, int> out;
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded()) return out;
  for (const auto& f : j["findings"]) {
    std::string id = f.value("check", std::string());
    if (id.rfind(prefix, 0) == 0 || id == "promql/invalid") ++out[f.value("file", std::string()) + " " + id];
  }
  return out;
}

TEST(LintFixCorpus, FixesOnlyTheFixedRangesAndTheFilesStillLoad) {
  std::string corpus = corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "no corpus (set PROMVET_REALWORLD_DIR)";
  std::string marker = write_temp("fix-corpus", "");
  std::string copy = marker + ".d";
  std::remove(marker.c_str());
  ASSERT_EQ(
      run("mkdir -p " + shell_quote(copy) + " && cp -r " + shell_quote(corpus) + "/. " + shell_quote(copy)).exit_code,
      0);
  std::vector<std::string> projects;
  for (const auto& entry : fs::directory_iterator(copy))
    if (entry.is_directory()) projects.push_back(entry.path().filename().string());
  size_t fixed_lines = 0, files = 0;
  for (const std::string& p : projects) {
    auto promvet = [&](const std::string& args) {
      return run("cd " + shell_quote(copy) + " && '" + cli() + "' lint " + args + " " + shell_quote(p), 300);
    };
    CommandResult before = promvet("-o json");
    CommandResult dry = promvet("--fix --dry-run");
    ASSERT_TRUE(dry.exit_code == 0 || dry.exit_code == 1) << p << dry.err;
    std::map<std::string, std::set<size_t>> planned = removed_lines(dry.out);
    std::map<std::string, std::string> old_content;
    for (const auto& [file, lines] : planned) old_content[file] = read_file(copy + "/" + file);
    CommandResult fix = promvet("--fix");
    ASSERT_TRUE(fix.exit_code == 0 || fix.exit_code == 1) << p << fix.err;
    for (const auto& [file, lines] : planned) {
      std::vector<std::string> a = lines_of(old_content[file]), b = lines_of(read_file(copy + "/" + file));
      ASSERT_EQ(a.size(), b.size()) << file;
      std::set<size_t> changed;
      for (size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) changed.insert(i + 1);
      EXPECT_EQ(changed, lines) << file;
      fixed_lines += changed.size();
      ++files;
    }
    CommandResult after = promvet("-o json");
    // Loads as before: no parse error or invalid query that was not there.
    std::map<std::string, int> errors_before = count_by_check(before.out, "source/");
    for (const auto& [key, n] : count_by_check(after.out, "source/")) EXPECT_LE(n, errors_before[key]) << key;
    CommandResult again = promvet("--fix --dry-run");
    EXPECT_EQ(again.out, "") << p;  // nothing fixable left
  }
  std::cout << "fixed lines: " << fixed_lines << " in " << files << " files\n";
  EXPECT_GT(files, 0u);
  run("rm -rf " + shell_quote(copy));
}

}  // namespace
}  // namespace promvet::test
