// Prometheus' own PromQL parser cases, extracted by tools/upstream/extract_promql.py. They come
// from a fetched snapshot of another project, so they are not committed here: the test reads
// them from ../shared/upstream/promql (beside the repository) or $PROMVET_UPSTREAM_DIR/promql and
// is skipped without them. promvet must accept what Prometheus accepts and reject what
// it rejects with Prometheus' message, under the feature flags each case was parsed with. Cases
// promvet does not agree on yet are listed in known_disagreements.txt: a case that disagrees and
// is not listed fails (a regression), and so does a listed case that now agrees (update the list,
// so progress is recorded); the list is ours (testdata/upstream/promql/known_disagreements.txt).
// Set PROMVET_UPDATE_KNOWN=1 to rewrite it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "promql/functions.h"
#include "promql/parse.h"
#include "test_support.h"

namespace promvet {
namespace {

// Where the extracted cases are, "" when absent.
std::string dir() {
  std::string d = test::upstream_cases_dir("promql");
  return d.empty() ? "" : d + "/";
}

std::string known_file() { return test::testdata("upstream/promql/known_disagreements.txt"); }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string unescape(const std::string& s) { return test::unescape_upstream_field(s); }

// Data lines of a TSV file (comments and blank lines skipped), split on tabs.
std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    rows.push_back(split(line, '\t'));
  }
  return rows;
}

struct Case {
  std::string source;  // file:line
  std::vector<std::string> features;
  bool reject = false;
  std::string message;
  std::string input;
};

std::vector<Case> read_cases() {
  std::vector<Case> cases;
  for (const auto& row : read_tsv(dir() + "cases.tsv")) {
    EXPECT_EQ(row.size(), 6u) << row[0];
    if (row.size() != 6) continue;
    Case c;
    c.source = row[0];
    if (!row[1].empty()) c.features = split(row[1], ',');
    c.reject = row[2] == "reject";
    c.message = unescape(row[4]);
    c.input = unescape(row[5]);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string file_of(const std::string& source) { return source.substr(0, source.rfind(':')); }

// "" when promvet agrees, otherwise what it said instead.
std::string disagreement(const Case& c, const promql::ParseOptions& options) {
  promql::ParseResult r = promql::parse(c.input, options);
  if (!c.reject) return r.ok() ? "" : "rejects: " + r.error->message;
  if (r.ok()) return "accepts";
  if (r.error->message != c.message) return "other message: " + r.error->message;
  return "";
}

std::string one_line(std::string s) {
  for (char& ch : s)
    if (ch == '\n' || ch == '\t') ch = ' ';
  if (s.size() > 160) s = s.substr(0, 160) + "...";
  return s;
}

struct Tally {
  int total = 0;
  int agree = 0;
  int agree_defaults = 0;
};

TEST(UpstreamPromql, EveryCaseAgreesOrIsAKnownDisagreement) {
  if (dir().empty())
    GTEST_SKIP() << "upstream cases not present (../shared/upstream/promql or $PROMVET_UPSTREAM_DIR/promql)";
  std::vector<Case> cases = read_cases();
  ASSERT_GT(cases.size(), 2000u);

  std::set<std::string> known;
  for (const auto& row : read_tsv(known_file())) known.insert(row[0]);

  std::map<std::string, Tally> per_file;
  std::map<std::string, std::string> found;  // source → what promvet said
  std::set<std::string> seen;
  const promql::ParseOptions defaults;  // promvet's own defaults, for the record only
  for (const Case& c : cases) {
    ASSERT_TRUE(seen.insert(c.source).second) << "two cases at " << c.source;
    Tally& t = per_file[file_of(c.source)];
    ++t.total;
    std::string d = disagreement(c, promql::options_for_features(c.features));
    if (d.empty()) {
      ++t.agree;
    } else {
      found[c.source] = d;
    }
    if (disagreement(c, defaults).empty()) ++t.agree_defaults;
  }

  Tally all;
  std::cout << "agreement with Prometheus (case's flags / promvet defaults):\n";
  for (const auto& [file, t] : per_file) {
    std::cout << "  " << file << ": " << t.agree << "/" << t.total << " / " << t.agree_defaults << "/" << t.total
              << '\n';
    all.total += t.total;
    all.agree += t.agree;
    all.agree_defaults += t.agree_defaults;
  }
  std::cout << "  total: " << all.agree << "/" << all.total << " (" << 100.0 * all.agree / all.total << "%) / "
            << all.agree_defaults << "/" << all.total << " (" << 100.0 * all.agree_defaults / all.total << "%)\n";

  if (std::getenv("PROMVET_UPDATE_KNOWN") != nullptr) {
    std::ofstream out(known_file(), std::ios::binary);
    out << "# Upstream cases promvet does not agree on yet (tests/upstream_promql_test.cpp).\n"
           "# case\twhat promvet does instead. Regenerate: PROMVET_UPDATE_KNOWN=1 upstream_promql_test\n";
    for (const auto& [source, d] : found) out << source << '\t' << one_line(d) << '\n';
    return;
  }
  for (const auto& [source, d] : found) {
    if (known.count(source) == 0) {
      const Case* c = nullptr;
      for (const Case& x : cases)
        if (x.source == source) c = &x;
      ADD_FAILURE() << source << ": " << d << "\n  input: " << one_line(c->input)
                    << (c->reject ? "\n  Prometheus: " + c->message : std::string("\n  Prometheus accepts"));
    }
  }
  for (const std::string& source : known)
    EXPECT_TRUE(found.count(source)) << source << " agrees now: remove it from known_disagreements.txt";
}

std::string type_name(promql::ValueType t) {
  switch (t) {
    case promql::ValueType::Scalar: return "scalar";
    case promql::ValueType::Vector: return "vector";
    case promql::ValueType::Matrix: return "matrix";
    case promql::ValueType::String: return "string";
    case promql::ValueType::None: break;
  }
  return "none";
}

TEST(UpstreamPromql, FunctionTableMatchesPrometheus) {
  if (dir().empty())
    GTEST_SKIP() << "upstream cases not present (../shared/upstream/promql or $PROMVET_UPSTREAM_DIR/promql)";
  auto rows = read_tsv(dir() + "functions.tsv");
  ASSERT_GT(rows.size(), 80u);
  std::set<std::string> upstream;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 5u);
    upstream.insert(row[0]);
    const promql::Function* f = promql::find_function(row[0]);
    if (f == nullptr) {
      ADD_FAILURE() << "missing function " << row[0];
      continue;
    }
    std::string args;
    for (promql::ValueType t : f->arg_types) args += (args.empty() ? "" : ",") + type_name(t);
    EXPECT_EQ(args, row[1]) << row[0] << " argument types";
    EXPECT_EQ(std::to_string(f->variadic), row[2]) << row[0] << " variadic";
    EXPECT_EQ(type_name(f->return_type), row[3]) << row[0] << " return type";
    EXPECT_EQ(f->experimental ? "true" : "false", row[4]) << row[0] << " experimental";
  }
  for (const promql::Function& f : promql::all_functions())
    EXPECT_TRUE(upstream.count(std::string(f.name))) << "promvet has " << f.name << ", Prometheus does not";
}

}  // namespace
}  // namespace promvet
