// The JSON tree of json_tree_internal.h: nlohmann's SAX events with byte offsets, and the decoder
// of JSON strings with a map back to the file (decode_json_string, sources/dashboard.h).
#include <algorithm>
#include <numeric>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "sources/json_tree_internal.h"
#include "sources/diagnostic_ids.h"

namespace promvet::sources {
namespace json_tree {
namespace {

// The byte-counting side of the input adapter: follows string boundaries so the SAX handler knows
// where the string it is handed started.
struct ScanState {
  const char* begin = nullptr;
  bool in_str = false, esc = false;
  uint32_t last_quote = 0, last_open = 0, tok_start = 0, size = 0;
  bool prev_literal = false;
  void feed(char c, uint32_t pos) {
    if (!in_str) {
      bool literal = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
      if (!std::isspace(static_cast<unsigned char>(c)) && !(literal && prev_literal)) tok_start = pos;
      prev_literal = literal;
      if (c == '"') {
        in_str = true;
        last_quote = pos;
      } else if (c == '{' || c == '[') {
        last_open = pos;
      }
    } else if (esc) {
      esc = false;
    } else if (c == '\\') {
      esc = true;
    } else if (c == '"') {
      in_str = false;
    }
  }
};

struct CountingIt {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  ScanState* st = nullptr;
  reference operator*() const { return *p; }
  CountingIt& operator++() {
    st->feed(*p, static_cast<uint32_t>(p - st->begin));
    ++p;
    return *this;
  }
  CountingIt operator++(int) {
    CountingIt t = *this;
    ++*this;
    return t;
  }
  bool operator==(const CountingIt& o) const { return p == o.p; }
  bool operator!=(const CountingIt& o) const { return p != o.p; }
};
class Builder {
 public:
  using json = nlohmann::json;
  Builder(Doc& d, uint32_t max_depth, ScanState& st) : d_(d), max_depth_(max_depth), st_(st) {}

  bool null() { return add(T::Null), true; }
  bool boolean(bool v) {
    uint32_t n = add(T::Bool);
    if (n != NIL) d_.nodes[n].b = v;
    return true;
  }
  bool number_integer(json::number_integer_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return number(static_cast<double>(v)); }
  bool number_float(json::number_float_t v, const std::string&) { return number(v); }
  bool string(std::string&) {
    uint32_t n = add(T::Str);
    if (n != NIL) d_.nodes[n].begin = st_.last_quote;
    return true;
  }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return open(T::Obj); }
  bool start_array(std::size_t) { return open(T::Arr); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    key_off_ = static_cast<uint32_t>(d_.keys.size());
    key_len_ = static_cast<uint32_t>(k.size());
    d_.keys += k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& ex) {
    error = true;
    // nlohmann reports the position after the offending character; for an unexpected token,
    // point at the token's start instead.
    (void)token;
    error_message = ex.what();
    if (error_message.find("unexpected end of input") != std::string::npos) error_position = st_.size;
    else if (error_message.find("syntax error") != std::string::npos &&
             error_message.find("invalid") == std::string::npos)
      error_position = st_.tok_start;
    else error_position = position > 0 ? position - 1 : 0;
    return false;
  }

  bool error = false, too_deep = false;
  size_t error_position = 0;
  std::string error_message;

 private:
  bool number(double v) {
    uint32_t n = add(T::Num);
    if (n != NIL) d_.nodes[n].num = v;
    return true;
  }
  uint32_t add(T t) {
    if (!stack_.empty() && d_.nodes[stack_.back()].t == T::Arr && t != T::Str && t != T::Obj && t != T::Arr)
      return NIL;  // scalars in arrays are never needed: do not spend memory on them
    uint32_t idx = static_cast<uint32_t>(d_.nodes.size());
    d_.nodes.emplace_back();
    Node& n = d_.nodes.back();
    n.t = t;
    if (!stack_.empty()) {
      Node& p = d_.nodes[stack_.back()];
      if (p.t == T::Obj) {
        n.key_off = key_off_;
        n.key_len = key_len_;
      }
      if (p.last == NIL) p.first = idx;
      else d_.nodes[p.last].next = idx;
      p.last = idx;
    }
    return idx;
  }
  bool open(T t) {
    if (stack_.size() >= max_depth_) {
      too_deep = true;
      error_position = st_.last_open;
      return false;
    }
    uint32_t n = add(t);
    d_.nodes[n].begin = st_.last_open;
    stack_.push_back(n);
    return true;
  }
  bool close() {
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }

  Doc& d_;
  uint32_t max_depth_;
  ScanState& st_;
  std::vector<uint32_t> stack_;
  uint32_t key_off_ = 0, key_len_ = 0;
};

std::string strip_nlohmann(std::string msg) {
  if (!msg.empty() && msg[0] == '[') {
    size_t e = msg.find("] ");
    if (e != std::string::npos) msg = msg.substr(e + 2);
  }
  // "parse error at line 3, column 5: syntax error ..." → the offset carries the position
  if (msg.rfind("parse error at line", 0) == 0) {
    size_t c = msg.find(": ");
    if (c != std::string::npos) msg = "parse error: " + msg.substr(c + 2);
  }
  return msg;
}

}  // namespace

// Parses d.text into d.nodes; false (with a diagnostic) on invalid or too deep input.
bool parse_doc(Doc& d, const LoadOptions& opt, std::vector<Diagnostic>& diags) {
  ScanState st;
  st.begin = d.text.data();
  st.size = static_cast<uint32_t>(d.text.size());
  Builder b(d, opt.max_depth, st);
  CountingIt first{d.text.data(), &st}, last{d.text.data() + d.text.size(), &st};
  nlohmann::json::sax_parse(first, last, &b);
  // nlohmann's lexer takes a NUL outside a string for the end of the input: it would accept
  // `{}\0garbage` and report `\0{}` as ending early, both somewhere other than at the NUL.
  size_t nul = d.text.find('\0');
  if (nul != std::string_view::npos && !b.too_deep &&
      (!b.error || b.error_message.find("unexpected end of input") != std::string::npos)) {
    b.error = true;
    b.error_position = nul;
    b.error_message = "parse error: unexpected character U+0000 (NUL) outside a string";
  }
  if (b.too_deep) {
    Diagnostic g;
    g.check_id = ids::kTooDeep;
    g.message = "json nesting deeper than " + std::to_string(opt.max_depth) + " levels";
    g.offset = g.end_offset = d.file_off(b.error_position);
    diags.push_back(g);
    return false;
  }
  if (b.error) {
    Diagnostic g;
    g.check_id = ids::kInvalidJson;
    g.message = strip_nlohmann(b.error_message);
    size_t pos = std::min(b.error_position, d.text.size());
    g.offset = d.file_off(pos);
    g.end_offset = d.file_off(std::min(pos + 1, d.text.size()));
    diags.push_back(g);
    return false;
  }
  return !d.nodes.empty();
}

}  // namespace json_tree

namespace {

bool hex4(std::string_view t, size_t i, uint32_t& v) {
  if (i + 4 > t.size()) return false;
  v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = t[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return false;
  }
  return true;
}

// Reserves the bytes from the opening quote to the closing one (or to the end), an upper bound of
// the decoded value's size and of its map's: at once, the two no longer grow a byte at a time,
// whose reallocations were most of decoding a dashboard's queries (lint's start-up, issue 21).
void reserve_decoded(std::string_view t, size_t quote, std::string& value, std::vector<uint32_t>& map) {
  size_t end = quote + 1;
  while (end < t.size() && t[end] != '"') end += t[end] == '\\' ? 2 : 1;
  value.reserve(std::min(end, t.size()) - quote);
  map.reserve(std::min(end, t.size()) - quote);
}

// Appends the run of plain bytes (no quote, backslash or control character) starting at `i`, as
// it is, with its offsets counted up in one go (a byte at a time, this was two thirds of decoding
// a dashboard's strings); returns where the run ends.
size_t append_plain_run(std::string_view t, size_t i, std::string& value, std::vector<uint32_t>& map) {
  size_t run = i + 1;
  while (run < t.size() && t[run] != '"' && t[run] != '\\' && static_cast<unsigned char>(t[run]) >= 0x20) ++run;
  value.append(t.data() + i, run - i);
  const size_t mapped = map.size();
  map.resize(mapped + (run - i));
  std::iota(map.begin() + static_cast<std::ptrdiff_t>(mapped), map.end(), static_cast<uint32_t>(i));
  return run;
}

}  // namespace

bool decode_json_string(std::string_view t, size_t quote, std::string& value, std::vector<uint32_t>& map) {
  value.clear();
  map.clear();
  if (quote >= t.size() || t[quote] != '"') return false;
  reserve_decoded(t, quote, value, map);
  size_t i = quote + 1;
  while (i < t.size()) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == '"') {
      map.push_back(static_cast<uint32_t>(i));
      return true;
    }
    if (c < 0x20) return false;
    if (c != '\\') {
      i = append_plain_run(t, i, value, map);
      continue;
    }
    if (i + 1 >= t.size()) return false;
    size_t start = i;
    char e = t[i + 1];
    size_t before = value.size();
    switch (e) {
      case '"':
        value += '"';
        i += 2;
        break;
      case '\\':
        value += '\\';
        i += 2;
        break;
      case '/':
        value += '/';
        i += 2;
        break;
      case 'b':
        value += '\b';
        i += 2;
        break;
      case 'f':
        value += '\f';
        i += 2;
        break;
      case 'n':
        value += '\n';
        i += 2;
        break;
      case 'r':
        value += '\r';
        i += 2;
        break;
      case 't':
        value += '\t';
        i += 2;
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(t, i + 2, cp)) return false;
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (i + 1 < t.size() && t[i] == '\\' && t[i + 1] == 'u' && hex4(t, i + 2, lo) && lo >= 0xDC00 &&
              lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        base::append_utf8(value, cp);
        break;
      }
      default: return false;
    }
    map.insert(map.end(), value.size() - before, static_cast<uint32_t>(start));
  }
  return false;
}

}  // namespace promvet::sources
