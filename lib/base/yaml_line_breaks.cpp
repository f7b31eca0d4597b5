#include "base/yaml_line_breaks.h"

namespace promvet::base {
namespace {

// NEL, LS and PS in UTF-8.
constexpr std::string_view kWideBreaks[] = {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"};

}  // namespace

// One memchr per kind of break over the rest of the line, so a big file costs little more than
// finding its \n.
YamlLineBreak next_yaml_line_break(std::string_view s, size_t p) {
  YamlLineBreak b{s.find('\n', p), 1};
  if (b.at == std::string_view::npos) b = {s.size(), 0};
  const std::string_view before = s.substr(0, b.at);
  if (size_t cr = before.find('\r', p); cr != std::string_view::npos)
    b = {cr, cr + 1 < s.size() && s[cr + 1] == '\n' ? size_t{2} : size_t{1}};
  for (std::string_view mark : kWideBreaks) {
    const std::string_view in = s.substr(0, b.at);
    for (size_t i = in.find(mark[0], p); i != std::string_view::npos; i = in.find(mark[0], i + 1)) {
      if (s.compare(i, mark.size(), mark) == 0) {
        b = {i, mark.size()};
        break;
      }
    }
  }
  return b;
}

size_t count_yaml_line_breaks(std::string_view s) {
  if (only_newline_breaks(s)) {
    size_t n = 0;
    for (size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) ++n;
    return n;
  }
  size_t n = 0;
  for (YamlLineBreak b = next_yaml_line_break(s, 0); b.size != 0; b = next_yaml_line_break(s, b.at + b.size)) ++n;
  return n;
}

bool only_newline_breaks(std::string_view s) {
  if (s.find('\r') != std::string_view::npos) return false;
  for (std::string_view mark : kWideBreaks)
    if (s.find(mark) != std::string_view::npos) return false;
  return true;
}

}  // namespace promvet::base
