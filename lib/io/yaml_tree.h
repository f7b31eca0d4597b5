#pragma once
// The project's one YAML reader: libyaml's event parser (the C library go-yaml was ported from, so
// syntax errors have go-yaml's wording and lines, as Prometheus prints them) built into a small
// tree whose aliases stay references, with nesting, alias expansion and node count bounded while
// parsing. Marks are byte offsets into the caller's text (libyaml counts characters).
//
// Rule files and YAML-wrapped dashboards read every document with parse() (sources/yaml_tree*
// adds the scalar offset maps); .promvet.yaml, policy packs and Prometheus configurations read
// the first document through the Node accessors:
//
//   yaml::Document doc; yaml::ParseError err;
//   if (!yaml::load(text, &doc, &err)) return fail(err.mark, err.problem);
//   for (yaml::Node item : doc.root()["exclude"].items()) use(item.value(), item.mark());

#include <cstdint>
#include <forward_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace promvet::yaml {

// Where a node or an error starts: byte offset, 0-based line and column (in characters, as go-yaml
// counts them). -1 everywhere: no position.
struct Mark {
  int pos = -1;
  int line = -1;
  int column = -1;
};

// A collection's children: indices into Doc::nodes, stored contiguously in Doc::children (one
// array per document instead of a vector per collection).
class Children {
 public:
  Children() = default;
  Children(const uint32_t* data, uint32_t size) : data_(data), size_(size) {}
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint32_t operator[](size_t i) const { return data_[i]; }
  const uint32_t* begin() const { return data_; }
  const uint32_t* end() const { return data_ + size_; }

 private:
  const uint32_t* data_ = nullptr;
  uint32_t size_ = 0;
};

struct YNode {
  enum Kind : uint8_t { Null, Scalar, Seq, Map, Alias };
  Kind kind = Null;
  bool quoted = false;  // not a plain scalar (quoted, block, or tagged "!")
  Mark mark;
  uint32_t target = UINT32_MAX;  // Alias
  uint64_t weight = 1;           // nodes after expanding aliases
  std::string value;
  std::string_view tag;  // explicit tag, resolved ("tag:yaml.org,2002:str"); "!" is not kept
  Children children;     // Seq: items; Map: key, value, key, value...
};

// One document. Nodes point into its own storage (children, tags), so a Doc moves but is not
// copied.
struct Doc {
  Doc() = default;
  Doc(Doc&&) = default;
  Doc& operator=(Doc&&) = default;
  Doc(const Doc&) = delete;
  Doc& operator=(const Doc&) = delete;

  std::vector<YNode> nodes;
  uint32_t root = UINT32_MAX;
  int start_line = 0;
  std::vector<uint32_t> children;       // every collection's children, one run per collection
  std::forward_list<std::string> tags;  // what YNode::tag views
};

// The node `i` of `d`, following aliases.
const YNode& resolve(const Doc& d, uint32_t i);

struct Limits {
  uint32_t max_depth = 512;            // open collections
  uint64_t max_expanded = UINT64_MAX;  // nodes with every alias expanded
  uint64_t max_nodes = UINT64_MAX;     // nodes as written
};

struct ParseError {
  enum Kind { Syntax, TooDeep, TooComplex, TooManyNodes };
  Kind kind = Syntax;
  Mark mark;            // the offending place (libyaml's problem mark for syntax errors)
  std::string problem;  // libyaml's problem ("did not find expected key")
  std::string message;  // go-yaml's error: "yaml: line 4: did not find expected key"
};

// Every document of `content` (UTF-8, or UTF-16 with a byte-order mark), or nullopt and `error`.
// With `threads` > 1, a large rule file (`groups:` and its items) is cut between group items and
// the pieces parsed in parallel, then joined: the same tree, marks and budgets as one parse; any
// doubt (a piece that does not parse alone, an alias across pieces, a document marker) and the
// whole text is parsed on this thread instead, so errors are the one parse's.
std::optional<std::vector<Doc>> parse(std::string_view content, const Limits& limits, ParseError* error,
                                      unsigned threads = 1);

// A read-only view of one node of a Doc (aliases followed); a default-constructed Node is absent.
class Node {
 public:
  Node() = default;
  Node(const Doc* doc, uint32_t index);

  explicit operator bool() const { return n_ != nullptr; }
  bool is_null() const { return n_ && n_->kind == YNode::Null; }
  bool is_scalar() const { return n_ && n_->kind == YNode::Scalar; }
  bool is_sequence() const { return n_ && n_->kind == YNode::Seq; }
  bool is_map() const { return n_ && n_->kind == YNode::Map; }
  // A scalar's text ("" for null and collections).
  const std::string& value() const;
  Mark mark() const { return n_ ? n_->mark : Mark{}; }

  // Map: the value of the first scalar key equal to `key`; absent otherwise.
  Node operator[](std::string_view key) const;
  // Sequence items (empty for anything else).
  std::vector<Node> items() const;
  // Map entries in file order (empty for anything else).
  std::vector<std::pair<Node, Node>> entries() const;

 private:
  const Doc* doc_ = nullptr;
  const YNode* n_ = nullptr;
};

// The first document of a configuration-like file (what go-yaml's Unmarshal reads).
struct Document {
  std::vector<Doc> docs;
  // Null when the text holds no document (empty, or only comments).
  Node root() const;
};

// Parses `text` with default limits plus a node budget proportional to its size.
bool load(std::string_view text, Document* out, ParseError* error);

// "PATH:LINE:COL: PROBLEM" (1-based) for a file whose YAML did not load.
std::string located(const std::string& path, const ParseError& error);

// Reads a configuration file of at most max_bytes (io::read_file) and loads it. On failure
// *unreadable tells which step failed: true, *error is read_file's message (each caller words
// its own); false, *error is located()'s.
bool load_file(const std::string& path, std::uint64_t max_bytes, Document* out, std::string* error, bool* unreadable);

}  // namespace promvet::yaml
