// A large rule file parsed in pieces on several threads (io/yaml_tree.h, parse with threads > 1).
//
// A rule file is `groups:` at column 0 and a block sequence of groups, each item a line starting
// with the same indentation and `- `. The text is cut at such lines into pieces of about equal
// size: the first piece is a rule file of its own (`groups:` with the first items), every other
// one a block sequence (its items). Each piece is parsed by libyaml on its own thread, then the
// items of the later pieces are appended to the first piece's `groups` sequence, their marks
// moved by the piece's offset and line.
//
// That is the tree one parse gives if every piece parses alone and: the first piece's document is
// a mapping whose last key is `groups` with a sequence; every other piece is exactly one
// sequence; no line break other than \n (libyaml counts \r, NEL, LS and PS as line breaks too,
// base/yaml_line_breaks.h, and the cuts are found at \n); no document marker after `groups:` (a
// `...` between items would end the document in one parse, not in pieces); the node and alias
// budgets hold for the sum. A cut inside a quoted scalar or a flow collection leaves a piece that
// does not parse, an alias to an anchor of another piece is an unknown anchor there, and a block
// scalar cannot hold such a line (its content is indented more than its key, which is inside an
// item). Whenever a condition fails, nothing is joined and the caller parses the whole text (and
// reports its errors).
#include <algorithm>
#include <cstring>

#include "base/parts.h"
#include "base/yaml_line_breaks.h"
#include "io/yaml_tree_internal.h"

namespace promvet::yaml::detail {
namespace {

// Below this size one thread is about as fast as starting others.
constexpr size_t kMinSplitBytes = 256 * 1024;

uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

size_t next_line(std::string_view s, size_t p) {
  size_t e = s.find('\n', p);
  return e == std::string_view::npos ? s.size() : e + 1;
}

// The line at `p` is a block sequence entry indented by exactly `indent` spaces.
bool item_line(std::string_view s, size_t p, size_t indent) {
  if (p + indent + 1 > s.size()) return false;
  for (size_t k = p; k < p + indent; ++k)
    if (s[k] != ' ') return false;
  if (s[p + indent] != '-') return false;
  if (p + indent + 1 == s.size()) return true;
  const char after = s[p + indent + 1];
  return after == ' ' || after == '\t' || after == '\n';
}

// Blank or only a comment.
bool empty_line(std::string_view s, size_t p) {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  return p >= s.size() || s[p] == '\n' || s[p] == '#';
}

// Where the pieces start (the first at 0), or empty when the text is not cut.
std::vector<size_t> cut_points(std::string_view s, unsigned pieces) {
  if (s.size() < kMinSplitBytes || pieces < 2) return {};
  // Cuts are found at \n; with other breaks a cut could fall inside what YAML reads as one line.
  if (!base::only_newline_breaks(s)) return {};
  if (static_cast<unsigned char>(s[0]) == 0xFF || static_cast<unsigned char>(s[0]) == 0xFE) return {};  // UTF-16
  size_t g = 0;  // the `groups:` line
  for (;;) {
    g = s.find("groups:", g);
    if (g == std::string_view::npos) return {};
    if (g == 0 || s[g - 1] == '\n' || (g == 3 && s.compare(0, 3, "\xef\xbb\xbf") == 0)) break;
    ++g;
  }
  if (!empty_line(s, g + 7)) return {};
  if (s.find("\n---", g) != std::string_view::npos || s.find("\n...", g) != std::string_view::npos) return {};
  size_t first = next_line(s, g);
  while (first < s.size() && empty_line(s, first)) first = next_line(s, first);
  size_t indent = 0;
  while (first + indent < s.size() && s[first + indent] == ' ') ++indent;
  if (!item_line(s, first, indent)) return {};
  std::vector<size_t> cuts = {0};
  for (unsigned k = 1; k < pieces; ++k) {
    size_t p = next_line(s, std::max(cuts.back(), first + (s.size() - first) / pieces * k));
    while (p < s.size() && !item_line(s, p, indent)) p = next_line(s, p);
    if (p >= s.size()) break;
    cuts.push_back(p);
  }
  if (cuts.size() < 2) return {};
  return cuts;
}

struct Piece {
  std::optional<Unfinished> parsed;
  size_t begin = 0, end = 0;
  int line = 0;  // lines before it
};

void parse_piece(std::string_view s, Piece& piece, const Limits& limits) {
  try {
    ParseError ignored;
    piece.parsed = parse_unfinished(s.substr(piece.begin, piece.end - piece.begin), limits, &ignored);
  } catch (const std::exception&) {  // out of memory on a worker: parsed whole by the caller
    piece.parsed.reset();
  }
}

// The `groups` sequence of the first piece: the value of the last key of a mapping root.
uint32_t groups_sequence(const Unfinished& u) {
  if (u.docs.size() != 1) return UINT32_MAX;
  const Doc& d = u.docs[0];
  if (d.root == UINT32_MAX || d.nodes[d.root].kind != YNode::Map) return UINT32_MAX;
  const YNode& root = d.nodes[d.root];
  const size_t n = root.children.size();
  if (n < 2) return UINT32_MAX;
  const uint32_t* run = d.children.data() + root.target;
  const YNode& key = d.nodes[run[n - 2]];
  const uint32_t value = run[n - 1];
  if (key.kind != YNode::Scalar || key.value != "groups" || d.nodes[value].kind != YNode::Seq) return UINT32_MAX;
  return value;
}

// Appends a later piece's nodes to `d` (its root sequence left out), its items to `items`.
void append_piece(Doc& d, Piece& piece, std::vector<uint32_t>& items) {
  Doc& c = piece.parsed->docs[0];
  const uint32_t off = static_cast<uint32_t>(d.nodes.size()) - 1;  // the piece's node i > 0 → off + i
  const uint32_t runs = static_cast<uint32_t>(d.children.size());
  for (size_t i = 1; i < c.nodes.size(); ++i) {
    YNode& n = c.nodes[i];
    n.mark.pos += static_cast<int>(piece.begin);
    n.mark.line += piece.line;
    if (n.kind == YNode::Seq || n.kind == YNode::Map) n.target += runs;
    else if (n.kind == YNode::Alias) n.target += off;
    d.nodes.push_back(std::move(n));
  }
  for (uint32_t k : c.children) d.children.push_back(k + off);
  const YNode& root = c.nodes[0];
  for (size_t k = 0; k < root.children.size(); ++k) items.push_back(c.children[root.target + k] + off);
  d.tags.splice_after(d.tags.before_begin(), c.tags);
}

// The collection `i`'s children in a new run holding `kids`, its weight from theirs.
void set_children(Doc& d, uint32_t i, const std::vector<uint32_t>& kids) {
  uint64_t w = 1;
  for (uint32_t k : kids) w = sat_add(w, d.nodes[k].weight);
  YNode& n = d.nodes[i];
  n.weight = w;
  n.target = static_cast<uint32_t>(d.children.size());
  n.children = Children(nullptr, static_cast<uint32_t>(kids.size()));
  d.children.insert(d.children.end(), kids.begin(), kids.end());
}

std::vector<uint32_t> run_of(const Doc& d, uint32_t i) {
  const YNode& n = d.nodes[i];
  return std::vector<uint32_t>(d.children.begin() + n.target, d.children.begin() + n.target + n.children.size());
}

}  // namespace

std::optional<std::vector<Doc>> parse_split(std::string_view s, const Limits& limits, unsigned threads) {
  const std::vector<size_t> cuts = cut_points(s, threads);
  if (cuts.empty() || limits.max_depth < 2) return std::nullopt;
  std::vector<Piece> pieces(cuts.size());
  for (size_t k = 0; k < cuts.size(); ++k) {
    pieces[k].begin = cuts[k];
    pieces[k].end = k + 1 < cuts.size() ? cuts[k + 1] : s.size();
  }
  // A later piece's items are one level less deep than in the file (no `groups` mapping).
  Limits later = limits;
  later.max_depth = limits.max_depth - 1;
  // The thread of piece k also counts the lines of piece k - 1 (this thread has the first piece
  // and the join): piece k starts after the lines of all before it.
  std::vector<size_t> lines_before(pieces.size(), 0);
  base::run_parts(pieces.size(), [&](size_t k) {
    if (k == 0) return parse_piece(s, pieces[0], limits);
    lines_before[k] = base::count_yaml_line_breaks(s.substr(cuts[k - 1], cuts[k] - cuts[k - 1]));
    parse_piece(s, pieces[k], later);
  });
  for (size_t k = 1; k < pieces.size(); ++k) pieces[k].line = pieces[k - 1].line + static_cast<int>(lines_before[k]);

  for (const Piece& p : pieces)
    if (!p.parsed) return std::nullopt;
  Unfinished& whole = *pieces[0].parsed;
  const uint32_t groups = groups_sequence(whole);
  if (groups == UINT32_MAX) return std::nullopt;
  uint64_t nodes = whole.nodes, expanded = whole.expanded;
  for (size_t k = 1; k < pieces.size(); ++k) {
    const Unfinished& u = *pieces[k].parsed;
    if (u.docs.size() != 1 || u.docs[0].root != 0 || u.docs[0].nodes[0].kind != YNode::Seq) return std::nullopt;
    nodes = sat_add(nodes, u.nodes - 1);  // less the piece's own root
    expanded = sat_add(expanded, u.expanded - 1);
  }
  if (nodes > limits.max_nodes || expanded > limits.max_expanded) return std::nullopt;

  Doc& d = whole.docs[0];
  size_t total = d.nodes.size();
  for (size_t k = 1; k < pieces.size(); ++k) total += pieces[k].parsed->docs[0].nodes.size();
  d.nodes.reserve(total);
  std::vector<uint32_t> items = run_of(d, groups);
  for (size_t k = 1; k < pieces.size(); ++k) append_piece(d, pieces[k], items);
  set_children(d, groups, items);
  set_children(d, d.root, run_of(d, d.root));  // the same children, its weight with the new items
  finish(whole.docs);
  return std::move(whole.docs);
}

}  // namespace promvet::yaml::detail
