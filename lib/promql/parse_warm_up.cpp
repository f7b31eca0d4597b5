// ParserWarmUp (parse.h): the parser's first-use costs on a second core.
//
// A process that parses a few expressions (one dashboard through `promvet lint`, the pre-commit
// case of issue 21) spent about 40% of its instructions making the parser usable rather than
// parsing: ANTLR builds the parser's ATN from its serialized form on first use, and the
// prediction cache (a DFA per decision) starts empty in every process, so the first expressions
// of each shape walk the ATN (closures) to build the DFA states they pass through. Both are
// facts about the grammar, not about the input: which DFA states exist already does not change
// what any prediction answers, only how long it takes.
//
// Here a thread of its own builds the ATN and parses expressions of the shapes most PromQL has,
// most common first, while the calling thread reads the configuration, the policy packs and
// the files. The first parse() anywhere else asks it to stop after the expression it is on and
// waits for that, so the cache is never built by two threads at once and nobody waits for
// shapes they may not need.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>

#include "promql/parse.h"
#include "promql/parse_internal.h"

namespace promvet::promql {
namespace {

// Written for this list (none is taken from the bundled examples); each is valid PromQL and
// exercises different decisions of the grammar. The results are thrown away. Few on purpose: a
// parse that arrives while one is under way waits for it, and on the 2-core machine of
// docs/benchmarks.md lint reaches its first parse about when the third is done (five more shapes
// there, 0.1 ms each, made it wait 50-200 us for little: they covered nothing its dashboard used).
constexpr std::string_view kShapes[] = {
    // An aggregation of rates with matchers, a division of two and arithmetic with a number.
    R"(sum by (job) (rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) * 100)",
    R"(histogram_quantile(0.99, sum(rate(request_duration_seconds_bucket{route!=""}[5m])) by (le, route)))",
    R"(100 * (1 - avg without (cpu) (irate(node_cpu_seconds_total{mode="idle"}[1m]))))",
};

struct State {
  std::mutex mutex;
  std::condition_variable finished_cv;
  std::thread thread;
  bool started = false;
  bool finished = false;
  std::atomic<bool> pending{false};  // started and not yet waited for
  std::atomic<bool> stop{false};
};

State& state() {
  static State s;
  return s;
}

thread_local bool warming_up = false;

void warm_up(State& s) {
  warming_up = true;
  ParseOptions options;
  for (std::string_view f : kFeatures) enable_feature(options, f);
  for (std::string_view shape : kShapes) {
    parse(shape, options);
    if (s.stop.load(std::memory_order_relaxed)) break;
  }
  // Said before the thread's own objects (its parser, its pools) are destroyed on the way out.
  std::lock_guard<std::mutex> lock(s.mutex);
  s.finished = true;
  s.finished_cv.notify_all();
}

}  // namespace

namespace parse_detail {

void wait_for_warm_up() {
  State& s = state();
  if (!s.pending.load(std::memory_order_acquire) || warming_up) return;
  s.stop.store(true, std::memory_order_relaxed);
  std::unique_lock<std::mutex> lock(s.mutex);
  s.finished_cv.wait(lock, [&] { return s.finished; });
  s.pending.store(false, std::memory_order_release);
}

}  // namespace parse_detail

ParserWarmUp::ParserWarmUp() {
  if (std::thread::hardware_concurrency() < 2) return;  // nothing to overlap with
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.started) return;
  s.started = true;
  try {
    s.thread = std::thread(warm_up, std::ref(s));
    s.pending.store(true, std::memory_order_release);
  } catch (const std::system_error&) {
    // No thread to be had: the first parse does the work, as it would have.
  }
}

ParserWarmUp::~ParserWarmUp() {
  parse_detail::wait_for_warm_up();
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.thread.joinable()) s.thread.join();
}

}  // namespace promvet::promql
