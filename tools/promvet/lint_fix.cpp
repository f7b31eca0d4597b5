#include "lint_fix.h"

#include <filesystem>
#include <iostream>
#include <map>

#include "checks/fix_apply.h"
#include "io/bounded_read.h"
#include "io/git_changes.h"
#include "io/output_file.h"
#include "report/unified_diff.h"

namespace promvet::cli {

bool keep_changed_findings(std::vector<checks::Finding>* findings, const std::string& where,
                           const std::optional<std::string>& ref, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string dir = where.empty() || where == "-" ? "." : where;
  if (!fs::is_directory(dir, ec)) dir = fs::path(dir).parent_path().string();
  if (dir.empty()) dir = ".";
  io::ChangedLines changed;
  if (!io::git_changed_lines(dir, ref, &changed, error)) return false;
  std::vector<checks::Finding> kept;
  for (checks::Finding& f : *findings)
    if (changed.touches(f.file, f.line, f.end_line)) kept.push_back(std::move(f));
  *findings = std::move(kept);
  return true;
}

FixOutcome fix_findings(const std::vector<checks::Finding>& findings, const FixLoader& load, bool dry_run,
                        std::ostream& diff) {
  FixOutcome outcome;
  outcome.fixed.assign(findings.size(), false);
  std::map<std::string, std::vector<size_t>> by_file;  // sorted: the diff lists files in order
  for (size_t i = 0; i < findings.size(); ++i)
    if (!findings[i].fix.empty()) by_file[findings[i].file].push_back(i);
  for (const auto& [path, indices] : by_file) {
    std::string content;
    std::string read_error;
    if (!io::read_file(path, sources::LoadOptions().max_bytes, &content, &read_error)) {
      std::cerr << "promvet: error: " << read_error << '\n';
      outcome.failed = true;
      continue;
    }
    std::optional<sources::SourceFile> before = load(path, content);
    if (!before || checks::has_parse_error(*before)) continue;  // never touched
    std::vector<const checks::Finding*> mine;
    for (size_t i : indices) mine.push_back(&findings[i]);
    checks::FixPlan plan = checks::plan_fixes(mine);
    std::string edited, why;
    if (plan.edits.empty()) continue;
    if (!checks::apply_edits(content, plan.edits, &edited)) {
      std::cerr << "promvet: " << path << " changed while it was linted; not fixed\n";
      continue;
    }
    std::optional<sources::SourceFile> after = load(path, edited);
    if (!after || !checks::verify_fixed(*before, *after, plan.edits, &why)) {
      std::cerr << "promvet: " << path << ": fixes not applied: " << why << '\n';
      continue;
    }
    if (dry_run) {
      diff << report::unified_diff(path, content, plan.edits);
    } else {
      std::string error;
      if (!io::write_file(
              path, [&](std::ostream& out) { out << edited; }, &error)) {
        std::cerr << "promvet: error: " << error << '\n';
        outcome.failed = true;
        continue;
      }
    }
    for (size_t k : plan.findings) outcome.fixed[indices[k]] = true;
    outcome.fixed_findings += plan.findings.size();
    ++outcome.files;
  }
  return outcome;
}

}  // namespace promvet::cli
