#include "report/unified_diff.h"

#include <algorithm>

namespace promvet::report {
namespace {

constexpr size_t kContext = 3;

// Lines with their newline, the last one possibly without.
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t nl = s.find('\n', at);
    size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(at, end - at));
    at = end;
  }
  return out;
}

void put_line(std::string& out, char sign, std::string_view line) {
  out += sign;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range_text(size_t start, size_t count) {
  // diff -u numbers an empty range by the line before it.
  return std::to_string(count == 0 ? start - 1 : start) + (count == 1 ? "" : "," + std::to_string(count));
}

// Lines [first, last] of the old file that edits change, and what they become.
struct Block {
  size_t first = 0, last = 0;
  std::vector<std::string> new_lines;
};

}  // namespace

std::string unified_diff(const std::string& path, std::string_view content, const std::vector<checks::FixEdit>& edits) {
  if (edits.empty()) return {};
  std::vector<std::string_view> lines = split_lines(content);
  std::vector<size_t> starts;  // byte offset of each line
  for (size_t i = 0, at = 0; i < lines.size(); at += lines[i].size(), ++i) starts.push_back(at);
  auto line_of = [&](size_t offset) {
    size_t i = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
    return i == 0 ? 0 : std::min(i - 1, lines.empty() ? 0 : lines.size() - 1);
  };
  if (lines.empty()) lines.push_back({}), starts.push_back(0);
  // Group the edits by the lines they touch.
  std::vector<Block> blocks;
  std::vector<std::vector<const checks::FixEdit*>> block_edits;
  for (const checks::FixEdit& e : edits) {
    size_t first = line_of(e.begin), last = line_of(e.end > e.begin ? e.end - 1 : e.begin);
    if (!blocks.empty() && first <= blocks.back().last + 1) {  // adjacent lines: one change, as diff -u
      blocks.back().last = std::max(blocks.back().last, last);
      block_edits.back().push_back(&e);
    } else {
      blocks.push_back({first, last, {}});
      block_edits.push_back({&e});
    }
  }
  for (size_t b = 0; b < blocks.size(); ++b) {
    size_t begin = starts[blocks[b].first];
    size_t end = starts[blocks[b].last] + lines[blocks[b].last].size();
    std::string text;
    size_t at = begin;
    for (const checks::FixEdit* e : block_edits[b]) {
      text.append(content.substr(at, e->begin - at));
      text += e->new_text;
      at = e->end;
    }
    text.append(content.substr(at, end - at));
    for (std::string_view l : split_lines(text)) blocks[b].new_lines.emplace_back(l);
  }
  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  long delta = 0;  // new line number minus old, before the current hunk
  for (size_t b = 0; b < blocks.size();) {
    // A hunk: blocks whose context would touch or overlap.
    size_t e = b;
    while (e + 1 < blocks.size() && blocks[e + 1].first <= blocks[e].last + 1 + 2 * kContext) ++e;
    size_t from = blocks[b].first >= kContext ? blocks[b].first - kContext : 0;
    size_t to = std::min(lines.size() - 1, blocks[e].last + kContext);
    std::string body;
    size_t old_count = 0, new_count = 0;
    long hunk_delta = 0;
    size_t line = from;
    for (size_t k = b; k <= e; ++k) {
      for (; line < blocks[k].first; ++line, ++old_count, ++new_count) put_line(body, ' ', lines[line]);
      for (; line <= blocks[k].last; ++line, ++old_count) put_line(body, '-', lines[line]);
      for (const std::string& l : blocks[k].new_lines) put_line(body, '+', l), ++new_count;
      hunk_delta +=
          static_cast<long>(blocks[k].new_lines.size()) - static_cast<long>(blocks[k].last - blocks[k].first + 1);
    }
    for (; line <= to; ++line, ++old_count, ++new_count) put_line(body, ' ', lines[line]);
    out += "@@ -" + range_text(from + 1, old_count) + " +" +
           range_text(static_cast<size_t>(static_cast<long>(from + 1) + delta), new_count) + " @@\n";
    out += body;
    delta += hunk_delta;
    b = e + 1;
  }
  return out;
}

}  // namespace promvet::report
