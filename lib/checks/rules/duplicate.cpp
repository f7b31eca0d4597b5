#include "checks/rules/duplicate.h"

#include <algorithm>
#include <map>
#include <utility>

#include "checks/file_lines.h"

namespace promvet::checks {
namespace {

bool disabled(const std::vector<std::string>& ids) {
  return std::find(ids.begin(), ids.end(), std::string(DuplicateCheck::kId)) != ids.end();
}

std::string message(const RecordedRule& dup, const std::string& where, const RecordedRule& first) {
  return "recording rule " + quote(dup.shown) + " is also defined in " + where + " line " + std::to_string(first.line) +
         " (group " + quote(first.group) +
         "): both rules write the same series and overwrite each other's samples; remove one or give them different "
         "labels";
}

}  // namespace

std::vector<RecordedRule> recorded_rules(const sources::SourceFile& file, std::string_view content) {
  std::vector<RecordedRule> out;
  const bool file_off = disabled(file.file_disabled_checks);
  FileLines lines(content);
  for (const sources::Expression& e : file.expressions) {
    if (e.kind != sources::ExpressionKind::RecordingRule || e.rule_name.empty()) continue;
    std::vector<std::pair<std::string, std::string>> labels;
    for (const sources::RuleEntry& l : e.rule.labels)
      if (!l.value.empty()) labels.emplace_back(l.name, l.value);
    std::sort(labels.begin(), labels.end());
    RecordedRule r;
    r.key = e.rule_name;
    r.shown = e.rule_name;
    std::string shown_labels;
    for (const auto& [k, v] : labels) {
      r.key += '\xff' + k + '\xfe' + v;
      shown_labels += (shown_labels.empty() ? "" : ", ") + k + "=\"" + v + "\"";
    }
    if (!shown_labels.empty()) r.shown += "{" + shown_labels + "}";
    r.group = e.group;
    r.offset = std::min<uint32_t>(e.rule.name_offset, static_cast<uint32_t>(content.size()));
    r.end = std::max(r.offset, std::min<uint32_t>(e.rule.name_end, static_cast<uint32_t>(content.size())));
    Finding at;
    lines.place(at, r.offset, r.end);
    r.line = at.line;
    r.column = at.column;
    r.end_line = at.end_line;
    r.end_column = at.end_column;
    r.source_line = std::move(at.source_line);
    r.suppressed = file_off || disabled(e.disabled_checks);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::vector<Finding>> duplicates_across_files(const std::vector<FileRecords>& files) {
  std::vector<std::vector<Finding>> out(files.size());
  std::map<std::string, std::pair<size_t, const RecordedRule*>> first;  // key → file, rule
  for (size_t i = 0; i < files.size(); ++i) {
    for (const RecordedRule& r : files[i].rules) {
      auto [it, fresh] = first.emplace(r.key, std::make_pair(i, &r));
      if (fresh || files[it->second.first].path == files[i].path || r.suppressed) continue;
      Finding f;
      f.check_id = std::string(DuplicateCheck::kId);
      f.severity = Severity::kWarning;
      f.message = message(r, quote(files[it->second.first].path), *it->second.second);
      f.file = files[i].path;
      f.line = r.line;
      f.column = r.column;
      f.end_line = r.end_line;
      f.end_column = r.end_column;
      f.source_line = r.source_line;
      f.panel = r.shown;
      out[i].push_back(std::move(f));
    }
  }
  return out;
}

CheckInfo DuplicateCheck::info() const {
  return {kId, Severity::kWarning, "the same recorded series defined in two groups or two files", Stage::kProject};
}

void DuplicateCheck::run(const FileContext& ctx, Reporter& out) const {
  const std::vector<RecordedRule> rules = recorded_rules(ctx.file, ctx.content);
  std::map<std::string, const RecordedRule*> first;
  size_t k = 0;
  for (const sources::Expression& e : ctx.file.expressions) {
    if (e.kind != sources::ExpressionKind::RecordingRule || e.rule_name.empty()) continue;
    const RecordedRule& r = rules[k++];
    auto [it, fresh] = first.emplace(r.key, &r);
    // Same group (or two groups of one name): promtool's rules/duplicate-rule, rules/duplicate-group.
    if (fresh || it->second->group == r.group) continue;
    out.report_file(r.offset, r.end, message(r, "this file", *it->second), &e);
  }
}

namespace {
struct RecordedRules final : FileNotes {
  std::vector<RecordedRule> rules;
};
}  // namespace

std::unique_ptr<FileNotes> DuplicateCheck::note_file(const sources::SourceFile& file, std::string_view content) const {
  auto notes = std::make_unique<RecordedRules>();
  notes->rules = recorded_rules(file, content);
  return notes;
}

std::vector<std::vector<Finding>> DuplicateCheck::finish(const std::vector<NotedFile>& files) const {
  // A finding needs rules in two files: one big rule file alone is not copied into a map.
  size_t with_rules = 0;
  for (const NotedFile& f : files)
    if (const auto* noted = dynamic_cast<const RecordedRules*>(f.notes.get()); noted && !noted->rules.empty())
      ++with_rules;
  if (with_rules < 2) return std::vector<std::vector<Finding>>(files.size());
  std::vector<FileRecords> records;
  records.reserve(files.size());
  for (const NotedFile& f : files) {
    const auto* noted = dynamic_cast<const RecordedRules*>(f.notes.get());
    records.push_back({f.path, noted ? noted->rules : std::vector<RecordedRule>()});
  }
  return duplicates_across_files(records);
}

}  // namespace promvet::checks
