// `promvet lint` on a public corpus it did not write (dashboards and rule files of ~60
// projects, see testdata/realworld/README.md): no crash, and every warning or error it
// reports was judged once by a person reading the query. The judgements live in
// testdata/realworld/findings.golden (warnings) and errors.golden (errors), one line each:
//   <verdict> | <one-line reason> | <file>:<line>:<col>: <severity>: <message> [<check>]
// verdict: true (a real mistake or risk, correctly described), false-known (a false
// positive that is a known open bug: tolerated and counted while reported), false (a
// false positive that was fixed: fails the test if it is reported again).
// The corpus itself is public data kept outside the repository (../shared/corpus/realworld,
// or $PROMVET_REALWORLD_DIR); without it the test is skipped, not passed.
// To regenerate after a deliberate change, run with PROMVET_REALWORLD_UPDATE=DIR: it writes
// DIR/findings.golden and DIR/errors.golden keeping every existing verdict and marking new
// findings "unjudged" (which fails until a person judges them).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace promvet::test {
namespace {

namespace fs = std::filesystem;

std::string corpus_dir() { return realworld_corpus_dir(); }

struct Judgement {
  std::string verdict;
  std::string reason;
};

// The golden key of a finding: the text output's first line, with the message's newlines
// and backslashes escaped so that every finding is one line.
std::string finding_key(const nlohmann::json& f) {
  std::string msg;
  for (char c : f.value("message", std::string())) {
    if (c == '\\') msg += "\\\\";
    else if (c == '\n') msg += "\\n";
    else msg += c;
  }
  std::ostringstream key;
  key << f.value("file", std::string()) << ':' << f.value("line", 0) << ':' << f.value("column", 0) << ": "
      << f.value("severity", std::string()) << ": " << msg << " [" << f.value("check", std::string()) << ']';
  return key.str();
}

// Parses a golden file; malformed lines and unknown verdicts are reported in *problems.
std::map<std::string, Judgement> read_golden(const std::string& path, std::vector<std::string>* problems) {
  std::map<std::string, Judgement> golden;
  std::istringstream in(read_file(path));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    size_t first = line.find(" | ");
    size_t second = first == std::string::npos ? first : line.find(" | ", first + 3);
    if (second == std::string::npos) {
      problems->push_back(path + ":" + std::to_string(number) + ": not <verdict> | <reason> | <finding>");
      continue;
    }
    Judgement j{line.substr(0, first), line.substr(first + 3, second - first - 3)};
    if (j.verdict != "true" && j.verdict != "false" && j.verdict != "false-known") {
      problems->push_back(path + ":" + std::to_string(number) + ": verdict \"" + j.verdict +
                          "\" (want true, false or false-known)");
    }
    if (j.reason.empty()) problems->push_back(path + ":" + std::to_string(number) + ": no reason");
    golden[line.substr(second + 3)] = j;
  }
  return golden;
}

// Every .json/.yaml/.yml of the corpus must be listed in SOURCES.md (where it came from).
std::vector<std::string> unlisted_files(const std::string& corpus, int* files) {
  std::string sources = read_file(testdata("realworld/SOURCES.md"));
  std::vector<std::string> missing;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext != ".json" && ext != ".yaml" && ext != ".yml") continue;
    ++*files;
    std::string rel = fs::relative(entry.path(), corpus).generic_string();
    if (sources.find("| " + rel + " |") == std::string::npos) missing.push_back(rel);
  }
  return missing;
}

// Keeps every verdict of a finding still reported, marks new findings unjudged, and keeps a
// false positive that is no longer reported as `false` (fixed), so that it cannot come back
// unnoticed. A true finding that is gone is dropped: the diff of the golden shows it.
void write_update(const std::string& dir, const std::string& name, const std::vector<std::string>& keys,
                  const std::map<std::string, Judgement>& golden) {
  std::ofstream out(dir + "/" + name);
  std::set<std::string> reported(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    auto it = golden.find(key);
    if (it != golden.end()) out << it->second.verdict << " | " << it->second.reason << " | " << key << '\n';
    else out << "unjudged | ? | " << key << '\n';
  }
  for (const auto& [key, j] : golden)
    if (reported.count(key) == 0 && (j.verdict == "false" || j.verdict == "false-known"))
      out << "false | " << j.reason << " | " << key << '\n';
}

TEST(RealworldCorpus, EveryFindingIsJudgedAndNoKnownFalsePositiveReturns) {
  std::string corpus = corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "corpus not present (../shared/corpus/realworld or $PROMVET_REALWORLD_DIR)";

  int files = 0;
  std::vector<std::string> unlisted = unlisted_files(corpus, &files);
  EXPECT_TRUE(unlisted.empty()) << unlisted.size() << " corpus files are not in testdata/realworld/SOURCES.md, e.g. "
                                << (unlisted.empty() ? "" : unlisted.front());

  std::vector<std::string> problems;
  auto warnings_golden = read_golden(testdata("realworld/findings.golden"), &problems);
  auto errors_golden = read_golden(testdata("realworld/errors.golden"), &problems);
  EXPECT_TRUE(problems.empty()) << problems.size() << " malformed golden lines, first: " << problems.front();

  // One run per project directory, as a project lints its own files: rules of two unrelated
  // projects are never loaded together, so cross-project duplicates would be meaningless.
  std::vector<std::string> projects;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.is_directory()) projects.push_back(entry.path().filename().string());
  }
  std::sort(projects.begin(), projects.end());
  std::vector<std::string> warnings, errors;
  int infos = 0;
  for (const std::string& project : projects) {
    CommandResult r =
        run("cd " + shell_quote(corpus) + " && " + shell_quote(cli()) + " lint -o json -j1 " + shell_quote(project));
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1)
        << project << ": exit " << r.exit_code << " (crash, signal or timeout when -1)\n"
        << r.err;
    nlohmann::json out = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(out.is_discarded()) << project << ": output is not JSON";
    for (const auto& f : out["findings"]) {
      std::string severity = f.value("severity", std::string());
      if (severity == "warning") warnings.push_back(finding_key(f));
      else if (severity == "error") errors.push_back(finding_key(f));
      else ++infos;
    }
  }

  if (const char* dir = std::getenv("PROMVET_REALWORLD_UPDATE"); dir != nullptr && *dir != '\0') {
    write_update(dir, "findings.golden", warnings, warnings_golden);
    write_update(dir, "errors.golden", errors, errors_golden);
  }

  auto compare = [](const std::vector<std::string>& reported, const std::map<std::string, Judgement>& golden,
                    const char* what, std::map<std::string, int>* verdicts) {
    std::set<std::string> seen;
    std::vector<std::string> unjudged, returned, known;
    for (const std::string& key : reported) {
      seen.insert(key);
      auto it = golden.find(key);
      if (it == golden.end()) {
        unjudged.push_back(key);
        continue;
      }
      ++(*verdicts)[it->second.verdict];
      if (it->second.verdict == "false") returned.push_back(key);
      if (it->second.verdict == "false-known") known.push_back(it->second.reason + " | " + key);
    }
    std::vector<std::string> vanished;
    for (const auto& [key, j] : golden) {
      if (j.verdict == "true" && seen.count(key) == 0) vanished.push_back(key);
    }
    std::cout << "known false " << what << " still reported (open bugs, " << known.size() << "):\n";
    for (const std::string& k : known) std::cout << "  " << k << '\n';
    EXPECT_TRUE(unjudged.empty()) << unjudged.size() << " " << what
                                  << " not in the golden: read the query and judge each, first:\n  "
                                  << (unjudged.empty() ? "" : unjudged.front());
    EXPECT_TRUE(returned.empty()) << returned.size() << " " << what
                                  << " judged false (fixed) are reported again, first:\n  "
                                  << (returned.empty() ? "" : returned.front());
    EXPECT_TRUE(vanished.empty()) << vanished.size() << " " << what
                                  << " judged true are no longer reported (a lost finding or a new wording: "
                                     "re-judge), first:\n  "
                                  << (vanished.empty() ? "" : vanished.front());
  };
  // promtool accepts these rule files, so an error on them can never be a true finding: at
  // most a known false positive.
  std::string sources = read_file(testdata("realworld/SOURCES.md"));
  for (const std::string& key : errors) {
    auto it = errors_golden.find(key);
    if (it == errors_golden.end() || it->second.verdict != "true") continue;
    std::string file = key.substr(0, key.find(':'));
    size_t row = sources.find("| " + file + " |");
    size_t end = sources.find('\n', row);
    bool promtool_ok =
        row != std::string::npos && sources.substr(row, end - row).find("promtool check rules OK") != std::string::npos;
    EXPECT_FALSE(promtool_ok) << "an error judged true on a rule file promtool accepts: " << key;
  }

  std::map<std::string, int> warning_verdicts, error_verdicts;
  compare(warnings, warnings_golden, "warnings", &warning_verdicts);
  compare(errors, errors_golden, "errors", &error_verdicts);

  int judged_true = warning_verdicts["true"];
  double precision = warnings.empty() ? 1.0 : static_cast<double>(judged_true) / warnings.size();
  std::cout << "realworld corpus: " << files << " files, " << projects.size() << " project directories; "
            << warnings.size() << " warnings (" << judged_true << " true, " << warning_verdicts["false-known"]
            << " known false), precision " << precision * 100.0 << "%; " << errors.size() << " errors ("
            << error_verdicts["true"] << " true, " << error_verdicts["false-known"] << " known false); " << infos
            << " infos (not judged)\n";
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace promvet::test
