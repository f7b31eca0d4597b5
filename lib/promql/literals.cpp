#include "promql/literals.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace promvet::promql::literals {

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
        r.error =
            fmt::format("error parsing number: strconv.ParseFloat: parsing {}: value out of range", go_quote(text));
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


namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return 99;
}

}  // namespace


namespace {

// A raw `...` string's body: any valid UTF-8, carriage returns dropped as Go drops them.
StringResult decode_raw(std::string_view body, bool terminated) {
  StringResult r;
  r.value.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    size_t w = 1;
    if (decode_utf8(body, i, &w) == 0xFFFD) {
      r.error = "invalid UTF-8 rune";
      return r;
    }
    for (size_t k = i; k < i + w; ++k)
      if (body[k] != '\r') r.value.push_back(body[k]);
    i += w;
  }
  if (!terminated) r.error = "unterminated raw string";
  return r;
}

// What ends a numeric escape early: the closing quote, a line break or the end of the input
// (see decode_string for `terminated` and `following`).
std::string cut_escape_error(char quote, bool terminated, int following) {
  if (!terminated && following < 0) return "escape sequence not terminated";
  uint32_t next = terminated ? static_cast<unsigned char>(quote) : static_cast<uint32_t>(following);
  return fmt::format("illegal character {} in escape sequence", go_unicode(next));
}

// The escape sequence starting at body[i] == '\\' (a byte follows it), appended to r.value and
// i moved past it; false with r.error set when it is malformed, in Go's words.
bool decode_escape(std::string_view body, size_t& i, char quote, bool terminated, int following, StringResult& r) {
  const char e = body[i + 1];
  i += 2;
  switch (e) {
    case 'a': r.value.push_back('\a'); return true;
    case 'b': r.value.push_back('\b'); return true;
    case 'f': r.value.push_back('\f'); return true;
    case 'n': r.value.push_back('\n'); return true;
    case 'r': r.value.push_back('\r'); return true;
    case 't': r.value.push_back('\t'); return true;
    case 'v': r.value.push_back('\v'); return true;
    case '\\': r.value.push_back('\\'); return true;
    default: break;
  }
  if (e == quote) {
    r.value.push_back(e);
    return true;
  }
  int n = 0;
  int base = 16;
  uint32_t max = 0x10FFFF;
  size_t digits_at = i;
  if (e >= '0' && e <= '7') {
    n = 3, base = 8, max = 255, digits_at = i - 1;
  } else if (e == 'x') {
    n = 2, max = 255;
  } else if (e == 'u' || e == 'U') {
    n = e == 'u' ? 4 : 8;
  } else {
    size_t w = 1;
    r.error = fmt::format("unknown escape sequence {}", go_unicode(decode_utf8(body, i - 1, &w)));
    return false;
  }
  uint32_t x = 0;
  for (int k = 0; k < n; ++k) {
    const size_t at = digits_at + k;
    if (at >= body.size()) {
      r.error = cut_escape_error(quote, terminated, following);
      return false;
    }
    const int d = hex_value(body[at]);
    if (d >= base) {
      size_t w = 1;
      r.error = fmt::format("illegal character {} in escape sequence", go_unicode(decode_utf8(body, at, &w)));
      return false;
    }
    x = x * base + static_cast<uint32_t>(d);
  }
  i = digits_at + n;
  if (x > max || (x >= 0xD800 && x < 0xE000)) {
    r.error = "escape sequence is an invalid Unicode code point";
    return false;
  }
  if (e == 'x' || base == 8) {
    r.value.push_back(static_cast<char>(x));  // \x and octal escapes are bytes
  } else {
    append_utf8(r.value, x);
  }
  return true;
}

// The body of a string after its opening quote. `terminated`: the closing quote follows the
// body; else the input ends (following == -1) or a line break follows.
StringResult decode_string(std::string_view body, char quote, bool terminated, int following) {
  if (quote == '`') return decode_raw(body, terminated);
  StringResult r;
  r.value.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    // Runs of ASCII other than '\\' are copied as they are.
    size_t plain = i;
    while (plain < body.size() && static_cast<unsigned char>(body[plain]) < 0x80 && body[plain] != '\\') ++plain;
    r.value.append(body.data() + i, plain - i);
    i = plain;
    if (i >= body.size()) break;
    if (body[i] != '\\') {
      size_t w = 1;
      if (decode_utf8(body, i, &w) == 0xFFFD) {
        r.error = "invalid UTF-8 rune";
        return r;
      }
      r.value.append(body.data() + i, w);
      i += w;
      continue;
    }
    if (i + 1 >= body.size()) {
      r.error = "escape sequence not terminated";
      return r;
    }
    if (!decode_escape(body, i, quote, terminated, following, r)) return r;
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

}  // namespace promvet::promql::literals
