// lint_source: PromQL errors inside an extracted expression are reported at the right line and
// column of the user's file (through the expression's offset map), diagnostics keep their
// positions, and suppressions drop what they name. On a big file the checks run on several
// threads, expression by expression, with findings in the order of the one-thread driver.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "checks/file_lines.h"
#include "checks/lint_source.h"
#include "checks/registry.h"
#include "sources/rules.h"

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

namespace {

// 5 rules per round, several checks reporting each (some at the same position), one that does not
// parse: 600 rules, enough for lint_source to split the checks across threads.
std::string many_rules() {
  std::string y = "groups:\n  - name: g\n    rules:\n";
  for (int i = 0; i < 120; ++i) {
    const std::string n = std::to_string(i);
    y += "      - record: job:a_" + n + ":rate5m\n";
    y += "        expr: sum by (job) (rate(http_requests_total{job=\"api\"}[1m])) > 0.05\n";
    y += "      - alert: High" + n + "\n        expr: rate(foo_total[5m])\n";
    y += "        annotations:\n          summary: '{{ $labels.instance }}'\n";
    y += "      - record: bad_" + n + "\n        expr: sum(rate(x[5m])\n";
    y += "      - alert: A_" + n +
         "\n        expr: avg_over_time(node_load1[15m]) / on (instance) group_left (nodename) "
         "count by (instance) (node_cpu_seconds_total{mode=\"idle\"}) > 1.5\n";
    y += "      - record: job:a_" + std::to_string(i % 7) + ":rate5m\n";  // a duplicate of an earlier record
    y += "        expr: irate(foo_total[1m]) + histogram_quantile(0.9, bar_bucket) + rate(foo_total[5m])\n";
  }
  return y;
}

std::vector<std::string> lines_of(const std::vector<pv::checks::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    out.push_back(std::to_string(f.line) + ":" + std::to_string(f.column) + "-" + std::to_string(f.end_line) + ":" +
                  std::to_string(f.end_column) + " " + f.check_id + " " + f.message + " | " + f.suggestion);
  return out;
}

// Collects in the order run_checks reports: each check over every expression, one check after the other.
class InOrder final : public pv::checks::Reporter {
 public:
  InOrder(const pv::checks::FileLines& lines, std::vector<pv::checks::Finding>& out) : lines_(lines), out_(out) {}
  void begin_check(const pv::checks::CheckInfo& info) override { id_ = std::string(info.id); }
  void report(const pv::sources::Expression& e, pv::promql::Range r, std::string message, std::string,
              std::optional<pv::checks::Severity>) override {
    uint32_t begin = e.map.at(r.begin);
    add(begin, r.end > r.begin ? e.map.at(r.end - 1) + 1 : begin, std::move(message));
  }
  void report_file(uint32_t begin, uint32_t end, std::string message, const pv::sources::Expression*,
                   std::optional<pv::checks::Severity>) override {
    add(begin, end, std::move(message));
  }

 private:
  void add(uint32_t begin, uint32_t end, std::string message) {
    pv::checks::Finding f;
    f.check_id = id_;
    f.message = std::move(message);
    lines_.place(f, begin, end);
    out_.push_back(std::move(f));
  }
  const pv::checks::FileLines& lines_;
  std::vector<pv::checks::Finding>& out_;
  std::string id_;
};

}  // namespace

TEST(LintSource, FindingsDoNotDependOnTheNumberOfThreads) {
  const std::string content = many_rules();
  const pv::sources::SourceFile file = pv::sources::load_rules("rules.yml", content);
  ASSERT_EQ(file.expressions.size(), 600u);
  const pv::checks::Registry registry = pv::checks::make_registry();
  pv::checks::LintOptions options;
  options.registry = &registry;
  const auto one = lines_of(pv::checks::lint_source(file, content, options));
  ASSERT_GT(one.size(), 1000u);
  for (unsigned threads : {2u, 3u, 8u}) {
    options.parse_threads = threads;
    EXPECT_EQ(lines_of(pv::checks::lint_source(file, content, options)), one) << threads << " threads";
  }
}

TEST(LintSource, FindingsAtOnePositionComeInTheOrderOfTheOneThreadDriver) {
  const std::string content = many_rules();
  const pv::sources::SourceFile file = pv::sources::load_rules("rules.yml", content);
  const pv::checks::Registry registry = pv::checks::make_registry();
  pv::checks::LintOptions options;
  options.registry = &registry;
  options.parse_threads = 2;
  // run_checks: check after check; the loader's diagnostics first; then a stable sort by position.
  const pv::checks::FileLines lines(content);
  std::vector<pv::checks::Finding> expected;
  for (const auto& d : file.diagnostics) {
    pv::checks::Finding f;
    f.check_id = d.check_id;
    f.message = d.message;
    lines.place(f, d.offset, d.end_offset);
    expected.push_back(std::move(f));
  }
  InOrder reporter(lines, expected);
  pv::checks::run_checks(file, content, options, reporter);
  std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  std::vector<pv::checks::Finding> found = pv::checks::lint_source(file, content, options);
  for (auto& f : found) f.suggestion.clear();  // InOrder does not keep suggestions
  const auto want = lines_of(expected);
  EXPECT_EQ(lines_of(found), want);
  // Two checks at one position (rules/alert-labels and rules/alert-no-for on an alert's name).
  EXPECT_NE(std::adjacent_find(want.begin(), want.end(),
                               [](const std::string& a, const std::string& b) {
                                 return a.substr(0, a.find(' ')) == b.substr(0, b.find(' '));
                               }),
            want.end());
}

// ParsedSource parses once and lints many times: each lint is what lint_source gives with the
// same options, whatever lint came before (the suggestion cache is shared between them).
TEST(LintSource, AParsedSourceLintsAsLintSourceDoesWithEachOptionSet) {
  const std::string content = many_rules();
  const pv::sources::SourceFile file = pv::sources::load_rules("rules.yml", content);
  const pv::checks::Registry registry = pv::checks::make_registry();
  pv::checks::LintOptions plain;
  plain.registry = &registry;
  pv::checks::LintOptions slow_scrapes = plain;
  slow_scrapes.settings.scrape_interval_seconds = 300;  // other findings and suggestions
  const pv::checks::ParsedSource parsed(file);
  for (int round = 0; round < 2; ++round) {
    for (const pv::checks::LintOptions* options : {&plain, &slow_scrapes}) {
      SCOPED_TRACE(round);
      EXPECT_EQ(lines_of(parsed.lint(content, *options)), lines_of(pv::checks::lint_source(file, content, *options)));
    }
  }
  EXPECT_NE(lines_of(parsed.lint(content, plain)), lines_of(parsed.lint(content, slow_scrapes)));
}

// LintOptions::observer is told of every report the checks make (suppressed ones too), as
// run_checks' reporter is, besides the findings lint_source returns.
TEST(LintSource, TheObserverSeesWhatRunChecksReports) {
  const std::string content = "# promvet: disable-file=rules/alert-no-for\n" + many_rules();
  const pv::sources::SourceFile file = pv::sources::load_rules("rules.yml", content);
  const pv::checks::Registry registry = pv::checks::make_registry();
  pv::checks::LintOptions options;
  options.registry = &registry;
  const pv::checks::FileLines lines(content);
  std::vector<pv::checks::Finding> direct, observed;
  InOrder run_checks_reporter(lines, direct);
  pv::checks::run_checks(file, content, options, run_checks_reporter);
  InOrder observer(lines, observed);
  options.observer = &observer;
  const std::vector<pv::checks::Finding> found = pv::checks::lint_source(file, content, options);
  options.observer = nullptr;
  std::vector<std::string> want = lines_of(direct), got = lines_of(observed);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
  ASSERT_FALSE(want.empty());
  // The suppressed check's reports reach the observer, not the findings.
  auto named = [](const std::vector<pv::checks::Finding>& fs, const char* id) {
    return std::count_if(fs.begin(), fs.end(), [&](const pv::checks::Finding& f) { return f.check_id == id; });
  };
  EXPECT_GT(named(observed, "rules/alert-no-for"), 0);
  EXPECT_EQ(named(found, "rules/alert-no-for"), 0);
  EXPECT_EQ(lines_of(found), lines_of(pv::checks::lint_source(file, content, options)));
}
