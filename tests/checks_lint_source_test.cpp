// lint_source: PromQL errors inside an extracted expression are reported at the right line and
// column of the user's file (through the expression's offset map), diagnostics keep their
// positions, and suppressions drop what they name.
#include <gtest/gtest.h>

#include <string>

#include "checks/lint_source.h"

namespace pv = promvet;

namespace {

// The expression sits in the file at `at`, written with one JSON escape (\") that the map skips.
struct Fixture {
  std::string content = "{\n  \"expr\": \"rate(foo{a=\\\"b\\\"}[5m]) +\"\n}\n";
  pv::sources::SourceFile file;
  Fixture() {
    file.path = "dash.json";
    pv::sources::Expression e;
    e.text = "rate(foo{a=\"b\"}[5m]) +";
    e.panel_title = "Errors";
    e.dashboard_title = "Service";
    size_t at = content.find("rate(");
    // Build the map by walking the JSON string: an escape's bytes map to its backslash.
    for (size_t i = at; e.map.to_file.size() < e.text.size(); ++i) {
      if (content[i] == '\\') {
        e.map.to_file.push_back(static_cast<uint32_t>(i));
        ++i;
        continue;
      }
      e.map.to_file.push_back(static_cast<uint32_t>(i));
    }
    e.map.to_file.push_back(static_cast<uint32_t>(content.find("\"\n}")));
    file.expressions.push_back(std::move(e));
  }
};

}  // namespace

TEST(LintSource, PromqlErrorPointsIntoTheOriginalFile) {
  Fixture fx;
  auto findings = pv::checks::lint_source(fx.file, fx.content);
  ASSERT_EQ(findings.size(), 1u);
  const auto& f = findings[0];
  EXPECT_EQ(f.check_id, "promql/invalid");
  EXPECT_EQ(f.message, "unexpected end of input");
  EXPECT_EQ(f.line, 2u);
  // Column of the closing quote of the JSON string: where the expression ends in the file.
  EXPECT_EQ(f.column, fx.content.find("\"\n}") - fx.content.find('\n'));
  EXPECT_EQ(f.source_line, "  \"expr\": \"rate(foo{a=\\\"b\\\"}[5m]) +\"");
  EXPECT_EQ(f.panel, "Errors");
  EXPECT_EQ(f.dashboard, "Service");
  EXPECT_EQ(f.expr, "rate(foo{a=\"b\"}[5m]) +");
}

TEST(LintSource, ErrorAfterAnEscapeCountsTheEscapeBytes) {
  Fixture fx;
  fx.file.expressions[0].text = "rate(foo{a=\"b\"}[5m]) $";
  auto findings = pv::checks::lint_source(fx.file, fx.content);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message, "unexpected character: '$'");
  // '$' replaces '+' here; in the file '+' is two bytes further right than in the text (two \").
  size_t plus = fx.content.find('+');
  EXPECT_EQ(findings[0].column, plus - fx.content.find('\n'));
}

TEST(LintSource, DiagnosticsAndSuppressions) {
  Fixture fx;
  pv::sources::Diagnostic d;
  d.check_id = "source/invalid-json";
  d.message = "unexpected end of input";
  d.offset = static_cast<uint32_t>(fx.content.size() - 1);
  fx.file.diagnostics.push_back(d);
  auto both = pv::checks::lint_source(fx.file, fx.content);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].check_id, "source/invalid-json");
  EXPECT_EQ(both[1].line, 3u);

  fx.file.expressions[0].disabled_checks = {"promql/invalid"};
  fx.file.file_disabled_checks = {"source/invalid-json"};
  EXPECT_TRUE(pv::checks::lint_source(fx.file, fx.content).empty());
}

TEST(LintSource, ValidExpressionsGiveNoFinding) {
  Fixture fx;
  fx.file.expressions[0].text = "rate(foo{a=\"b\"}[5m])";
  EXPECT_TRUE(pv::checks::lint_source(fx.file, fx.content).empty());
}
