#include "checks/rules/template_text.h"

#include <algorithm>
#include <string>

namespace promvet::checks::templates {

std::vector<std::pair<size_t, size_t>> actions(std::string_view v) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = v.find("{{");
  while (i != std::string_view::npos) {
    const size_t begin = i + 2;
    size_t j = begin;
    while (j < v.size() && v.compare(j, 2, "}}") != 0) {
      const char c = v[j];
      if (c == '"' || c == '\'') {  // interpreted string or character literal: skip escapes
        for (++j; j < v.size() && v[j] != c && v[j] != '\n'; ++j)
          if (v[j] == '\\') ++j;
      } else if (c == '`') {
        j = v.find('`', j + 1);
        if (j == std::string_view::npos) j = v.size();
      }
      if (j < v.size()) ++j;
    }
    const size_t end = std::min(j, v.size());
    out.emplace_back(begin, end);
    i = end + 2 < v.size() ? v.find("{{", end + 2) : std::string_view::npos;
  }
  return out;
}

std::pair<uint32_t, uint32_t> place(std::string_view content, const sources::RuleEntry& entry, std::string_view token,
                                    size_t at) {
  const uint32_t begin = entry.value_offset, end = entry.value_end;
  if (begin > end || end > content.size() || token.empty()) return {begin, begin};
  const std::string_view raw = content.substr(begin, end - begin);
  const std::string_view value = entry.value;
  size_t nth = 0, in_value = 0, in_raw = 0;
  for (size_t i = value.find(token); i != std::string_view::npos; i = value.find(token, i + 1)) {
    if (i < at) ++nth;
    ++in_value;
  }
  size_t found = std::string_view::npos;
  for (size_t i = raw.find(token); i != std::string_view::npos; i = raw.find(token, i + 1)) {
    if (in_raw == nth) found = i;
    ++in_raw;
  }
  if (in_raw != in_value || found == std::string_view::npos) return {begin, begin};
  const uint32_t from = begin + static_cast<uint32_t>(found);
  return {from, from + static_cast<uint32_t>(token.size())};
}

}  // namespace promvet::checks::templates
