#pragma once
// Places findings in a user's file: byte offsets → line:column (1-based, byte columns), the end
// position, and the source line shown under a caret.
#include <cstdint>
#include <string_view>

#include "checks/finding.h"
#include "promql/ast.h"
#include "sources/source.h"

namespace promvet::checks {

class FileLines {
 public:
  explicit FileLines(std::string_view content);  // `content` must outlive this
  // Offsets are into a document embedded in `content` (a dashboard in a YAML string); `to_file`
  // maps them to `content`'s, and must outlive this too.
  FileLines(std::string_view content, const sources::OffsetMap* to_file);
  // Offsets past the end are clamped; the end position is set only when end > begin.
  void place(Finding& f, uint32_t begin, uint32_t end) const;

 private:
  std::string_view content_;
  const sources::OffsetMap* to_file_ = nullptr;
  promql::LineIndex index_;
};

}  // namespace promvet::checks
