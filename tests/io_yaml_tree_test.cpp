// io/yaml_tree.h: libyaml's events as a tree with byte-offset marks (after multi-byte characters
// and a byte-order mark), null and quoted scalars as the rule loader distinguishes them, aliases
// as references, go-yaml's error wording and lines, the budgets, and the Node accessors that
// .promvet.yaml and policy packs read.
#include "io/yaml_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace promvet::yaml {
namespace {

std::vector<Doc> parse_ok(const std::string& text, Limits limits = {}) {
  ParseError e;
  std::optional<std::vector<Doc>> docs = parse(text, limits, &e);
  EXPECT_TRUE(docs.has_value()) << e.message;
  return docs ? std::move(*docs) : std::vector<Doc>{};
}

ParseError parse_error(const std::string& text, Limits limits = {}) {
  ParseError e;
  EXPECT_FALSE(parse(text, limits, &e).has_value()) << text;
  return e;
}

TEST(YamlTree, MarksAreByteOffsetsAfterMultiByteCharactersAndABom) {
  const std::string text =
      "\xef\xbb\xbf"
      "a: \xc3\xa9\xe2\x82\xac\nb: 'x'\n";
  std::vector<Doc> docs = parse_ok(text);
  ASSERT_EQ(docs.size(), 1u);
  Document doc;
  doc.docs = std::move(docs);
  Node b = doc.root()["b"];
  ASSERT_TRUE(b.is_scalar());
  EXPECT_EQ(b.value(), "x");
  EXPECT_EQ(b.mark().pos, static_cast<int>(text.find("'x'")));
  EXPECT_EQ(b.mark().line, 1);
  EXPECT_EQ(b.mark().column, 3);
  EXPECT_EQ(doc.root()["a"].value(), "\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(doc.root()["a"].mark().pos, 6);
}

// The text is tested for multi-byte characters eight bytes at a time: one far from the start, or
// in the last bytes, still turns character marks into byte offsets.
TEST(YamlTree, MarksAfterAMultiByteCharacterAnywhere) {
  for (size_t pad = 0; pad < 20; ++pad) {
    const std::string text = "a: " + std::string(pad, 'x') + "\xc3\xa9\nb: 'y'";
    std::vector<Doc> docs = parse_ok(text);
    ASSERT_EQ(docs.size(), 1u);
    Document doc;
    doc.docs = std::move(docs);
    EXPECT_EQ(doc.root()["b"].mark().pos, static_cast<int>(text.find("'y'"))) << pad;
  }
}

TEST(YamlTree, NullsQuotedScalarsTagsAndAliases) {
  std::vector<Doc> docs = parse_ok("a: ~\nb: 'null'\nc: |\n  x\nd: !!str 1\ne: &k [1, 2]\nf: *k\ng:\n");
  ASSERT_EQ(docs.size(), 1u);
  Document doc;
  doc.docs = std::move(docs);
  const Doc& d = doc.docs[0];
  Node root = doc.root();
  EXPECT_TRUE(root["a"].is_null());
  EXPECT_TRUE(root["g"].is_null());
  EXPECT_TRUE(root["b"].is_scalar());
  EXPECT_EQ(root["b"].value(), "null");
  EXPECT_FALSE(root["z"]);
  EXPECT_EQ(root["c"].value(), "x\n");
  // f is an alias node whose target is e's sequence; the accessor follows it.
  ASSERT_EQ(root["f"].items().size(), 2u);
  EXPECT_EQ(root["f"].items()[1].value(), "2");
  const YNode& map = d.nodes[d.root];
  const YNode& b = d.nodes[map.children[3]];
  EXPECT_TRUE(b.quoted);
  const YNode& c = d.nodes[map.children[5]];
  EXPECT_TRUE(c.quoted);
  const YNode& tagged = d.nodes[map.children[7]];
  EXPECT_EQ(tagged.tag, "tag:yaml.org,2002:str");
  EXPECT_FALSE(tagged.quoted);
  const YNode& f = d.nodes[map.children[11]];
  EXPECT_EQ(f.kind, YNode::Alias);
  EXPECT_EQ(f.weight, 3u);  // the sequence and its two items
  std::vector<std::pair<Node, Node>> entries = root.entries();
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[6].first.value(), "g");
}

TEST(YamlTree, MultipleDocumentsAndEmptyText) {
  std::vector<Doc> docs = parse_ok("a: 1\n---\n# only a comment\n---\nb: 2\n");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[1].nodes[docs[1].root].kind, YNode::Null);
  EXPECT_EQ(docs[2].start_line, 3);
  EXPECT_TRUE(parse_ok("").empty());
  Document doc;
  ParseError e;
  ASSERT_TRUE(load("# nothing\n", &doc, &e));
  EXPECT_TRUE(doc.root().is_null());
}

// The messages promtool prints (go-yaml formats libyaml's problem with the context's line).
TEST(YamlTree, SyntaxErrorsInGoYamlWords) {
  ParseError e = parse_error("groups:\n  - name: g1\n   rules: x\n");
  EXPECT_EQ(e.kind, ParseError::Syntax);
  EXPECT_EQ(e.message, "yaml: line 1: did not find expected '-' indicator");
  EXPECT_EQ(e.problem, "did not find expected '-' indicator");
  EXPECT_EQ(e.mark.pos, 24);
  EXPECT_EQ(parse_error("a: b: c\n").message, "yaml: mapping values are not allowed in this context");
  EXPECT_EQ(parse_error("x:\n  - a\n  - \"b\n").message, "yaml: line 3: found unexpected end of stream");
  // Reader errors carry a byte offset, not a mark.
  ParseError utf8 = parse_error("a: 1\nb: x\xff\n");
  EXPECT_EQ(utf8.message, "yaml: invalid leading UTF-8 octet");
  EXPECT_EQ(utf8.mark.pos, 9);
  EXPECT_EQ(utf8.mark.line, 1);
  EXPECT_EQ(utf8.mark.column, 4);
  ParseError alias = parse_error("a: 1\nb: *nope\n");
  EXPECT_EQ(alias.message, "yaml: unknown anchor 'nope' referenced");
  EXPECT_EQ(alias.mark.pos, 8);
}

TEST(YamlTree, BudgetsStopTheParseAtTheNode) {
  Limits nodes;
  nodes.max_nodes = 4;
  ParseError e = parse_error("[a, b, c, d, e]", nodes);
  EXPECT_EQ(e.kind, ParseError::TooManyNodes);
  EXPECT_EQ(e.mark.pos, 10);  // the fifth node: d
  Limits expanded;
  expanded.max_expanded = 10;
  e = parse_error("a: &a [x, x, x]\nb: [*a, *a]\n", expanded);
  EXPECT_EQ(e.kind, ParseError::TooComplex);
  EXPECT_EQ(e.mark.pos, 20);  // the first alias: 8 nodes, then 4 more
  Limits depth;
  depth.max_depth = 2;
  e = parse_error("a: [[1]]\n", depth);
  EXPECT_EQ(e.kind, ParseError::TooDeep);
  EXPECT_EQ(e.mark.pos, 4);
  EXPECT_EQ(parse_ok("a: [1]\n", depth).size(), 1u);
}

}  // namespace
}  // namespace promvet::yaml
