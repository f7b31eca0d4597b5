#include "base/utf8.h"

namespace promvet::base {

Utf8Step decode_utf8_step(std::string_view s, size_t i) {
  Utf8Step r;
  r.problem_at = i;
  const auto b0 = static_cast<unsigned char>(s[i]);
  r.code_point = b0;
  if (b0 < 0x80) return r;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    r.width = 2, r.code_point = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    r.width = 3, r.code_point = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    r.width = 4, r.code_point = b0 & 0x07, min = 0x10000;
  } else {
    r.problem = Utf8Problem::kInvalidLeadingByte;
    return r;
  }
  if (i + r.width > s.size()) {
    r.problem = Utf8Problem::kTruncated;
    return r;
  }
  for (size_t k = 1; k < r.width; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      r.problem = Utf8Problem::kInvalidTrailingByte;
      r.problem_at = i + k;
      return r;
    }
    r.code_point = (r.code_point << 6) | (b & 0x3F);
  }
  if (r.code_point < min) r.problem = Utf8Problem::kOverlong;
  else if (r.code_point > 0x10FFFF || (r.code_point >= 0xD800 && r.code_point <= 0xDFFF))
    r.problem = Utf8Problem::kNotACodePoint;
  return r;
}

size_t invalid_utf8_at(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // the common case, without a call
      ++i;
      continue;
    }
    uint32_t rune;
    size_t width;
    if (!decode_valid_utf8(s, i, rune, width)) return i;
    i += width;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace promvet::base
