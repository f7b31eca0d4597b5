// Suppression comments of rule files: `# promvet: disable=<id>[,<id>]` and
// `# promvet: disable-file=<id>[,<id>]`, read line by line (sources/rules.h says where they apply).
#include <algorithm>
#include <utility>

#include "base/yaml_line_breaks.h"
#include "sources/rules_internal.h"

namespace promvet::sources::rules_internal {

using yaml_tree::is_white;

namespace {

void split_ids(std::string_view list, std::vector<std::string>& out) {
  size_t i = 0;
  while (i <= list.size()) {
    size_t c = list.find(',', i);
    if (c == std::string_view::npos) c = list.size();
    std::string_view id = list.substr(i, c - i);
    while (!id.empty() && is_white(id.front())) id.remove_prefix(1);
    while (!id.empty() && is_white(id.back())) id.remove_suffix(1);
    if (!id.empty()) out.emplace_back(id);
    i = c + 1;
  }
}

}  // namespace

LineInfo scan_lines(std::string_view s, std::vector<std::string>& file_disabled) {
  LineInfo li;
  size_t p = 0;
  bool only_newlines = true;  // every break is \n or \r\n: YAML's lines are the \n-counted ones
  while (p <= s.size()) {
    auto [e, break_size] = base::next_yaml_line_break(s, p);
    if (break_size != 0 && s[e + break_size - 1] != '\n') only_newlines = false;
    std::string_view line = s.substr(p, e - p);
    li.starts.push_back(static_cast<uint32_t>(p));
    size_t f = 0;
    while (f < line.size() && (is_white(line[f]) || line[f] == '\r')) ++f;
    li.blank.push_back(f == line.size());
    li.comment_only.push_back(f < line.size() && line[f] == '#');
    li.disable.emplace_back();
    size_t h = line.find('#');
    while (h != std::string_view::npos) {
      if (h == 0 || is_white(line[h - 1])) {
        std::string_view rest = line.substr(h + 1);
        while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
        if (rest.rfind("promvet:", 0) == 0) {
          rest.remove_prefix(8);
          while (!rest.empty() && is_white(rest.front())) rest.remove_prefix(1);
          bool file = rest.rfind("disable-file=", 0) == 0;
          bool one = !file && rest.rfind("disable=", 0) == 0;
          if (file || one) {
            rest.remove_prefix(file ? 13 : 8);
            // id[, id]...: ids separated by commas (blanks allowed around them); anything
            // else ends the list.
            size_t end = 0;
            for (;;) {
              while (end < rest.size() && !is_white(rest[end]) && rest[end] != '\r' && rest[end] != '#' &&
                     rest[end] != ',')
                ++end;
              size_t k = end;
              while (k < rest.size() && is_white(rest[k])) ++k;
              if (k < rest.size() && rest[k] == ',') {
                ++k;
                while (k < rest.size() && is_white(rest[k])) ++k;
                end = k;
                continue;
              }
              break;
            }
            split_ids(rest.substr(0, end), file ? file_disabled : li.disable.back());
          }
        }
      }
      h = line.find('#', h + 1);
    }
    if (e == s.size()) break;
    p = e + break_size;
  }
  if (!only_newlines) {
    // Positions and "at line N" in messages count \n only, as every finding's line does.
    li.newline_starts.push_back(0);
    for (size_t n = s.find('\n'); n != std::string_view::npos; n = s.find('\n', n + 1))
      li.newline_starts.push_back(static_cast<uint32_t>(n + 1));
  }
  return li;
}

void add_ids(const LineInfo& li, int line, std::vector<std::string>& out) {
  if (line < 0 || static_cast<size_t>(line) >= li.disable.size()) return;
  for (const auto& id : li.disable[static_cast<size_t>(line)])
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
}

// The comment block directly above `line`. YAML counts a lone \r as a line break and LineInfo
// does not, so `line` can lie past LineInfo's last line (lint_rules_fuzz read past the table).
void add_above(const LineInfo& li, int line, std::vector<std::string>& out) {
  if (line < 0 || static_cast<size_t>(line) > li.comment_only.size()) return;
  for (int l = line - 1; l >= 0 && li.comment_only[static_cast<size_t>(l)]; --l) add_ids(li, l, out);
}

}  // namespace promvet::sources::rules_internal
