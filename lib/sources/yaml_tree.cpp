#include "sources/yaml_tree_internal.h"
#include "sources/diagnostic_ids.h"

#include <algorithm>
#include <cctype>

#include "base/utf8.h"
#include "sources/yaml_stream.h"

namespace promvet::sources::yaml_tree {
namespace {

// ---------------------------------------------------------------------------------------------
// Scalar text → file offsets, by scanning the original bytes from the node's start mark.

struct Mapped {
  std::string text;
  std::vector<uint32_t> map;
  void put(char c, size_t at) {
    text.push_back(c);
    map.push_back(static_cast<uint32_t>(at));
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

// One character of a flow scalar's body: a line break folds (YAML's line folding), anything else
// is copied. `floor` is the text length up to the last non-blank, where trailing blanks end.
void put_flow_char(std::string_view s, size_t& i, Mapped& m, size_t& floor) {
  char c = s[i];
  if (is_break(c)) {
    fold(s, i, m, floor);
    floor = m.text.size();
    return;
  }
  m.put(c, i);
  if (!is_white(c)) floor = m.text.size();
  ++i;
}

size_t scan_single(std::string_view s, size_t i, Mapped& m) {
  ++i;
  size_t floor = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\'') {
      if (i + 1 < s.size() && s[i + 1] == '\'') {
        m.put('\'', i);
        i += 2;
        floor = m.text.size();
        continue;
      }
      return i;
    }
    put_flow_char(s, i, m, floor);
  }
  return i;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t scan_double(std::string_view s, size_t i, Mapped& m) {
  ++i;
  size_t floor = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') return i;
    if (c == '\\' && i + 1 < s.size()) {
      size_t at = i;
      char e = s[i + 1];
      i += 2;
      int hex = 0;
      switch (e) {
        case '0': m.put('\0', at); break;
        case 'a': m.put('\a', at); break;
        case 'b': m.put('\b', at); break;
        case 't': case '\t': m.put('\t', at); break;
        case 'n': m.put('\n', at); break;
        case 'v': m.put('\v', at); break;
        case 'f': m.put('\f', at); break;
        case 'r': m.put('\r', at); break;
        case 'e': m.put('\x1b', at); break;
        case ' ': m.put(' ', at); break;
        case '"': m.put('"', at); break;
        case '/': m.put('/', at); break;
        case '\\': m.put('\\', at); break;
        case 'N': put_utf8(m, 0x85, at); break;
        case '_': put_utf8(m, 0xA0, at); break;
        case 'L': put_utf8(m, 0x2028, at); break;
        case 'P': put_utf8(m, 0x2029, at); break;
        case 'x': hex = 2; break;
        case 'u': hex = 4; break;
        case 'U': hex = 8; break;
        case '\r': case '\n': {
          // Escaped line break: joined without a space, leading blanks of the next line dropped.
          if (e == '\r' && i < s.size() && s[i] == '\n') ++i;
          for (;;) {
            while (i < s.size() && is_white(s[i])) ++i;
            if (i < s.size() && is_break(s[i])) {
              m.put('\n', i);
              if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
              ++i;
              continue;
            }
            break;
          }
          break;
        }
        default: m.put(e, at); break;
      }
      if (hex) {
        uint32_t cp = 0;
        for (int k = 0; k < hex && i < s.size(); ++k, ++i) cp = cp * 16 + static_cast<uint32_t>(std::max(0, hexval(s[i])));
        put_utf8(m, cp, at);
      }
      floor = m.text.size();
      continue;
    }
    put_flow_char(s, i, m, floor);
  }
  return i;
}

// Plain scalar: scanned until the produced text has the length of the value the parser returned.
size_t scan_plain(std::string_view s, size_t i, Mapped& m, size_t want) {
  size_t floor = 0;
  while (i < s.size() && !(m.text.size() >= want && floor == m.text.size())) put_flow_char(s, i, m, floor);
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

size_t scan_block(std::string_view s, size_t i, Mapped& m, int indent_hint) {
  const bool folded = s[i] == '>';
  ++i;
  char chomp = 'c';
  int digit = 0;
  while (i < s.size() && (s[i] == '+' || s[i] == '-' || (s[i] >= '1' && s[i] <= '9'))) {
    if (s[i] == '+' || s[i] == '-') chomp = s[i];
    else digit = s[i] - '0';
    ++i;
  }
  while (i < s.size() && !is_break(s[i])) ++i;  // blanks and a comment
  if (i < s.size() && s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
  if (i < s.size()) ++i;
  std::vector<Line> lines;
  size_t ci = digit ? static_cast<size_t>(indent_hint + digit) : 0;
  size_t p = i;
  while (p < s.size()) {
    Line l{p, p, std::string_view::npos, 0, true};
    size_t q = p;
    while (q < s.size() && s[q] == ' ') ++q;
    l.indent = q - p;
    size_t e = q;
    while (e < s.size() && !is_break(s[e])) ++e;
    for (size_t k = q; k < e; ++k)
      if (!is_white(s[k])) { l.blank = false; break; }
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
  if (ci == 0) ci = 1;
  // Content lines of a blank line with more than ci spaces keep the extra spaces (literal).
  size_t last = lines.size();
  while (last > 0 && lines[last - 1].blank) --last;
  auto brk_at = [&](const Line& l) { return l.brk == std::string_view::npos ? l.end : l.brk; };
  bool prev_normal = false;
  bool have_prev = false;
  size_t pending_empties_from = 0;
  for (size_t k = 0; k < last; ++k) {
    const Line& l = lines[k];
    if (l.blank) continue;
    bool normal = !(l.begin < l.end && is_white(s[l.begin]));
    // Line breaks between the previous content line and this one.
    if (have_prev) {
      const Line& prev = lines[pending_empties_from - 1];
      size_t empties = k - pending_empties_from;
      if (folded && prev_normal && normal) {
        if (empties == 0) m.put(' ', brk_at(prev));
      } else {
        m.put('\n', brk_at(prev));
      }
      for (size_t e = pending_empties_from; e < k; ++e) {
        const Line& el = lines[e];
        if (!folded) for (size_t q = el.begin; q < el.end; ++q) m.put(s[q], q);
        m.put('\n', brk_at(el));
      }
    } else {
      for (size_t e = 0; e < k; ++e) {
        const Line& el = lines[e];
        for (size_t q = el.begin; q < el.end; ++q) m.put(s[q], q);
        m.put('\n', brk_at(el));
      }
    }
    for (size_t q = l.begin; q < l.end; ++q) m.put(s[q], q);
    have_prev = true;
    prev_normal = normal;
    pending_empties_from = k + 1;
  }
  size_t end = last > 0 ? lines[last - 1].end : i;
  if (have_prev && chomp != '-') {
    const Line& prev = lines[last - 1];
    m.put('\n', brk_at(prev));
    if (chomp == '+')
      for (size_t e = last; e < lines.size(); ++e) m.put('\n', brk_at(lines[e]));
  }
  return end;
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

// Nesting of flow collections ([ and { outside scalars) and block indentation levels, counted
// without recursion, so pathological inputs are refused before the parser sees them.
bool too_deep(std::string_view s, uint32_t max_depth, size_t& where) {
  std::vector<size_t> indents;
  size_t flow = 0;
  size_t p = 0;
  while (p < s.size()) {
    size_t e = s.find('\n', p);
    if (e == std::string_view::npos) e = s.size();
    size_t q = p;
    while (q < e && s[q] == ' ') ++q;
    bool content = q < e && s[q] != '#' && s[q] != '\r';
    if (content && flow == 0) {
      size_t ind = q - p;
      while (!indents.empty() && indents.back() >= ind) indents.pop_back();
      indents.push_back(ind);
      // "- - - x" opens one level per dash.
      size_t dashes = 0;
      size_t r = q;
      while (r + 1 < e && s[r] == '-' && s[r + 1] == ' ') {
        ++dashes;
        r += 2;
        while (r < e && s[r] == ' ') ++r;
      }
      if (indents.size() + dashes > max_depth) { where = q; return true; }
    }
    // Flow collections: a '[' or '{' that starts a value, or any inside flow context.
    char quote = 0;
    for (size_t k = q; k < e; ++k) {
      char c = s[k];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '#' && (k == p || is_white(s[k - 1]))) break;
      bool value_start = k == q || (k >= 2 && (s[k - 1] == ' ') && (s[k - 2] == ':' || s[k - 2] == '-')) ||
                         (k >= 1 && (s[k - 1] == '[' || s[k - 1] == '{' || s[k - 1] == ','));
      if (flow > 0 && (c == '"' || c == '\'') && (k == 0 || !std::isalnum(static_cast<unsigned char>(s[k - 1])))) {
        quote = c;
        continue;
      }
      if ((c == '[' || c == '{') && (flow > 0 || value_start)) {
        ++flow;
        if (flow + indents.size() > max_depth) { where = k; return true; }
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    p = e + 1;
  }
  return false;
}

}  // namespace

void map_scalar(std::string_view s, const YNode& n, std::string& text, OffsetMap& map) {
  size_t i = std::min<size_t>(static_cast<size_t>(std::max(0, n.mark.pos)), s.size());
  // Node properties (anchor, tag) precede the content.
  while (i < s.size() && (s[i] == '&' || s[i] == '!')) {
    while (i < s.size() && !is_white(s[i]) && !is_break(s[i])) ++i;
    while (i < s.size() && (is_white(s[i]) || is_break(s[i]))) ++i;
  }
  Mapped m;
  size_t end = i;
  if (i < s.size()) {
    char c = s[i];
    if (c == '\'') end = scan_single(s, i, m);
    else if (c == '"') end = scan_double(s, i, m);
    else if ((c == '|' || c == '>') && n.quoted) end = scan_block(s, i, m, owner_indent(s, i));
    else end = scan_plain(s, i, m, n.value.size());
  }
  if (m.text == n.value) {
    text = std::move(m.text);
    map.to_file = std::move(m.map);
    uint32_t e = map.to_file.empty() ? static_cast<uint32_t>(end) : map.to_file.back() + 1;
    if (!map.to_file.empty() && end > map.to_file.back()) e = static_cast<uint32_t>(end);
    map.to_file.push_back(e);
    // A line break the parser adds at the end of input maps to the last byte; the end to the size.
    const uint32_t size = static_cast<uint32_t>(s.size());
    for (size_t k = 0; k + 1 < map.to_file.size(); ++k)
      if (map.to_file[k] >= size) map.to_file[k] = size ? size - 1 : 0;
    if (map.to_file.back() > size) map.to_file.back() = size;
    return;
  }
  text = n.value;
  map.to_file.assign(text.size() + 1, static_cast<uint32_t>(std::min(i, s.size())));
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
  if (auto bad = check_yaml_stream(content)) {
    fail(ids::kInvalidYaml, bad->message, bad->offset);
    return std::nullopt;
  }
  size_t where = 0;
  if (too_deep(content, options.max_depth, where)) {
    fail(ids::kTooDeep, "yaml nesting deeper than " + std::to_string(options.max_depth) + " levels", where);
    return std::nullopt;
  }
  // Expanded-node budget: proportional to the file, so alias bombs fail fast. Node budget: what
  // the file's bytes can hold (at most about one node per byte), a guard against a parser that
  // produces nodes from nothing (yaml-cpp did, found by lint_rules_fuzz).
  yaml::Limits limits;
  limits.max_depth = options.max_depth;
  limits.max_expanded = 1000000 + 8 * static_cast<uint64_t>(content.size());
  limits.max_nodes = 1024 + 2 * static_cast<uint64_t>(content.size());
  yaml::ParseError e;
  std::optional<std::vector<Doc>> docs = yaml::parse(content, limits, &e);
  if (docs) return docs;
  const size_t at = static_cast<size_t>(std::max(0, e.mark.pos));
  switch (e.kind) {
    case yaml::ParseError::TooComplex:
      fail(ids::kYamlTooComplex, "yaml aliases expand to more than " + std::to_string(limits.max_expanded) + " nodes", at);
      break;
    case yaml::ParseError::TooManyNodes:
      fail(ids::kInvalidYaml,
           "yaml: malformed document: the parser produced more than " + std::to_string(limits.max_nodes) + " nodes from " +
               std::to_string(content.size()) + " bytes",
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
