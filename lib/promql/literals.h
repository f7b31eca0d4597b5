#pragma once
// Decoding of PromQL literal tokens with Prometheus' rules and messages: numbers (Go's
// ParseInt base 0, then ParseFloat), durations (model.ParseDuration) and strings (escape
// validation of Prometheus' lexer, then Go's Unquote).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace promvet::promql::literals {

struct NumberResult {
  double value = 0;
  std::string error;  // "error parsing number: ..." or empty
};
NumberResult parse_number(std::string_view text);

struct DurationResult {
  int64_t ms = 0;
  std::string error;  // `not a valid duration string: "1m1h"`, "duration out of range"
};
DurationResult parse_duration(std::string_view text);

struct StringResult {
  std::string value;
  std::string error;        // lexer message (Prometheus wording), empty when valid
  uint32_t error_offset = 0;  // offset inside the token Prometheus points at (the token start)
};
// `text` includes its quotes ("…", '…' or `…`). As Prometheus' lexer, the first problem in the
// string is the error: a bad escape, or "invalid UTF-8 rune" (any byte that is not UTF-8, and a
// literal U+FFFD, which Go's decoder cannot tell apart).
StringResult unquote(std::string_view text);
// A string the lexer found no end for: `text` runs from the opening quote to the end of the input
// or, for "…" and '…', to the line break; `following` is that line break ('\n') or -1 for the end
// of the input. The error is the first problem in it, else "unterminated quoted string" /
// "unterminated raw string".
StringResult unquote_unterminated(std::string_view text, int following);

// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, uint32_t code_point);
// Decodes the UTF-8 sequence at s[i] (i < s.size()) as Go's utf8.DecodeRuneInString: an invalid
// or truncated sequence decodes as U+FFFD with *width 1.
uint32_t decode_utf8(std::string_view s, size_t i, size_t* width);

// Go's %q for a string (strconv.Quote) and for a rune ('x').
std::string go_quote(std::string_view s);
std::string go_quote_rune(uint32_t rune);
// Go's %#U: U+0071 'q'
std::string go_unicode(uint32_t rune);

}  // namespace promvet::promql::literals
