#pragma once
// Flags two recording rules that write the same series (same `record` and labels) in
// different groups of one file (run) and across the files of one `promvet lint` run (the
// project-level hook: note_file keeps recorded_rules(), finish calls duplicates_across_files()).
// Within one group promtool's rules/duplicate-rule reports it. User docs: docs/checks/rules/duplicate.md
//
//   std::vector<FileRecords> files = {{"a.yaml", recorded_rules(file_a, content_a)}, ...};
//   std::vector<std::vector<Finding>> per_file = duplicates_across_files(files);
//
// Pure functions; thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "checks/check.h"

namespace promvet::checks {

// One recording rule: the series it writes and where it is defined.
struct RecordedRule {
  std::string key;    // record name and sorted static labels, for comparison
  std::string shown;  // `job:x:rate5m{env="prod"}`
  std::string group;
  uint32_t offset = 0, end = 0;  // the `record` value in the file
  uint64_t line = 0, end_line = 0;
  uint32_t column = 0, end_column = 0;
  std::string source_line;
  bool suppressed = false;  // rules/duplicate disabled on the rule or in the file
};

std::vector<RecordedRule> recorded_rules(const sources::SourceFile& file, std::string_view content);

struct FileRecords {
  std::string path;
  std::vector<RecordedRule> rules;
};

// For each file, a finding per rule whose series a rule of an earlier file already writes.
std::vector<std::vector<Finding>> duplicates_across_files(const std::vector<FileRecords>& files);

class DuplicateCheck final : public Check {
 public:
  static constexpr std::string_view kId = "rules/duplicate";
  CheckInfo info() const override;
  void run(const FileContext& ctx, Reporter& out) const override;
  std::unique_ptr<FileNotes> note_file(const sources::SourceFile& file, std::string_view content) const override;
  std::vector<std::vector<Finding>> finish(const std::vector<NotedFile>& files) const override;
};

}  // namespace promvet::checks
