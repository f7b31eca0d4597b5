// io/yaml_split.cpp: a large rule file parsed in pieces on several threads gives the tree one
// parse gives (every node's kind, value, tag, marks, children, alias target and weight), and
// whenever the pieces could differ from one parse (a cut inside a quoted scalar, an alias to an
// anchor of another piece, a document marker, a key after the groups, \r\n, an error, a budget)
// the text is parsed whole: the same documents or the same error.
#include <gtest/gtest.h>

#include <string>

#include "io/yaml_tree.h"
#include "io/yaml_tree_internal.h"

namespace promvet::yaml {
namespace {

constexpr int kGroups = 600;  // about 370 KB: above the size that is cut

// A rule file of `groups` groups (about 1.2 KB each) with every scalar style, anchors and
// aliases inside a group, tags, comments and multi-byte characters; `extra(i)` is appended to
// group i.
template <typename Extra>
std::string rule_file(int groups, Extra extra) {
  std::string s = "# rules\ngroups:\n";
  for (int i = 0; i < groups; ++i) {
    const std::string n = std::to_string(i);
    s += "  - name: group_" + n + "  # a comment\n    interval: 30s\n    rules:\n";
    s += "      - record: job:metric_" + n + ":rate5m\n        expr: 'sum by (job) (rate(x_total{a=\"é\"}[5m]))'\n";
    s += "      - alert: Alert" + n + "\n        expr: >-\n          up{job=\"x\"}\n          == 0\n";
    s += "        for: &f" + n + " 10m\n        keep_firing_for: *f" + n + "\n";
    s += "        labels: {severity: warning, team: \"t\\u00e9am\"}\n";
    s +=
        "        annotations:\n          summary: |\n            Value is {{ $value }}\n\n            on {{ $labels.instance }}\n";
    s +=
        "          description: \"multi\n            line \\\"quoted\\\"\"\n          plain: a plain\n            scalar on two lines\n";
    s += "          tagged: !!str 12\n          empty:\n";
    s += extra(i);
  }
  return s;
}

std::string rule_file(int groups) {
  return rule_file(groups, [](int) { return std::string(); });
}

void expect_same_docs(const std::vector<Doc>& a, const std::vector<Doc>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t d = 0; d < a.size(); ++d) {
    ASSERT_EQ(a[d].nodes.size(), b[d].nodes.size());
    EXPECT_EQ(a[d].root, b[d].root);
    EXPECT_EQ(a[d].start_line, b[d].start_line);
    for (size_t i = 0; i < a[d].nodes.size(); ++i) {
      const YNode& x = a[d].nodes[i];
      const YNode& y = b[d].nodes[i];
      SCOPED_TRACE("node " + std::to_string(i) + " at line " + std::to_string(x.mark.line));
      ASSERT_EQ(x.kind, y.kind);
      EXPECT_EQ(x.quoted, y.quoted);
      EXPECT_EQ(x.mark.pos, y.mark.pos);
      EXPECT_EQ(x.mark.line, y.mark.line);
      EXPECT_EQ(x.mark.column, y.mark.column);
      EXPECT_EQ(x.value, y.value);
      EXPECT_EQ(x.tag, y.tag);
      EXPECT_EQ(x.target, y.target);
      EXPECT_EQ(x.weight, y.weight);
      ASSERT_EQ(x.children.size(), y.children.size());
      for (size_t k = 0; k < x.children.size(); ++k) EXPECT_EQ(x.children[k], y.children[k]);
    }
  }
}

Limits budget(const std::string& text) {
  Limits l;
  l.max_expanded = 1000000 + 8 * static_cast<uint64_t>(text.size());
  l.max_nodes = 1024 + 2 * static_cast<uint64_t>(text.size());
  return l;
}

TEST(YamlSplit, PiecesJoinIntoTheTreeOfOneParse) {
  const std::string text = rule_file(kGroups);
  ASSERT_GT(text.size(), 256u * 1024);
  ParseError e;
  std::optional<std::vector<Doc>> one = parse(text, budget(text), &e, 1);
  ASSERT_TRUE(one.has_value()) << e.message;
  for (unsigned threads : {2u, 3u, 7u}) {
    SCOPED_TRACE(threads);
    std::optional<std::vector<Doc>> split = detail::parse_split(text, budget(text), threads);
    ASSERT_TRUE(split.has_value());  // cut, not parsed whole
    expect_same_docs(*one, *split);
    std::optional<std::vector<Doc>> via_parse = parse(text, budget(text), &e, threads);
    ASSERT_TRUE(via_parse.has_value());
    expect_same_docs(*one, *via_parse);
  }
  // Small files are parsed whole.
  const std::string small = rule_file(3);
  EXPECT_FALSE(detail::parse_split(small, budget(small), 2).has_value());
}

// Each text is either not cut or its pieces are refused; parse() with threads then gives what one
// parse gives.
void expect_parsed_whole(const std::string& text, Limits limits) {
  ASSERT_GT(text.size(), 256u * 1024);
  EXPECT_FALSE(detail::parse_split(text, limits, 2).has_value());
  ParseError e1, e2;
  std::optional<std::vector<Doc>> one = parse(text, limits, &e1, 1);
  std::optional<std::vector<Doc>> two = parse(text, limits, &e2, 2);
  ASSERT_EQ(one.has_value(), two.has_value());
  if (one) {
    expect_same_docs(*one, *two);
  } else {
    EXPECT_EQ(e1.kind, e2.kind);
    EXPECT_EQ(e1.message, e2.message);
    EXPECT_EQ(e1.mark.pos, e2.mark.pos);
  }
}

TEST(YamlSplit, ParsedWholeWhenThePiecesCouldDiffer) {
  // An alias in the last group to an anchor of the first.
  {
    std::string text =
        rule_file(kGroups, [](int i) { return i == kGroups - 1 ? std::string("    limit: *f0\n") : std::string(); });
    expect_parsed_whole(text, budget(text));
  }
  // A double-quoted scalar whose lines look like group items, across the middle of the file.
  {
    std::string text = rule_file(kGroups, [](int i) {
      if (i != kGroups / 2) return std::string();
      std::string q = "    x: \"start\n";
      for (int k = 0; k < 10000; ++k) q += "  - name: not_a_group\n";
      return q + "  end\"\n";
    });
    expect_parsed_whole(text, budget(text));
  }
  // A document end marker between groups: one parse reads a second document.
  {
    std::string text =
        rule_file(kGroups, [](int i) { return i == kGroups - 100 ? std::string("...\n") : std::string(); });
    expect_parsed_whole(text, budget(text));
  }
  // A key after the groups, \r\n line breaks, a syntax error near the end.
  expect_parsed_whole(rule_file(kGroups) + "namespace: x\n", budget(rule_file(kGroups)));
  {
    std::string text = rule_file(kGroups);
    std::string crlf;
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    expect_parsed_whole(crlf, budget(crlf));
  }
  {
    std::string text =
        rule_file(kGroups, [](int i) { return i == kGroups - 10 ? std::string("    bad: [1, 2\n") : std::string(); });
    expect_parsed_whole(text, budget(text));
  }
  // Budgets: the file has more nodes than allowed, though each piece has fewer.
  {
    const std::string text = rule_file(kGroups);
    Limits tight = budget(text);
    tight.max_nodes = 15000;
    expect_parsed_whole(text, tight);
  }
}

}  // namespace
}  // namespace promvet::yaml
