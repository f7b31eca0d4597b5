// The bound on the parser's prediction cache (prediction_cache.h). ANTLR 4.9's clearDFA()
// replaces every DFA of the shared vector, freeing their states, with no lock: safe only while
// no parser predicts. So a parse holds a shared lock from before its first prediction to after
// its last (PredictionScope, taken by parse()), and the clear takes it exclusively. A parse that
// finds the cache over its limit asks for the exclusive lock before it takes the shared one;
// every parse starting meanwhile does the same, so the parses running finish, one of them
// clears, and the others find the cache under the limit again. The threads' tables of states
// read are emptied by their own thread, at its next parse, as the clears are counted.
#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "promql/parse_runtime_internal.h"

namespace promvet::promql {
namespace parse_detail {
namespace {

struct SharedCache {
  std::shared_mutex parsing;       // shared: a parse running; exclusive: a clear
  std::atomic<size_t> configs{0};  // ATN configurations held by the DFA's states
  std::atomic<size_t> limit{kDefaultPredictionCacheLimit};
  std::atomic<uint64_t> clears{0};  // changed under the exclusive lock only

  bool over_limit() const { return configs.load(std::memory_order_relaxed) > limit.load(std::memory_order_relaxed); }
};

SharedCache& shared_cache() {
  static SharedCache cache;
  return cache;
}

}  // namespace

antlr4::dfa::DFAState* ParserSimulator::addDFAState(antlr4::dfa::DFA& dfa, antlr4::dfa::DFAState* state) {
  // Called under the runtime's _stateLock (write), so the DFA and the context cache are ours.
  antlr4::dfa::DFAState* added = ParserATNSimulator::addDFAState(dfa, state);
  if (added == state && state != ERROR.get())
    shared_cache().configs.fetch_add(state->configs->size(), std::memory_order_relaxed);
  return added;
}

void ParserSimulator::forget_dfa() {
  for (std::vector<antlr4::dfa::DFAState*>& table : starts_) std::vector<antlr4::dfa::DFAState*>().swap(table);
  for (std::vector<antlr4::dfa::DFAState*>& table : edges_) std::vector<antlr4::dfa::DFAState*>().swap(table);
}

PredictionCacheSize ParserSimulator::cache_size() {
  SharedCache& cache = shared_cache();
  PredictionCacheSize size;
  std::shared_lock<std::shared_mutex> no_clear(cache.parsing);
  {
    RuntimeLock<false> states(_stateLock);
    for (const antlr4::dfa::DFA& dfa : decisionToDFA) {
      size.dfa_states += dfa.states.size();
      for (const antlr4::dfa::DFAState* state : dfa.states) size.dfa_configs += state->configs->size();
    }
    size.contexts = _sharedContextCache.size();
  }
  for (const auto* tables : {&starts_, &edges_})
    for (const std::vector<antlr4::dfa::DFAState*>& table : *tables)
      size.table_bytes += table.capacity() * sizeof(antlr4::dfa::DFAState*);
  size.clears = cache.clears.load(std::memory_order_relaxed);
  return size;
}

PredictionScope::PredictionScope(ParserSimulator& simulator) {
  SharedCache& cache = shared_cache();
  if (cache.over_limit()) {
    std::unique_lock<std::shared_mutex> alone(cache.parsing);
    if (cache.over_limit()) {  // not cleared by another thread meanwhile
      simulator.clearDFA();
      simulator.getSharedContextCache().clear();  // what only the freed states used
      cache.configs.store(0, std::memory_order_relaxed);
      cache.clears.fetch_add(1, std::memory_order_relaxed);
    }
  }
  cache.parsing.lock_shared();
  // A clear changes the count under the exclusive lock, so under the shared lock it is exact.
  const uint64_t clears = cache.clears.load(std::memory_order_relaxed);
  if (simulator.generation_ != clears) {
    simulator.forget_dfa();
    simulator.generation_ = clears;
  }
}

PredictionScope::~PredictionScope() { shared_cache().parsing.unlock_shared(); }

}  // namespace parse_detail

void set_prediction_cache_limit(size_t configs) {
  parse_detail::shared_cache().limit.store(configs, std::memory_order_relaxed);
}

size_t prediction_cache_limit() { return parse_detail::shared_cache().limit.load(std::memory_order_relaxed); }

}  // namespace promvet::promql
