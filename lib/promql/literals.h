#pragma once
// Decoding of PromQL literal tokens with Prometheus' rules and messages: numbers (Go's
// ParseInt base 0, then ParseFloat), durations (model.ParseDuration) and strings (escape
// validation of Prometheus' lexer, then Go's Unquote).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/duration.h"
#include "base/go_quote.h"
#include "base/utf8.h"

namespace promvet::promql::literals {

struct NumberResult {
  double value = 0;
  std::string error;  // "error parsing number: ..." or empty
};
NumberResult parse_number(std::string_view text);

// model.ParseDuration lives in lib/base (rule files and configuration parse durations too).
using base::DurationResult;
using base::parse_duration;

struct StringResult {
  std::string value;
  std::string error;          // lexer message (Prometheus wording), empty when valid
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

// Go's UTF-8 decoding and quoting, from lib/base, as the lexer's messages use them.
using base::append_utf8;
using base::decode_utf8;
using base::go_quote;
using base::go_quote_rune;
using base::go_unicode;

}  // namespace promvet::promql::literals
