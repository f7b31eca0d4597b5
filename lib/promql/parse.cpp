// The PromQL front end's driver: one lexer (parse_lexer.cpp), token stream and ANTLR parser per
// thread, fed each expression in turn. Error policy: one error per expression, the first in source order.
// Lexer-level problems (stray characters, bad numbers, unbalanced brackets, bad escapes) are
// found by a scan of the token stream (parse_scan.cpp), parser-level ones are ANTLR's first
// error as FirstErrorStrategy records it (parse_errors.cpp phrases it); whichever sits earlier
// wins, as in Prometheus where the lexer feeds the parser token by token. The AST is built
// from the parse tree (parse_builder.cpp).
#include "promql/parse.h"

#include <fmt/format.h>

#include "promql/parse_internal.h"
#include "promql/parse_runtime_internal.h"

namespace promvet::promql {
namespace {

using namespace parse_detail;

// One lexer/parser pair per thread: ANTLR's DFA cache is shared, but constructing the parser
// per expression would dominate the cost of parsing short expressions.
struct Machinery {
  ByteCharStream input;
  Lexer lexer{&input};
  TokenStream tokens{&lexer};
  Parser parser{&tokens};
  // The stream's tokens as plain pointers, refilled per expression into the same storage
  // (BufferedTokenStream::getTokens() builds a new vector, growing it token by token).
  std::vector<Token*> token_list;
  std::shared_ptr<FirstErrorStrategy> errors = std::make_shared<FirstErrorStrategy>(&tokens);
  Machinery() {
    parser.removeErrorListeners();
    parser.setErrorHandler(errors);
  }
};

Machinery& this_thread_machinery() {
  thread_local Machinery m;
  return m;
}

struct SyntaxError {
  const Token* offending;  // as ANTLR found it (refine_offending moves it for the message)
  size_t consumed;         // tokens the parser had matched when it gave up
};

P::RootContext* run_parser(Machinery& m, antlr4::atn::PredictionMode mode, std::optional<SyntaxError>* error) {
  auto* simulator = m.parser.getInterpreter<ParserSimulator>();
  PredictionScope holding_the_dfa(*simulator);
  simulator->setPredictionMode(mode);
  simulator->forget_full_context();
  m.errors->reset(&m.parser);
  P::RootContext* tree = m.parser.root();  // a syntax error is recorded, not thrown
  const std::optional<FirstErrorStrategy::Error>& first = m.errors->error();
  if (!first) return tree;
  *error = SyntaxError{first->offending, first->consumed};
  return nullptr;
}

}  // namespace

ParseResult parse(std::string_view source, const ParseOptions& options) {
  ParseResult result;
  if (source.size() > options.max_bytes) {
    result.error = ParseError{fmt::format("expression is longer than the limit of {} bytes", options.max_bytes),
                              {0, static_cast<uint32_t>(std::min<size_t>(source.size(), UINT32_MAX))}};
    return result;
  }
  Machinery& m = this_thread_machinery();
  m.input.load(source);
  m.lexer.reset(source);
  m.tokens.setTokenSource(&m.lexer);
  m.tokens.fill();

  m.token_list.clear();
  for (size_t i = 0; i < m.tokens.size(); ++i) m.token_list.push_back(m.tokens.get(i));
  std::optional<LexicalError> lexical = scan_tokens(m.token_list, source, options);
  if (!lexical && m.tokens.size() == 1) {  // only EOF: blank or comments
    result.error = ParseError{"no expression found in input", {0, 0}};
    return result;
  }
  // A nesting error must stop us before the recursive-descent parser recurses that deep.
  if (lexical && lexical->error.message.rfind("expression nesting", 0) == 0) {
    result.error = lexical->error;
    return result;
  }

  m.parser.setTokenStream(&m.tokens);
  struct TreeCleanup {
    P& parser;
    ~TreeCleanup() { parser.getTreeTracker().reset(); }
  } cleanup{m.parser};
  std::optional<SyntaxError> syntax;
  P::RootContext* tree = run_parser(m, antlr4::atn::PredictionMode::SLL, &syntax);
  if (!tree) {
    // SLL can fail on input LL accepts; only LL's verdict is final. But the tokens the SLL pass
    // matched before giving up are a prefix of some valid expression (the descent itself is
    // exact; only its choices can be wrong), and LL reports an error only at a token where no
    // valid expression can continue, so LL's offending token cannot come before the first
    // unmatched one (refine_offending only moves it later). When a lexical error starts at or
    // before that token, it wins over whatever LL would find: the second pass is skipped.
    if (lexical && syntax->consumed < m.tokens.size() &&
        lexical->token_begin <= token_range(m.tokens.get(syntax->consumed)).begin) {
      result.error = lexical->error;
      return result;
    }
    // SLL and LL choose differently only at a DFA state that requires full context: when the
    // SLL pass reached none, LL would make the same choices and stop at the same token.
    if (m.parser.getInterpreter<ParserSimulator>()->reached_full_context()) {
      syntax.reset();
      m.tokens.seek(0);
      m.parser.setTokenStream(&m.tokens);
      tree = run_parser(m, antlr4::atn::PredictionMode::LL, &syntax);
    }
  }

  const Token* offending = syntax ? refine_offending(m.token_list, syntax->offending) : nullptr;
  if (lexical && (!offending || lexical->token_begin <= token_range(offending).begin)) {
    result.error = lexical->error;
    return result;
  }
  if (offending) {
    result.error = ParseError{syntax_message(m.token_list, offending, source), token_range(offending)};
    return result;
  }
  try {
    result.expr = build_ast(tree->expression(), source, options);
  } catch (const Failure& f) {
    result.error = f.error;
    return result;
  }
  if (options.type_check) {
    CheckOptions check_options;
    check_options.enable_experimental_functions = options.enable_experimental_functions;
    if (std::optional<CheckError> e = check(*result.expr, source, check_options)) {
      result.error = ParseError{e->message, e->range};
      result.expr.reset();
    }
  }
  return result;
}

PredictionCacheSize prediction_cache_size() {
  return this_thread_machinery().parser.getInterpreter<ParserSimulator>()->cache_size();
}

std::string format_error(std::string_view source, const ParseError& error) {
  LineIndex index(source);
  LineIndex::Location at = index.locate(std::min<uint32_t>(error.range.begin, static_cast<uint32_t>(source.size())));
  return fmt::format("{}:{}: parse error: {}", at.line, at.column, error.message);
}

}  // namespace promvet::promql
