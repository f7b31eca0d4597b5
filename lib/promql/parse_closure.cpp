// ParserSimulator's closure: the epsilon walk from an ATN configuration to the configurations
// that consume a token, which prediction runs for every DFA state it has not built yet. Most
// of that happens on first use, so in a short run (one dashboard through `promvet lint`) this
// walk was a third of the process' instructions (issue 21, docs/benchmarks.md "Start-up").
//
// The steps, their order and their effects are those of ANTLR 4.9's
// ParserATNSimulator::closureCheckingStopState and closure_, which these override. What differs
// is how a state or a transition's kind is told: the 4.9 runtime asks with dynamic_cast, and
// libstdc++ answers a failed cast by walking the class hierarchy and comparing type names with
// strcmp (about 200 instructions per test, three or four tests per step). The ATN records each
// kind as a number (ATNState::getStateType, Transition::getSerializationType); the classes
// tested for (RuleStopState, ActionTransition, RuleTransition) have no subclasses, so a number
// and a cast give the same answer.
#include "promql/parse_runtime_internal.h"

namespace promvet::promql::parse_detail {

template <class T>
using Ref = std::shared_ptr<T>;
using antlr4::atn::ATNConfig;
using antlr4::atn::ATNConfigSet;
using antlr4::atn::ATNState;
using antlr4::atn::PredictionContext;
using antlr4::atn::Transition;

namespace {

bool is_rule_stop(ATNState* state) { return state->getStateType() == ATNState::RULE_STOP; }

}  // namespace

void ParserSimulator::closureCheckingStopState(const Ref<ATNConfig>& config, ATNConfigSet* configs,
                                               ATNConfig::Set& busy, bool collect_predicates, bool full_context,
                                               int depth, bool eof_as_epsilon) {
  if (is_rule_stop(config->state)) {
    const Ref<PredictionContext>& context = config->context;
    if (!context->isEmpty()) {
      // The end of a rule with a known caller: continue at each return state on the stack.
      for (size_t i = 0; i < context->size(); ++i) {
        const size_t return_state = context->getReturnState(i);
        if (return_state == PredictionContext::EMPTY_RETURN_STATE) {
          if (full_context) {
            configs->add(std::make_shared<ATNConfig>(config, config->state, PredictionContext::EMPTY), &mergeCache);
          } else {
            closure_(config, configs, busy, collect_predicates, full_context, depth, eof_as_epsilon);
          }
          continue;
        }
        auto popped = std::make_shared<ATNConfig>(atn.states[return_state], config->alt, context->getParent(i),
                                                  config->semanticContext);
        popped->reachesIntoOuterContext = config->reachesIntoOuterContext;  // and the precedence filter flag
        closureCheckingStopState(popped, configs, busy, collect_predicates, full_context, depth - 1, eof_as_epsilon);
      }
      return;
    }
    if (full_context) {  // the end of the start rule
      configs->add(config, &mergeCache);
      return;
    }
    // No caller known (SLL): follow the rule's follow links below.
  }
  closure_(config, configs, busy, collect_predicates, full_context, depth, eof_as_epsilon);
}

void ParserSimulator::closure_(const Ref<ATNConfig>& config, ATNConfigSet* configs, ATNConfig::Set& busy,
                               bool collect_predicates, bool full_context, int depth, bool eof_as_epsilon) {
  ATNState* state = config->state;
  // A state with a token-consuming transition belongs in the set (EOF edges can be both).
  if (!state->epsilonOnlyTransitions) configs->add(config, &mergeCache);
  const bool leaves_rule = is_rule_stop(state);
  for (size_t i = 0; i < state->transitions.size(); ++i) {
    if (i == 0 && canDropLoopEntryEdgeInLeftRecursiveRule(config.get())) continue;
    Transition* t = state->transitions[i];
    const bool keep_collecting = collect_predicates && t->getSerializationType() != Transition::ACTION;
    Ref<ATNConfig> next = getEpsilonTarget(config, t, keep_collecting, depth == 0, full_context, eof_as_epsilon);
    if (next == nullptr) continue;
    int next_depth = depth;
    if (leaves_rule) {
      // Falling off the end of a rule into the outer context; the busy set stops right recursion.
      // (The runtime looks the configuration up, then inserts it: one insert is the same test.)
      if (!busy.insert(next).second) continue;
      // A rule stop state's transitions are the follow links, EpsilonTransitions by construction.
      if (_dfa != nullptr && _dfa->isPrecedenceDfa() && t->getSerializationType() == Transition::EPSILON &&
          static_cast<antlr4::atn::EpsilonTransition*>(t)->outermostPrecedenceReturn() ==
              _dfa->atnStartState->ruleIndex)
        next->setPrecedenceFilterSuppressed(true);
      ++next->reachesIntoOuterContext;
      if (!t->isEpsilon()) continue;  // the runtime's EOF* test: `next` was just made busy above
      configs->dipsIntoOuterContext = true;
      --next_depth;
    } else if (!t->isEpsilon() && !busy.insert(next).second) {  // EOF* and EOF+
      continue;
    }
    if (t->getSerializationType() == Transition::RULE && next_depth >= 0) ++next_depth;
    closureCheckingStopState(next, configs, busy, keep_collecting, full_context, next_depth, eof_as_epsilon);
  }
}

}  // namespace promvet::promql::parse_detail
