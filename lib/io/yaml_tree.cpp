#include "io/yaml_tree.h"
#include "io/yaml_tree_internal.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "io/bounded_read.h"

namespace promvet::yaml {
namespace {

// No byte of `s` has its high bit set (eight bytes tested at a time).
bool all_ascii(std::string_view s) {
  size_t i = 0;
  uint64_t high = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    high |= w;
  }
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

// libyaml's marks count characters after the byte-order mark; findings need bytes. Marks arrive
// in increasing order, so a forward cursor does the conversion in one pass over the text (a mark
// behind the cursor restarts it from the beginning).
class ByteOffsets {
 public:
  explicit ByteOffsets(std::string_view s) : s_(s) {
    auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    if (s.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
      bom_ = 3;
    } else if (s.size() >= 2 && ((b(0) == 0xFF && b(1) == 0xFE) || (b(0) == 0xFE && b(1) == 0xFF))) {
      bom_ = 2;
      utf16_ = true;
      little_ = b(0) == 0xFF;
    }
    ascii_ = !utf16_ && all_ascii(s.substr(bom_));
    byte_ = bom_;
  }

  int operator()(size_t chars) {
    if (ascii_) return static_cast<int>(std::min(bom_ + chars, s_.size()));
    if (chars < chars_) {
      chars_ = 0;
      byte_ = bom_;
    }
    while (chars_ < chars && byte_ < s_.size()) {
      byte_ += width(byte_);
      ++chars_;
    }
    return static_cast<int>(std::min(byte_, s_.size()));
  }

 private:
  size_t width(size_t i) const {
    auto b = static_cast<unsigned char>(s_[i]);
    if (utf16_) {
      if (i + 1 >= s_.size()) return 1;
      unsigned hi = little_ ? static_cast<unsigned char>(s_[i + 1]) : b;
      return hi >= 0xD8 && hi <= 0xDB ? 4 : 2;
    }
    return b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
  }

  std::string_view s_;
  size_t bom_ = 0;
  bool utf16_ = false, little_ = false, ascii_ = true;
  size_t chars_ = 0, byte_ = 0;
};

uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

// go-yaml's null (and yaml-cpp's before it): an untagged plain scalar spelled so.
bool null_plain(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

struct Failure {
  ParseError error;
};

// Builds the documents from libyaml's events. A collection's children are gathered on one
// scratch stack while it is open and copied into its document's children array when it closes
// (no vector per collection); the pointers into that array are set once the stream is read.
class Builder {
 public:
  Builder(std::string_view content, const Limits& limits) : offsets_(content), limits_(limits), size_(content.size()) {}
  std::vector<Doc> docs;

  Mark mark(const yaml_mark_t& m) { return {offsets_(m.index), static_cast<int>(m.line), static_cast<int>(m.column)}; }

  void event(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT: start_document(e); break;
      case YAML_ALIAS_EVENT: alias(e); break;
      case YAML_SCALAR_EVENT: scalar(e); break;
      case YAML_SEQUENCE_START_EVENT: open(YNode::Seq, e, e.data.sequence_start.anchor); break;
      case YAML_MAPPING_START_EVENT: open(YNode::Map, e, e.data.mapping_start.anchor); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: close(); break;
      default: break;
    }
  }

  uint64_t nodes() const { return nodes_; }
  uint64_t expanded() const { return expanded_; }

 private:
  [[noreturn]] void fail(ParseError::Kind kind, Mark at) {
    Failure f;
    f.error.kind = kind;
    f.error.mark = at;
    if (kind == ParseError::TooDeep)
      f.error.problem = "nesting deeper than " + std::to_string(limits_.max_depth) + " levels";
    else if (kind == ParseError::TooComplex)
      f.error.problem = "aliases expand to more than " + std::to_string(limits_.max_expanded) + " nodes";
    else
      f.error.problem =
          "malformed document: the parser produced more than " + std::to_string(limits_.max_nodes) + " nodes";
    f.error.message = "yaml: " + f.error.problem;
    throw f;
  }
  void start_document(const yaml_event_t& e) {
    docs.emplace_back();
    docs.back().start_line = static_cast<int>(e.start_mark.line);
    // The first document usually holds the whole file: room for its nodes up front (about one
    // per 20 bytes in rule files) saves growing the array by copies.
    if (docs.size() == 1) docs.back().nodes.reserve(std::min<size_t>(size_ / 20 + 16, limits_.max_nodes));
    anchors_.clear();
    stack_.clear();
    pending_.clear();
  }
  Doc& doc() {
    if (docs.empty()) docs.emplace_back();
    return docs.back();
  }
  void alias(const yaml_event_t& e) {
    YNode n;
    n.kind = YNode::Alias;
    n.mark = mark(e.start_mark);
    const char* name = reinterpret_cast<const char*>(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      // go-yaml's composer refuses it (libyaml's parser does not look).
      Failure f;
      f.error.mark = n.mark;
      f.error.problem = "unknown anchor '" + std::string(name) + "' referenced";
      f.error.message = "yaml: " + f.error.problem;
      throw f;
    }
    n.target = it->second;
    n.weight = doc().nodes[it->second].weight;
    expanded_ = sat_add(expanded_, n.weight);
    if (expanded_ > limits_.max_expanded) fail(ParseError::TooComplex, n.mark);
    add(std::move(n), nullptr);
  }
  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    std::string_view tag = s.tag ? reinterpret_cast<const char*>(s.tag) : "";
    YNode n;
    n.mark = mark(e.start_mark);
    n.quoted = s.style != YAML_PLAIN_SCALAR_STYLE || tag == "!";
    std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
    if (!n.quoted && tag.empty() && null_plain(value)) {
      n.kind = YNode::Null;
    } else {
      n.kind = YNode::Scalar;
      n.value.assign(value.data(), value.size());
      if (!tag.empty() && tag != "!") n.tag = intern_tag(tag);
    }
    add(std::move(n), s.anchor);
  }
  std::string_view intern_tag(std::string_view tag) {
    Doc& d = doc();
    for (const std::string& t : d.tags)
      if (t == tag) return t;
    d.tags.emplace_front(tag);
    return d.tags.front();
  }
  uint32_t add(YNode&& n, const yaml_char_t* anchor) {
    Doc& d = doc();
    if (++nodes_ > limits_.max_nodes) fail(ParseError::TooManyNodes, n.mark);
    if (n.kind != YNode::Alias) {
      expanded_ = sat_add(expanded_, 1);
      if (expanded_ > limits_.max_expanded) fail(ParseError::TooComplex, n.mark);
    }
    uint32_t idx = static_cast<uint32_t>(d.nodes.size());
    d.nodes.push_back(std::move(n));
    if (stack_.empty()) {
      if (d.root == UINT32_MAX) d.root = idx;
    } else {
      pending_.push_back(idx);
    }
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = idx;
    return idx;
  }
  void open(YNode::Kind kind, const yaml_event_t& e, const yaml_char_t* anchor) {
    YNode n;
    n.kind = kind;
    n.mark = mark(e.start_mark);
    if (stack_.size() + 1 > limits_.max_depth) fail(ParseError::TooDeep, n.mark);
    uint32_t idx = add(std::move(n), anchor);
    stack_.push_back({idx, pending_.size()});
  }
  // The collection's children move from the scratch stack to the document's array; `target`
  // holds where they start until finish().
  void close() {
    if (stack_.empty()) return;
    Doc& d = doc();
    const auto [idx, first] = stack_.back();
    stack_.pop_back();
    YNode& n = d.nodes[idx];
    uint64_t w = 1;
    for (size_t k = first; k < pending_.size(); ++k) w = sat_add(w, d.nodes[pending_[k]].weight);
    n.weight = w;
    n.target = static_cast<uint32_t>(d.children.size());
    n.children = Children(nullptr, static_cast<uint32_t>(pending_.size() - first));
    d.children.insert(d.children.end(), pending_.begin() + static_cast<long>(first), pending_.end());
    pending_.resize(first);
  }

  struct Open {
    uint32_t node;
    size_t first_child;  // in pending_
  };
  ByteOffsets offsets_;
  Limits limits_;
  size_t size_;
  uint64_t expanded_ = 0;
  uint64_t nodes_ = 0;
  std::vector<Open> stack_;
  std::vector<uint32_t> pending_;
  std::unordered_map<std::string, uint32_t> anchors_;
};

// go-yaml's parser.fail(): the line of the context mark, else of the problem mark (1-based for
// scanner errors, whose marks are one line behind), none when both are on the first line.
std::string go_yaml_message(const yaml_parser_t& p) {
  size_t line = 0;
  if (p.context_mark.line != 0) line = p.context_mark.line;
  else if (p.problem_mark.line != 0) line = p.problem_mark.line;
  if (line != 0 && p.error == YAML_SCANNER_ERROR) ++line;
  std::string where = line != 0 ? "line " + std::to_string(line) + ": " : "";
  std::string problem = p.problem ? p.problem : "unknown problem parsing YAML content";
  return "yaml: " + where + problem;
}

// Reader errors (invalid UTF-8, control characters) give a byte offset, not a mark.
Mark mark_of_byte(std::string_view s, size_t offset) {
  offset = std::min(offset, s.size());
  Mark m{static_cast<int>(offset), 0, 0};
  for (size_t i = 0; i < offset; ++i) {
    if (s[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

}  // namespace

const YNode& resolve(const Doc& d, uint32_t i) {
  const YNode* n = &d.nodes[i];
  for (int hop = 0; n->kind == YNode::Alias && n->target != UINT32_MAX && hop < 64; ++hop) n = &d.nodes[n->target];
  return *n;
}

namespace detail {

void finish(std::vector<Doc>& docs) {
  for (Doc& d : docs)
    for (YNode& n : d.nodes)
      if (n.kind == YNode::Seq || n.kind == YNode::Map) {
        n.children = Children(d.children.data() + n.target, static_cast<uint32_t>(n.children.size()));
        n.target = UINT32_MAX;
      }
}

std::optional<Unfinished> parse_unfinished(std::string_view content, const Limits& limits, ParseError* error) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    *error = {ParseError::Syntax, {0, 0, 0}, "out of memory", "yaml: out of memory"};
    return std::nullopt;
  }
  std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> parser_guard(&parser, yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  Builder builder(content, limits);
  try {
    for (;;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        Failure f;
        f.error.mark = parser.error == YAML_READER_ERROR ? mark_of_byte(content, parser.problem_offset)
                                                         : builder.mark(parser.problem_mark);
        f.error.problem = parser.problem ? parser.problem : "unknown problem parsing YAML content";
        f.error.message = go_yaml_message(parser);
        throw f;
      }
      std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> event_guard(&event, yaml_event_delete);
      if (event.type == YAML_STREAM_END_EVENT) break;
      builder.event(event);
    }
  } catch (const Failure& f) {
    *error = f.error;
    return std::nullopt;
  }
  return Unfinished{std::move(builder.docs), builder.nodes(), builder.expanded()};
}

}  // namespace detail

std::optional<std::vector<Doc>> parse(std::string_view content, const Limits& limits, ParseError* error,
                                      unsigned threads) {
  if (threads > 1)
    if (std::optional<std::vector<Doc>> docs = detail::parse_split(content, limits, threads)) return docs;
  std::optional<detail::Unfinished> parsed = detail::parse_unfinished(content, limits, error);
  if (!parsed) return std::nullopt;
  detail::finish(parsed->docs);
  return std::move(parsed->docs);
}

// ---------------------------------------------------------------------------------------------

Node::Node(const Doc* doc, uint32_t index) : doc_(doc) {
  if (doc && index < doc->nodes.size()) n_ = &resolve(*doc, index);
}

const std::string& Node::value() const {
  static const std::string empty;
  return n_ && n_->kind == YNode::Scalar ? n_->value : empty;
}

Node Node::operator[](std::string_view key) const {
  if (!is_map()) return {};
  for (size_t k = 0; k + 1 < n_->children.size(); k += 2) {
    const YNode& name = resolve(*doc_, n_->children[k]);
    if (name.kind == YNode::Scalar && name.value == key) return Node(doc_, n_->children[k + 1]);
  }
  return {};
}

std::vector<Node> Node::items() const {
  std::vector<Node> out;
  if (!is_sequence()) return out;
  out.reserve(n_->children.size());
  for (uint32_t c : n_->children) out.emplace_back(doc_, c);
  return out;
}

std::vector<std::pair<Node, Node>> Node::entries() const {
  std::vector<std::pair<Node, Node>> out;
  if (!is_map()) return out;
  for (size_t k = 0; k + 1 < n_->children.size(); k += 2)
    out.emplace_back(Node(doc_, n_->children[k]), Node(doc_, n_->children[k + 1]));
  return out;
}

Node Document::root() const {
  static const Doc null_doc = [] {
    Doc d;
    d.nodes.emplace_back();
    d.nodes.back().mark = {0, 0, 0};
    d.root = 0;
    return d;
  }();
  if (docs.empty() || docs.front().root == UINT32_MAX) return Node(&null_doc, 0);
  return Node(&docs.front(), docs.front().root);
}

bool load(std::string_view text, Document* out, ParseError* error) {
  Limits limits;
  limits.max_expanded = 1000000 + 8 * static_cast<uint64_t>(text.size());
  limits.max_nodes = 1024 + 2 * static_cast<uint64_t>(text.size());
  std::optional<std::vector<Doc>> docs = parse(text, limits, error);
  if (!docs) return false;
  out->docs = std::move(*docs);
  return true;
}

std::string located(const std::string& path, const ParseError& error) {
  return path + ":" + std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1) + ": " +
         error.problem;
}

bool load_file(const std::string& path, std::uint64_t max_bytes, Document* out, std::string* error, bool* unreadable) {
  std::string text;
  *unreadable = !io::read_file(path, max_bytes, &text, error);
  if (*unreadable) return false;
  ParseError syntax;
  if (load(text, out, &syntax)) return true;
  *error = located(path, syntax);
  return false;
}

}  // namespace promvet::yaml
