#pragma once
// Leaner plumbing around the ANTLR runtime for the generated PromQL parser, and the hand-written
// lexer feeding it; the grammar and the generated code stay as they are. The 4.9 runtime spends
// much of a short expression's time around its algorithms rather than in them: locks and
// std::functions per prediction, dynamic_casts and a malloc per token. These subclasses keep the
// runtime's algorithm (same DFA, same ATN fallback) without those costs.
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "promql/antlr/block_pool_internal.h"
#include "promql/parse_internal.h"
#include "promql/prediction_cache.h"

namespace promvet::promql::parse_detail {

// The two objects made for every token, the token itself and its parse-tree leaf (about 30 of
// each per expression, made and freed by the runtime one by one), from per-thread free lists:
// malloc and free were about a tenth of a valid expression's instructions.
class PooledToken : public antlr4::CommonToken {
 public:
  using CommonToken::CommonToken;
  size_t type() const { return _type; }  // getType() without the virtual call
  static void* operator new(size_t size) { return promvet_antlr::PooledBlocks<PooledToken>::allocate(size); }
  static void operator delete(void* block, size_t size) {
    promvet_antlr::PooledBlocks<PooledToken>::deallocate(block, size);
  }
};

class PooledTerminal : public antlr4::tree::TerminalNodeImpl {
 public:
  using TerminalNodeImpl::TerminalNodeImpl;
  static void* operator new(size_t size) { return promvet_antlr::PooledBlocks<PooledTerminal>::allocate(size); }
  static void operator delete(void* block, size_t size) {
    promvet_antlr::PooledBlocks<PooledTerminal>::deallocate(block, size);
  }
};

// CommonTokenFactory::DEFAULT's behaviour (no text copied: token text is read from the source),
// making PooledTokens.
class TokenFactory : public antlr4::CommonTokenFactory {
 public:
  std::unique_ptr<antlr4::CommonToken> create(std::pair<antlr4::TokenSource*, antlr4::CharStream*> source, size_t type,
                                              const std::string& text, size_t channel, size_t start, size_t stop,
                                              size_t line, size_t column) override;
  std::unique_ptr<antlr4::CommonToken> create(size_t type, const std::string& text) override;
};

// The expression's bytes as the CharStream ANTLR's tokens refer to, without a copy (a byte >= 0x80
// reads as 0x01). Only ANTLR's own interfaces read it: token indices are byte offsets and no
// message or value is taken from a token's text.
class ByteCharStream : public antlr4::CharStream {
 public:
  void load(std::string_view bytes) {
    bytes_ = bytes;
    at_ = 0;
  }
  void consume() override;
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return at_; }
  void seek(size_t index) override { at_ = std::min(index, bytes_.size()); }
  size_t size() override { return bytes_.size(); }
  std::string getSourceName() const override { return "<promql>"; }
  std::string getText(const antlr4::misc::Interval& interval) override;
  std::string toString() const override { return std::string(bytes_); }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

// The hand-written PromQL lexer (parse_lexer.cpp) as the parser's token source: the token types
// are those grammar/PromQLParser.g4 declares, token indices are byte offsets into the expression.
class Lexer : public antlr4::TokenSource {
 public:
  explicit Lexer(ByteCharStream* input) : input_(input) {}
  // Starts over on `source` (the bytes `input` was loaded with), in the statements mode.
  void reset(std::string_view source);
  std::unique_ptr<Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return at_ - line_start_; }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return "<promql>"; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override { return &factory_; }

 private:
  enum class Mode { Statements, Braces, Brackets };
  size_t scan();
  size_t scan_statement(char c);
  size_t scan_operator(char c);
  size_t scan_in_braces(char c);
  size_t scan_in_brackets(char c);
  size_t scan_number();
  size_t scan_string(char quote);
  size_t number_end(size_t i) const;
  size_t duration_end(size_t i) const;
  char peek(size_t k) const;
  void newline_at(size_t i);

  ByteCharStream* input_;
  TokenFactory factory_;
  std::string_view src_;
  size_t at_ = 0;
  size_t line_ = 1;        // as ANTLR counts: from 1, a new line after each '\n'
  size_t line_start_ = 0;  // the byte after the last '\n', for the column
  Mode mode_ = Mode::Statements;
};

class TokenStream;

// The runtime's SingleWriteMultipleReadLock (ATNSimulator's _stateLock and _edgeLock) held for a scope.
template <bool Write>
class RuntimeLock {
 public:
  explicit RuntimeLock(antlrcpp::SingleWriteMultipleReadLock& lock) : lock_(lock) {
    if (Write) lock_.writeLock();
    else lock_.readLock();
  }
  ~RuntimeLock() {
    if (Write) lock_.writeUnlock();
    else lock_.readUnlock();
  }
  RuntimeLock(const RuntimeLock&) = delete;
  RuntimeLock& operator=(const RuntimeLock&) = delete;

 private:
  antlrcpp::SingleWriteMultipleReadLock& lock_;
};

// The parser simulator with a per-thread table of the DFA edges and start states it has read,
// and a prediction entry point without the runtime's per-call std::function. Once the parse has
// stopped at its first error, every prediction is INVALID_ALT_NUMBER: the generated code then
// leaves every loop and takes no alternative, so each rule returns without descending.
//
// The DFA is shared by every thread's parser and grows while they predict. The runtime adds a
// state under its static _stateLock and an edge (a precedence start state is an edge of dfa.s0)
// under _edgeLock, both write locks; a state's fields are all set before it is added. So a
// state or edge first read here is read under the read lock its writer took, which orders all
// of the state's fields before the read; the tables then keep the pointer for this thread, whose
// later reads need no lock (once added, a state changes only in its edges map, read under the
// lock, and is not freed while parsers run).
class ParserSimulator : public antlr4::atn::ParserATNSimulator {
 public:
  ParserSimulator(antlr4::Parser* owner, const TokenStream* tokens, const antlr4::atn::ATN& grammar,
                  std::vector<antlr4::dfa::DFA>& dfa, antlr4::atn::PredictionContextCache& cache);
  size_t adaptivePredict(antlr4::TokenStream* input, size_t decision, antlr4::ParserRuleContext* outer) override;

  // Whether a prediction since the last forget_full_context() reached a DFA state where SLL and
  // LL may choose differently (requiresFullContext: SLL takes the smallest conflicting
  // alternative, LL looks at the whole call stack). Everywhere else both modes walk the same
  // DFA to the same prediction, so an SLL parse that never reached such a state is exactly what
  // the LL parse would be, its first error included.
  bool reached_full_context() const { return reached_full_context_; }
  void forget_full_context() { reached_full_context_ = false; }

  // The shared DFA's size and this thread's tables (prediction_cache.cpp).
  PredictionCacheSize cache_size();

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* previous, size_t t) override;
  // The ATN closure without run-time type tests (parse_closure.cpp).
  void closureCheckingStopState(const std::shared_ptr<antlr4::atn::ATNConfig>& config,
                                antlr4::atn::ATNConfigSet* configs, antlr4::atn::ATNConfig::Set& busy,
                                bool collect_predicates, bool full_context, int depth, bool eof_as_epsilon) override;
  void closure_(const std::shared_ptr<antlr4::atn::ATNConfig>& config, antlr4::atn::ATNConfigSet* configs,
                antlr4::atn::ATNConfig::Set& busy, bool collect_predicates, bool full_context, int depth,
                bool eof_as_epsilon) override;
  antlr4::dfa::DFAState* computeTargetState(antlr4::dfa::DFA& dfa, antlr4::dfa::DFAState* previous, size_t t) override;
  // The runtime's, counting what it adds for the cache's limit (prediction_cache.cpp).
  antlr4::dfa::DFAState* addDFAState(antlr4::dfa::DFA& dfa, antlr4::dfa::DFAState* state) override;

 private:
  antlr4::dfa::DFAState* note(antlr4::dfa::DFAState* next) {
    if (next != nullptr && next->requiresFullContext) reached_full_context_ = true;
    return next;
  }
  antlr4::dfa::DFAState* known_target(antlr4::dfa::DFAState* previous, size_t t);
  // The decision's start state (for a precedence DFA, the parser's current precedence's):
  // from the table, else as published in the DFA, else computed and added as the runtime's
  // adaptivePredict does.
  antlr4::dfa::DFAState* start_state(antlr4::dfa::DFA& dfa);  // inline, below Parser
  antlr4::dfa::DFAState* find_start_state(antlr4::dfa::DFA& dfa, int precedence);
  antlr4::dfa::DFAState* published_start_state(antlr4::dfa::DFA& dfa, int precedence);
  antlr4::dfa::DFAState* add_start_state(antlr4::dfa::DFA& dfa, int precedence);

  friend class PredictionScope;
  // Empties the tables, whose states a clear of the DFA has freed.
  void forget_dfa();

  const TokenStream* tokens_;
  bool reached_full_context_ = false;
  uint64_t generation_ = 0;                   // the DFA's clears the tables have seen
  size_t width_;                              // token types + EOF
  std::vector<uint8_t> precedence_decision_;  // [decision] → whether its DFA is a precedence DFA
  // [decision][precedence, 0 for a DFA without] → start state, null when not looked up yet.
  std::vector<std::vector<antlr4::dfa::DFAState*>> starts_;
  // [decision][DFA state number * width_ + token type + 1] → next state, null when not looked up yet.
  std::vector<std::vector<antlr4::dfa::DFAState*>> edges_;
};

// A parse's hold on the shared prediction cache (prediction_cache.h), from before its first
// prediction to after its last: the DFA is cleared only while no parse holds it. Taking it
// first clears the DFA when it has passed the limit, then empties this thread's tables when the
// DFA was cleared since this thread last parsed.
class PredictionScope {
 public:
  explicit PredictionScope(ParserSimulator& simulator);
  ~PredictionScope();
  PredictionScope(const PredictionScope&) = delete;
  PredictionScope& operator=(const PredictionScope&) = delete;
};

// The generated parser with the simulator above, entering rules without a dynamic_cast.
class Parser : public promvet_antlr::PromQLParser {
 public:
  explicit Parser(TokenStream* input);
  void enterRule(ParserRuleContext* context, size_t state, size_t rule) override;
  // Room for four children up front (most contexts have two to four, and the vector would
  // otherwise grow 1, 2, 4 with a reallocation each time), in a freed context's buffer.
  void enterOuterAlt(ParserRuleContext* context, size_t alternative) override;
  void pushNewRecursionContext(ParserRuleContext* context, size_t state, size_t rule) override;
  // Parser::consume() with the leaf made a PooledTerminal.
  Token* consume() override;
  int precedence() const { return _precedenceStack.empty() ? -1 : _precedenceStack.back(); }  // getPrecedence()
};

inline antlr4::dfa::DFAState* ParserSimulator::start_state(antlr4::dfa::DFA& dfa) {
  const size_t decision = dfa.decision;
  const int precedence = precedence_decision_[decision] ? static_cast<const Parser*>(parser)->precedence() : 0;
  const std::vector<antlr4::dfa::DFAState*>& known = starts_[decision];
  const auto at = static_cast<size_t>(precedence);  // a negative precedence is past any table
  if (at < known.size() && known[at] != nullptr) return known[at];
  return find_start_state(dfa, precedence);
}

// CommonTokenStream minus a dynamic_cast per token (every token here is a CommonToken) and,
// while every token is on the default channel (the lexer hides none: whitespace and comments
// are skipped), minus the search for the next token on the channel at each look-ahead.
// Once every token is fetched (parse() fills the stream before parsing), look-ahead and consume
// are an index into the token vector: no sync, no lazy set-up check, no virtual hops.
//
// After stop(), every look-ahead is the EOF token, until resume() (FirstErrorStrategy).
class TokenStream : public antlr4::CommonTokenStream {
 public:
  using CommonTokenStream::CommonTokenStream;
  void stop() {
    fill();
    stopped_ = true;
    fast_ = false;
  }
  void resume() {
    stopped_ = false;
    fast_ = filled();
  }
  bool stopped() const { return stopped_; }
  void setTokenSource(antlr4::TokenSource* source) override;
  Token* LT(ssize_t k) override;
  size_t LA(ssize_t i) override;
  void consume() override;

 protected:
  size_t fetch(size_t n) override;
  Token* LB(size_t k) override;
  ssize_t adjustSeekIndex(size_t i) override;

 private:
  // Every token fetched (fill() sets the stream up first) and all on the default channel.
  bool filled() const { return one_channel_ && _fetchedEOF; }
  bool one_channel_ = true;
  bool stopped_ = false;
  // filled() and not stopped: look-ahead is an index into the tokens, all PooledTokens (the
  // lexer makes no other kind). One flag, so the hot path tests one thing.
  bool fast_ = false;
};

// Error handling for a parse that reports its first syntax error only. ANTLR's
// BailErrorStrategy throws at the first error, and the exception then unwinds through every
// rule's frame (each with a handler to match and a cleanup to run), which was a fifth of a fuzz
// execution's time; SLL's failure and LL's make two per invalid expression. This strategy
// records the error where it is found (the same offending token, the same tokens consumed) and
// stops the token stream and the predictions instead, so the parse returns normally, rule by
// rule, without matching anything more. Only the errors the generated code itself throws
// (a failed prediction, a failed precedence predicate, an LL(1) choice with no alternative)
// remain exceptions, caught in the rule that threw them.
class FirstErrorStrategy : public antlr4::ANTLRErrorStrategy {
 public:
  struct Error {
    const Token* offending;
    size_t consumed;  // tokens the parser had matched when it found the error
  };
  explicit FirstErrorStrategy(TokenStream* tokens) : tokens_(tokens) {}
  const std::optional<Error>& error() const { return error_; }

  void reset(antlr4::Parser*) override {
    error_.reset();
    tokens_->resume();
  }
  Token* recoverInline(antlr4::Parser* parser) override {
    Token* current = parser->getCurrentToken();
    record(current);
    return current;
  }
  void recover(antlr4::Parser*, std::exception_ptr) override {}
  void sync(antlr4::Parser*) override {}
  bool inErrorRecoveryMode(antlr4::Parser*) override { return false; }
  void reportMatch(antlr4::Parser*) override {}
  void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) override {
    const Token* offending = e.getOffendingToken();
    record(offending != nullptr ? offending : parser->getCurrentToken());
  }

 private:
  void record(const Token* offending) {
    if (error_) return;
    error_ = Error{offending, tokens_->index()};
    tokens_->stop();
  }
  TokenStream* tokens_;
  std::optional<Error> error_;
};

}  // namespace promvet::promql::parse_detail
