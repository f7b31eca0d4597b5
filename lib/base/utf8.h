#pragma once
// UTF-8 with Go's rules (unicode/utf8): overlong forms, surrogates and code points above
// U+10FFFF are invalid. The one decoder and validator of the project.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace promvet::base {

constexpr uint32_t kRuneError = 0xFFFD;

// What is wrong with the sequence at s[i], in the order go-yaml's reader tests it (its error
// messages name each; Go's utf8 package folds them all into U+FFFD).
enum class Utf8Problem : uint8_t {
  kNone,
  kInvalidLeadingByte,   // not a leading byte of 1 to 4 bytes
  kTruncated,            // the sequence runs past the end of s
  kInvalidTrailingByte,  // at Utf8Step::problem_at
  kOverlong,             // code point encoded longer than needed
  kNotACodePoint,        // a surrogate, or above U+10FFFF
};
struct Utf8Step {
  uint32_t code_point = 0;  // as encoded (for kOverlong and kNotACodePoint too)
  size_t width = 1;         // of the sequence the leading byte announces
  Utf8Problem problem = Utf8Problem::kNone;
  size_t problem_at = 0;  // the offending byte's index in s
};
// The one decoder: the sequence at s[i] (i < s.size()).
Utf8Step decode_utf8_step(std::string_view s, size_t i);

// Decodes the sequence at s[i] (i < s.size()) as Go's utf8.DecodeRuneInString: an invalid or
// truncated sequence decodes as U+FFFD with *width 1 (a literal U+FFFD is 3 bytes wide).
inline uint32_t decode_utf8(std::string_view s, size_t i, size_t* width) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  *width = 1;
  if (b0 < 0x80) return b0;
  Utf8Step step = decode_utf8_step(s, i);
  if (step.problem != Utf8Problem::kNone) return kRuneError;
  *width = step.width;
  return step.code_point;
}
// The same, telling an invalid byte apart from a literal U+FFFD.
inline bool decode_valid_utf8(std::string_view s, size_t i, uint32_t& rune, size_t& width) {
  rune = decode_utf8(s, i, &width);
  return !(rune == kRuneError && width == 1);
}
// Index of the first byte that does not start a valid sequence, or npos.
size_t invalid_utf8_at(std::string_view s);
// Go's utf8.ValidString.
inline bool valid_utf8(std::string_view s) { return invalid_utf8_at(s) == std::string_view::npos; }
// Appends the UTF-8 encoding of a code point (<= U+10FFFF).
void append_utf8(std::string& out, uint32_t code_point);
// Code points of valid UTF-8 (every byte that is not a continuation byte counts).
size_t count_code_points(std::string_view s);

}  // namespace promvet::base
