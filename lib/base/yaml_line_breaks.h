// Line breaks as YAML counts them. libyaml (and the YAML spec it follows) ends a line at \r\n, \n,
// a lone \r, NEL U+0085, LS U+2028 and PS U+2029, so its marks' line numbers count all of them;
// whoever maps a line of the file to one of libyaml's (the rule loader's suppression comments,
// the YAML splitter's pieces) must count the same breaks. Findings' own lines count \n only.
#pragma once

#include <cstddef>
#include <string_view>

namespace promvet::base {

struct YamlLineBreak {
  size_t at = 0;    // offset of the break, s.size() when there is none
  size_t size = 0;  // its length in bytes (2 for \r\n and NEL, 3 for LS and PS), 0 when none
};

// The first line break at or after `p`.
YamlLineBreak next_yaml_line_break(std::string_view s, size_t p);

// How many line breaks `s` holds (\r\n counted once).
size_t count_yaml_line_breaks(std::string_view s);

// Every line break of `s` is a \n: lines counted by \n are YAML's lines.
bool only_newline_breaks(std::string_view s);

}  // namespace promvet::base
