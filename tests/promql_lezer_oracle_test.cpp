// A second PromQL parser as a differential oracle: @prometheus-io/lezer-promql, the grammar of
// Prometheus' own web UI (npm; tests/lezer/setup.sh installs the version pinned in
// tests/lezer/package.json into .tools/lezer, or set PROMVET_LEZER_DIR to a directory holding
// its node_modules). Lezer only parses (no types, no flags) and is more permissive than
// Prometheus, so one direction is asserted: every expression lezer rejects (its tree holds an
// error node), promvet rejects too, with every Prometheus feature flag enabled. An expression
// lezer rejects and Prometheus accepts is a limitation of lezer: it is listed with its reason in
// testdata/lezer/known_disagreements.txt, and a listed entry that no longer disagrees fails too
// (remove it). The other direction (promvet rejects, lezer accepts) is counted and classified
// on stdout, not asserted.
// Expression sets: Prometheus' parser cases ($PROMVET_UPSTREAM_DIR/promql, see
// upstream_promql_test.cpp), the PromQL seeds of the fuzz corpora (fuzz/corpus), promvet's own
// corpus (testdata/promql) and the real-world corpus ($PROMVET_REALWORLD_DIR); an absent data
// directory skips only its set. Measured counts: docs/promql.md, "The lezer oracle".
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "promql/parse.h"
#include "sources/dashboard.h"
#include "sources/query_file.h"
#include "sources/rules.h"
#include "sources/yaml_dashboards.h"
#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The directory whose node_modules holds the package, "" when it is not installed.
std::string lezer_dir() {
  std::string dir = env("PROMVET_LEZER_DIR");
  if (dir.empty()) dir = source_dir() + "/.tools/lezer";
  return fs::exists(dir + "/node_modules/@prometheus-io/lezer-promql/package.json") ? dir : "";
}

struct Expression {
  std::string origin;  // file:line or an upstream case's file:line
  std::string text;
};

// One set of expressions, deduplicated by text (the first origin is kept).
struct ExpressionSet {
  explicit ExpressionSet(std::string set_name) : name(std::move(set_name)) {}
  std::string name;
  std::string skipped;  // why the set was not read, "" when it was
  std::vector<Expression> expressions;
  std::set<std::string> seen;
  void add(std::string origin, std::string text) {
    if (seen.insert(text).second) expressions.push_back({std::move(origin), std::move(text)});
  }
};

int line_of(const std::string& content, uint32_t offset) {
  offset = std::min<uint32_t>(offset, content.size());
  return 1 + static_cast<int>(std::count(content.begin(), content.begin() + offset, '\n'));
}

void add_source(ExpressionSet& set, const std::string& label, const std::string& content,
                const sources::SourceFile& file, const sources::OffsetMap* outer = nullptr) {
  for (const sources::Expression& e : file.expressions) {
    if (e.logql) continue;
    uint32_t at = e.map.at(0);
    if (outer != nullptr) at = outer->at(at);
    set.add(label + ":" + std::to_string(line_of(content, at)), e.text);
  }
}

// Every PromQL expression of a dashboard, rule file or query file, chosen by extension the way
// `promvet lint` does: YAML without rule groups is read for embedded dashboards.
void add_file(ExpressionSet& set, const fs::path& path, const std::string& label) {
  std::string ext = path.extension().string();
  std::string content = read_file(path.string());
  if (ext == ".json") {
    add_source(set, label, content, sources::load_dashboard(label, content));
  } else if (ext == ".yml" || ext == ".yaml") {
    sources::SourceFile rules = sources::load_rules(label, content);
    add_source(set, label, content, rules);
    if (rules.not_a_rule_file || content.find("ConfigMap") != std::string::npos ||
        content.find("GrafanaDashboard") != std::string::npos) {
      for (const auto& d : sources::load_yaml_dashboards(label, content).dashboards)
        add_source(set, label, content, d.file, &d.to_file);
    }
  } else if (ext == ".promql") {
    add_source(set, label, content, sources::load_queries(label, content));
  }
}

std::vector<fs::path> files_under(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}


ExpressionSet upstream_set() {
  ExpressionSet set("upstream");
  std::string dir = upstream_cases_dir("promql");
  std::string path = dir + "/cases.tsv";
  if (dir.empty() || !fs::exists(path)) {
    set.skipped = "upstream cases not present ($PROMVET_UPSTREAM_DIR/promql or ../shared/upstream/promql)";
    return set;
  }
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t last_tab = line.rfind('\t');
    set.add(line.substr(0, line.find('\t')), unescape_upstream_field(line.substr(last_tab + 1)));
  }
  return set;
}

ExpressionSet fuzz_set() {
  ExpressionSet set("fuzz");
  std::string corpus = source_dir() + "/fuzz/corpus";
  for (const fs::path& p : files_under(corpus + "/promql"))
    set.add("fuzz/corpus/promql/" + p.filename().string(), read_file(p));
  // The lint targets' seeds are query files, dashboards and rule files without those extensions.
  const std::pair<const char*, const char*> lint_targets[] = {
      {"lint_queries", ".promql"}, {"lint_dashboard", ".json"}, {"lint_rules", ".yaml"}};
  for (const auto& [target, as] : lint_targets) {
    for (const fs::path& p : files_under(corpus + "/" + target)) {
      ExpressionSet one("");
      std::string label = "fuzz/corpus/" + std::string(target) + "/" + p.filename().string();
      std::string content = read_file(p.string());
      if (std::string(as) == ".promql") add_source(one, label, content, sources::load_queries(label, content));
      else if (std::string(as) == ".json") add_source(one, label, content, sources::load_dashboard(label, content));
      else add_source(one, label, content, sources::load_rules(label, content));
      for (Expression& e : one.expressions) set.add(std::move(e.origin), std::move(e.text));
    }
  }
  return set;
}

// promvet's hand-written cases (testdata/promql/*.txt, tests/promql_corpus_test.cpp): the
// expression is what comes before the last " => ".
ExpressionSet corpus_set() {
  ExpressionSet set("corpus");
  for (const fs::path& p : files_under(testdata("promql"))) {
    if (p.extension() != ".txt") continue;
    std::istringstream in(read_file(p.string()));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      size_t arrow = line.rfind(" => ");
      if (line.empty() || line[0] == '#' || arrow == std::string::npos) continue;
      std::string expr = line.substr(0, arrow);
      if (expr.rfind("[experimental] ", 0) == 0) expr = expr.substr(15);
      set.add("testdata/promql/" + p.filename().string() + ":" + std::to_string(number), expr);
    }
  }
  return set;
}

ExpressionSet realworld_set() {
  ExpressionSet set("realworld");
  std::string dir = realworld_corpus_dir();
  if (dir.empty()) {
    set.skipped = "real-world corpus not present ($PROMVET_REALWORLD_DIR or ../shared/corpus/realworld)";
    return set;
  }
  for (const fs::path& p : files_under(dir)) add_file(set, p, fs::relative(p, dir).string());
  return set;
}

// The expression as one JSON line, "" when it is not UTF-8 (a JavaScript string cannot hold it:
// such input never reaches the web UI's parser, and Prometheus rejects it).
std::string json_line(const std::string& text) {
  try {
    return nlohmann::json(text).dump();
  } catch (const nlohmann::json::exception&) {
    return "";
  }
}

struct LezerVerdicts {
  std::string version;
  std::vector<std::string> verdicts;  // per line sent: "accept", "reject FROM TO"
};

LezerVerdicts run_lezer(const std::string& dir, const std::vector<std::string>& lines) {
  std::string all;
  for (const std::string& l : lines) all += l + '\n';
  std::string in = write_temp("lezer-input.jsonl", all);
  CommandResult r = run("node " + shell_quote(source_dir() + "/tests/lezer/check.mjs") + " " + shell_quote(dir) +
                            " < " + shell_quote(in),
                        300);
  std::remove(in.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  LezerVerdicts v;
  std::istringstream out(r.out);
  std::string line;
  if (std::getline(out, line) && line.rfind("version ", 0) == 0) v.version = line.substr(8);
  while (std::getline(out, line)) v.verdicts.push_back(line);
  return v;
}

// "set\t<expression as JSON>" → reason, from testdata/lezer/known_disagreements.txt.
std::map<std::string, std::string> read_known() {
  std::map<std::string, std::string> known;
  std::istringstream in(read_file(testdata("lezer/known_disagreements.txt")));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t first = line.find('\t');
    size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
    EXPECT_NE(second, std::string::npos) << "not set<TAB>expression<TAB>reason: " << line;
    if (second == std::string::npos) continue;
    EXPECT_GT(line.size(), second + 1) << "no reason given: " << line;
    known[line.substr(0, second)] = line.substr(second + 1);
  }
  return known;
}

// A class for a promvet error: its message with quoted text and numbers replaced, so that
// "unexpected identifier \"foo\"" and "unexpected identifier \"bar\"" count together.
std::string error_class(const std::string& message) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '"' || c == '`' || c == '\'') {
      size_t end = message.find(c, i + 1);
      if (end != std::string::npos) {
        out += c == '"' ? "\"…\"" : std::string(1, c) + "…" + c;
        i = end;
        continue;
      }
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i + 1 < message.size() && std::isdigit(static_cast<unsigned char>(message[i + 1]))) ++i;
      out += 'N';
      continue;
    }
    out += c;
  }
  return out;
}

std::string shown(const std::string& s) {
  std::string j = json_line(s);
  return j.size() > 140 ? j.substr(0, 140) + "…" : j;
}

struct Reverse {  // promvet rejects, lezer accepts: one class of promvet error
  int count = 0;
  std::string example;
};

// Compares one set; what lezer rejects and promvet accepts fails unless `known` lists it.
struct Comparison {
  Comparison(const std::string& dir, const std::map<std::string, std::string>& known_list)
      : lezer_dir(dir), known(known_list) {}
  const std::string& lezer_dir;
  const std::map<std::string, std::string>& known;
  std::set<std::string> known_seen;
  std::string version;
  int compared = 0;

  void run(const ExpressionSet& set);
  void print_reverse(const std::map<std::string, Reverse>& reverse) const;
};

void Comparison::run(const ExpressionSet& set) {
  std::vector<std::string> all_features(promql::kFeatures.begin(), promql::kFeatures.end());
  const promql::ParseOptions options = promql::options_for_features(all_features);
  promql::ParseOptions untyped = options;
  untyped.type_check = false;

  std::vector<std::string> lines;
  std::vector<const Expression*> sent;
  for (const Expression& e : set.expressions) {
    std::string l = json_line(e.text);
    if (l.empty()) continue;
    lines.push_back(l);
    sent.push_back(&e);
  }
  LezerVerdicts lezer = run_lezer(lezer_dir, lines);
  ASSERT_EQ(lezer.verdicts.size(), lines.size()) << set.name << ": one verdict per expression expected";
  version = lezer.version;

  int both_accept = 0, both_reject = 0, only_lezer_rejects = 0, listed = 0, only_promvet_rejects = 0, typing = 0;
  std::map<std::string, Reverse> reverse;  // error class → count, first example
  for (size_t i = 0; i < sent.size(); ++i) {
    const Expression& e = *sent[i];
    const std::string& verdict = lezer.verdicts[i];
    ASSERT_TRUE(verdict == "accept" || verdict.rfind("reject ", 0) == 0) << verdict << " for " << lines[i];
    bool lezer_rejects = verdict != "accept";
    promql::ParseResult r = promql::parse(e.text, options);
    ++compared;
    if (lezer_rejects == !r.ok()) {
      ++(lezer_rejects ? both_reject : both_accept);
    } else if (lezer_rejects) {
      ++only_lezer_rejects;
      std::string key = set.name + "\t" + lines[i];
      if (known.count(key) != 0) {
        ++listed;
        known_seen.insert(key);
        continue;
      }
      ADD_FAILURE() << e.origin << ": lezer rejects (" << verdict << "), promvet accepts:\n  " << shown(e.text)
                    << "\n  a promvet bug, or a lezer limitation to list in testdata/lezer/known_disagreements.txt as: "
                    << set.name << "<TAB>" << lines[i] << "<TAB><reason>";
    } else {
      ++only_promvet_rejects;
      bool type_error = promql::parse(e.text, untyped).ok();  // lezer has no type check
      typing += type_error ? 1 : 0;
      Reverse& rv = reverse[(type_error ? "type: " : "syntax: ") + error_class(r.error->message)];
      if (rv.count++ == 0) rv.example = e.origin + ": " + shown(e.text);
    }
  }
  std::cout << "[" << set.name << "] " << set.expressions.size() << " distinct expressions, "
            << set.expressions.size() - lines.size() << " not UTF-8 (not compared); both accept " << both_accept
            << ", both reject " << both_reject << ", lezer only rejects " << only_lezer_rejects << " (" << listed
            << " known lezer limitations), promvet only rejects " << only_promvet_rejects << " (" << typing
            << " in the type check, " << only_promvet_rejects - typing << " in the syntax)\n";
  print_reverse(reverse);
}

void Comparison::print_reverse(const std::map<std::string, Reverse>& reverse) const {
  std::vector<std::pair<std::string, Reverse>> classes(reverse.begin(), reverse.end());
  std::stable_sort(classes.begin(), classes.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  for (const auto& [cls, rv] : classes)
    std::cout << "    " << rv.count << " × " << cls << "\n        e.g. " << rv.example << '\n';
}

TEST(PromqlLezerOracle, EveryExpressionLezerRejectsPromvetRejects) {
  if (!have_program("node")) GTEST_SKIP() << "node not found on PATH (the lezer oracle runs under Node.js)";
  std::string dir = lezer_dir();
  if (dir.empty())
    GTEST_SKIP() << "@prometheus-io/lezer-promql not installed (tests/lezer/setup.sh, run by tools/dev.sh test, "
                    "installs it into .tools/lezer; or set PROMVET_LEZER_DIR)";

  std::vector<ExpressionSet> sets;
  sets.push_back(upstream_set());
  sets.push_back(fuzz_set());
  sets.push_back(corpus_set());
  sets.push_back(realworld_set());
  std::map<std::string, std::string> known = read_known();
  Comparison comparison(dir, known);
  std::set<std::string> ran;
  for (const ExpressionSet& set : sets) {
    if (!set.skipped.empty()) {
      std::cout << "[" << set.name << "] skipped: " << set.skipped << '\n';
      continue;
    }
    ran.insert(set.name);
    comparison.run(set);
  }
  std::cout << "lezer-promql " << comparison.version << ": " << comparison.compared << " expressions compared\n";
  ASSERT_GT(comparison.compared, 500) << "the fuzz seeds alone hold more PromQL than this";
  EXPECT_FALSE(comparison.version.empty()) << "check.mjs printed no package version";

  for (const auto& [key, reason] : known) {
    bool set_ran = ran.count(key.substr(0, key.find('\t'))) != 0;
    EXPECT_TRUE(!set_ran || comparison.known_seen.count(key) != 0)
        << "known_disagreements.txt lists " << key << " but it no longer disagrees (or is gone): remove it";
  }
}

// The oracle itself: lezer must reject what is plainly broken and accept plain PromQL, or the
// test above would compare nothing.
TEST(PromqlLezerOracle, LezerTellsValidFromInvalid) {
  if (!have_program("node")) GTEST_SKIP() << "node not found on PATH";
  std::string dir = lezer_dir();
  if (dir.empty()) GTEST_SKIP() << "@prometheus-io/lezer-promql not installed (tests/lezer/setup.sh)";
  std::vector<std::string> exprs = {"sum by (job) (rate(http_requests_total[5m]))", "sum(rate(x[5m])", "x{a=}",
                                    "foo[5m] smoothed", "a + fill(0) b"};
  std::vector<std::string> lines;
  for (const std::string& e : exprs) lines.push_back(json_line(e));
  lines.push_back("not json");
  LezerVerdicts v = run_lezer(dir, lines);
  nlohmann::json pinned = nlohmann::json::parse(read_file(source_dir() + "/tests/lezer/package.json"));
  EXPECT_EQ(v.version, pinned["dependencies"]["@prometheus-io/lezer-promql"].get<std::string>())
      << "the installed package is not the pinned version: rerun tests/lezer/setup.sh";
  ASSERT_EQ(v.verdicts.size(), 6u);
  EXPECT_EQ(v.verdicts[0], "accept");
  EXPECT_EQ(v.verdicts[1].rfind("reject ", 0), 0u) << v.verdicts[1];
  EXPECT_EQ(v.verdicts[2].rfind("reject ", 0), 0u) << v.verdicts[2];
  EXPECT_EQ(v.verdicts[3], "accept");  // 0.3xx knows Prometheus 3.x syntax
  EXPECT_EQ(v.verdicts[4], "accept");
  EXPECT_EQ(v.verdicts[5], "bad-input");
}

}  // namespace
}  // namespace promvet::test
