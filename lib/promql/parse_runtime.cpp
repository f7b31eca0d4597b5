// See parse_runtime_internal.h. Each override keeps the behaviour of the runtime method it
// replaces (ANTLR 4.9's ParserATNSimulator::adaptivePredict, Parser::enterRule/consume,
// BufferedTokenStream::fetch); what goes is the locking, the std::function wrappers and the casts.
#include "promql/parse_runtime_internal.h"

namespace promvet::promql::parse_detail {

using antlr4::dfa::DFAState;

void ByteCharStream::consume() {
  if (at_ >= bytes_.size()) throw antlr4::IllegalStateException("cannot consume EOF");
  ++at_;
}

size_t ByteCharStream::LA(ssize_t i) {
  if (i == 0) return 0;  // undefined, as in ANTLRInputStream
  // LA(1) is the current character, LA(-1) the one before it.
  ssize_t at = static_cast<ssize_t>(at_) + (i > 0 ? i - 1 : i);
  if (at < 0 || at >= static_cast<ssize_t>(bytes_.size())) return antlr4::IntStream::EOF;
  auto c = static_cast<unsigned char>(bytes_[static_cast<size_t>(at)]);
  return c >= 0x80 ? 0x01 : c;
}

std::string ByteCharStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || interval.b < interval.a) return "";
  auto begin = static_cast<size_t>(interval.a);
  if (begin >= bytes_.size()) return "";
  auto end = std::min(static_cast<size_t>(interval.b) + 1, bytes_.size());
  return std::string(bytes_.substr(begin, end - begin));
}

std::unique_ptr<antlr4::CommonToken> TokenFactory::create(std::pair<antlr4::TokenSource*, antlr4::CharStream*> source,
                                                          size_t type, const std::string& text, size_t channel,
                                                          size_t start, size_t stop, size_t line, size_t column) {
  std::unique_ptr<antlr4::CommonToken> t(new PooledToken(source, type, channel, start, stop));
  t->setLine(line);
  t->setCharPositionInLine(column);
  if (!text.empty()) t->setText(text);
  return t;
}

std::unique_ptr<antlr4::CommonToken> TokenFactory::create(size_t type, const std::string& text) {
  return std::unique_ptr<antlr4::CommonToken>(new PooledToken(type, text));
}

ParserSimulator::ParserSimulator(antlr4::Parser* owner, const TokenStream* tokens, const antlr4::atn::ATN& grammar,
                                 std::vector<antlr4::dfa::DFA>& dfa, antlr4::atn::PredictionContextCache& cache)
    : ParserATNSimulator(owner, grammar, dfa, cache),
      tokens_(tokens),
      width_(grammar.maxTokenType + 2),
      precedence_decision_(grammar.getNumberOfDecisions()),
      starts_(grammar.getNumberOfDecisions()),
      edges_(grammar.getNumberOfDecisions()) {
  // What the DFA's constructor tests, from the ATN (which, unlike the DFA, never changes).
  for (size_t d = 0; d < precedence_decision_.size(); ++d) {
    antlr4::atn::DecisionState* state = grammar.getDecisionState(d);
    precedence_decision_[d] = state->getStateType() == antlr4::atn::ATNState::STAR_LOOP_ENTRY &&
                              static_cast<antlr4::atn::StarLoopEntryState*>(state)->isPrecedenceDecision;
  }
}

size_t ParserSimulator::adaptivePredict(antlr4::TokenStream* input, size_t decision, antlr4::ParserRuleContext* outer) {
  if (tokens_->stopped()) return antlr4::atn::ATN::INVALID_ALT_NUMBER;
  antlr4::dfa::DFA& dfa = decisionToDFA[decision];
  _input = input;
  _startIndex = input->index();
  _outerContext = outer;
  _dfa = &dfa;
  const ssize_t marker = input->mark();
  const size_t start = _startIndex;
  // What the runtime's exit action does: forget the merge cache, rewind the input. The cache is
  // replaced rather than cleared: its hash table keeps the buckets of its largest prediction, and
  // clear() zeroes all of them, at every prediction after (a quarter of promql_fuzz's replay).
  struct Restore {
    ParserSimulator& sim;
    antlr4::TokenStream* input;
    size_t start;
    ssize_t marker;
    ~Restore() {
      sim.mergeCache = antlr4::atn::PredictionContextMergeCache();
      sim._dfa = nullptr;
      input->seek(start);
      input->release(marker);
    }
  } restore{*this, input, start, marker};
  return execATN(dfa, start_state(dfa), input, start, outer != nullptr ? outer : &antlr4::ParserRuleContext::EMPTY);
}

DFAState* ParserSimulator::find_start_state(antlr4::dfa::DFA& dfa, int precedence) {
  if (precedence < 0) return add_start_state(dfa, precedence);  // never stored: computed each time, as by the runtime
  DFAState* s0 = published_start_state(dfa, precedence);
  if (s0 == nullptr) s0 = add_start_state(dfa, precedence);
  std::vector<DFAState*>& known = starts_[dfa.decision];
  const auto at = static_cast<size_t>(precedence);
  if (at >= known.size()) known.resize(at + 1, nullptr);
  known[at] = s0;
  return s0;
}

DFAState* ParserSimulator::published_start_state(antlr4::dfa::DFA& dfa, int precedence) {
  if (dfa.isPrecedenceDfa()) {
    RuntimeLock<false> edges(_edgeLock);  // DFA::setPrecedenceStartState writes dfa.s0->edges under it
    return dfa.getPrecedenceStartState(precedence);
  }
  RuntimeLock<false> states(_stateLock);  // the runtime's adaptivePredict sets dfa.s0 under it
  return dfa.s0;
}

DFAState* ParserSimulator::add_start_state(antlr4::dfa::DFA& dfa, int precedence) {
  // ParserATNSimulator::adaptivePredict's steps when the DFA has no start state yet.
  std::unique_ptr<antlr4::atn::ATNConfigSet> closure =
      computeStartState(dfa.atnStartState, &antlr4::ParserRuleContext::EMPTY, false);
  RuntimeLock<true> states(_stateLock);
  if (dfa.isPrecedenceDfa()) {
    dfa.s0->configs = std::move(closure);  // kept for inspection only, as by the runtime
    auto* made = new DFAState(applyPrecedenceFilter(dfa.s0->configs.get()));
    DFAState* s0 = addDFAState(dfa, made);
    dfa.setPrecedenceStartState(precedence, s0, _edgeLock);
    if (s0 != made) delete made;  // an equal state was there already
    return s0;
  }
  auto* made = new DFAState(std::move(closure));
  DFAState* s0 = addDFAState(dfa, made);
  if (dfa.s0 != s0) {
    delete dfa.s0;
    dfa.s0 = s0;
  }
  if (s0 != made) delete made;
  return s0;
}

// execATN takes every DFA state it walks to from one of these two.
DFAState* ParserSimulator::getExistingTargetState(DFAState* previous, size_t t) {
  return note(known_target(previous, t));
}

DFAState* ParserSimulator::computeTargetState(antlr4::dfa::DFA& dfa, DFAState* previous, size_t t) {
  return note(ParserATNSimulator::computeTargetState(dfa, previous, t));
}

DFAState* ParserSimulator::known_target(DFAState* previous, size_t t) {
  const size_t column = t + 1;  // EOF (size_t(-1)) becomes 0
  if (_dfa == nullptr || previous->stateNumber < 0 || column >= width_ || _dfa->decision >= edges_.size())
    return ParserATNSimulator::getExistingTargetState(previous, t);
  std::vector<DFAState*>& table = edges_[_dfa->decision];
  const size_t at = static_cast<size_t>(previous->stateNumber) * width_ + column;
  if (at < table.size() && table[at] != nullptr) return table[at];
  DFAState* next = ParserATNSimulator::getExistingTargetState(previous, t);
  if (next != nullptr) {
    if (at >= table.size()) table.resize((static_cast<size_t>(previous->stateNumber) + 1) * width_, nullptr);
    table[at] = next;
  }
  return next;
}

Parser::Parser(TokenStream* input) : PromQLParser(input) {
  auto* generated = static_cast<antlr4::atn::ParserATNSimulator*>(_interpreter);
  _interpreter =
      new ParserSimulator(this, input, getATN(), generated->decisionToDFA, generated->getSharedContextCache());
  delete generated;  // ours is deleted by PromQLParser's destructor
}

void Parser::enterRule(ParserRuleContext* context, size_t state, size_t /*rule*/) {
  setState(state);
  _ctx = context;
  _ctx->start = _input->LT(1);
  // A rule context's parent is always a rule context.
  if (_buildParseTrees && _ctx->parent != nullptr) static_cast<ParserRuleContext*>(_ctx->parent)->addChild(_ctx);
  if (!_parseListeners.empty()) triggerEnterRuleEvent();
}

Token* Parser::consume() {
  if (!_buildParseTrees || !_parseListeners.empty() || _errHandler->inErrorRecoveryMode(this))
    return PromQLParser::consume();
  Token* o = getCurrentToken();
  if (o->getType() != Token::EOF) _input->consume();
  antlr4::tree::TerminalNode* leaf = getTreeTracker().createInstance<PooledTerminal>(o);
  _ctx->addChild(leaf);
  return o;
}

void Parser::enterOuterAlt(ParserRuleContext* context, size_t alternative) {
  static_cast<promvet_antlr::PooledContext*>(context)->reserve_children();  // every context is one
  PromQLParser::enterOuterAlt(context, alternative);
}

void Parser::pushNewRecursionContext(ParserRuleContext* context, size_t state, size_t rule) {
  static_cast<promvet_antlr::PooledContext*>(context)->reserve_children();
  PromQLParser::pushNewRecursionContext(context, state, rule);
}

size_t TokenStream::fetch(size_t n) {
  if (_fetchedEOF) return 0;
  size_t fetched = 0;
  while (fetched < n) {
    std::unique_ptr<Token> t = _tokenSource->nextToken();
    static_cast<antlr4::CommonToken*>(t.get())->setTokenIndex(_tokens.size());
    if (t->getChannel() != Token::DEFAULT_CHANNEL) one_channel_ = false;
    _tokens.push_back(std::move(t));
    ++fetched;
    if (_tokens.back()->getType() == Token::EOF) {
      _fetchedEOF = true;
      fast_ = filled() && !stopped_;
      break;
    }
  }
  return fetched;
}

void TokenStream::setTokenSource(antlr4::TokenSource* source) {
  CommonTokenStream::setTokenSource(source);
  one_channel_ = true;
  fast_ = false;
}

Token* TokenStream::LT(ssize_t k) {
  if (fast_ && k > 0) {
    // Past the end, the EOF token (the last one) as in BufferedTokenStream::LT.
    const size_t i = _p + static_cast<size_t>(k) - 1;
    return i < _tokens.size() ? _tokens[i].get() : _tokens.back().get();
  }
  if (stopped_ && k > 0) return _tokens.back().get();  // stop() fetched every token: EOF
  if (!one_channel_) return CommonTokenStream::LT(k);
  return BufferedTokenStream::LT(k);  // k < 0 comes back to LB below
}

size_t TokenStream::LA(ssize_t i) {
  if (fast_ && i > 0) {
    const size_t at = _p + static_cast<size_t>(i) - 1;
    return static_cast<const PooledToken*>(at < _tokens.size() ? _tokens[at].get() : _tokens.back().get())->type();
  }
  return LT(i)->getType();
}

void TokenStream::consume() {
  // BufferedTokenStream::consume without the sync: with every token fetched, the next index is
  // valid unless the current token is EOF, which the runtime refuses to consume.
  if (fast_ && _p + 1 < _tokens.size()) {
    ++_p;
    return;
  }
  CommonTokenStream::consume();
}

Token* TokenStream::LB(size_t k) {
  if (!one_channel_) return CommonTokenStream::LB(k);
  if (k == 0 || k > _p) return nullptr;
  return _tokens[_p - k].get();
}

ssize_t TokenStream::adjustSeekIndex(size_t i) {
  if (!one_channel_) return CommonTokenStream::adjustSeekIndex(i);
  return static_cast<ssize_t>(i);
}

}  // namespace promvet::promql::parse_detail
