#include "usage_command.h"

#include <functional>
#include <iostream>
#include <memory>

#include "checks/config.h"
#include "checks/usage.h"
#include "promql/ast.h"
#include "input_flags.h"
#include "io/output_file.h"
#include "inventory_command.h"
#include "report/usage_report.h"
#include "source_inputs.h"

namespace promvet::cli {
namespace {

struct UsageOptions {
  std::vector<std::string> paths;
  std::string inventory;
  ApiFlags api;
  std::string json_out, html_out;
  std::string kind = "auto";
  InputFlags input;
};

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::string error;
  if (io::write_file(path, write, &error)) return true;
  std::cerr << "promvet: error: " << error << '\n';
  return false;
}

int run_usage(const UsageOptions& o) {
  LintInventory inv;
  if (!o.inventory.empty() && !load_lint_inventory(o.inventory, {}, checks::Config(), &inv)) return 2;
  if (!o.api.url.empty()) {
    if (!merge_prometheus_api(o.api, o.input, inv.inventory)) return 2;
    inv.loaded = true;
  }
  std::vector<SourceInput> inputs;
  bool failed = !collect_source_inputs(o.paths, &inputs);
  checks::UsageCollector collector;
  size_t skipped_in_directories = 0;
  for (const SourceInput& in : inputs) {
    LoadedSource s = load_source_input(in, o.kind);
    if (!s.io_error.empty()) {
      std::cerr << "promvet: error: cannot read " << in.path << ": " << s.io_error << '\n';
      failed = true;
      continue;
    }
    if (s.too_large) {
      std::cerr << "promvet: error: " << in.path << ": file is " << s.too_large << " bytes, more than the limit\n";
      failed = true;
      continue;
    }
    if (s.skipped) {
      if (in.named) std::cerr << skipped_note(in.path) << '\n';
      else ++skipped_in_directories;
      continue;
    }
    // A file the loader could not read (invalid JSON/YAML, too deep, alias bomb) would count as
    // "uses nothing": say so, and fail.
    promql::LineIndex lines(s.content);
    for (const sources::Diagnostic& d : s.file.diagnostics) {
      if (d.severity != base::Severity::kError || d.check_id.rfind("source/", 0) != 0) continue;
      promql::LineIndex::Location at = lines.locate(d.offset);
      std::cerr << "promvet: error: " << in.path << ':' << at.line << ':' << at.column << ": " << d.message << " ["
                << d.check_id << "]\n";
      failed = true;
    }
    // Dashboards inside YAML: their expressions, positions composed into the YAML file, count
    // as the YAML file's.
    for (sources::EmbeddedDashboard& e : s.embedded)
      for (sources::Expression& x : e.file.expressions) {
        for (uint32_t& at : x.map.to_file) at = e.to_file.at(at);
        s.file.expressions.push_back(std::move(x));
      }
    collector.add(s.file, s.content);
  }
  if (skipped_in_directories > 0) std::cerr << skipped_in_directories_note(skipped_in_directories) << '\n';
  checks::UsageReport report = collector.finish(inv.loaded ? &inv.inventory : nullptr);
  if (!o.json_out.empty() && o.json_out != "-" &&
      !write_file(o.json_out, [&](std::ostream& out) { report::write_usage_json(out, report); }))
    return 2;
  if (!o.html_out.empty() && !write_file(o.html_out, [&](std::ostream& out) { report::write_usage_html(out, report); }))
    return 2;
  if (o.json_out == "-") report::write_usage_json(std::cout, report);
  else report::write_usage_text(std::cout, report);
  return failed ? 2 : 0;
}

}  // namespace

void add_usage_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<UsageOptions>();
  CLI::App* cmd =
      app.add_subcommand("usage",
                         "Report which metrics dashboards and rule files use, which are missing from an inventory and "
                         "which the inventory has but nothing uses (HTML and JSON)");
  cmd->add_option("PATH", o->paths, "Dashboards, rule files, query files or directories")->required();
  cmd->add_option("--inventory", o->inventory, "Inventory: a promvet inventory .json, or a /metrics file or URL");
  add_api_flags(cmd, &o->api);
  cmd->add_option("--json", o->json_out, "Write the report as JSON to FILE");
  cmd->add_option("--html", o->html_out, "Write the report as one self-contained HTML page to FILE");
  cmd->add_option("--kind", o->kind, "What the files are; auto = by extension, else by content")
      ->check(CLI::IsMember({"auto", "dashboard", "rules", "queries"}))
      ->capture_default_str();
  add_input_flags(cmd, &o->input);
  cmd->callback([o, exit_code] { *exit_code = run_usage(*o); });
}

}  // namespace promvet::cli
