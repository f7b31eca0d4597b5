// base/yaml_line_breaks.h: the line breaks YAML counts, each kind alone and mixed, and the lines
// libyaml gives every node of a document written with all of them.
#include <gtest/gtest.h>

#include <string>

#include "base/yaml_line_breaks.h"
#include "io/yaml_tree.h"

namespace promvet::base {
namespace {

TEST(YamlLineBreaks, EveryKind) {
  struct Case {
    std::string text;
    size_t at, size;
  };
  // (The execution character set is UTF-8: "\u0085" is the bytes C2 85.)
  const Case cases[] = {
      {"ab\ncd", 2, 1},     {"ab\r\ncd", 2, 2}, {"ab\rcd", 2, 1},     {"ab\u0085cd", 2, 2}, {"ab\u2028cd", 2, 3},
      {"ab\u2029cd", 2, 3}, {"abcd", 4, 0},     {"a\u2019b\n", 5, 1},  // ’ starts with LS's first byte and is no break
      {"ab\r", 2, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const YamlLineBreak b = next_yaml_line_break(c.text, 0);
    EXPECT_EQ(b.at, c.at);
    EXPECT_EQ(b.size, c.size);
    EXPECT_EQ(count_yaml_line_breaks(c.text), c.size ? 1u : 0u);
    EXPECT_EQ(only_newline_breaks(c.text), c.size <= 1 && (c.size == 0 || c.text[c.at] == '\n'));
  }
  // The first of several, from a position on.
  const std::string mixed = "a\rb\nc\r\nd\u0085e";
  EXPECT_EQ(next_yaml_line_break(mixed, 2).at, 3u);
  EXPECT_EQ(next_yaml_line_break(mixed, 4).at, 5u);
  EXPECT_EQ(next_yaml_line_break(mixed, 4).size, 2u);
  EXPECT_EQ(count_yaml_line_breaks(mixed), 4u);
}

TEST(YamlLineBreaks, CountTheLinesLibyamlGives) {
  const char* breaks[] = {"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029"};
  std::string text = "groups:";
  for (int i = 0; i < 60; ++i) {
    text += breaks[i % 6];
    text += "  - name: g" + std::to_string(i);
    text += breaks[(i + 1) % 6];
    text += "    rules: []  # caf\u00e9 \u2019";
  }
  text += "\n";
  yaml::ParseError error;
  std::optional<std::vector<yaml::Doc>> docs = yaml::parse(text, yaml::Limits{}, &error);
  ASSERT_TRUE(docs.has_value()) << error.message;
  size_t checked = 0;
  for (const yaml::YNode& n : (*docs)[0].nodes) {
    if (n.kind != yaml::YNode::Scalar || n.mark.pos < 0) continue;
    EXPECT_EQ(static_cast<int>(count_yaml_line_breaks(std::string_view(text).substr(0, n.mark.pos))), n.mark.line)
        << n.value;
    ++checked;
  }
  EXPECT_EQ(checked, 181u);  // groups, and each group's name, g<i> and rules
  EXPECT_FALSE(only_newline_breaks(text));
}

}  // namespace
}  // namespace promvet::base
