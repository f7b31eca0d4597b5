// The pieces of --fix and --changed-since: which replacements are equivalent, which map exactly
// onto the user's bytes, suggestions that must parse, the unified diff (compared with diff -u),
// and the reading of `git diff --unified=0`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/fix_apply.h"
#include "checks/fix_edit.h"
#include "io/git_changes.h"
#include "promql/parse.h"
#include "report/unified_diff.h"
#include "sources/dashboard.h"
#include "sources/rules.h"
#include "test_support.h"

namespace promvet {
namespace {

using checks::FixEdit;

sources::Expression query(std::string text, sources::ExpressionKind kind = sources::ExpressionKind::RecordingRule) {
  sources::Expression e;
  e.kind = kind;
  e.text = std::move(text);
  for (uint32_t i = 0; i <= e.text.size(); ++i) e.map.to_file.push_back(i);
  return e;
}

TEST(FixEquivalence, OnlyReplacementsThatKeepTheMeaning) {
  sources::Expression rule = query("x");
  sources::Expression panel = query("x", sources::ExpressionKind::PanelTarget);
  EXPECT_TRUE(checks::equivalent_fix("promql/regex", rule, "=~", "="));
  EXPECT_TRUE(checks::equivalent_fix("promql/regex", rule, "!~", "!="));
  EXPECT_FALSE(checks::equivalent_fix("promql/regex", rule, "=", "=~"));  // multi-value variable: a new meaning
  EXPECT_TRUE(checks::equivalent_fix("promql/regex", rule, "\"^a|b$\"", "\"a|b\""));
  EXPECT_TRUE(checks::equivalent_fix("promql/regex", rule, "'^a'", "'a'"));
  EXPECT_FALSE(checks::equivalent_fix("promql/regex", rule, "\"^*a\"", "\"*a\""));  // would not compile
  EXPECT_FALSE(checks::equivalent_fix("promql/regex", rule, "\"^ab$\"", "\"a\""));
  EXPECT_TRUE(checks::equivalent_fix("promql/range-too-short", panel, "[5m]", "[$__rate_interval]"));
  EXPECT_FALSE(checks::equivalent_fix("promql/range-too-short", rule, "[5m]", "[$__rate_interval]"));
  EXPECT_FALSE(checks::equivalent_fix("promql/range-too-short", panel, "[1m]", "[2m]"));
  EXPECT_FALSE(checks::equivalent_fix("promql/counter-without-rate", rule, "x", "rate(x[5m])"));
}

TEST(FixSuggestion, ParsesBeforeItIsOffered) {
  sources::Expression e = query("node_network_receive_bytes_total offset 1h > 5");
  promql::Range r{0, static_cast<uint32_t>(std::string("node_network_receive_bytes_total offset 1h").size())};
  EXPECT_FALSE(checks::suggestion_parses(e, r, "rate(node_network_receive_bytes_total offset 1h[5m])"));
  EXPECT_TRUE(checks::suggestion_parses(e, r, "rate(node_network_receive_bytes_total[5m] offset 1h)"));
  EXPECT_FALSE(checks::suggestion_parses(e, r, "rate(node_network_receive_bytes_total)"));  // type error
  sources::Expression panel = query("rate(x[5m])", sources::ExpressionKind::PanelTarget);
  EXPECT_TRUE(checks::suggestion_parses(panel, {6, 10}, "[$__rate_interval]"));
}

// Lint tells suggestion_parses that the expression itself parsed, and then a duration between
// brackets replaced by another is answered without a parse: the answers must be the parse's.
TEST(FixSuggestion, KnowingTheExpressionParsesChangesNoAnswer) {
  const std::vector<std::string> texts = {
      "rate(x[5m])",
      "sum(rate(x{a=\"b\"}[5m])) by (le) / sum(rate(y[10m]))",
      "max_over_time(rate(x[1m])[30m:1m])",
      "x[5m] offset 1h",
      "rate(x[5m] anchored)",
      "x{a=\"[5m]\"} + on() rate(y[2h])",
      "count_over_time(x[1h30m] @ 100)",
  };
  const std::vector<std::string> replacements = {"[1m]",   "[$__rate_interval]", "[0s]",    "[5]",   "[1h30m]",
                                                 "[1m1h]", "[300000y]",          "[5m:1m]", "[1m] ", "[x]"};
  promql::ParseOptions all;
  for (std::string_view f : promql::kFeatures) promql::enable_feature(all, f);
  size_t compared = 0, parsed = 0;
  for (const std::string& text : texts) {
    ASSERT_TRUE(promql::parse(text, all).ok()) << text;
    for (auto kind : {sources::ExpressionKind::RecordingRule, sources::ExpressionKind::PanelTarget}) {
      sources::Expression e = query(text, kind);
      for (size_t b = text.find('['); b != std::string::npos; b = text.find('[', b + 1)) {
        const size_t end = text.find(']', b);
        promql::Range r{static_cast<uint32_t>(b), static_cast<uint32_t>(end + 1)};
        for (const std::string& s : replacements) {
          const bool slow = checks::suggestion_parses(e, r, s, false);
          EXPECT_EQ(checks::suggestion_parses(e, r, s, true), slow) << text << " [" << b << "] " << s;
          ++compared;
          parsed += slow;
        }
      }
    }
  }
  // Both answers occur, so agreeing is not trivially true.
  EXPECT_GT(parsed, 40u);
  EXPECT_GT(compared - parsed, 40u);
}

TEST(FixMapping, EditsOnlyBytesThatAreTheQueryItself) {
  // JSON: `=~` → `=` deletes the `~` before an escaped quote; an anchor written as \u005e is not
  // the byte `^`, so that fix is not mapped.
  std::string json = R"({"panels": [{"id": 1, "targets": [{"refId": "A", "expr": "x{a=~\"\u005eb\"}"}]}]})";
  sources::SourceFile d = sources::load_dashboard("d.json", json);
  ASSERT_EQ(d.expressions.size(), 1u);
  const sources::Expression& e = d.expressions[0];
  ASSERT_EQ(e.text, "x{a=~\"^b\"}");
  std::vector<FixEdit> op = checks::exact_file_edits(e, {3, 5}, "=", json);
  ASSERT_EQ(op.size(), 1u);
  EXPECT_EQ(json.substr(op[0].begin, op[0].end - op[0].begin), "~");
  EXPECT_EQ(op[0].new_text, "");
  EXPECT_TRUE(checks::exact_file_edits(e, {5, 9}, "\"b\"", json).empty());
  // YAML: a folded scalar's line break is not the space the query has there.
  std::string yaml = "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: >\n      x{a=~\"^b$\"}\n      or y\n";
  sources::SourceFile r = sources::load_rules("r.yml", yaml);
  ASSERT_EQ(r.expressions.size(), 1u);
  const sources::Expression& f = r.expressions[0];
  ASSERT_EQ(f.text.substr(0, 16), "x{a=~\"^b$\"} or y");
  std::vector<FixEdit> anchors = checks::exact_file_edits(f, {5, 10}, "\"b\"", yaml);
  ASSERT_EQ(anchors.size(), 2u);  // two deletions, the `b` between them kept
  EXPECT_EQ(anchors[0].old_text, "^");
  EXPECT_EQ(anchors[1].old_text, "$");
  EXPECT_TRUE(checks::exact_file_edits(f, {11, 12}, "+", yaml).empty());  // the folded break
  // Characters that would need escaping somewhere are never written.
  EXPECT_TRUE(checks::exact_file_edits(f, {0, 1}, "\"x\" #", yaml).empty());
}

TEST(FixPlan, OverlappingFixesAreLeftOutWholeAndDuplicatesMerged) {
  checks::Finding a, b, c;
  a.fix = {FixEdit{4, 5, "~", ""}};
  b.fix = {FixEdit{4, 5, "~", ""}};      // the same edit from another check
  c.fix = {FixEdit{3, 6, "=~\"", "x"}};  // overlaps
  checks::FixPlan plan = checks::plan_fixes({&a, &b, &c});
  EXPECT_EQ(plan.findings, (std::vector<size_t>{0, 1}));
  ASSERT_EQ(plan.edits.size(), 1u);
  std::string out;
  EXPECT_TRUE(checks::apply_edits("x{a=~\"b\"}", plan.edits, &out));
  EXPECT_EQ(out, "x{a=\"b\"}");
  EXPECT_FALSE(checks::apply_edits("x{a==\"b\"}", plan.edits, &out));  // the file changed meanwhile
}

// The diff written from the edits is the one `diff -u` writes for the same change.
TEST(UnifiedDiff, MatchesDiffU) {
  if (!test::have_program("diff")) GTEST_SKIP() << "diff not installed";
  std::string content;
  for (int i = 1; i <= 30; ++i) content += "line " + std::to_string(i) + " a=~b\n";
  content += "last a=~b";  // no newline at the end
  auto at = [&](const std::string& line) { return static_cast<uint32_t>(content.find(line) + line.size() - 3); };
  std::vector<std::vector<FixEdit>> cases = {
      {FixEdit{at("line 1 a=~b"), at("line 1 a=~b") + 1, "=", ""}},
      {FixEdit{at("line 5 a=~b") + 1, at("line 5 a=~b") + 2, "~", ""},
       FixEdit{at("line 6 a=~b") + 1, at("line 6 a=~b") + 2, "~", "~~"},
       FixEdit{at("line 12 a=~b") + 1, at("line 12 a=~b") + 2, "~", ""},
       FixEdit{at("line 25 a=~b") + 1, at("line 25 a=~b") + 2, "~", ""}},
      {FixEdit{at("last a=~b") + 1, at("last a=~b") + 2, "~", ""}},
  };
  for (const std::vector<FixEdit>& edits : cases) {
    std::string after;
    ASSERT_TRUE(checks::apply_edits(content, edits, &after));
    std::string a = test::write_temp("diff-a", content), b = test::write_temp("diff-b", after);
    test::CommandResult d =
        test::run("diff -u --label a/f --label b/f " + test::shell_quote(a) + " " + test::shell_quote(b));
    EXPECT_EQ(report::unified_diff("f", content, edits), d.out);
  }
}

TEST(GitDiff, NewSideLinesOfEachFile) {
  std::string diff =
      "diff --git a/r.yml b/r.yml\n"
      "index 1..2 100644\n"
      "--- a/r.yml\n"
      "+++ b/r.yml\n"
      "@@ -3 +3 @@ x\n"
      "-old\n"
      "+new\n"
      "@@ -10,2 +9,0 @@\n"
      "-gone\n"
      "-gone\n"
      "@@ -20,0 +20,3 @@\n"
      "+++ an added line that looks like a header\n"
      "+b\n"
      "+c\n"
      "diff --git a/old.yml b/old.yml\n"
      "deleted file mode 100644\n"
      "--- a/old.yml\n"
      "+++ /dev/null\n"
      "@@ -1 +0,0 @@\n"
      "-x\n"
      "diff --git \"a/sp\\303\\251cial.yml\" \"b/sp\\303\\251cial.yml\"\n"
      "--- /dev/null\n"
      "+++ \"b/sp\\303\\251cial.yml\"\n"
      "@@ -0,0 +1,2 @@\n"
      "+a\n"
      "+b\n"
      "\\ No newline at end of file\n";
  auto lines = io::parse_diff_new_lines(diff);
  ASSERT_EQ(lines.size(), 2u);
  using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;
  EXPECT_EQ(lines["r.yml"], (Ranges{{3, 3}, {20, 22}}));
  EXPECT_EQ(lines["sp\xc3\xa9"
                  "cial.yml"],
            (Ranges{{1, 2}}));
}

}  // namespace
}  // namespace promvet
