// The parser keeps one lexer, token stream and parser per thread and reuses them, and ANTLR's
// DFA caches are shared between threads and grow while they parse (each thread also keeps its
// own table of the DFA edges it has read). Lint parses files on several threads, so: threads
// starting together on a cold cache, over valid and invalid input in all lexer modes, must each
// get exactly what one thread alone gets, message and printed AST alike.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "promql/parse.h"
#include "promql/printer.h"

namespace pq = promvet::promql;

namespace {

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> inputs = {
      "sum by (job, instance) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m]))",
      "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[10m]))) > 2",
      "a / on (instance) group_left (nodename) b",
      "a * on(x) group_right () (b + c)",
      "max_over_time(rate(x_total[1m])[30m:1m] offset -5m @ 1700000000)",
      "x[5m+30s] offset (1h - step())",
      "topk(5, foo{a!=\"b\", c!~\"d|e\"}) unless bar",
      "-2 ^ -3 ^ 4 % 3 atan2 1",
      "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")",
      "{\"utf8.metric\", \"a b\"=\"c\"}",
      "count_values(\"v\", x) without (a, \"b\")",
      "sum(x) by (a) offset 5m",
      "foo{a=\"\\xzz\"}",
      "rate(x[5m)",
      "sum by (a b) (x)",
      "foo bar",
      "1 +",
      "x[5m:1m:1m]",
      "a and on(x) group_left b",
      "\"unterminated",
      "foo{a=~\"(\"}",
      "x offset 1h offset 2h",
      "abs(x,)",
      ")",
      "x{a=\"\xc3\xa9\xff\"}",
      "# only a comment",
      "fill_left(0)",
      "a + fill(1) b",
      "x[1m] anchored",
      "rate(x[0s])",
  };
  return inputs;
}

std::string outcome(const std::string& text, bool features) {
  pq::ParseOptions options;
  if (features) {
    options.enable_experimental_functions = true;
    options.enable_extended_range_selectors = true;
    options.enable_binop_fill_modifiers = true;
  }
  pq::ParseResult r = pq::parse(text, options);
  if (!r.ok()) return "error " + pq::format_error(text, *r.error);
  return "ok " + pq::to_string(*r.expr);
}

}  // namespace

TEST(PromQLParseThreads, ThreadsStartingColdGetWhatOneThreadGets) {
  const std::vector<std::string>& inputs = corpus();
  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  std::vector<std::vector<std::string>> seen(kThreads, std::vector<std::string>(inputs.size() * 2));
  std::atomic<int> ready{0};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();  // start together, caches cold
      for (int round = 0; round < kRounds; ++round) {
        for (size_t k = 0; k < inputs.size() * 2; ++k) {
          // Each thread walks the inputs from a different place, with and without the features.
          size_t i = (k + static_cast<size_t>(t) * 7 + static_cast<size_t>(round)) % (inputs.size() * 2);
          std::string got = outcome(inputs[i / 2], i % 2 == 1);
          if (round == 0) seen[t][i] = got;
          else if (got != seen[t][i]) ++mismatches;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0) << "a thread got different results for the same input in later rounds";
  size_t errors = 0;
  for (size_t i = 0; i < inputs.size() * 2; ++i) {
    std::string alone = outcome(inputs[i / 2], i % 2 == 1);
    errors += alone.rfind("error", 0) == 0;
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(seen[t][i], alone) << "thread " << t << ", input: " << inputs[i / 2];
  }
  // The corpus must exercise both outcomes, or the comparison proves little.
  EXPECT_GT(errors, 10u);
  EXPECT_GT(inputs.size() * 2 - errors, 10u);
}
