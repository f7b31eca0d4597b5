// The parser's prediction cache (promql/prediction_cache.h) has a limit: a process parsing ever
// more distinct expressions (a fuzzer, a huge directory) must not grow without end, and
// clearing the cache must not change any result, on one thread or several.
#include "promql/prediction_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "promql/parse.h"
#include "promql/printer.h"

namespace pq = promvet::promql;

namespace {

// Each adds DFA states: the vector-matching clause's decision looks ahead through the whole
// run of unary operators and brackets after it (found by promql_fuzz), and no two runs are alike.
std::vector<std::string> distinct_expressions(size_t count) {
  std::mt19937 random(21);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    std::string run;
    const size_t length = 8 + random() % 33;
    for (size_t k = 0; k < length; ++k) run += "+-("[random() % 3];
    const auto open = static_cast<size_t>(std::count(run.begin(), run.end(), '('));
    // Every tenth one malformed (no closing brackets), so errors go through the cache as well.
    out.push_back("a == bool on(x) group_left(y) " + run + "b" + std::string(i % 10 == 9 ? 0 : open, ')'));
  }
  return out;
}

std::string outcome(const std::string& text) {
  pq::ParseResult r = pq::parse(text);
  if (!r.ok()) return "error " + pq::format_error(text, *r.error);
  return "ok " + pq::to_string(*r.expr);
}

// The limit of this process, put back when a test ends.
class PredictionCacheLimit {
 public:
  explicit PredictionCacheLimit(size_t configs) : saved_(pq::prediction_cache_limit()) {
    pq::set_prediction_cache_limit(configs);
  }
  ~PredictionCacheLimit() { pq::set_prediction_cache_limit(saved_); }

 private:
  size_t saved_;
};

constexpr size_t kLimit = 20'000;  // ATN configurations; the default is far above

}  // namespace

TEST(PromQLPredictionCache, StaysWithinItsLimitOverDistinctExpressions) {
  const std::vector<std::string> inputs = distinct_expressions(1500);
  std::vector<std::string> unbounded;
  size_t most_added_by_one = 0;  // by one expression's parse, without clears
  pq::PredictionCacheSize grown;
  {
    PredictionCacheLimit no_limit(SIZE_MAX);
    for (const std::string& text : inputs) {
      const size_t before = pq::prediction_cache_size().dfa_configs;
      unbounded.push_back(outcome(text));
      grown = pq::prediction_cache_size();
      most_added_by_one = std::max(most_added_by_one, grown.dfa_configs - before);
    }
  }
  // Without a limit these inputs grow the cache far past the one below.
  ASSERT_GT(grown.dfa_configs, 10 * kLimit);
  ASSERT_LT(most_added_by_one, kLimit / 4);

  PredictionCacheLimit limit(kLimit);
  size_t most = 0;
  size_t first_clears = pq::prediction_cache_size().clears;
  pq::PredictionCacheSize now;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(outcome(inputs[i]), unbounded[i]) << inputs[i];
    now = pq::prediction_cache_size();
    most = std::max(most, now.dfa_configs);
  }
  // Checked as each parse starts: at most one parse's additions over the limit.
  EXPECT_LE(most, kLimit + most_added_by_one);
  EXPECT_GE(now.clears - first_clears, grown.dfa_configs / kLimit / 2);
  // The shared contexts and this thread's tables went with the states.
  EXPECT_LT(now.contexts, grown.contexts / 5);
  EXPECT_LT(now.table_bytes, grown.table_bytes / 5);
}

TEST(PromQLPredictionCache, ThreadsParsingWhileItIsClearedGetWhatOneThreadGets) {
  const std::vector<std::string> inputs = distinct_expressions(800);
  std::vector<std::string> alone;
  for (const std::string& text : inputs) alone.push_back(outcome(text));

  PredictionCacheLimit limit(kLimit);
  const uint64_t clears_before = pq::prediction_cache_size().clears;
  constexpr size_t kThreads = 4;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      // Each thread walks all inputs from a different place.
      for (size_t k = 0; k < inputs.size(); ++k) seen[t].push_back(outcome(inputs[(k + t * 200) % inputs.size()]));
    });
  for (std::thread& th : threads) th.join();
  for (size_t t = 0; t < kThreads; ++t)
    for (size_t k = 0; k < inputs.size(); ++k)
      ASSERT_EQ(seen[t][k], alone[(k + t * 200) % inputs.size()]) << "thread " << t;
  EXPECT_GT(pq::prediction_cache_size().clears, clears_before);
}
