// The generated PromQL parser skips the ANTLR runtime's check of its ATN when it builds it
// (cmake/AntlrLazyInit.cmake: it was a third of the deserialization, paid by every run that
// parses PromQL) unless $PROMVET_ANTLR_VERIFY_ATN is set. This test sets it before the first
// parser of the process is built, so the check runs on the same serialized ATN with the same
// runtime; a failed check throws from the constructor. Its own process: ctest runs each test alone.
// (The lexer is hand-written: the parser is the one generated recognizer.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "PromQLParser.h"
#include "antlr4-runtime.h"
#include "promql/parse.h"

namespace {

TEST(GeneratedRecognizers, AtnPassesTheRuntimesCheckAndParses) {
  ASSERT_EQ(setenv("PROMVET_ANTLR_VERIFY_ATN", "1", 1), 0);
  // The parser is built on a stream of just the end of input (the ATN does not depend on it).
  std::vector<std::unique_ptr<antlr4::Token>> eof;
  eof.push_back(std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF));
  antlr4::ListTokenSource source(std::move(eof));
  antlr4::CommonTokenStream tokens(&source);
  std::unique_ptr<promvet_antlr::PromQLParser> parser;
  ASSERT_NO_THROW(parser = std::make_unique<promvet_antlr::PromQLParser>(&tokens));
  EXPECT_GT(parser->getATN().states.size(), 100u);
  EXPECT_GT(parser->getATN().getNumberOfDecisions(), 10u);
  // And the parser works: promvet's, on the ATN built above.
  promvet::promql::ParseResult r = promvet::promql::parse("sum by (job) (rate(http_requests_total[5m]))", {});
  EXPECT_TRUE(r.ok()) << r.error->message;
  EXPECT_TRUE(r.expr);
}

}  // namespace
