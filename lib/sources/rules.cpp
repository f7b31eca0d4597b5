#include "sources/rules.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <tuple>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "promql/literals.h"
#include "sources/rule_dialects.h"
#include "sources/yaml_stream.h"

namespace promvet::sources {
namespace {

using promql::literals::go_quote;

// ---------------------------------------------------------------------------------------------
// A small YAML tree built from yaml-cpp's parser events: aliases stay references (no expansion),
// nesting and alias expansion are bounded while parsing.

struct YNode {
  enum Kind : uint8_t { Null, Scalar, Seq, Map, Alias };
  Kind kind = Null;
  bool quoted = false;  // non-plain scalar (tag "!")
  YAML::Mark mark;
  std::string value;
  std::string tag;
  std::vector<uint32_t> children;  // Seq: items; Map: key, value, key, value...
  uint32_t target = UINT32_MAX;    // Alias
  uint64_t weight = 1;             // nodes after expanding aliases
};

struct Doc {
  std::vector<YNode> nodes;
  uint32_t root = UINT32_MAX;
  int start_line = 0;
};

struct TooComplex {
  YAML::Mark mark;
};
struct TooDeep {
  YAML::Mark mark;
};
struct TooManyNodes {
  YAML::Mark mark;
};

class Builder : public YAML::EventHandler {
 public:
  // shift: bytes before what yaml-cpp counts in Mark::pos (a UTF-8 byte order mark).
  // max_nodes: what the file's bytes can hold (at most about one node per byte). yaml-cpp can
  // loop on some malformed input, producing nodes from nothing (found by lint_rules_fuzz: a
  // 1 KB file became a million nulls); this stops it at once.
  Builder(uint32_t max_depth, uint64_t max_expanded, uint64_t max_nodes, int shift)
      : max_depth_(max_depth), max_expanded_(max_expanded), max_nodes_(max_nodes), shift_(shift) {}
  std::vector<Doc> docs;

  void OnDocumentStart(const YAML::Mark& mark) override {
    docs.emplace_back();
    docs.back().start_line = mark.line;
    anchors_.clear();
    stack_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YNode n;
    n.kind = YNode::Null;
    n.mark = mark;
    add(std::move(n), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YNode n;
    n.kind = YNode::Alias;
    n.mark = mark;
    auto it = anchors_.find(anchor);
    if (it != anchors_.end()) {
      n.target = it->second;
      n.weight = doc().nodes[it->second].weight;
    }
    expanded_ = sat_add(expanded_, n.weight);
    if (expanded_ > max_expanded_) {
      YAML::Mark m = mark;
      m.pos += shift_;
      throw TooComplex{m};
    }
    add(std::move(n), 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YNode n;
    n.kind = YNode::Scalar;
    n.mark = mark;
    n.value = value;
    n.quoted = tag == "!";
    if (tag != "!" && tag != "?") n.tag = tag;
    add(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YNode::Seq, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YNode::Map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }
  Doc& doc() {
    if (docs.empty()) docs.emplace_back();
    return docs.back();
  }
  uint32_t add(YNode n, YAML::anchor_t anchor) {
    Doc& d = doc();
    n.mark.pos += shift_;
    if (++nodes_ > max_nodes_) throw TooManyNodes{n.mark};
    if (n.kind != YNode::Alias) {
      expanded_ = sat_add(expanded_, 1);
      if (expanded_ > max_expanded_) throw TooComplex{n.mark};
    }
    uint32_t idx = static_cast<uint32_t>(d.nodes.size());
    d.nodes.push_back(std::move(n));
    if (stack_.empty()) {
      if (d.root == UINT32_MAX) d.root = idx;
    } else {
      d.nodes[stack_.back()].children.push_back(idx);
    }
    if (anchor != 0) anchors_[anchor] = idx;
    return idx;
  }
  void open(YNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() + 1 > max_depth_) {
      YAML::Mark m = mark;
      m.pos += shift_;
      throw TooDeep{m};
    }
    YNode n;
    n.kind = kind;
    n.mark = mark;
    uint32_t idx = add(std::move(n), anchor);
    stack_.push_back(idx);
  }
  void close() {
    if (stack_.empty()) return;
    Doc& d = doc();
    YNode& n = d.nodes[stack_.back()];
    uint64_t w = 1;
    for (uint32_t c : n.children) w = sat_add(w, d.nodes[c].weight);
    n.weight = w;
    stack_.pop_back();
  }

  uint32_t max_depth_;
  uint64_t max_expanded_;
  uint64_t max_nodes_;
  int shift_ = 0;
  uint64_t expanded_ = 0;
  uint64_t nodes_ = 0;
  std::vector<uint32_t> stack_;
  std::unordered_map<YAML::anchor_t, uint32_t> anchors_;
};

// ---------------------------------------------------------------------------------------------
// Scalar text → file offsets, by scanning the original bytes from the node's start mark.

bool is_break(char c) { return c == '\n' || c == '\r'; }
bool is_white(char c) { return c == ' ' || c == '\t'; }

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
  promql::literals::append_utf8(bytes, cp);
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

// Plain scalar: scanned until the produced text has the length of the value yaml-cpp returned.
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

// Maps a scalar node's value to file offsets. Falls back to the start mark for every character
// when the scan does not reproduce yaml-cpp's value.
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
  // yaml-cpp 0.7 drops the trailing empty lines of a folded `>+` scalar; the scan follows the
  // YAML spec (as go-yaml, which Prometheus uses, does) when only trailing line breaks differ.
  auto strip_nl = [](std::string_view v) {
    while (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    return v;
  };
  bool keep_scan = m.text == n.value || (i < s.size() && s[i] == '>' && !m.text.empty() &&
                                         strip_nl(m.text) == strip_nl(n.value));
  if (keep_scan) {
    text = std::move(m.text);
    map.to_file = std::move(m.map);
    uint32_t e = map.to_file.empty() ? static_cast<uint32_t>(end) : map.to_file.back() + 1;
    if (!map.to_file.empty() && end > map.to_file.back()) e = static_cast<uint32_t>(end);
    map.to_file.push_back(e);
    // A line break yaml-cpp adds at the end of input maps to the last byte; the end to the size.
    const uint32_t size = static_cast<uint32_t>(s.size());
    for (size_t k = 0; k + 1 < map.to_file.size(); ++k)
      if (map.to_file[k] >= size) map.to_file[k] = size ? size - 1 : 0;
    if (map.to_file.back() > size) map.to_file.back() = size;
    return;
  }
  text = n.value;
  map.to_file.assign(text.size() + 1, static_cast<uint32_t>(std::min(i, s.size())));
}

// ---------------------------------------------------------------------------------------------
// Prometheus value checks.

// model.ParseDuration (prometheus/common): "" and the unit order y w d h m s ms.
std::string duration_error(std::string_view v) {
  if (v == "0") return "";
  if (v.empty()) return "empty duration string";
  static const char* units[] = {"y", "w", "d", "h", "m", "s", "ms"};
  static const uint64_t unit_ms[] = {365ull * 24 * 3600 * 1000, 7ull * 24 * 3600 * 1000, 24ull * 3600 * 1000,
                                     3600ull * 1000, 60ull * 1000, 1000ull, 1ull};
  size_t i = 0;
  int next_unit = 0;
  bool overflow = false;
  uint64_t total = 0;
  while (i < v.size()) {
    size_t d = i;
    uint64_t num = 0;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      if (num > (UINT64_MAX - 9) / 10) overflow = true;
      num = num * 10 + static_cast<uint64_t>(v[i] - '0');
      ++i;
    }
    if (i == d) return "not a valid duration string: " + go_quote(v);
    size_t u = i;
    while (i < v.size() && v[i] >= 'a' && v[i] <= 'z') ++i;
    std::string_view unit = v.substr(u, i - u);
    int found = -1;
    for (int k = next_unit; k < 7; ++k)
      if (unit == units[k]) { found = k; break; }
    if (found < 0) return "not a valid duration string: " + go_quote(v);
    next_unit = found + 1;
    if (num != 0 && unit_ms[found] > UINT64_MAX / num) overflow = true;
    else total += num * unit_ms[found];
    if (total > static_cast<uint64_t>(INT64_MAX) / 1000000) overflow = true;
  }
  if (overflow) return "duration out of range";
  return "";
}

bool valid_label_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_metric_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += len;
  }
  return true;
}

// go-yaml's resolution of a plain scalar's tag, for "cannot unmarshal" messages.
std::string yaml_tag(const YNode& n) {
  if (n.kind == YNode::Seq) return "!!seq";
  if (n.kind == YNode::Map) return "!!map";
  if (n.kind == YNode::Null) return "!!null";
  if (!n.tag.empty()) return n.tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + n.tag.substr(18) : n.tag;
  if (n.quoted) return "!!str";
  const std::string& v = n.value;
  static const std::set<std::string> bools = {"true", "True", "TRUE", "false", "False", "FALSE"};
  if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") return "!!null";
  if (bools.count(v)) return "!!bool";
  size_t i = (v[0] == '+' || v[0] == '-') ? 1 : 0;
  if (i < v.size()) {
    bool digits = true;
    size_t j = i;
    if (v.compare(j, 2, "0x") == 0 || v.compare(j, 2, "0o") == 0 || v.compare(j, 2, "0b") == 0) j += 2;
    if (j == v.size()) digits = false;
    for (size_t k = j; k < v.size(); ++k)
      if (!std::isxdigit(static_cast<unsigned char>(v[k])) && v[k] != '_') digits = false;
    if (digits && (j > i || std::all_of(v.begin() + static_cast<long>(i), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '_'; })))
      return "!!int";
    char* endp = nullptr;
    std::string t = v;
    std::strtod(t.c_str(), &endp);
    if (endp && *endp == '\0' && std::any_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return "!!float";
  }
  if (v == ".inf" || v == "+.inf" || v == "-.inf" || v == ".nan" || v == ".Inf" || v == ".NaN") return "!!float";
  return "!!str";
}

std::string unmarshal_error(const YNode& n, const std::string& into) {
  std::string msg = "cannot unmarshal " + yaml_tag(n);
  if (n.kind == YNode::Scalar) {
    std::string v = n.value;
    if (v.size() > 10) v = v.substr(0, 7) + "...";
    msg += " `" + v + "`";
  }
  return msg + " into " + into;
}

// ---------------------------------------------------------------------------------------------
// Go text/template checks (the parse-time errors Prometheus reports for alert templates).

struct TTok {
  enum Kind { Ident, Var, Field, Dot, Str, Num, LParen, RParen, Pipe, Declare, Assign, Comma, Char } kind;
  std::string text;
  int line;
};

const std::unordered_set<std::string>& template_funcs() {
  static const std::unordered_set<std::string> f = {
      // Go builtins.
      "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
      "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
      // Prometheus template functions (template/template.go).
      "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title",
      "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024",
      "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "pathPrefix", "externalURL",
      "parseDuration", "stripPort", "stripDomain", "toDuration", "now"};
  return f;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Element checks done by text/template's parser as it reads an action's tokens.
std::string check_tokens(const std::vector<TTok>& toks, std::unordered_set<std::string>& vars, bool complete,
                         const std::string& context) {
  size_t start = 0;
  // Declarations: $x := ..., $i, $e := ...
  if (toks.size() >= 2 && toks[0].kind == TTok::Var) {
    size_t k = 0;
    std::vector<std::string> names;
    while (k < toks.size() && toks[k].kind == TTok::Var) {
      names.push_back(toks[k].text);
      if (k + 1 < toks.size() && toks[k + 1].kind == TTok::Comma) k += 2;
      else { ++k; break; }
    }
    if (k < toks.size() && (toks[k].kind == TTok::Declare || toks[k].kind == TTok::Assign)) {
      if (toks[k].kind == TTok::Assign)
        for (auto& nm : names)
          if (!vars.count(nm)) return std::to_string(toks[0].line) + ": undefined variable " + go_quote(nm);
      for (auto& nm : names) vars.insert(nm);
      start = k + 1;
    }
  }
  int depth = 0;
  bool empty_cmd = true;
  for (size_t k = start; k < toks.size(); ++k) {
    const TTok& t = toks[k];
    switch (t.kind) {
      case TTok::Char:
        return std::to_string(t.line) + ": unexpected " + go_quote(t.text) + " in operand";
      case TTok::Ident:
        if (t.text != "true" && t.text != "false" && t.text != "nil" && !template_funcs().count(t.text))
          return std::to_string(t.line) + ": function " + go_quote(t.text) + " not defined";
        empty_cmd = false;
        break;
      case TTok::Var: {
        std::string base = t.text;
        if (!vars.count(base)) return std::to_string(t.line) + ": undefined variable " + go_quote(base);
        empty_cmd = false;
        break;
      }
      case TTok::LParen: ++depth; empty_cmd = true; break;
      case TTok::RParen:
        if (depth == 0) return std::to_string(t.line) + ": unexpected \")\" in " + context;
        if (empty_cmd) return std::to_string(t.line) + ": missing value for parenthesized pipeline";
        --depth;
        empty_cmd = false;
        break;
      case TTok::Pipe:
        if (empty_cmd) return std::to_string(t.line) + ": missing value for command";
        empty_cmd = true;
        break;
      default: empty_cmd = false; break;
    }
  }
  if (complete) {
    int line = toks.empty() ? 0 : toks.back().line;
    if (depth > 0) return std::to_string(line) + ": unclosed left paren";
    if (empty_cmd) return "";  // reported by the caller with its context
  }
  return "";
}

}  // namespace

std::string check_go_template(std::string_view s) {
  std::unordered_set<std::string> vars = {"$", "$labels", "$externalLabels", "$externalURL", "$value"};
  std::vector<std::string> blocks;
  int line = 1;
  size_t i = 0;
  const size_t n = s.size();
  auto count_lines = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < n; ++k)
      if (s[k] == '\n') ++line;
  };
  while (i < n) {
    size_t a = s.find("{{", i);
    if (a == std::string_view::npos) {
      count_lines(i, n);
      break;
    }
    count_lines(i, a);
    size_t j = a + 2;
    if (j + 1 < n && s[j] == '-' && (s[j + 1] == ' ' || s[j + 1] == '\t' || s[j + 1] == '\n' || s[j + 1] == '\r')) ++j;
    // Comments.
    {
      size_t k = j;
      while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) ++k;
      if (s.substr(j).rfind("/*", 0) == 0 || (k > j && s.substr(k).rfind("/*", 0) == 0 && s[j - 1] == '-')) {
        size_t c = s.find("*/", k + 2);
        if (c == std::string_view::npos) return std::to_string(line) + ": unclosed comment";
        size_t e = c + 2;
        while (e < n && (s[e] == ' ' || s[e] == '\t' || s[e] == '\n' || s[e] == '\r')) ++e;
        if (e < n && s[e] == '-') ++e;
        if (s.substr(e).rfind("}}", 0) != 0) {
          if (s.substr(c + 2).rfind("}}", 0) != 0) return std::to_string(line) + ": comment ends before closing delimiter";
          e = c + 2;
        }
        count_lines(a, e + 2);
        i = e + 2;
        continue;
      }
    }
    std::vector<TTok> toks;
    bool closed = false;
    std::string lex_error;
    while (j < n) {
      char c = s[j];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        // " -}}" right trim marker.
        if (j + 3 < n + 0 && s[j + 1] == '-' && s.substr(j + 2, 2) == "}}") {
          count_lines(j, j + 1);
          j += 4;
          closed = true;
          break;
        }
        if (c == '\n') ++line;
        ++j;
        continue;
      }
      if (s.substr(j, 2) == "}}") {
        j += 2;
        closed = true;
        break;
      }
      size_t b = j;
      TTok t{TTok::Char, "", line};
      // `$x.y` and `x.y`: the name, then a field chain that belongs to the same operand; the
      // token's text is the name alone.
      const auto operand_with_fields = [&](TTok::Kind kind) {
        while (j < n && is_ident_char(s[j])) ++j;
        while (j < n && s[j] == '.' && j + 1 < n && is_ident_char(s[j + 1])) {
          ++j;
          while (j < n && is_ident_char(s[j])) ++j;
        }
        t.kind = kind;
        std::string_view word = s.substr(b, j - b);
        t.text = std::string(word.substr(0, word.find('.')));
        return t;
      };
      if (c == '"') {
        ++j;
        while (j < n && s[j] != '"' && s[j] != '\n') j += (s[j] == '\\' && j + 1 < n && s[j + 1] != '\n') ? 2 : 1;
        if (j >= n || s[j] != '"') { lex_error = "unterminated quoted string"; break; }
        ++j;
        t.kind = TTok::Str;
      } else if (c == '`') {
        size_t e = s.find('`', j + 1);
        if (e == std::string_view::npos) { lex_error = "unterminated raw quoted string"; break; }
        count_lines(j, e);
        j = e + 1;
        t.kind = TTok::Str;
      } else if (c == '\'') {
        ++j;
        while (j < n && s[j] != '\'' && s[j] != '\n') j += (s[j] == '\\' && j + 1 < n) ? 2 : 1;
        if (j >= n || s[j] != '\'') { lex_error = "unterminated character constant"; break; }
        ++j;
        t.kind = TTok::Num;
      } else if (c == '(') { ++j; t.kind = TTok::LParen;
      } else if (c == ')') { ++j; t.kind = TTok::RParen;
      } else if (c == '|') { ++j; t.kind = TTok::Pipe;
      } else if (c == ',') { ++j; t.kind = TTok::Comma;
      } else if (c == '=') { ++j; t.kind = TTok::Assign;
      } else if (c == ':' && j + 1 < n && s[j + 1] == '=') { j += 2; t.kind = TTok::Declare;
      } else if (c == '$') {
        ++j;
        toks.push_back(operand_with_fields(TTok::Var));
        continue;
      } else if (c == '.') {
        ++j;
        if (j < n && is_ident_char(s[j]) && !std::isdigit(static_cast<unsigned char>(s[j]))) {
          while (j < n && (is_ident_char(s[j]) || (s[j] == '.' && j + 1 < n && is_ident_char(s[j + 1])))) ++j;
          t.kind = TTok::Field;
        } else if (j < n && std::isdigit(static_cast<unsigned char>(s[j]))) {
          while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_')) ++j;
          t.kind = TTok::Num;
        } else {
          t.kind = TTok::Dot;
        }
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+') && j + 1 < n && std::isdigit(static_cast<unsigned char>(s[j + 1])))) {
        ++j;
        while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '_' ||
                         ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E' || s[j - 1] == 'p'))))
          ++j;
        t.kind = TTok::Num;
      } else if (is_ident_char(c)) {
        toks.push_back(operand_with_fields(TTok::Ident));
        continue;
      } else {
        // One character (a UTF-8 sequence counts as one).
        ++j;
        while (j < n && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
        t.kind = TTok::Char;
      }
      t.text = std::string(s.substr(b, j - b));
      toks.push_back(t);
    }
    if (!closed && lex_error.empty()) lex_error = "unclosed action";
    // Keywords.
    std::string kw = !toks.empty() && toks[0].kind == TTok::Ident ? toks[0].text : "";
    static const std::unordered_set<std::string> keywords = {"if", "else", "end", "range", "with", "define",
                                                             "template", "block", "break", "continue"};
    bool is_kw = keywords.count(kw) > 0;
    if (!lex_error.empty()) {
      std::vector<TTok> rest(toks.begin() + (is_kw ? 1 : 0), toks.end());
      std::string e = check_tokens(rest, vars, false, "command");
      if (!e.empty()) return e;
      return std::to_string(line) + ": " + lex_error;
    }
    int aline = toks.empty() ? line : toks[0].line;
    if (toks.empty()) return std::to_string(line) + ": missing value for command";
    std::vector<TTok> rest(toks.begin() + (is_kw ? 1 : 0), toks.end());
    if (kw == "end") {
      if (blocks.empty()) return std::to_string(aline) + ": unexpected {{end}}";
      blocks.pop_back();
    } else if (kw == "else") {
      if (blocks.empty() || blocks.back() == "define") return std::to_string(aline) + ": unexpected {{else}}";
      if (!rest.empty() && rest[0].kind == TTok::Ident && (rest[0].text == "if" || rest[0].text == "with")) {
        std::string sub = rest[0].text;
        rest.erase(rest.begin());
        if (rest.empty()) return std::to_string(aline) + ": missing value for " + sub;
        std::string e = check_tokens(rest, vars, true, sub);
        if (!e.empty()) return e;
      }
    } else if (kw == "if" || kw == "range" || kw == "with") {
      if (rest.empty()) return std::to_string(aline) + ": missing value for " + kw;
      std::string e = check_tokens(rest, vars, true, kw);
      if (!e.empty()) return e;
      blocks.push_back(kw);
    } else if (kw == "define" || kw == "block") {
      blocks.push_back(kw);
    } else if (kw == "template" || kw == "break" || kw == "continue") {
      // Arguments are not checked.
    } else {
      std::string e = check_tokens(rest, vars, true, "command");
      if (!e.empty()) return e;
      // An empty pipeline after a declaration or pipe.
      if (!rest.empty() && (rest.back().kind == TTok::Pipe || rest.back().kind == TTok::Declare ||
                            rest.back().kind == TTok::Assign))
        return std::to_string(rest.back().line) + ": missing value for command";
    }
    i = j;
  }
  if (!blocks.empty()) return std::to_string(line) + ": unexpected EOF";
  return "";
}

namespace {

// ---------------------------------------------------------------------------------------------
// Suppression comments.

struct LineInfo {
  std::vector<uint32_t> starts;           // byte offset of each line
  std::vector<uint8_t> comment_only;      // first non-blank character is '#'
  std::vector<uint8_t> blank;
  std::vector<std::vector<std::string>> disable;  // ids from `# promvet: disable=`
};

void split_ids(std::string_view list, std::vector<std::string>& out) {
  size_t i = 0;
  while (i <= list.size()) {
    size_t c = list.find(',', i);
    if (c == std::string_view::npos) c = list.size();
    std::string_view id = list.substr(i, c - i);
    while (!id.empty() && is_white(id.front())) id.remove_prefix(1);
    while (!id.empty() && is_white(id.back())) id.remove_suffix(1);
    if (!id.empty()) out.emplace_back(id);
    i = c + 1;
  }
}

LineInfo scan_lines(std::string_view s, std::vector<std::string>& file_disabled) {
  LineInfo li;
  size_t p = 0;
  while (p <= s.size()) {
    size_t e = s.find('\n', p);
    if (e == std::string_view::npos) e = s.size();
    std::string_view line = s.substr(p, e - p);
    li.starts.push_back(static_cast<uint32_t>(p));
    size_t f = 0;
    while (f < line.size() && (is_white(line[f]) || line[f] == '\r')) ++f;
    li.blank.push_back(f == line.size());
    li.comment_only.push_back(f < line.size() && line[f] == '#');
    li.disable.emplace_back();
    size_t h = line.find('#');
    while (h != std::string_view::npos) {
      if (h == 0 || is_white(line[h - 1])) {
        std::string_view rest = line.substr(h + 1);
        while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
        if (rest.rfind("promvet:", 0) == 0) {
          rest.remove_prefix(8);
          while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
          bool file = rest.rfind("disable-file=", 0) == 0;
          bool one = !file && rest.rfind("disable=", 0) == 0;
          if (file || one) {
            rest.remove_prefix(file ? 13 : 8);
            // id[, id]...: ids separated by commas (blanks allowed around them); anything
            // else ends the list.
            size_t end = 0;
            for (;;) {
              while (end < rest.size() && !is_white(rest[end]) && rest[end] != '\r' && rest[end] != '#' && rest[end] != ',') ++end;
              size_t k = end;
              while (k < rest.size() && is_white(rest[k])) ++k;
              if (k < rest.size() && rest[k] == ',') {
                ++k;
                while (k < rest.size() && is_white(rest[k])) ++k;
                end = k;
                continue;
              }
              break;
            }
            split_ids(rest.substr(0, end), file ? file_disabled : li.disable.back());
          }
        }
      }
      h = line.find('#', h + 1);
    }
    if (e == s.size()) break;
    p = e + 1;
  }
  return li;
}

void add_ids(const LineInfo& li, int line, std::vector<std::string>& out) {
  if (line < 0 || static_cast<size_t>(line) >= li.disable.size()) return;
  for (const auto& id : li.disable[static_cast<size_t>(line)])
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
}

// The comment block directly above `line`.
void add_above(const LineInfo& li, int line, std::vector<std::string>& out) {
  for (int l = line - 1; l >= 0 && li.comment_only[static_cast<size_t>(l)]; --l) add_ids(li, l, out);
}

// ---------------------------------------------------------------------------------------------
// Rule file structure.

class Loader {
 public:
  Loader(std::string_view content, SourceFile& out, RulesDialect dialect) : s_(content), out_(out) {
    choice_.dialect = dialect;
    choice_.configured = dialect != RulesDialect::Auto;
  }

  void run(const std::vector<Doc>& docs) {
    li_ = scan_lines(s_, out_.file_disabled_checks);
    if (!choice_.configured) detect(docs);
    int rule_docs = 0, foreign_docs = 0;
    for (size_t d = 0; d < docs.size(); ++d) {
      doc_ = &docs[d];
      doc_end_line_ = d + 1 < docs.size() ? docs[d + 1].start_line : static_cast<int>(li_.starts.size());
      switch (classify_doc()) {
        case DocKind::Rules: ++rule_docs; break;
        case DocKind::Foreign: ++foreign_docs; break;
        case DocKind::Empty: break;
      }
      load_doc();
    }
    out_.not_a_rule_file = foreign_docs > 0 && rule_docs == 0;
    note_skipped_logql();
  }

 private:
  enum class DocKind { Empty, Rules, Foreign };
  // A rule file's document is a mapping with `groups`, or a PrometheusRule; anything else
  // (another kind of object, a list, a scalar) is some other YAML file. `group:`, `rules:` or
  // `rule:` at the top are a rule file's mistakes, not another file: such a file is linted, so
  // the mistake is reported. (`rule_files:` is Prometheus' own configuration: skipped.)
  static bool rule_like_key(const std::string& key) {
    std::string k = key;
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return k == "groups" || k == "group" || k == "rules" || k == "rule";
  }
  DocKind classify_doc() {
    if (doc_->root == UINT32_MAX) return DocKind::Empty;
    const YNode& root = node(doc_->root);
    if (root.kind == YNode::Null) return DocKind::Empty;
    if (root.kind != YNode::Map) return DocKind::Foreign;
    for (size_t k = 0; k + 1 < root.children.size(); k += 2) {
      const YNode& key = node(root.children[k]);
      const YNode& val = node(root.children[k + 1]);
      if (key.kind != YNode::Scalar) continue;
      if (rule_like_key(key.value)) return DocKind::Rules;
      if (key.value == "kind" && val.kind == YNode::Scalar && val.value == "PrometheusRule") return DocKind::Rules;
    }
    return DocKind::Foreign;
  }

  const YNode& node(uint32_t i) const {
    const YNode* n = &doc_->nodes[i];
    for (int hop = 0; n->kind == YNode::Alias && n->target != UINT32_MAX && hop < 64; ++hop) n = &doc_->nodes[n->target];
    return *n;
  }
  uint32_t offset(const YNode& n) const { return static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(std::max(0, n.mark.pos)), s_.size())); }
  void diag(const std::string& id, std::string msg, const YNode& at, size_t len = 0) {
    Diagnostic d;
    d.check_id = id;
    d.message = std::move(msg);
    d.offset = offset(at);
    if (len == 0) len = at.kind == YNode::Scalar ? std::max<size_t>(1, at.value.size() + (at.quoted ? 2 : 0)) : 1;
    d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + len, s_.size()));
    out_.diagnostics.push_back(std::move(d));
  }
  // Map entries, reporting duplicate keys.
  std::vector<std::pair<const YNode*, uint32_t>> entries(const YNode& map) {
    std::vector<std::pair<const YNode*, uint32_t>> r;
    std::unordered_map<std::string, int> seen;
    for (size_t k = 0; k + 1 < map.children.size(); k += 2) {
      const YNode& key = node(map.children[k]);
      if (key.kind == YNode::Scalar) {
        auto [it, fresh] = seen.emplace(key.value, key.mark.line + 1);
        if (!fresh) {
          diag("rules/duplicate-key",
               "mapping key " + go_quote(key.value) + " already defined at line " + std::to_string(it->second), key);
          continue;
        }
      }
      r.emplace_back(&key, map.children[k + 1]);
    }
    return r;
  }
  // Map entries without duplicate-key reports (for a second pass over the same map).
  std::vector<std::pair<const YNode*, uint32_t>> entries_quiet(const YNode& map) const {
    std::vector<std::pair<const YNode*, uint32_t>> r;
    for (size_t k = 0; k + 1 < map.children.size(); k += 2) r.emplace_back(&node(map.children[k]), map.children[k + 1]);
    return r;
  }
  std::string key_name(const YNode& k) const { return k.kind == YNode::Scalar ? k.value : std::string(); }

  // A string field: scalars (any tag) or null; sequences and maps are type errors.
  bool string_field(const YNode& v, std::string& out) {
    if (v.kind == YNode::Scalar) { out = v.value; return true; }
    if (v.kind == YNode::Null) { out.clear(); return true; }
    diag("rules/invalid-type", unmarshal_error(v, "string"), v);
    return false;
  }

  void duration_field(const YNode& v) {
    std::string s;
    if (!string_field(v, s)) return;
    if (v.kind == YNode::Null) return;
    std::string e = duration_error(s);
    if (!e.empty()) diag("rules/invalid-duration", e, v);
  }

  void load_doc() {
    if (doc_->root == UINT32_MAX) return;
    const YNode& root = node(doc_->root);
    if (root.kind == YNode::Null) return;
    if (root.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(root, "rulefmt.RuleGroups"), root);
      return;
    }
    auto top = entries(root);
    bool crd = false;
    for (auto& [k, v] : top) {
      const YNode& val = node(v);
      if (k->value == "kind" && val.kind == YNode::Scalar && val.value == "PrometheusRule") crd = true;
      if (k->value == "apiVersion" && val.kind == YNode::Scalar && val.value.rfind("monitoring.coreos.com/", 0) == 0) crd = true;
    }
    if (crd) {
      for (auto& [k, v] : top) {
        if (k->value != "spec") continue;
        const YNode& spec = node(v);
        if (spec.kind != YNode::Map) {
          if (spec.kind != YNode::Null) diag("rules/invalid-type", unmarshal_error(spec, "v1.PrometheusRuleSpec"), spec);
          continue;
        }
        for (auto& [sk, sv] : entries(spec)) {
          if (sk->value == "groups") {
            crd_ = true;
            groups(node(sv));
            crd_ = false;
          }
          else diag("rules/unknown-field", "field " + key_name(*sk) + " not found in type v1.PrometheusRuleSpec", *sk);
        }
      }
      return;
    }
    for (auto& [k, v] : top) {
      const DialectField* f = dialect_top_field(key_name(*k));
      if (k->value == "groups") groups(node(v));
      else if (f && dialect_has(choice_.dialect, *f)) dialect_value(*f, node(v));
      else diag("rules/unknown-field", "field " + key_name(*k) + " not found in type rulefmt.RuleGroups" + foreign_hint(f), *k);
    }
  }

  void groups(const YNode& gs) {
    if (gs.kind == YNode::Null) return;
    if (gs.kind != YNode::Seq) {
      diag("rules/invalid-type", unmarshal_error(gs, "[]rulefmt.RuleGroup"), gs);
      return;
    }
    for (size_t gi = 0; gi < gs.children.size(); ++gi) {
      const YNode& g = node(gs.children[gi]);
      int next_line = gi + 1 < gs.children.size() ? node(gs.children[gi + 1]).mark.line : doc_end_line_;
      group(g, next_line);
    }
  }

  void group(const YNode& g, int next_line) {
    if (g.kind == YNode::Null) return;
    if (g.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(g, "rulefmt.RuleGroup"), g);
      return;
    }
    std::string name, interval;
    const YNode* name_node = nullptr;
    const YNode* rules = nullptr;
    for (auto& [k, vi] : entries(g)) {
      const YNode& v = node(vi);
      const std::string key = key_name(*k);
      if (key == "name") {
        if (string_field(v, name)) name_node = k;
        else name_node = k;
      } else if (key == "interval" || key == "query_offset") {
        duration_field(v);
        if (key == "interval" && v.kind == YNode::Scalar) interval = v.value;
      } else if (key == "limit") {
        if (v.kind != YNode::Null && (v.kind != YNode::Scalar || yaml_tag(v) != "!!int"))
          diag("rules/invalid-type", unmarshal_error(v, "int"), v);
      } else if (key == "rules") {
        rules = &v;
      } else if (crd_ && (key == "partial_response_strategy" || key == "labels")) {
        // PrometheusRule (prometheus-operator) fields for Thanos and newer Prometheus; the
        // operator's CRD takes the strategy with Thanos' values, any case.
        dialect_value(*dialect_group_field(key), v);
      } else if (const DialectField* f = dialect_group_field(key); f && !crd_ && dialect_has(choice_.dialect, *f)) {
        dialect_value(*f, v);
      } else {
        diag("rules/unknown-field", "field " + key + " not found in type rulefmt.RuleGroup" + foreign_hint(crd_ ? nullptr : dialect_group_field(key)), *k);
      }
    }
    if (name.empty()) {
      diag("rules/empty-group-name", "Groupname must not be empty", g);
    } else if (!group_names_.insert(name).second) {
      diag("rules/duplicate-group", "groupname: " + go_quote(name) + " is repeated in the same file", g);
    }
    // Group-level suppressions.
    std::vector<std::string> group_ids;
    add_ids(li_, g.mark.line, group_ids);
    add_above(li_, g.mark.line, group_ids);
    if (name_node) {
      int l = name_node->mark.line;
      add_ids(li_, l, group_ids);
      for (int k = l + 1; k < static_cast<int>(li_.comment_only.size()) && li_.comment_only[static_cast<size_t>(k)]; ++k)
        add_ids(li_, k, group_ids);
    }
    if (!rules || rules->kind == YNode::Null) return;
    if (rules->kind != YNode::Seq) {
      diag("rules/invalid-type", unmarshal_error(*rules, "[]rulefmt.RuleNode"), *rules);
      return;
    }
    std::set<std::string> seen;  // duplicate rules: same name and labels within the group
    for (size_t ri = 0; ri < rules->children.size(); ++ri) {
      const YNode& r = node(rules->children[ri]);
      int end_line = ri + 1 < rules->children.size() ? node(rules->children[ri + 1]).mark.line : next_line;
      rule(r, name, interval, group_ids, end_line, seen);
    }
  }

  // File offsets of a scalar as written: quotes included, a block scalar from its `|`/`>` to the
  // end of its last content line.
  std::pair<uint32_t, uint32_t> extent(const YNode& n) const {
    uint32_t begin = offset(n);
    if (n.kind != YNode::Scalar) return {begin, static_cast<uint32_t>(std::min<size_t>(begin + 1, s_.size()))};
    std::string text;
    OffsetMap map;
    map_scalar(s_, n, text, map);
    uint32_t end = map.to_file.empty() ? begin : std::max(begin, map.to_file.back());
    if (begin < s_.size() && (s_[begin] == '"' || s_[begin] == '\'') && end < s_.size() && s_[end] == s_[begin] && end > begin)
      ++end;
    while (end > begin + 1 && (s_[end - 1] == '\n' || s_[end - 1] == '\r')) --end;  // a block scalar's last break
    if (end == begin && begin < s_.size()) ++end;  // an empty plain value: one character to point at
    return {begin, std::min<uint32_t>(end, static_cast<uint32_t>(s_.size()))};
  }

  // Suppressions of a rule: its group's, its lines' and the comment block above it. They apply
  // to its expression and to the rules/* diagnostics found inside it.
  void rule(const YNode& r, const std::string& group, const std::string& interval,
            const std::vector<std::string>& group_ids, int next_line, std::set<std::string>& seen) {
    std::vector<std::string> ids = group_ids;
    int start = r.mark.line;
    int end = std::max(start, next_line - 1);
    while (end > start && static_cast<size_t>(end) < li_.blank.size() &&
           (li_.blank[static_cast<size_t>(end)] || li_.comment_only[static_cast<size_t>(end)]))
      --end;
    for (int l = start; l <= end; ++l) add_ids(li_, l, ids);
    add_above(li_, start, ids);
    const size_t first = out_.diagnostics.size();
    rule_body(r, group, interval, ids, seen);
    for (size_t i = first; i < out_.diagnostics.size(); ++i) out_.diagnostics[i].disabled_checks = ids;
  }

  void rule_body(const YNode& r, const std::string& group, const std::string& interval,
                 const std::vector<std::string>& disabled_ids, std::set<std::string>& seen) {
    if (r.kind == YNode::Null) {
      diag("rules/missing-record-or-alert", "one of 'record' or 'alert' must be set", r);
      return;
    }
    if (r.kind != YNode::Map) {
      diag("rules/invalid-type", unmarshal_error(r, "rulefmt.RuleNode"), r);
      return;
    }
    const YNode *record = nullptr, *alert = nullptr, *expr = nullptr, *labels = nullptr, *annotations = nullptr;
    const YNode *for_key = nullptr, *kff_key = nullptr, *ann_key = nullptr;
    const YNode *for_value = nullptr, *kff_value = nullptr;
    for (auto& [k, vi] : entries(r)) {
      const YNode& v = node(vi);
      const std::string key = key_name(*k);
      if (key == "record") record = &v;
      else if (key == "alert") alert = &v;
      else if (key == "expr") expr = &v;
      else if (key == "for") { for_key = k; for_value = &v; duration_field(v); }
      else if (key == "keep_firing_for") { kff_key = k; kff_value = &v; duration_field(v); }
      else if (key == "labels") labels = &v;
      else if (key == "annotations") { annotations = &v; ann_key = k; }
      else diag("rules/unknown-field", "field " + key + " not found in type rulefmt.RuleNode" + misplaced_group_field_hint(key), *k);
    }
    auto value_of = [](const YNode* n) { return n && n->kind == YNode::Scalar ? n->value : std::string(); };
    std::string rec = value_of(record), al = value_of(alert);
    if (!rec.empty() && !al.empty()) {
      diag("rules/record-and-alert", "only one of 'record' and 'alert' must be set", *record);
    } else if (rec.empty() && al.empty()) {
      diag("rules/missing-record-or-alert", "one of 'record' or 'alert' must be set", r);
    }
    if (value_of(expr).empty()) diag("rules/missing-expr", "field 'expr' must be set in rule", expr ? *expr : r);
    if (!rec.empty()) {
      if (ann_key) diag("rules/invalid-recording-field", "invalid field 'annotations' in recording rule", *ann_key);
      if (for_key) diag("rules/invalid-recording-field", "invalid field 'for' in recording rule", *for_key);
      if (kff_key) diag("rules/invalid-recording-field", "invalid field 'keep_firing_for' in recording rule", *kff_key);
      if (!valid_metric_name(rec)) diag("rules/invalid-record-name", "invalid recording rule name: " + rec, *record);
    }
    const bool alerting = rec.empty() && !al.empty();
    auto string_map = [&](const YNode* m, bool is_labels) {
      if (!m || m->kind == YNode::Null) return;
      if (m->kind != YNode::Map) {
        diag("rules/invalid-type", unmarshal_error(*m, "map[string]string"), *m);
        return;
      }
      for (auto& [k, vi] : entries(*m)) {
        const YNode& v = node(vi);
        std::string val;
        if (!string_field(v, val)) continue;
        const std::string name = key_name(*k);
        if (is_labels) {
          if (!valid_label_name(name) || name == "__name__") diag("rules/invalid-label-name", "invalid label name: " + name, *k);
          if (!valid_utf8(val)) diag("rules/invalid-label-value", "invalid label value: " + val, v);
        } else if (!valid_label_name(name)) {
          diag("rules/invalid-annotation-name", "invalid annotation name: " + name, *k);
        }
        if (alerting) {
          std::string e = check_go_template(val);
          if (!e.empty())
            diag("rules/invalid-template",
                 std::string(is_labels ? "label " : "annotation ") + go_quote(name) + ": template: __alert_" + al + ":" + e, v);
        }
      }
    };
    string_map(labels, true);
    string_map(annotations, false);

    // promtool's "lint error N duplicate rule(s) found" (same record/alert name and labels in
    // a group), reported on each repetition.
    if (!rec.empty() || !al.empty()) {
      std::vector<std::pair<std::string, std::string>> ls;
      if (labels && labels->kind == YNode::Map)
        for (auto& [k, vi] : entries_quiet(*labels)) {
          const YNode& v = node(vi);
          ls.emplace_back(key_name(*k), v.kind == YNode::Scalar ? v.value : std::string());
        }
      std::sort(ls.begin(), ls.end());
      std::string key = rec.empty() ? al : rec;
      std::string shown;
      for (auto& [k, v] : ls) {
        key += '\xff' + k + '\xfe' + v;
        shown += (shown.empty() ? "" : ", ") + k + ": " + v;
      }
      if (!seen.insert(key).second) {
        Diagnostic d;
        d.check_id = "rules/duplicate-rule";
        // Two recording rules overwrite each other's series. Two alerting rules of one name and
        // labels are a common way to give one alert several conditions (mixins do it): their
        // alerts are merged by Alertmanager, so promtool's lint is only worth an info there.
        d.severity = rec.empty() ? DiagnosticSeverity::Info : DiagnosticSeverity::Warning;
        d.message = "duplicate rule found: metric: " + (rec.empty() ? al : rec) + ", label(s): {" + shown +
                    "}; might cause inconsistency while recording expressions";
        if (rec.empty())
          d.message += " (for alerting rules: several conditions of one alert, fine if that is what is meant)";
        d.offset = offset(r);
        d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
        out_.diagnostics.push_back(std::move(d));
      }
    }

    if (!expr || expr->kind != YNode::Scalar) return;
    Expression e;
    e.kind = alerting ? ExpressionKind::AlertingRule : ExpressionKind::RecordingRule;
    e.group = group;
    e.rule_name = rec.empty() ? al : rec;
    e.scrape_interval_hint = interval;
    map_scalar(s_, *expr, e.text, e.map);
    e.logql = skip_as_logql(e);
    e.original = e.text;
    e.disabled_checks = disabled_ids;
    RuleInfo& info = e.rule;
    info.offset = offset(r);
    if (const YNode* name = !rec.empty() ? record : alert) std::tie(info.name_offset, info.name_end) = extent(*name);
    if (for_value) {
      info.has_for = true;
      if (for_value->kind == YNode::Scalar) info.for_duration = for_value->value;
      std::tie(info.for_offset, info.for_end) = extent(*for_value);
    }
    if (kff_value && kff_value->kind == YNode::Scalar) info.keep_firing_for = kff_value->value;
    auto fill = [&](const YNode* m, std::vector<RuleEntry>& into) {
      if (!m || m->kind != YNode::Map) return;
      for (auto& [k, vi] : entries_quiet(*m)) {
        const YNode& v = node(vi);
        if (k->kind != YNode::Scalar || (v.kind != YNode::Scalar && v.kind != YNode::Null)) continue;
        RuleEntry entry;
        entry.name = k->value;
        entry.value = v.kind == YNode::Scalar ? v.value : std::string();
        entry.name_offset = offset(*k);
        std::tie(entry.value_offset, entry.value_end) = extent(v);
        into.push_back(std::move(entry));
      }
    };
    fill(labels, info.labels);
    fill(annotations, info.annotations);
    out_.expressions.push_back(std::move(e));
  }

  std::string_view s_;
  SourceFile& out_;
  LineInfo li_;
  const Doc* doc_ = nullptr;
  int doc_end_line_ = 0;
  std::set<std::string> group_names_;
  bool crd_ = false;

  // -------------------------------------------------------------------------------------------
  // Dialects (sources/rule_dialects.h): which tool the file is for, its fields, LogQL.

  int line_of(uint32_t offset) const {
    return static_cast<int>(std::upper_bound(li_.starts.begin(), li_.starts.end(), offset) - li_.starts.begin());
  }

  // Auto: the file's own fields and expressions decide, in file order.
  void detect(const std::vector<Doc>& docs) {
    std::vector<DialectEvidence> evidence;
    auto field = [&](const YNode& key, const DialectField* f) {
      if (!f) return;
      if (std::optional<RulesDialect> d = evidence_of(*f)) evidence.push_back({key.value, offset(key), *d});
    };
    auto scan_groups = [&](const YNode& gs, bool crd) {
      if (gs.kind != YNode::Seq) return;
      for (uint32_t gi : gs.children) {
        const YNode& g = node(gi);
        if (g.kind != YNode::Map) continue;
        for (auto& [k, v] : entries_quiet(g)) {
          if (!crd) field(*k, dialect_group_field(key_name(*k)));
          const YNode& rules = node(v);
          if (key_name(*k) != "rules" || rules.kind != YNode::Seq) continue;
          for (uint32_t ri : rules.children) {
            const YNode& r = node(ri);
            if (r.kind != YNode::Map) continue;
            for (auto& [rk, rv] : entries_quiet(r)) {
              const YNode& expr = node(rv);
              if (key_name(*rk) != "expr" || expr.kind != YNode::Scalar) continue;
              std::string text;
              OffsetMap map;
              map_scalar(s_, expr, text, map);
              if (std::optional<LogqlSign> sign = find_logql(text))
                evidence.push_back({"LogQL `" + sign->sign + "`", map.at(sign->offset), RulesDialect::Loki});
            }
          }
        }
      }
    };
    for (const Doc& d : docs) {
      doc_ = &d;
      if (d.root == UINT32_MAX || node(d.root).kind != YNode::Map) continue;
      for (auto& [k, v] : entries_quiet(node(d.root))) {
        const std::string key = key_name(*k);
        if (key == "groups") scan_groups(node(v), false);
        else if (key == "spec" && node(v).kind == YNode::Map)
          for (auto& [sk, sv] : entries_quiet(node(v)))
            if (key_name(*sk) == "groups") scan_groups(node(sv), true);
        field(*k, dialect_top_field(key));
      }
    }
    doc_ = nullptr;
    DetectedDialect found = detect_dialect(evidence);
    choice_.dialect = found.dialect;
    if (found.because) choice_.because = found.because->what + " at line " + std::to_string(line_of(found.because->offset));
  }

  // For a field this dialect does not have: which dialects do, and why the file is read as it is.
  std::string foreign_hint(const DialectField* f) const { return f ? foreign_field_hint(*f, choice_) : ""; }

  // A dialect field's value, decoded as its tool decodes it.
  void dialect_value(const DialectField& f, const YNode& v) {
    std::string text;
    switch (f.type) {
      case DialectFieldType::Duration: duration_field(v); return;
      case DialectFieldType::String: string_field(v, text); return;
      case DialectFieldType::PartialResponseStrategy:
        if (string_field(v, text)) {
          std::string e = partial_response_strategy_error(text);
          if (!e.empty()) diag("rules/invalid-type", e, v);
        }
        return;
      case DialectFieldType::Bool:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Scalar || v.quoted || !go_yaml_bool(v.value)) diag("rules/invalid-type", unmarshal_error(v, "bool"), v);
        return;
      case DialectFieldType::StringList:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Seq) {
          diag("rules/invalid-type", unmarshal_error(v, "[]string"), v);
          return;
        }
        for (uint32_t c : v.children) string_field(node(c), text);
        return;
      case DialectFieldType::LabelMap:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Map) {
          diag("rules/invalid-type", unmarshal_error(v, "map[string]string"), v);
          return;
        }
        for (auto& [k, vi] : entries(v)) {
          const YNode& lv = node(vi);
          if (!string_field(lv, text)) continue;
          const std::string name = key_name(*k);
          if (!valid_label_name(name) || name == "__name__") diag("rules/invalid-label-name", "invalid label name: " + name, *k);
          if (!valid_utf8(text)) diag("rules/invalid-label-value", "invalid label value: " + text, lv);
        }
        return;
      case DialectFieldType::RemoteWriteList:
        if (v.kind == YNode::Null) return;
        if (v.kind != YNode::Seq) {
          diag("rules/invalid-type", unmarshal_error(v, "[]rwrulefmt.RemoteWriteConfig"), v);
          return;
        }
        for (uint32_t c : v.children) {
          const YNode& item = node(c);
          if (item.kind == YNode::Null) continue;
          if (item.kind != YNode::Map) {
            diag("rules/invalid-type", unmarshal_error(item, "rwrulefmt.RemoteWriteConfig"), item);
            continue;
          }
          for (auto& [k, vi] : entries(item)) {
            if (key_name(*k) == "url") string_field(node(vi), text);
            else diag("rules/unknown-field", "field " + key_name(*k) + " not found in type rwrulefmt.RemoteWriteConfig", *k);
          }
        }
        return;
    }
  }

  // Loki files: every expression is LogQL. Auto-detected other files: an expression that is
  // recognisably LogQL. Neither is given to the PromQL parser (Expression::logql); one note per
  // file says so.
  bool skip_as_logql(const Expression& e) {
    std::optional<LogqlSign> sign;
    if (choice_.dialect != RulesDialect::Loki) {
      if (choice_.configured || !(sign = find_logql(e.text))) return false;
    }
    if (skipped_logql_++ == 0) {
      first_logql_ = e.map.at(0);
      if (sign) first_sign_ = "LogQL `" + sign->sign + "` at line " + std::to_string(line_of(e.map.at(sign->offset)));
    }
    return true;
  }

  void note_skipped_logql() {
    if (skipped_logql_ == 0) return;
    Diagnostic d;
    d.check_id = "rules/logql-skipped";
    d.severity = DiagnosticSeverity::Info;
    d.message = logql_skipped_message(skipped_logql_, choice_, first_sign_);
    d.offset = first_logql_;
    d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
    out_.diagnostics.push_back(std::move(d));
  }

  DialectChoice choice_;
  size_t skipped_logql_ = 0;
  uint32_t first_logql_ = 0;
  std::string first_sign_;
};

// Nesting of flow collections ([ and { outside scalars) and block indentation levels, counted
// without recursion, so pathological inputs are refused before yaml-cpp sees them.
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

SourceFile load_rules(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  auto fail = [&](const char* id, std::string msg, size_t at) {
    Diagnostic d;
    d.check_id = id;
    d.message = std::move(msg);
    d.offset = static_cast<uint32_t>(std::min(at, content.size()));
    d.end_offset = static_cast<uint32_t>(std::min(at + 1, content.size()));
    out.diagnostics.push_back(std::move(d));
  };
  if (content.size() > options.max_bytes) {
    fail("source/too-large", "file is larger than " + std::to_string(options.max_bytes) + " bytes", 0);
    return out;
  }
  if (auto bad = check_yaml_stream(content)) {
    fail("source/invalid-yaml", bad->message, bad->offset);
    return out;
  }
  size_t where = 0;
  if (too_deep(content, options.max_depth, where)) {
    fail("source/too-deep", "yaml nesting deeper than " + std::to_string(options.max_depth) + " levels", where);
    return out;
  }
  // Expanded-node budget: proportional to the file, so alias bombs fail fast.
  const uint64_t budget = 1000000 + 8 * static_cast<uint64_t>(content.size());
  const int bom = content.substr(0, 3) == "\xef\xbb\xbf" ? 3 : 0;
  const uint64_t max_nodes = 1024 + 2 * static_cast<uint64_t>(content.size());
  Builder builder(options.max_depth, budget, max_nodes, bom);
  try {
    std::string buf(content);
    std::istringstream in(buf);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const TooComplex& e) {
    fail("source/yaml-too-complex", "yaml aliases expand to more than " + std::to_string(budget) + " nodes", static_cast<size_t>(std::max(0, e.mark.pos)));
    return out;
  } catch (const TooManyNodes& e) {
    fail("source/invalid-yaml",
         "yaml: malformed document: the parser produced more than " + std::to_string(max_nodes) + " nodes from " +
             std::to_string(content.size()) + " bytes",
         static_cast<size_t>(std::max(0, e.mark.pos)));
    return out;
  } catch (const TooDeep& e) {
    fail("source/too-deep", "yaml nesting deeper than " + std::to_string(options.max_depth) + " levels", static_cast<size_t>(std::max(0, e.mark.pos)));
    return out;
  } catch (const YAML::Exception& e) {
    size_t at = e.mark.pos >= 0 ? static_cast<size_t>(e.mark.pos + bom) : 0;
    std::string msg = "yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
    if (e.mark.is_null()) msg = "yaml: " + e.msg;
    fail("source/invalid-yaml", msg, at);
    return out;
  } catch (const std::exception& e) {
    fail("source/invalid-yaml", std::string("yaml: ") + e.what(), 0);
    return out;
  }
  Loader loader(content, out, options.rules_dialect);
  loader.run(builder.docs);
  return out;
}

}  // namespace promvet::sources
