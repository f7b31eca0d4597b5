#include "sources/yaml_tree_internal.h"
#include "sources/diagnostic_ids.h"

#include <algorithm>
#include <cctype>

#include "base/utf8.h"

namespace promvet::sources::yaml_tree {
namespace {

// ---------------------------------------------------------------------------------------------
// Scalar text → file offsets, by scanning the original bytes from the node's start mark.

struct Mapped {
  std::string text;
  std::vector<uint32_t> map;
  void clear() {
    text.clear();
    map.clear();
  }
  void put(char c, size_t at) {
    text.push_back(c);
    map.push_back(static_cast<uint32_t>(at));
  }
  // s[from, to), each character mapped to its own offset.
  void put_run(std::string_view s, size_t from, size_t to) {
    text.append(s.data() + from, to - from);
    const size_t old = map.size();
    map.resize(old + (to - from));
    for (size_t k = from; k < to; ++k) map[old + (k - from)] = static_cast<uint32_t>(k);
  }
  void trim_to(size_t floor) {
    while (text.size() > floor && is_white(text.back())) {
      text.pop_back();
      map.pop_back();
    }
  }
};

// At a line break inside a flow scalar (plain or quoted): YAML line folding. `i` is at the break;
// on return it is at the first non-blank character of the next non-empty line.
void fold(std::string_view s, size_t& i, Mapped& m, size_t floor) {
  m.trim_to(floor);
  size_t first_break = i;
  auto skip_break = [&] {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    ++i;
  };
  skip_break();
  int empties = 0;
  for (;;) {
    while (i < s.size() && is_white(s[i])) ++i;
    if (i < s.size() && is_break(s[i])) {
      m.put('\n', i);
      ++empties;
      skip_break();
      continue;
    }
    break;
  }
  if (empties == 0) m.put(' ', first_break);
}

void put_utf8(Mapped& m, uint32_t cp, size_t at) {
  std::string bytes;
  base::append_utf8(bytes, cp);
  for (char b : bytes) m.put(b, at);
}

// Characters of a flow scalar's body, copied. `floor` is the text length up to the last
// non-blank, where trailing blanks end at a fold.
void put_flow_run(std::string_view s, size_t from, size_t to, Mapped& m, size_t& floor) {
  const size_t before = m.text.size();
  m.put_run(s, from, to);
  size_t k = to;
  while (k > from && is_white(s[k - 1])) --k;
  if (k > from) floor = before + (k - from);
}

// A line break folds (YAML's line folding); `i` moves past it.
void put_break(std::string_view s, size_t& i, Mapped& m, size_t& floor) {
  fold(s, i, m, floor);
  floor = m.text.size();
}

// From `i`, the first character that is a line break or one of `stops`.
size_t run_end(std::string_view s, size_t i, char stop1, char stop2) {
  while (i < s.size() && s[i] != stop1 && s[i] != stop2 && !is_break(s[i])) ++i;
  return i;
}

size_t scan_single(std::string_view s, size_t i, Mapped& m) {
  ++i;
  size_t floor = 0;
  while (i < s.size()) {
    const size_t j = run_end(s, i, '\'', '\'');
    put_flow_run(s, i, j, m, floor);
    i = j;
    if (i >= s.size()) break;
    if (s[i] != '\'') {
      put_break(s, i, m, floor);
    } else if (i + 1 < s.size() && s[i + 1] == '\'') {
      m.put('\'', i);
      i += 2;
      floor = m.text.size();
    } else {
      return i;
    }
  }
  return i;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The character a one-letter escape stands for, or -1 (\x, \u, \U, line breaks, and letters
// that are not escapes).
int simple_escape(char e) {
  switch (e) {
    case '0': return '\0';
    case 'a': return '\a';
    case 'b': return '\b';
    case 't':
    case '\t': return '\t';
    case 'n': return '\n';
    case 'v': return '\v';
    case 'f': return '\f';
    case 'r': return '\r';
    case 'e': return '\x1b';
    case ' ':
    case '"':
    case '/':
    case '\\': return e;
    default: return -1;
  }
}

// An escaped line break: joined without a space, leading blanks of the next line dropped. `i`
// is past the break.
void escaped_break(std::string_view s, size_t& i, Mapped& m) {
  for (;;) {
    while (i < s.size() && is_white(s[i])) ++i;
    if (i >= s.size() || !is_break(s[i])) return;
    m.put('\n', i);
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    ++i;
  }
}

// The escape sequence at s[i] == '\\' (with a character after it); `i` moves past it.
void put_escape(std::string_view s, size_t& i, Mapped& m) {
  const size_t at = i;
  const char e = s[i + 1];
  i += 2;
  if (int c = simple_escape(e); c >= 0) {
    m.put(static_cast<char>(c), at);
    return;
  }
  int hex = 0;
  switch (e) {
    case 'N': put_utf8(m, 0x85, at); return;
    case '_': put_utf8(m, 0xA0, at); return;
    case 'L': put_utf8(m, 0x2028, at); return;
    case 'P': put_utf8(m, 0x2029, at); return;
    case 'x': hex = 2; break;
    case 'u': hex = 4; break;
    case 'U': hex = 8; break;
    case '\r':
    case '\n':
      if (e == '\r' && i < s.size() && s[i] == '\n') ++i;
      escaped_break(s, i, m);
      return;
    default: m.put(e, at); return;
  }
  uint32_t cp = 0;
  for (int k = 0; k < hex && i < s.size(); ++k, ++i) cp = cp * 16 + static_cast<uint32_t>(std::max(0, hexval(s[i])));
  put_utf8(m, cp, at);
}

size_t scan_double(std::string_view s, size_t i, Mapped& m) {
  ++i;
  size_t floor = 0;
  while (i < s.size()) {
    const size_t j = run_end(s, i, '"', '\\');
    put_flow_run(s, i, j, m, floor);
    i = j;
    if (i >= s.size()) break;
    if (s[i] == '"') return i;
    if (s[i] == '\\' && i + 1 < s.size()) {
      put_escape(s, i, m);
      floor = m.text.size();
    } else if (s[i] == '\\') {
      put_flow_run(s, i, i + 1, m, floor);
      ++i;
    } else {
      put_break(s, i, m, floor);
    }
  }
  return i;
}

// Plain scalar: scanned until the produced text has the length of the value the parser returned
// and ends on a non-blank.
size_t scan_plain(std::string_view s, size_t i, Mapped& m, size_t want) {
  size_t floor = 0;
  while (i < s.size() && !(m.text.size() >= want && floor == m.text.size())) {
    if (is_break(s[i])) {
      put_break(s, i, m, floor);
      continue;
    }
    const size_t j = run_end(s, i, '\n', '\n');
    // Stop at the first non-blank that brings the text to `want` characters.
    const size_t need = want > m.text.size() ? want - m.text.size() : 0;
    size_t stop = j;
    for (size_t k = i + (need ? need - 1 : 0); k < j; ++k)
      if (!is_white(s[k])) {
        stop = k + 1;
        break;
      }
    put_flow_run(s, i, stop, m, floor);
    i = stop;
  }
  return i;
}

size_t line_start(std::string_view s, size_t i) {
  while (i > 0 && s[i - 1] != '\n') --i;
  return i;
}

struct Line {
  size_t begin, end, brk;  // brk: offset of the line break, or npos at end of input
  size_t indent;           // leading spaces
  bool blank;              // only spaces/tabs
};

struct BlockHeader {
  bool folded = false;
  char chomp = 'c';  // 'c'lip, '-' strip, '+' keep
  int digit = 0;     // explicit indentation indicator, 0 if none
  size_t body = 0;   // first byte after the header line
};

BlockHeader block_header(std::string_view s, size_t i) {
  BlockHeader h;
  h.folded = s[i] == '>';
  ++i;
  while (i < s.size() && (s[i] == '+' || s[i] == '-' || (s[i] >= '1' && s[i] <= '9'))) {
    if (s[i] == '+' || s[i] == '-') h.chomp = s[i];
    else h.digit = s[i] - '0';
    ++i;
  }
  while (i < s.size() && !is_break(s[i])) ++i;  // blanks and a comment
  if (i < s.size() && s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
  if (i < s.size()) ++i;
  h.body = i;
  return h;
}

// The lines of a block scalar's body from `p`: up to the first non-blank line indented less
// than the content (`ci`, found from the first non-blank line unless given).
std::vector<Line> block_lines(std::string_view s, size_t p, size_t& ci, int indent_hint) {
  std::vector<Line> lines;
  while (p < s.size()) {
    Line l{p, p, std::string_view::npos, 0, true};
    size_t q = p;
    while (q < s.size() && s[q] == ' ') ++q;
    l.indent = q - p;
    size_t e = q;
    while (e < s.size() && !is_break(s[e])) ++e;
    for (size_t k = q; k < e; ++k)
      if (!is_white(s[k])) {
        l.blank = false;
        break;
      }
    if (e < s.size()) l.brk = e;
    if (!l.blank) {
      if (ci == 0) {
        ci = l.indent;
        if (static_cast<int>(ci) <= indent_hint) break;
      }
      if (l.indent < ci) break;
    }
    l.begin = std::min(p + ci, e);
    l.end = e;
    lines.push_back(l);
    if (e >= s.size()) break;
    p = e + (s[e] == '\r' && e + 1 < s.size() && s[e + 1] == '\n' ? 2 : 1);
  }
  return lines;
}

size_t brk_at(const Line& l) { return l.brk == std::string_view::npos ? l.end : l.brk; }

// The empty lines [from, to) before a content line: each a line break (a literal scalar keeps
// the spaces beyond the content indentation).
void put_empty_lines(std::string_view s, const std::vector<Line>& lines, size_t from, size_t to, bool keep_spaces,
                     Mapped& m) {
  for (size_t e = from; e < to; ++e) {
    const Line& el = lines[e];
    if (keep_spaces) m.put_run(s, el.begin, el.end);
    m.put('\n', brk_at(el));
  }
}

size_t scan_block(std::string_view s, size_t i, Mapped& m, int indent_hint) {
  const BlockHeader h = block_header(s, i);
  size_t ci = h.digit ? static_cast<size_t>(indent_hint + h.digit) : 0;
  const std::vector<Line> lines = block_lines(s, h.body, ci, indent_hint);
  size_t last = lines.size();  // trailing blank lines are chomped
  while (last > 0 && lines[last - 1].blank) --last;
  bool prev_normal = false;
  size_t next = 0;  // first line not yet written
  for (size_t k = 0; k < last; ++k) {
    const Line& l = lines[k];
    if (l.blank) continue;
    const bool normal = !(l.begin < l.end && is_white(s[l.begin]));
    if (next > 0) {
      // The break ending the previous content line: folded to a space between two normal lines
      // with no empty line between, else kept.
      const bool fold_it = h.folded && prev_normal && normal;
      if (!fold_it) m.put('\n', brk_at(lines[next - 1]));
      else if (k == next) m.put(' ', brk_at(lines[next - 1]));
    }
    put_empty_lines(s, lines, next, k, next == 0 || !h.folded, m);
    m.put_run(s, l.begin, l.end);
    prev_normal = normal;
    next = k + 1;
  }
  if (next > 0 && h.chomp != '-') {
    m.put('\n', brk_at(lines[last - 1]));
    if (h.chomp == '+')
      for (size_t e = last; e < lines.size(); ++e) m.put('\n', brk_at(lines[e]));
  }
  return last > 0 ? lines[last - 1].end : h.body;
}

// Column of the key that owns a block scalar header at `at` (YAML's parent indentation n).
int owner_indent(std::string_view s, size_t at) {
  size_t ls = line_start(s, at);
  size_t j = ls;
  size_t dash = std::string_view::npos;
  for (;;) {
    while (j < at && s[j] == ' ') ++j;
    if (j + 1 < at && s[j] == '-' && (s[j + 1] == ' ' || s[j + 1] == '\t')) {
      dash = j;
      ++j;
      continue;
    }
    break;
  }
  if (j == at && dash != std::string_view::npos) return static_cast<int>(dash - ls);
  if (j == at) return -1;
  return static_cast<int>(j - ls);
}

// Scans the scalar `n` from its start mark into `m`; returns where its content ends. `start` is
// where the content begins (after an anchor or a tag).
size_t scan_scalar(std::string_view s, const YNode& n, Mapped& m, size_t& start) {
  size_t i = std::min<size_t>(static_cast<size_t>(std::max(0, n.mark.pos)), s.size());
  // Node properties (anchor, tag) precede the content.
  while (i < s.size() && (s[i] == '&' || s[i] == '!')) {
    while (i < s.size() && !is_white(s[i]) && !is_break(s[i])) ++i;
    while (i < s.size() && (is_white(s[i]) || is_break(s[i]))) ++i;
  }
  start = i;
  if (i >= s.size()) return i;
  const char c = s[i];
  if (c == '\'') return scan_single(s, i, m);
  if (c == '"') return scan_double(s, i, m);
  if ((c == '|' || c == '>') && n.quoted) return scan_block(s, i, m, owner_indent(s, i));
  return scan_plain(s, i, m, n.value.size());
}

// The offset the end of the scalar's text maps to (map_scalar's last entry).
uint32_t end_entry(std::string_view s, const Mapped& m, size_t end) {
  uint32_t e = m.map.empty() ? static_cast<uint32_t>(end) : m.map.back() + 1;
  if (!m.map.empty() && end > m.map.back()) e = static_cast<uint32_t>(end);
  return std::min(e, static_cast<uint32_t>(s.size()));
}

}  // namespace

void map_scalar(std::string_view s, const YNode& n, std::string& text, OffsetMap& map) {
  Mapped m;
  m.text.reserve(n.value.size());
  m.map.reserve(n.value.size() + 1);
  size_t start = 0;
  const size_t end = scan_scalar(s, n, m, start);
  if (m.text == n.value) {
    const uint32_t last = end_entry(s, m, end);
    text = std::move(m.text);
    map.to_file = std::move(m.map);
    // A line break the parser adds at the end of input maps to the last byte; the end to the size.
    const uint32_t size = static_cast<uint32_t>(s.size());
    for (uint32_t& k : map.to_file)
      if (k >= size) k = size ? size - 1 : 0;
    map.to_file.push_back(last);
    return;
  }
  text = n.value;
  map.to_file.assign(text.size() + 1, static_cast<uint32_t>(std::min(start, s.size())));
}

uint32_t scalar_end(std::string_view s, const YNode& n) {
  thread_local Mapped m;  // scratch: its buffers are reused from one call to the next
  m.clear();
  size_t start = 0;
  const size_t end = scan_scalar(s, n, m, start);
  const uint32_t e = m.text == n.value ? end_entry(s, m, end) : static_cast<uint32_t>(std::min(start, s.size()));
  if (m.map.capacity() > (1u << 16)) m = Mapped();  // not kept for the next call: a huge scalar's buffers
  return e;
}

std::optional<std::vector<Doc>> parse_documents(std::string_view content, const LoadOptions& options,
                                                std::vector<Diagnostic>& errors) {
  auto fail = [&](std::string_view id, std::string msg, size_t at) {
    Diagnostic d;
    d.check_id = id;
    d.message = std::move(msg);
    d.offset = static_cast<uint32_t>(std::min(at, content.size()));
    d.end_offset = static_cast<uint32_t>(std::min(at + 1, content.size()));
    errors.push_back(std::move(d));
  };
  if (content.size() > options.max_bytes) {
    fail(ids::kTooLarge, "file is larger than " + std::to_string(options.max_bytes) + " bytes", 0);
    return std::nullopt;
  }
  PreScans pre(content, options.max_depth, options.threads);
  auto pre_scan_failed = [&] {
    std::optional<PreScans::Error> bad = pre.error();
    if (bad) fail(bad->id, std::move(bad->message), bad->at);
    return bad.has_value();
  };
  if (!pre.aside() && pre_scan_failed()) return std::nullopt;
  // Expanded-node budget: proportional to the file, so alias bombs fail fast. Node budget: what
  // the file's bytes can hold (at most about one node per byte), a guard against a parser that
  // produces nodes from nothing (yaml-cpp did, found by lint_rules_fuzz).
  yaml::Limits limits;
  limits.max_depth = options.max_depth;
  limits.max_expanded = 1000000 + 8 * static_cast<uint64_t>(content.size());
  limits.max_nodes = 1024 + 2 * static_cast<uint64_t>(content.size());
  yaml::ParseError e;
  // (An exception from the parse leaves through ~PreScans, which joins its thread.)
  std::optional<std::vector<Doc>> docs = yaml::parse(content, limits, &e, options.threads);
  if (pre.aside() && pre_scan_failed()) return std::nullopt;
  if (docs) return docs;
  const size_t at = static_cast<size_t>(std::max(0, e.mark.pos));
  switch (e.kind) {
    case yaml::ParseError::TooComplex:
      fail(ids::kYamlTooComplex, "yaml aliases expand to more than " + std::to_string(limits.max_expanded) + " nodes",
           at);
      break;
    case yaml::ParseError::TooManyNodes:
      fail(ids::kInvalidYaml,
           "yaml: malformed document: the parser produced more than " + std::to_string(limits.max_nodes) +
               " nodes from " + std::to_string(content.size()) + " bytes",
           at);
      break;
    case yaml::ParseError::TooDeep:
      fail(ids::kTooDeep, "yaml nesting deeper than " + std::to_string(options.max_depth) + " levels", at);
      break;
    case yaml::ParseError::Syntax: fail(ids::kInvalidYaml, e.message, at); break;
  }
  return std::nullopt;
}

}  // namespace promvet::sources::yaml_tree
