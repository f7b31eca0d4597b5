// The generated PromQL recognizers skip the ANTLR runtime's check of their ATN when they build it
// (cmake/AntlrLazyInit.cmake: it was a third of the deserialization, paid by every run that
// parses PromQL) unless $PROMVET_ANTLR_VERIFY_ATN is set. This test sets it before the first
// recognizer of the process is built, so the check runs on the same serialized ATNs with the same
// runtime; a failed check throws from the constructor. Its own process: ctest runs each test alone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "PromQLLexer.h"
#include "PromQLParser.h"
#include "antlr4-runtime.h"
#include "promql/parse.h"

namespace {

TEST(GeneratedRecognizers, AtnsPassTheRuntimesCheckAndParse) {
  ASSERT_EQ(setenv("PROMVET_ANTLR_VERIFY_ATN", "1", 1), 0);
  antlr4::ANTLRInputStream input("sum by (job) (rate(http_requests_total[5m]))");
  std::unique_ptr<promvet_antlr::PromQLLexer> lexer;
  ASSERT_NO_THROW(lexer = std::make_unique<promvet_antlr::PromQLLexer>(&input));
  antlr4::CommonTokenStream tokens(lexer.get());
  std::unique_ptr<promvet_antlr::PromQLParser> parser;
  ASSERT_NO_THROW(parser = std::make_unique<promvet_antlr::PromQLParser>(&tokens));
  // The checked ATN for the lexer equals the one a second, checking deserialization gives.
  antlr4::atn::ATNDeserializationOptions options;
  options.setVerifyATN(true);
  antlr4::atn::ATNDeserializer checking(options);
  antlr4::atn::ATN again;
  ASSERT_NO_THROW(again = checking.deserialize(lexer->getSerializedATN()));
  EXPECT_EQ(lexer->getATN().states.size(), again.states.size());
  EXPECT_GT(parser->getATN().states.size(), 100u);
  EXPECT_GT(parser->getATN().getNumberOfDecisions(), 10u);
  // And the recognizers work: promvet's parser, on the ATNs built above.
  promvet::promql::ParseResult r = promvet::promql::parse("sum by (job) (rate(http_requests_total[5m]))", {});
  EXPECT_TRUE(r.ok()) << r.error->message;
  EXPECT_TRUE(r.expr);
}

}  // namespace
