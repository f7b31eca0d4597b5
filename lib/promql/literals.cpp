#include "promql/literals.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace promvet::promql::literals {

void append_utf8(std::string& out, uint32_t r) {
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit_in(char c, int base) {
  if (base == 16) return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f');
  if (base == 8) return c >= '0' && c <= '7';
  if (base == 2) return c == '0' || c == '1';
  return c >= '0' && c <= '9';
}

// Go's underscoreOK: '_' must sit between digits (a base prefix counts as a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit or prefix, '_' underscore, '!' other
  size_t i = 0;
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'x' || lower(s[1]) == 'o' || lower(s[1]) == 'b')) {
    hex = lower(s[1]) == 'x';
    i = 2;
    saw = '0';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && is_digit_in(c, 16))) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

std::string strip_underscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '_') out.push_back(c);
  return out;
}

// Go's strconv.ParseInt(s, 0, 64); false when it would fail.
bool parse_go_int(std::string_view s, double* out) {
  if (s.empty() || !underscores_ok(s)) return false;
  int base = 10;
  size_t i = 0;
  if (s[0] == '0' && s.size() > 1) {
    char p = lower(s[1]);
    if (p == 'x') base = 16, i = 2;
    else if (p == 'o') base = 8, i = 2;
    else if (p == 'b') base = 2, i = 2;
    else base = 8, i = 1;
  }
  if (i >= s.size()) return false;
  uint64_t v = 0;
  bool any = false;
  constexpr auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  for (; i < s.size(); ++i) {
    if (s[i] == '_') continue;
    if (!is_digit_in(s[i], base)) return false;
    auto digit = static_cast<uint64_t>(is_digit_in(s[i], 10) ? s[i] - '0' : lower(s[i]) - 'a' + 10);
    if (__builtin_mul_overflow(v, static_cast<uint64_t>(base), &v) || __builtin_add_overflow(v, digit, &v) || v > max)
      return false;  // out of int64 range: Go's ParseInt fails, ParseFloat takes over
    any = true;
  }
  if (!any) return false;
  *out = static_cast<double>(static_cast<int64_t>(v));
  return true;
}

}  // namespace

NumberResult parse_number(std::string_view text) {
  NumberResult r;
  if (parse_go_int(text, &r.value)) return r;
  std::string lowered;
  for (char c : text) lowered.push_back(lower(c));
  if (lowered == "inf" || lowered == "+inf" || lowered == "infinity") {
    r.value = std::numeric_limits<double>::infinity();
    return r;
  }
  if (lowered == "nan") {
    r.value = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  bool hex = lowered.size() > 1 && lowered[0] == '0' && lowered[1] == 'x';
  bool syntax_ok = underscores_ok(text) && !text.empty();
  // Go's ParseFloat needs a 'p' exponent for hexadecimal mantissas with a fraction; a plain hex
  // integer that overflowed int64 is still a valid float.
  std::string cleaned = strip_underscores(text);
  if (syntax_ok) {
    errno = 0;
    char* end = nullptr;
    double v = std::strtod(cleaned.c_str(), &end);
    if (end == cleaned.c_str() + cleaned.size() && !cleaned.empty()) {
      if (errno == ERANGE && std::isinf(v)) {
        r.error = fmt::format("error parsing number: strconv.ParseFloat: parsing {}: value out of range",
                              go_quote(text));
        return r;
      }
      if (!hex || lowered.find('.') == std::string::npos) {
        r.value = v;
        return r;
      }
    }
  }
  r.error = fmt::format("error parsing number: strconv.ParseFloat: parsing {}: invalid syntax", go_quote(text));
  return r;
}

DurationResult parse_duration(std::string_view text) {
  DurationResult r;
  // model.ParseDuration: units in decreasing order, each at most once; "0" is allowed.
  if (text == "0") return r;
  static constexpr struct {
    std::string_view unit;
    int64_t ms;
  } units[] = {{"y", 365LL * 24 * 3600 * 1000}, {"w", 7LL * 24 * 3600 * 1000}, {"d", 24LL * 3600 * 1000},
               {"h", 3600LL * 1000},           {"m", 60LL * 1000},            {"s", 1000},
               {"ms", 1}};
  size_t pos = 0;
  size_t next_unit = 0;
  uint64_t total = 0;
  // Prometheus holds durations as int64 nanoseconds: about 292 years.
  constexpr auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 1000000;
  const auto invalid = [&] {
    r.error = fmt::format("not a valid duration string: {}", go_quote(text));
    r.ms = 0;
    return r;
  };
  if (text.empty()) return invalid();
  while (pos < text.size()) {
    size_t start = pos;
    uint64_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (__builtin_mul_overflow(n, uint64_t{10}, &n) ||
          __builtin_add_overflow(n, static_cast<uint64_t>(text[pos] - '0'), &n) || n > max) {
        r.error = "duration out of range";
        return r;
      }
      ++pos;
    }
    if (pos == start) return invalid();
    if (pos >= text.size()) return invalid();
    size_t unit_end = pos;
    while (unit_end < text.size() && !(text[unit_end] >= '0' && text[unit_end] <= '9')) ++unit_end;
    std::string_view unit = text.substr(pos, unit_end - pos);
    size_t ulen = unit.size();
    size_t k = 0;
    while (k < std::size(units) && units[k].unit != unit) ++k;
    if (k == std::size(units)) {
      r.error = fmt::format("unknown unit {} in duration {}", go_quote(unit), go_quote(text));
      return r;
    }
    if (k < next_unit) return invalid();  // units out of order or repeated
    next_unit = k + 1;
    uint64_t part = 0;
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(units[k].ms), &part) ||
        __builtin_add_overflow(total, part, &total) || total > max) {
      r.error = "duration out of range";
      return r;
    }
    pos += ulen;
  }
  r.ms = static_cast<int64_t>(total);
  return r;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return 99;
}

}  // namespace

uint32_t decode_utf8(std::string_view s, size_t i, size_t* width) {
  auto b = static_cast<unsigned char>(s[i]);
  *width = 1;
  if (b < 0x80) return b;
  int n = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (n < 0 || b > 0xF4) return 0xFFFD;
  uint32_t r = b & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    if (i + k >= s.size()) return 0xFFFD;
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    r = (r << 6) | (c & 0x3F);
  }
  static constexpr uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
  if (r < min_for[n] || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) return 0xFFFD;
  *width = static_cast<size_t>(n) + 1;
  return r;
}

namespace {

// The body of a string after its opening quote. `terminated`: the closing quote follows the
// body; else the input ends (following == -1) or a line break follows.
StringResult decode_string(std::string_view body, char quote, bool terminated, int following) {
  StringResult r;
  r.value.reserve(body.size());
  if (quote == '`') {
    for (size_t i = 0; i < body.size();) {
      size_t w = 1;
      if (decode_utf8(body, i, &w) == 0xFFFD) {
        r.error = "invalid UTF-8 rune";
        return r;
      }
      for (size_t k = i; k < i + w; ++k)
        if (body[k] != '\r') r.value.push_back(body[k]);  // Go drops carriage returns from raw strings
      i += w;
    }
    if (!terminated) r.error = "unterminated raw string";
    return r;
  }
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c != '\\') {
      size_t w = 1;
      if (decode_utf8(body, i, &w) == 0xFFFD) {
        r.error = "invalid UTF-8 rune";
        return r;
      }
      r.value.append(body.substr(i, w));
      i += w;
      continue;
    }
    if (i + 1 >= body.size()) {
      r.error = "escape sequence not terminated";
      return r;
    }
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a': r.value.push_back('\a'); continue;
      case 'b': r.value.push_back('\b'); continue;
      case 'f': r.value.push_back('\f'); continue;
      case 'n': r.value.push_back('\n'); continue;
      case 'r': r.value.push_back('\r'); continue;
      case 't': r.value.push_back('\t'); continue;
      case 'v': r.value.push_back('\v'); continue;
      case '\\': r.value.push_back('\\'); continue;
      default: break;
    }
    if (e == quote) {
      r.value.push_back(e);
      continue;
    }
    int n = 0;
    int base = 0;
    uint32_t max = 0;
    size_t digits_at = i;
    if (e >= '0' && e <= '7') {
      n = 3, base = 8, max = 255, digits_at = i - 1;
    } else if (e == 'x') {
      n = 2, base = 16, max = 255;
    } else if (e == 'u') {
      n = 4, base = 16, max = 0x10FFFF;
    } else if (e == 'U') {
      n = 8, base = 16, max = 0x10FFFF;
    } else {
      size_t w = 1;
      uint32_t rune = decode_utf8(body, i - 1, &w);
      r.error = fmt::format("unknown escape sequence {}", go_unicode(rune));
      return r;
    }
    uint32_t x = 0;
    for (int k = 0; k < n; ++k) {
      size_t at = digits_at + k;
      if (at >= body.size()) {  // the lexer meets the closing quote, a line break or the end here
        if (!terminated && following < 0) {
          r.error = "escape sequence not terminated";
        } else {
          uint32_t next = terminated ? static_cast<unsigned char>(quote) : static_cast<uint32_t>(following);
          r.error = fmt::format("illegal character {} in escape sequence", go_unicode(next));
        }
        return r;
      }
      int d = hex_value(body[at]);
      if (d >= base) {
        size_t w = 1;
        r.error = fmt::format("illegal character {} in escape sequence", go_unicode(decode_utf8(body, at, &w)));
        return r;
      }
      x = x * base + static_cast<uint32_t>(d);
    }
    i = digits_at + n;
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      r.error = "escape sequence is an invalid Unicode code point";
      return r;
    }
    if (e == 'x' || base == 8) {
      r.value.push_back(static_cast<char>(x));  // \x and octal escapes are bytes
    } else {
      append_utf8(r.value, x);
    }
  }
  if (!terminated) r.error = "unterminated quoted string";
  return r;
}

}  // namespace

StringResult unquote(std::string_view text) {
  if (text.size() < 2) {
    StringResult r;
    r.error = "unterminated quoted string";
    return r;
  }
  return decode_string(text.substr(1, text.size() - 2), text.front(), true, -1);
}

StringResult unquote_unterminated(std::string_view text, int following) {
  if (text.empty()) return StringResult{"", "unterminated quoted string"};
  return decode_string(text.substr(1), text.front(), false, following);
}

namespace {

bool is_printable(uint32_t r) {
  // Close enough to Go's unicode.IsPrint for quoting: controls and a few separators are not.
  if (r < 0x20 || r == 0x7F) return false;
  if (r >= 0x80 && r < 0xA0) return false;
  if (r == 0xAD || r == 0x2028 || r == 0x2029 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r < 0xE000) return false;
  return r <= 0x10FFFF;
}

void quote_rune_into(std::string& out, uint32_t r, char quote) {
  switch (r) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    case '\\': out += "\\\\"; return;
    default: break;
  }
  if (r == static_cast<uint32_t>(quote)) {
    out.push_back('\\');
    out.push_back(quote);
    return;
  }
  if (is_printable(r)) {
    append_utf8(out, r);
  } else if (r < 0x80) {
    out += fmt::format("\\x{:02x}", r);
  } else if (r < 0x10000) {
    out += fmt::format("\\u{:04x}", r);
  } else {
    out += fmt::format("\\U{:08x}", r);
  }
}

}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t w = 1;
    uint32_t r = decode_utf8(s, i, &w);
    if (r == 0xFFFD && w == 1 && static_cast<unsigned char>(s[i]) >= 0x80) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
    } else {
      quote_rune_into(out, r, '"');
    }
    i += w;
  }
  out.push_back('"');
  return out;
}

std::string go_quote_rune(uint32_t rune) {
  std::string out = "'";
  quote_rune_into(out, rune, '\'');
  out.push_back('\'');
  return out;
}

std::string go_unicode(uint32_t rune) {
  std::string out = fmt::format("U+{:04X}", rune);
  if (is_printable(rune)) {
    out += " '";
    append_utf8(out, rune);
    out += "'";
  }
  return out;
}

}  // namespace promvet::promql::literals
