// Suppression markers and their audit: where markers are (comments, dashboard descriptions),
// until= dates, disable-next-line, expired markers that stop suppressing, and markers that
// suppress nothing on their own.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checks/registry.h"
#include "checks/suppression_audit.h"
#include "checks/suppression_markers.h"
#include "sources/dashboard.h"
#include "sources/rules.h"

namespace promvet::checks {
namespace {

TEST(SuppressionMarkers, CommentFormsIdsAndUntil) {
  std::string s =
      "# promvet: disable=a/b, c/d until=2027-03-01\n"
      "x: 1  #promvet:disable-file=e/f\n"
      "y: \"a#promvet: disable=not/a-comment\"\n"
      "  # promvet: disable-next-line=g/h # trailing\n"
      "# promvet: enable=i/j\n";
  std::vector<SuppressionMarker> m = find_comment_markers(s);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].form, MarkerForm::kDisable);
  ASSERT_EQ(m[0].ids.size(), 2u);
  EXPECT_EQ(m[0].ids[0].id, "a/b");
  EXPECT_EQ(m[0].ids[1].id, "c/d");
  EXPECT_EQ(s.substr(m[0].ids[1].offset, m[0].ids[1].end_offset - m[0].ids[1].offset), "c/d");
  EXPECT_EQ(m[0].until, "2027-03-01");
  EXPECT_EQ(s.substr(m[0].until_offset, 10), "2027-03-01");
  EXPECT_EQ(m[0].line, 0u);
  EXPECT_EQ(m[1].form, MarkerForm::kDisableFile);
  EXPECT_EQ(m[1].ids[0].id, "e/f");
  EXPECT_EQ(m[1].line, 1u);
  EXPECT_EQ(m[2].form, MarkerForm::kDisableNextLine);
  EXPECT_EQ(m[2].ids.size(), 1u);
  EXPECT_EQ(m[2].ids[0].id, "g/h");
  EXPECT_EQ(m[2].until, "");
  EXPECT_EQ(m[2].line, 3u);
}

TEST(SuppressionMarkers, OnlyInDescriptionStrings) {
  std::string s = R"({"description": "promvet:disable=a/b until=2020-01-01",
 "panels": [{"description" : "see \"x\" promvet: disable=c/d;e", "title": "promvet:disable=not/this"},
            {"options": {"content": "promvet:disable=nor/this"}}]})";
  std::vector<SuppressionMarker> m = find_description_markers(s);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].ids[0].id, "a/b");
  EXPECT_EQ(m[0].until, "2020-01-01");
  EXPECT_EQ(m[0].line, 0u);
  ASSERT_EQ(m[1].ids.size(), 1u);
  EXPECT_EQ(m[1].ids[0].id, "c/d");
  EXPECT_EQ(m[1].line, 1u);
}

TEST(SuppressionMarkers, ValidDates) {
  EXPECT_TRUE(valid_date("2027-03-01"));
  EXPECT_TRUE(valid_date("2028-02-29"));
  EXPECT_TRUE(valid_date("2000-02-29"));
  EXPECT_FALSE(valid_date("2100-02-29"));
  EXPECT_FALSE(valid_date("2027-02-29"));
  EXPECT_FALSE(valid_date("2027-13-01"));
  EXPECT_FALSE(valid_date("2027-04-31"));
  EXPECT_FALSE(valid_date("2027-3-01"));
  EXPECT_FALSE(valid_date("tomorrow"));
  EXPECT_TRUE(valid_date(utc_today()));
}

class Audit : public ::testing::Test {
 protected:
  std::vector<Finding> lint(const std::string& content, const std::string& today = "2026-06-15",
                            bool dashboard = false) {
    SourceLoader load = [dashboard](std::string_view text) {
      return dashboard ? sources::load_dashboard("f", text) : sources::load_rules("f", text);
    };
    LintOptions options;
    options.registry = &registry_;
    SuppressionAuditOptions audit;
    audit.today = today;
    audit.dashboard = dashboard;
    return lint_auditing_suppressions(load(content), content, load, options, audit).findings;
  }
  static std::vector<std::string> brief(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings)
      out.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.check_id);
    return out;
  }
  Registry registry_ = make_registry();
};

// A rule with an unclosed parenthesis (promql/invalid at line 6 or 5).
std::string rule_file(const std::string& marker_line) {
  return "groups:\n- name: g\n  rules:\n" + marker_line + "\n  - record: job:a:sum\n    expr: sum(rate(a_total[5m])\n";
}

TEST_F(Audit, UntilDateIsInclusiveAndThenExpires) {
  std::string f = rule_file("  # promvet: disable=promql/invalid until=2026-06-15");
  EXPECT_EQ(brief(lint(f, "2026-06-15")), std::vector<std::string>{});
  std::vector<Finding> got = lint(f, "2026-06-16");
  EXPECT_EQ(brief(got), (std::vector<std::string>{"4:43 source/expired-suppression", "6:32 promql/invalid"}));
  EXPECT_EQ(got[0].severity, Severity::kWarning);
  EXPECT_EQ(got[0].message, "the suppression of promql/invalid expired on 2026-06-15 and no longer applies");
  // The finding's line is the user's, not the switched-off copy.
  EXPECT_EQ(got[0].source_line, "  # promvet: disable=promql/invalid until=2026-06-15");
}

TEST_F(Audit, InvalidUntilIsReportedAndDoesNotSuppress) {
  std::vector<Finding> got = lint(rule_file("  # promvet: disable=promql/invalid until=2026-02-30"));
  EXPECT_EQ(brief(got), (std::vector<std::string>{"4:43 source/expired-suppression", "6:32 promql/invalid"}));
  EXPECT_EQ(got[0].message,
            "until=2026-02-30 is not a date (YYYY-MM-DD); the suppression of promql/invalid does not apply");
}

TEST_F(Audit, UnusedIdOfAMarkerIsInfoAtTheId) {
  std::vector<Finding> got = lint(rule_file("  # promvet: disable=promql/invalid,rules/no-such-check"));
  EXPECT_EQ(brief(got), std::vector<std::string>{"4:37 source/unused-suppression"});
  EXPECT_EQ(got[0].severity, Severity::kInfo);
  EXPECT_EQ(got[0].message, "the suppression of rules/no-such-check suppresses nothing (no lint check has this id)");
}

TEST_F(Audit, DisableNextLineSkipsCommentsAndSuppressesOnlyThatLine) {
  std::string f =
      "groups:\n- name: g\n  rules:\n  - record: job:a:sum\n    # promvet: disable-next-line=promql/invalid\n"
      "    # why: upstream bug\n\n    expr: sum(rate(a_total[5m])\n  - record: job:b:sum\n"
      "    expr: sum(rate(b_total[5m])\n";
  EXPECT_EQ(brief(lint(f)), std::vector<std::string>{"10:32 promql/invalid"});
  // On a line with nothing to suppress, it says which line it looked at.
  f = "groups:\n- name: g\n  rules:\n  # promvet: disable-next-line=promql/invalid\n  - record: job:a:sum\n"
      "    expr: sum(rate(a_total[5m])\n";
  std::vector<Finding> got = lint(f);
  EXPECT_EQ(brief(got), (std::vector<std::string>{"4:32 source/unused-suppression", "6:32 promql/invalid"}));
  EXPECT_EQ(got[0].message, "disable-next-line=promql/invalid suppresses nothing on line 5");
}

// Two markers for the same id: each is judged alone, so a redundant pair is not reported (removing
// either one alone changes nothing, removing both does) but a marker on a clean rule is.
TEST_F(Audit, MarkersNamingTheSameIdAreMeasuredAlone) {
  std::string f =
      "# promvet: disable-file=promql/invalid\n"
      "groups:\n- name: g\n  rules:\n  # promvet: disable=promql/invalid\n  - record: job:a:sum\n"
      "    expr: sum(rate(a_total[5m])\n  # promvet: disable=promql/invalid\n  - record: job:b:sum\n"
      "    expr: sum(rate(b_total[5m]))\n";
  EXPECT_EQ(brief(lint(f)), std::vector<std::string>{"8:22 source/unused-suppression"});
}

TEST_F(Audit, DisableFileOfTheAuditIdsSilencesTheAudit) {
  std::string f = "# promvet: disable-file=source/unused-suppression\n" +
                  rule_file("  # promvet: disable=promql/invalid,rules/no-such-check");
  EXPECT_EQ(brief(lint(f)), std::vector<std::string>{});
}

TEST_F(Audit, NothingJudgedInABrokenFileOrForChecksThatNeedMoreInput) {
  // Invalid YAML: the markers cannot be judged.
  EXPECT_EQ(brief(lint("groups: [\n# promvet: disable=promql/invalid\n")),
            std::vector<std::string>{"3:1 source/invalid-yaml"});
  // No inventory in this run: a suppression of an inventory/* check is not reported.
  EXPECT_EQ(brief(lint(rule_file("  # promvet: disable=promql/invalid,inventory/unknown-metric"))),
            std::vector<std::string>{});
}

TEST_F(Audit, DashboardDescriptions) {
  std::string d = R"json({"uid": "u", "panels": [
  {"id": 1, "description": "promvet:disable=promql/invalid until=2020-01-01", "targets": [{"expr": "rate(x[5m]"}]},
  {"id": 2, "description": "promvet:disable=promql/invalid", "targets": [{"expr": "rate(y[5m]"}]},
  {"id": 3, "description": "promvet:disable=promql/invalid", "targets": [{"expr": "sum(z)"}]}]})json";
  EXPECT_EQ(brief(lint(d, "2026-06-15", true)),
            (std::vector<std::string>{"2:66 source/expired-suppression", "2:111 promql/invalid",
                                      "4:45 source/unused-suppression"}));
}

}  // namespace
}  // namespace promvet::checks
