// The OpenMetrics parser test corpus (../shared/corpus/openmetrics-parsers):
// every case must parse cleanly when test.json says "shouldParse": true and
// produce at least one positioned diagnostic when it says false.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "expfmt_recorder.h"
#include "test_support.h"

namespace promvet::test {
namespace {

std::string corpus_dir() {
  std::string shared = shared_dir();
  return shared.empty() ? std::string() : shared + "/corpus/openmetrics-parsers";
}

std::vector<std::string> corpus_cases() {
  std::vector<std::string> out;
  std::string dir = corpus_dir();
  if (dir.empty()) return out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (read_file(dir + "/" + name + "/test.json").empty()) continue;  // LICENSE, stray files
    out.push_back(name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

class OpenMetricsCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenMetricsCorpus, MatchesShouldParse) {
  const std::string dir = corpus_dir() + "/" + GetParam();
  auto meta = nlohmann::json::parse(read_file(dir + "/test.json"));
  ASSERT_EQ(meta.value("type", ""), "text");
  const bool should_parse = meta.at("shouldParse").get<bool>();
  const std::string input = read_file(dir + "/" + meta.value("file", "metrics"));
  Recorder r = parse_all(input, expfmt::Format::kOpenMetrics);
  if (should_parse) {
    EXPECT_TRUE(r.errors.empty()) << "unexpected diagnostics:\n"
                                  << fmt::format("{}", fmt::join(r.error_strings(), "\n"));
  } else {
    ASSERT_FALSE(r.errors.empty()) << "accepted an invalid exposition:\n" << input;
    for (const auto& d : r.errors) {
      EXPECT_GE(d.pos.line, 1u);
      EXPECT_GE(d.pos.column, 1u);
      EXPECT_FALSE(d.message.empty());
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, OpenMetricsCorpus, ::testing::ValuesIn(corpus_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OpenMetricsCorpus);

TEST(OpenMetricsCorpusPresence, HasAllCases) {
  if (corpus_dir().empty()) GTEST_SKIP() << "OpenMetrics corpus not found at ../shared/corpus/openmetrics-parsers";
  EXPECT_EQ(corpus_cases().size(), 211u);  // 212 entries: 211 cases and LICENSE
}

}  // namespace
}  // namespace promvet::test
