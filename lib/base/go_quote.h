#pragma once
// Go's quoting, as Prometheus' messages and String() methods use it: %q (strconv.Quote) of a
// string and of a rune, %#U, and strconv.IsPrint. The one copy of Go's printable table.
#include <cstdint>
#include <string>
#include <string_view>

namespace promvet::base {

// strconv.IsPrint: Unicode letters, marks, numbers, punctuation, symbols and U+0020.
bool is_go_printable(uint32_t rune);
// %q of a string: "..." with Go's escapes; bytes that are not UTF-8 as \xNN.
std::string go_quote(std::string_view s);
// %q of a rune: 'x'.
std::string go_quote_rune(uint32_t rune);
// %#U: U+0071 'q' (the character only when printable).
std::string go_unicode(uint32_t rune);

}  // namespace promvet::base
