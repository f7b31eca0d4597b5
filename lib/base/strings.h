#pragma once
// Small string helpers C++17's std::string_view lacks.
#include <string>
#include <string_view>

namespace promvet::base {

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
// s is a stem of at least one character followed by suffix: "_count" is not a name ending in
// "_count" with something counted.
inline bool has_stem_and_suffix(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && ends_with(s, suffix);
}
// ASCII lower case, as std::tolower in the "C" locale: URL schemes, datasource types.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
// Space, tab, CR, LF: the white space of PromQL's lexer and Go's text/template (no \v, \f).
inline bool is_space_or_newline(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace promvet::base
