#pragma once
// Leaner plumbing around the ANTLR runtime for the generated PromQL lexer; the grammar and the
// generated code stay as they are. The 4.9 runtime spends most of a short expression's lexing
// time around its DFA rather than in it: a UTF-32 copy of the input, a read-write lock and a
// std::function per character or token, dynamic_casts per token. These subclasses keep the
// runtime's algorithm (same DFA, same ATN fallback, same actions) without those costs.
#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "promql/parse_internal.h"

namespace promvet::promql::parse_detail {

// A per-thread free list for the two objects made for every token, the token itself and its
// parse-tree leaf: about 30 of each per expression, made and freed by the runtime one by one, with
// malloc and free about a tenth of a valid expression's instructions. T declares operator
// new/delete on top of this (the runtime deletes through base pointers, and with a virtual
// destructor that reaches T's operator delete). Blocks of another size (a subclass) and blocks
// beyond kKept go to the global allocator; the kept ones are freed when the thread ends.
template <class T>
class BlockPool {
 public:
  static constexpr size_t kKept = 4096;
  static BlockPool& of_this_thread() {
    thread_local BlockPool pool;
    return pool;
  }
  void* take(size_t size) {
    if (size != sizeof(T) || head_ == nullptr) return ::operator new(size);
    Free* block = head_;
    head_ = block->next;
    --kept_;
    return block;
  }
  void give(void* block, size_t size) {
    if (size != sizeof(T) || kept_ >= kKept) {
      ::operator delete(block);
      return;
    }
    head_ = new (block) Free{head_};
    ++kept_;
  }
  ~BlockPool() {
    while (head_ != nullptr) {
      Free* next = head_->next;
      ::operator delete(head_);
      head_ = next;
    }
  }

 private:
  struct Free {
    Free* next;
  };
  Free* head_ = nullptr;
  size_t kept_ = 0;
};

class PooledToken : public antlr4::CommonToken {
 public:
  using CommonToken::CommonToken;
  static void* operator new(size_t size) { return BlockPool<PooledToken>::of_this_thread().take(size); }
  static void operator delete(void* block, size_t size) { BlockPool<PooledToken>::of_this_thread().give(block, size); }
};

class PooledTerminal : public antlr4::tree::TerminalNodeImpl {
 public:
  using TerminalNodeImpl::TerminalNodeImpl;
  static void* operator new(size_t size) { return BlockPool<PooledTerminal>::of_this_thread().take(size); }
  static void operator delete(void* block, size_t size) {
    BlockPool<PooledTerminal>::of_this_thread().give(block, size);
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

// The expression's bytes as the lexer's characters, without a copy: a byte >= 0x80 reads as
// 0x01. The grammar treats both alike (they occur only under negated sets and catch-all rules)
// and ANTLR's lexer DFA caches code points up to 127 only, so non-ASCII text stays on the DFA.
// Token indices are byte offsets; no message or value is taken from the lexer's text.
class ByteCharStream : public antlr4::CharStream {
 public:
  void load(std::string_view bytes) {
    bytes_ = bytes;
    at_ = 0;
  }
  void consume() override;
  size_t LA(ssize_t i) override;
  // LA(1) and consume() for the lexer's inner loop, without the virtual calls.
  size_t current() const {
    if (at_ >= bytes_.size()) return antlr4::IntStream::EOF;
    auto c = static_cast<unsigned char>(bytes_[at_]);
    return c >= 0x80 ? 0x01 : c;
  }
  void advance() { ++at_; }
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

// The lexer simulator with its DFA walk inlined: DFA edges already known are looked up in a
// per-thread table (the shared DFA only grows and its states never move, so a pointer read once
// under the runtime's lock stays valid) and lexer actions run without the executor's wrapper.
class LexerSimulator : public antlr4::atn::LexerATNSimulator {
 public:
  using LexerATNSimulator::LexerATNSimulator;
  size_t match(antlr4::CharStream* input, size_t mode) override;
  // The stream the inner loop may read directly; others go through the runtime's loop.
  void set_fast_input(ByteCharStream* input) { fast_input_ = input; }

 protected:
  size_t execATN(antlr4::CharStream* input, antlr4::dfa::DFAState* ds0) override;
  void accept(antlr4::CharStream* input, const std::shared_ptr<antlr4::atn::LexerActionExecutor>& executor,
              size_t start_index, size_t index, size_t line, size_t char_pos) override;

 private:
  struct Actions {
    bool position_independent = true;
    std::vector<antlr4::atn::LexerAction*> list;
  };
  antlr4::dfa::DFAState* target(antlr4::CharStream* input, antlr4::dfa::DFAState* s, size_t t);
  size_t slow_execATN(antlr4::CharStream* input, antlr4::dfa::DFAState* ds0);
  const Actions& actions_of(const antlr4::atn::LexerActionExecutor& executor);

  std::unordered_map<const antlr4::atn::LexerActionExecutor*, Actions> actions_;
  ByteCharStream* fast_input_ = nullptr;

  // [mode][DFA state number][character] → next state, null when not looked up yet.
  std::array<std::vector<std::array<antlr4::dfa::DFAState*, 128>>, 4> edges_;
};

// The generated lexer with the simulator above and a token loop without per-token wrappers.
class Lexer : public promvet_antlr::PromQLLexer {
 public:
  explicit Lexer(ByteCharStream* input);
  std::unique_ptr<Token> nextToken() override;
  size_t getLine() const override { return simulator_->getLine(); }
  size_t getCharPositionInLine() override { return simulator_->getCharPositionInLine(); }

 private:
  LexerSimulator* simulator_;
  TokenFactory factory_;
};

// The parser simulator with the same per-thread table of known DFA edges, and a prediction
// entry point without the runtime's per-call std::function when the decision's DFA already has
// its start state (the first prediction of each decision goes through the runtime).
class ParserSimulator : public antlr4::atn::ParserATNSimulator {
 public:
  ParserSimulator(antlr4::Parser* parser, const antlr4::atn::ATN& atn, std::vector<antlr4::dfa::DFA>& dfa,
                  antlr4::atn::PredictionContextCache& cache);
  size_t adaptivePredict(antlr4::TokenStream* input, size_t decision, antlr4::ParserRuleContext* outer) override;

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* previous, size_t t) override;

 private:
  size_t width_;  // token types + EOF
  // [decision][DFA state number * width_ + token type + 1] → next state, null when not looked up yet.
  std::vector<std::vector<antlr4::dfa::DFAState*>> edges_;
};

// The generated parser with the simulator above, entering rules without a dynamic_cast.
class Parser : public promvet_antlr::PromQLParser {
 public:
  explicit Parser(antlr4::TokenStream* input);
  void enterRule(ParserRuleContext* context, size_t state, size_t rule) override;
  // Room for four children up front: most contexts have two to four, and the vector would
  // otherwise grow 1, 2, 4 with a reallocation each time.
  void enterOuterAlt(ParserRuleContext* context, size_t alternative) override;
  void pushNewRecursionContext(ParserRuleContext* context, size_t state, size_t rule) override;
  // Parser::consume() with the leaf made a PooledTerminal.
  Token* consume() override;
};

// CommonTokenStream minus a dynamic_cast per token (every token here is a CommonToken) and,
// while every token is on the default channel (the grammar hides none: whitespace and comments
// are skipped), minus the search for the next token on the channel at each look-ahead.
class TokenStream : public antlr4::CommonTokenStream {
 public:
  using CommonTokenStream::CommonTokenStream;
  void setTokenSource(antlr4::TokenSource* source) override;
  Token* LT(ssize_t k) override;

 protected:
  size_t fetch(size_t n) override;
  Token* LB(size_t k) override;
  ssize_t adjustSeekIndex(size_t i) override;

 private:
  bool one_channel_ = true;
};

}  // namespace promvet::promql::parse_detail
