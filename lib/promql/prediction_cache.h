#pragma once
// The PromQL parser's prediction cache: ANTLR's DFA, which every thread's parser shares and
// extends while it predicts (each state holds the ATN configurations it stands for), and each
// thread's tables of the states it has read (parse_runtime.cpp). Expressions of the same
// shapes reuse the same states, but every new shape of look-ahead adds some, so a process that
// parses endless distinct malformed input (a fuzzer, a lint of a huge generated directory)
// would grow without end. Past a limit, the next parse to start clears the cache, once no
// parse is running; parses after it rebuild what they need. Results do not depend on it.
#include <cstddef>
#include <cstdint>

namespace promvet::promql {

struct PredictionCacheSize {
  size_t dfa_states = 0;   // in the shared DFA, all decisions
  size_t dfa_configs = 0;  // ATN configurations held by those states
  size_t contexts = 0;     // prediction contexts in the shared context cache
  size_t table_bytes = 0;  // this thread's tables of known edges and start states
  uint64_t clears = 0;     // clears since the process started
};

// The cache as it is now (taken between parses: it waits for no parse to be clearing it).
PredictionCacheSize prediction_cache_size();

// The number of ATN configurations held by the DFA's states past which the next parse clears
// the cache. Measured: about 200 bytes each with their contexts, plus each parsing thread's
// tables (a tenth to a fifth of that again). 100,000 generated realistic expressions
// (tools/bench/gen_promql.py) need 435; promql_fuzz's grown corpus of 20,356 inputs, 170,000.
inline constexpr size_t kDefaultPredictionCacheLimit = 250'000;
void set_prediction_cache_limit(size_t configs);
size_t prediction_cache_limit();

}  // namespace promvet::promql
