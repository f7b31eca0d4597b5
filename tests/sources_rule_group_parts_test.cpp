// sources/rule_group_parts.cpp: a long `groups` sequence read in parts on several threads (and
// its lines scanned while the YAML is parsed, rules.cpp) gives the SourceFile one thread builds:
// the same expressions and diagnostics in the same order, group names repeated across parts
// reported where one loader reports them, one LogQL note.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/yaml_tree.h"
#include "sources/rules.h"

namespace promvet::sources {
namespace {

// 150 groups of 20 rules with a mistake every few rules, suppression comments, group names
// repeated near the start, the middle and the end, an empty one, and LogQL in two places.
constexpr int kGroups = 150;

std::string rule_file() {
  std::string s = "# promvet: disable-file=rules/alert-no-for\ngroups:\n";
  for (int g = 0; g < kGroups; ++g) {
    std::string name = "g" + std::to_string(g);
    if (g == 4 || g == 74 || g == kGroups - 2 || g == kGroups - 1) name = "repeated";
    if (g == 3) name = "";
    if (g % 9 == 2) s += "# promvet: disable=rules/duplicate-rule\n";
    s += "  - name: '" + name + "'\n";
    if (g % 5 == 1) s += "    interval: 1x\n";
    if (g % 13 == 0) s += "    colour: blue\n";
    s += "    rules:\n";
    for (int r = 0; r < 20; ++r) {
      const std::string id = std::to_string(g) + "_" + std::to_string(r);
      if (r % 6 == 0) s += "      # promvet: disable=promql/vector-matching\n";
      if (r % 2 == 0) {
        s += "      - record: job:m" + id + ":rate5m\n";
      } else {
        s += "      - alert: Alert" + std::to_string(r % 4) + "\n";  // alert names repeat in a group
        s += "        for: " + std::string(r % 7 == 1 ? "5x" : "5m") + "\n";
      }
      if ((g == 20 || g == 130) && r == 3) s += "        expr: sum(rate({job=\"x\"} |= \"error\" [5m]))\n";
      else s += "        expr: sum by (job) (rate(m" + id + "_total{code=~\"5..\"}[5m])) > 1\n";
      if (r % 11 == 5) s += "        unknown: field\n";
      if (r % 4 == 3) s += "        labels:\n          severity: page\n          'bad-name': x\n";
    }
  }
  return s;
}

std::string dump(const SourceFile& f) {
  std::string r;
  for (const std::string& id : f.file_disabled_checks) r += "file disables " + id + "\n";
  for (const Diagnostic& d : f.diagnostics) {
    r += d.check_id + " " + std::to_string(static_cast<int>(d.severity)) + " @" + std::to_string(d.offset) + "-" +
         std::to_string(d.end_offset) + ": " + d.message + " [";
    for (const std::string& id : d.disabled_checks) r += id + ",";
    r += "]\n";
  }
  for (const Expression& e : f.expressions) {
    r += e.group + "/" + e.rule_name + " " + e.text + (e.logql ? " logql" : "") + " @" + std::to_string(e.rule.offset) +
         " group@" + std::to_string(e.rule.group_offset) + " n" + std::to_string(e.rule.group_rule_count) +
         " for=" + e.rule.for_duration + " labels=" + std::to_string(e.rule.labels.size()) +
         " map=" + std::to_string(e.map.at(0)) + " [";
    for (const std::string& id : e.disabled_checks) r += id + ",";
    r += "]\n";
  }
  return r;
}

TEST(SourcesRuleGroupParts, ThreadsGiveTheOneThreadFile) {
  const std::string text = rule_file();
  // The parts are read only when the groups hold at least 16,384 YAML nodes
  // (rule_group_parts.cpp's kMinNodesForParts): this file must be above that.
  yaml::ParseError error;
  std::optional<std::vector<yaml::Doc>> docs = yaml::parse(text, yaml::Limits{}, &error);
  ASSERT_TRUE(docs.has_value()) << error.message;
  ASSERT_GT(yaml::Node(&(*docs)[0], (*docs)[0].root)["groups"].items().size(), 1u);
  ASSERT_GT((*docs)[0].nodes.size(), 16384u * 5 / 4);
  // And its lines are scanned aside while the YAML is parsed (rules.cpp's kScanAsideBytes).
  ASSERT_GE(text.size(), 256u * 1024);

  LoadOptions options;
  options.threads = 1;
  const SourceFile one = load_rules("r.yaml", text, options);
  const std::string expected = dump(one);
  // Not vacuous: the file has what the parts must agree on.
  EXPECT_EQ(one.expressions.size(), static_cast<size_t>(kGroups) * 20u);
  size_t repeated = 0, logql_notes = 0;
  for (const Diagnostic& d : one.diagnostics) {
    repeated += d.message.find("is repeated in the same file") != std::string::npos;
    logql_notes += d.check_id == "rules/logql-skipped";
  }
  EXPECT_EQ(repeated, 3u);
  EXPECT_EQ(logql_notes, 1u);
  EXPECT_GT(one.diagnostics.size(), 200u);
  EXPECT_EQ(one.file_disabled_checks, std::vector<std::string>{"rules/alert-no-for"});

  for (unsigned threads : {2u, 3u, 8u, 200u}) {
    options.threads = threads;
    EXPECT_EQ(dump(load_rules("r.yaml", text, options)), expected) << threads << " threads";
  }
}

// The same file with lone \r, \r\n and \n line breaks in turn (libyaml counts each as one
// line): the YAML is parsed whole (yaml_split.cpp cuts only at \n and refuses other breaks), but
// the lines are still scanned aside and the groups read in parts, and the suppression comments must
// land on the lines libyaml gives, as on one thread (base/yaml_line_breaks.h counts for both).
TEST(SourcesRuleGroupParts, ThreadsGiveTheOneThreadFileWithOtherLineBreaks) {
  const std::string plain = rule_file();
  std::string text;
  int line = 0;
  for (char c : plain) {
    if (c != '\n') {
      text += c;
      continue;
    }
    text += line % 3 == 0 ? "\r" : line % 3 == 1 ? "\r\n" : "\n";
    ++line;
  }
  ASSERT_GE(text.size(), 256u * 1024);  // above the size that is cut and scanned aside

  LoadOptions options;
  options.threads = 1;
  const SourceFile one = load_rules("r.yaml", text, options);
  const SourceFile newline_only = load_rules("r.yaml", plain, options);
  // Not vacuous: the comments suppress what they suppress in the \n-only file.
  ASSERT_EQ(one.expressions.size(), newline_only.expressions.size());
  size_t suppressed = 0;
  for (size_t i = 0; i < one.expressions.size(); ++i) {
    EXPECT_EQ(one.expressions[i].disabled_checks, newline_only.expressions[i].disabled_checks) << i;
    suppressed += !one.expressions[i].disabled_checks.empty();
  }
  EXPECT_GT(suppressed, 400u);
  EXPECT_EQ(one.diagnostics.size(), newline_only.diagnostics.size());
  EXPECT_EQ(one.file_disabled_checks, std::vector<std::string>{"rules/alert-no-for"});

  const std::string expected = dump(one);
  for (unsigned threads : {2u, 3u, 8u}) {
    options.threads = threads;
    EXPECT_EQ(dump(load_rules("r.yaml", text, options)), expected) << threads << " threads";
  }
}

// Which tool the file is for is found in parts too (rule_dialect_fields.cpp): the first evidence
// in file order decides, whichever part holds it, and the hints of the other tools' fields name it.
TEST(SourcesRuleGroupParts, ThreadsFindTheOneThreadDialect) {
  for (const char* group : {"  - name: 'g5'\n", "  - name: 'g140'\n"}) {
    std::string text = rule_file();
    const size_t at = text.find(group);
    ASSERT_NE(at, std::string::npos);
    text.insert(at + std::string(group).size(), "    partial_response_strategy: warn\n");
    LoadOptions options;
    options.threads = 1;
    const SourceFile one = load_rules("r.yaml", text, options);
    // Not vacuous: in g5 the Thanos field comes before the file's LogQL (group 20) and decides, so
    // only the two LogQL expressions are kept from the PromQL parser; in g140 the LogQL decides
    // (a Loki file: all are LogQL), and the Thanos field is foreign.
    const bool thanos = std::string(group).find("g5'") != std::string::npos;
    size_t logql = 0, hints = 0;
    for (const Expression& e : one.expressions) logql += e.logql;
    for (const Diagnostic& d : one.diagnostics)
      hints += d.message.find("read as Loki because of LogQL") != std::string::npos;
    EXPECT_EQ(logql, thanos ? 2u : 3000u);  // Loki: every expression is LogQL; else only the two
    EXPECT_EQ(hints, thanos ? 0u : 1u);     // the foreign field's
    for (unsigned threads : {2u, 3u, 8u}) {
      options.threads = threads;
      EXPECT_EQ(dump(load_rules("r.yaml", text, options)), dump(one)) << threads << " threads";
    }
  }
}

// A large file's pre-scans (control characters, invalid UTF-8, nesting) run beside its YAML parse
// on threads (yaml_tree.cpp): their error is still the one reported, as on one thread, also where
// libyaml would stop at an error of its own.
TEST(SourcesRuleGroupParts, PreScanErrorsWinOnThreads) {
  const std::string good = rule_file();
  const size_t near_end = good.rfind("expr: ") + 6;
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  const struct {
    std::string text;
    const char* id;
  } cases[] = {
      {good.substr(0, near_end) + "\x01" + good.substr(near_end), "source/invalid-yaml"},
      {good.substr(0, near_end) + "\xff" + good.substr(near_end), "source/invalid-yaml"},
      // Nesting past the limit, then a syntax error libyaml meets first if it parses alone.
      {good.substr(0, near_end) + "x: [}\n" + good.substr(near_end) + "  - name: " + deep + "\n", "source/too-deep"},
      {good + "  - name: " + deep + "\n", "source/too-deep"},
  };
  for (const auto& c : cases) {
    ASSERT_GE(c.text.size(), 256u * 1024);
    LoadOptions options;
    options.threads = 1;
    const SourceFile one = load_rules("r.yaml", c.text, options);
    ASSERT_EQ(one.diagnostics.size(), 1u);
    EXPECT_EQ(one.diagnostics[0].check_id, c.id);
    for (unsigned threads : {2u, 3u}) {
      options.threads = threads;
      EXPECT_EQ(dump(load_rules("r.yaml", c.text, options)), dump(one)) << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace promvet::sources
