// ParserWarmUp (promql/parse.h) fills the parser's caches on a thread of its own while other
// threads may already be asking to parse: they must wait for it rather than build the DFA
// alongside it, and what they get must be what they would get without it. Each TEST runs in a
// process of its own (gtest_discover_tests), so each starts with cold caches.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "promql/parse.h"
#include "promql/printer.h"

namespace pq = promvet::promql;

namespace {

std::string outcome(const std::string& text) {
  pq::ParseResult r = pq::parse(text);
  if (!r.ok()) return "error " + pq::format_error(text, *r.error);
  return "ok " + pq::to_string(*r.expr);
}

// Valid and invalid input, of the warm-up's shapes and of others.
const std::vector<std::string> kInputs = {
    "sum(rate(requests_total{code=~\"5..\"}[5m])) by (job) / sum(rate(requests_total[5m])) by (job)",
    "histogram_quantile(0.9, sum by (le) (rate(latency_seconds_bucket[1m])))",
    "a / on (instance) group_left (nodename) b",
    "max_over_time(x[30m:1m] offset -5m)",
    "count_values(\"v\", x) without (a)",
    "-2 ^ -3 ^ 4 % 3 atan2 1",
    "rate(x[5m)",
    "sum by (a b) (x)",
    "1 +",
    "x offset 1h offset 2h",
    "abs(x,)",
};

}  // namespace

TEST(PromQLWarmUp, ParsesStartedDuringTheWarmUpWaitAndGetWhatTheyWouldWithoutIt) {
  std::vector<std::vector<std::string>> seen(4);
  {
    pq::ParserWarmUp warm_up;
    std::vector<std::thread> threads;
    for (size_t t = 0; t < seen.size(); ++t)
      threads.emplace_back([&seen, t] {
        for (const std::string& text : kInputs) seen[t].push_back(outcome(text));
      });
    for (std::thread& th : threads) th.join();
  }
  // The same inputs again, on this thread with the warm-up long finished: a cache's contents
  // never change an answer.
  for (size_t i = 0; i < kInputs.size(); ++i) {
    const std::string alone = outcome(kInputs[i]);
    for (size_t t = 0; t < seen.size(); ++t) EXPECT_EQ(seen[t][i], alone) << "thread " << t << ": " << kInputs[i];
  }
  // And the answers themselves, for a few (the cache must not make every answer the same either).
  EXPECT_EQ(seen[0][2], "ok a / on (instance) group_left (nodename) b");
  EXPECT_EQ(seen[1][6], "error 1:10: parse error: unexpected \")\" in subquery or range, expected \":\" or \"]\"");
  EXPECT_EQ(seen[2][8], "error 1:4: parse error: unexpected end of input");
}

TEST(PromQLWarmUp, OnlyTheFirstStartsAThreadAndParsingWorksAfterIt) {
  {
    pq::ParserWarmUp first;
    pq::ParserWarmUp second;  // does nothing; its destructor waits for the first's thread too
  }
  EXPECT_EQ(outcome("sum(x) by (a)"), "ok sum by (a) (x)");
  pq::ParserWarmUp after;  // after a parse: no new thread, parses go on
  EXPECT_EQ(outcome("x{a=\"b\"}[5m]"), "ok x{a=\"b\"}[5m]");
}

TEST(PromQLWarmUp, NothingParsedMeanwhile) {
  // No parse asks the warm-up to stop: the destructor waits for all of it, then joins.
  { pq::ParserWarmUp warm_up; }
  EXPECT_EQ(outcome("up == 0"), "ok up == 0");
}
