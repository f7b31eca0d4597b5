#include "checks/suppression_audit.h"

#include <algorithm>
#include <map>

#include "checks/file_lines.h"
#include "checks/registry.h"
#include "checks/suppression_markers.h"
#include "sources/diagnostic_ids.h"

namespace promvet::checks {
namespace {

// Ids whose findings do not come from linting this one file (cross-file duplicates, a file refused
// before reading), or that need input this run may not have: a marker for them cannot be judged.
bool known_id(const std::string& id) {
  const CheckInfo* info = builtin_registry().info(id);
  return info && (info->commands & kLintCommand);
}

void overwrite(std::string& content, const MarkerId& id) {
  std::fill(content.begin() + id.offset, content.begin() + id.end_offset, '~');
}

std::map<std::string, size_t> count_by_id(const std::vector<Finding>& findings) {
  std::map<std::string, size_t> n;
  for (const Finding& f : findings) ++n[f.check_id];
  return n;
}

// The 0-based line a disable-next-line marker on `line` applies to: the next one that is neither
// blank nor a comment.
uint64_t next_code_line(std::string_view s, uint32_t line) {
  size_t p = 0;
  for (uint32_t l = 0; l <= line && p != std::string_view::npos; ++l) {
    p = s.find('\n', p);
    if (p != std::string_view::npos) ++p;
  }
  uint64_t target = line + 1;
  while (p != std::string_view::npos && p < s.size()) {
    size_t e = s.find('\n', p);
    std::string_view text = s.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p);
    size_t f = text.find_first_not_of(" \t\r");
    if (f != std::string_view::npos && text[f] != '#') return target;
    ++target;
    p = e == std::string_view::npos ? e : e + 1;
  }
  return target;
}

// Byte offset of 1-based line `line`.
size_t line_start(std::string_view s, uint64_t line) {
  size_t p = 0;
  for (uint64_t l = 1; l < line; ++l) {
    p = s.find('\n', p);
    if (p == std::string_view::npos) return s.size();
    ++p;
  }
  return p;
}

// One id of a disable= or disable-file= marker.
struct MarkerEntry {
  const SuppressionMarker* marker;
  const MarkerId* id;
};

// The notes about one file's markers (expired, unused) and what judging a marker needs.
class Audit {
 public:
  Audit(const std::string& content, std::string path, const SourceLoader& load, const LintOptions& options)
      : content_(content), path_(std::move(path)), lines_(content), load_(load), options_(options) {}

  const FileLines& lines() const { return lines_; }
  std::vector<Finding>& notes() { return notes_; }

  // Expired (or undatable) markers stop suppressing: their ids are overwritten in `effective`,
  // and a note says so. Returns the markers still in force.
  std::vector<const SuppressionMarker*> drop_expired(const std::vector<SuppressionMarker>& markers,
                                                     const std::string& today, std::string& effective) {
    std::vector<const SuppressionMarker*> active;
    for (const SuppressionMarker& m : markers) {
      if (!m.until.empty() && (!valid_date(m.until) || m.until < today)) {
        std::string ids;
        for (const MarkerId& id : m.ids) ids += (ids.empty() ? "" : ", ") + id.id;
        note(kExpiredSuppression, Severity::kWarning,
             valid_date(m.until)
                 ? "the suppression of " + ids + " expired on " + m.until + " and no longer applies"
                 : "until=" + m.until + " is not a date (YYYY-MM-DD); the suppression of " + ids + " does not apply",
             m.until_offset, m.until_end_offset);
        for (const MarkerId& id : m.ids) overwrite(effective, id);
        continue;
      }
      active.push_back(&m);
    }
    return active;
  }

  // A file the loader could not read whole (invalid JSON/YAML) says little about its markers.
  void set_broken(const std::vector<Finding>& unsuppressed) {
    broken_ = std::any_of(unsuppressed.begin(), unsuppressed.end(), [](const Finding& f) {
      return f.check_id.rfind("source/", 0) == 0 && f.severity == Severity::kError;
    });
  }

  // disable-next-line: applied here (removed from `findings`), judged against the unsuppressed
  // findings.
  void apply_next_line_markers(const std::vector<const SuppressionMarker*>& active,
                               const std::vector<Finding>& unsuppressed, std::vector<Finding>& findings) {
    for (const SuppressionMarker* m : active) {
      if (m->form != MarkerForm::kDisableNextLine) continue;
      uint64_t target = next_code_line(content_, m->line) + 1;  // 1-based, as findings
      for (const MarkerId& id : m->ids) {
        bool used = std::any_of(unsuppressed.begin(), unsuppressed.end(),
                                [&](const Finding& f) { return f.check_id == id.id && f.line == target; });
        findings.erase(std::remove_if(findings.begin(), findings.end(),
                                      [&](const Finding& f) { return f.check_id == id.id && f.line == target; }),
                       findings.end());
        if (!used)
          report_unused(id, "disable-next-line=" + id.id + " suppresses nothing on line " + std::to_string(target));
      }
    }
  }

  // disable= and disable-file=: an id used by no finding is unused for every marker naming it; an
  // id named by one marker only is used if it suppressed anything; others are measured alone.
  void judge_file_markers(const std::vector<MarkerEntry>& entries, const std::string& effective,
                          const std::map<std::string, size_t>& raw_counts,
                          const std::map<std::string, size_t>& effective_counts) {
    std::map<std::string, int> markers_naming;
    for (const MarkerEntry& e : entries) ++markers_naming[e.id->id];
    int lints = 0;
    for (const MarkerEntry& e : entries) {
      const std::string& id = e.id->id;
      auto raw_n = raw_counts.count(id) ? raw_counts.at(id) : 0;
      auto eff_n = effective_counts.count(id) ? effective_counts.at(id) : 0;
      bool used = raw_n > eff_n;
      if (used && markers_naming[id] > 1) {
        if (++lints > kMaxAuditLints) continue;  // not measured: taken as used
        std::string alone = effective;
        for (const MarkerEntry& other : entries)
          if (other.id != e.id) overwrite(alone, *other.id);
        auto n = count_by_id(lint_source(load_(alone), alone, options_));
        used = (n.count(id) ? n.at(id) : 0) < raw_n;
      }
      if (!used) report_unused(*e.id, "the suppression of " + id + " suppresses nothing");
    }
  }

 private:
  void note(const char* id, Severity severity, std::string message, uint32_t begin, uint32_t end) {
    Finding f;
    f.check_id = id;
    f.severity = severity;
    f.message = std::move(message);
    f.file = path_;
    lines_.place(f, begin, end);
    notes_.push_back(std::move(f));
  }

  void report_unused(const MarkerId& id, std::string why) {
    if (broken_ || !judgeable_suppression(id.id, options_)) return;
    if (!known_id(id.id)) why += " (no lint check has this id)";
    note(kUnusedSuppression, Severity::kInfo, std::move(why), id.offset, id.end_offset);
  }

  const std::string& content_;
  std::string path_;
  FileLines lines_;
  const SourceLoader& load_;
  const LintOptions& options_;
  std::vector<Finding> notes_;  // expired and unused markers
  bool broken_ = false;
};

// The notes the file does not switch off with disable-file, then every finding in line order.
// Switched-off ids are '~' in the text the findings were placed in: each shows the user's own line.
void merge_and_sort(std::vector<Finding>& findings, std::vector<Finding>& notes, const sources::SourceFile& file,
                    const std::string& content, const std::string& effective, const FileLines& lines) {
  for (Finding& f : notes)
    if (std::find(file.file_disabled_checks.begin(), file.file_disabled_checks.end(), f.check_id) ==
        file.file_disabled_checks.end())
      findings.push_back(std::move(f));
  if (effective != content) {
    for (Finding& f : findings) {
      if (f.line == 0 || f.source_line.empty()) continue;
      Finding again;
      lines.place(again, static_cast<uint32_t>(line_start(content, f.line)), 0);
      if (again.source_line.size() == f.source_line.size()) f.source_line = std::move(again.source_line);
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

}  // namespace

bool judgeable_suppression(const std::string& id, const LintOptions& options) {
  if (id == sources::ids::kTooLarge || id == kUnusedSuppression || id == kExpiredSuppression) return false;
  const CheckInfo* info = builtin_registry().info(id);
  if (!info) return true;  // reported as unused, "no lint check has this id"
  if (info->stage == Stage::kProject) return false;
  if ((info->needs & kNeedsInventory) && options.inventory == nullptr) return false;
  if ((info->needs & kNeedsPolicies) && (options.policies == nullptr || options.policies->empty())) return false;
  if ((info->needs & kNeedsPrometheusConfig) && !options.prometheus_config) return false;
  return true;
}

AuditedLint lint_auditing_suppressions(sources::SourceFile file, std::string content, const SourceLoader& load,
                                       const LintOptions& options, const SuppressionAuditOptions& audit) {
  AuditedLint out;
  if (content.find("promvet:") == std::string::npos) {
    out.findings = lint_source(file, content, options);
    out.file = std::move(file);
    out.content = std::move(content);
    return out;
  }
  std::vector<SuppressionMarker> markers =
      audit.dashboard ? find_description_markers(content) : find_comment_markers(content);
  const std::string today = audit.today.empty() ? utc_today() : audit.today;
  Audit judge(content, file.path, load, options);

  std::string effective = content;
  std::vector<const SuppressionMarker*> active = judge.drop_expired(markers, today, effective);
  sources::SourceFile effective_file = effective == content ? std::move(file) : load(effective);
  std::vector<Finding> suppressed_by_loader = lint_source(effective_file, effective, options);

  // Without any disable=/disable-file= id: what the file reports when nothing suppresses it.
  std::vector<MarkerEntry> entries;
  for (const SuppressionMarker* m : active)
    if (m->form != MarkerForm::kDisableNextLine)
      for (const MarkerId& id : m->ids) entries.push_back({m, &id});
  std::string raw = effective;
  for (const MarkerEntry& e : entries) overwrite(raw, *e.id);
  std::vector<Finding> unsuppressed = entries.empty() ? suppressed_by_loader : lint_source(load(raw), raw, options);
  const std::map<std::string, size_t> raw_counts = count_by_id(unsuppressed);
  const std::map<std::string, size_t> effective_counts = count_by_id(suppressed_by_loader);
  judge.set_broken(unsuppressed);

  std::vector<Finding> findings = std::move(suppressed_by_loader);
  judge.apply_next_line_markers(active, unsuppressed, findings);
  judge.judge_file_markers(entries, effective, raw_counts, effective_counts);
  merge_and_sort(findings, judge.notes(), effective_file, content, effective, judge.lines());
  out.findings = std::move(findings);
  out.file = std::move(effective_file);
  out.content = std::move(effective);
  return out;
}

}  // namespace promvet::checks
