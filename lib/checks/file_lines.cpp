#include "checks/file_lines.h"

#include <algorithm>
#include <string>

namespace promvet::checks {

FileLines::FileLines(std::string_view content) : content_(content), index_(content) {}

FileLines::FileLines(std::string_view content, const sources::OffsetMap* to_file)
    : content_(content), to_file_(to_file), index_(content) {}

void FileLines::place(Finding& f, uint32_t begin, uint32_t end) const {
  if (to_file_) {
    // The end is exclusive: one past the file byte of the last character.
    const uint32_t file_begin = to_file_->at(begin);
    end = end > begin ? std::max(file_begin, to_file_->at(end - 1) + 1) : file_begin;
    begin = file_begin;
  }
  begin = std::min<uint32_t>(begin, static_cast<uint32_t>(content_.size()));
  end = std::max(begin, std::min<uint32_t>(end, static_cast<uint32_t>(content_.size())));
  promql::LineIndex::Location at = index_.locate(begin);
  f.line = at.line;
  f.column = at.column;
  if (end > begin) {
    promql::LineIndex::Location stop = index_.locate(end);
    f.end_line = stop.line;
    f.end_column = stop.column;
  }
  size_t line_begin = begin - (at.column - 1);
  size_t line_end = content_.find('\n', line_begin);
  f.source_line = std::string(
      content_.substr(line_begin, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_begin));
  if (!f.source_line.empty() && f.source_line.back() == '\r') f.source_line.pop_back();
}

}  // namespace promvet::checks
