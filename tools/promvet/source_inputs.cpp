#include "source_inputs.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "io/bounded_read.h"
#include "sources/dashboard.h"
#include "sources/query_file.h"
#include "sources/rules.h"

namespace promvet::cli {
namespace {

namespace fs = std::filesystem;

bool has_extension(const fs::path& p, std::initializer_list<const char*> exts) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* e : exts)
    if (ext == e) return true;
  return false;
}

SourceKind kind_by_extension(const std::string& path) {
  if (has_extension(path, {".json"})) return SourceKind::Dashboard;
  if (has_extension(path, {".promql"})) return SourceKind::Queries;
  return SourceKind::Rules;
}

// Dashboards are JSON objects; anything else is read as YAML rules.
SourceKind sniff(const std::string& content) {
  for (char c : content) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' ? SourceKind::Dashboard : SourceKind::Rules;
  }
  return SourceKind::Rules;
}

void load_yaml_dashboards(LoadedSource& r, const std::string& path, const sources::LoadOptions& options) {
  sources::YamlDashboards d = sources::load_yaml_dashboards(path, r.content, options);
  r.file = sources::SourceFile();
  r.file.path = path;
  r.file.diagnostics = std::move(d.diagnostics);
  r.embedded = std::move(d.dashboards);
}

}  // namespace

bool collect_source_inputs(const std::vector<std::string>& paths, std::vector<SourceInput>* out,
                           const std::string& stdin_filename) {
  bool ok = true;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-") {
      std::string name = stdin_filename.empty() ? kStdinDefaultName : stdin_filename;
      SourceInput in{name, kind_by_extension(name), true};
      in.from_stdin = true;
      out->push_back(std::move(in));
      continue;
    }
    if (!fs::is_directory(p, ec)) {
      out->push_back({p, kind_by_extension(p), true});
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      if (path.filename().string().rfind('.', 0) == 0) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && has_extension(path, {".json", ".yml", ".yaml", ".promql"}))
        found.push_back(path.string());
    }
    if (ec) {
      std::cerr << "promvet: error: cannot walk " << p << ": " << ec.message() << '\n';
      ok = false;
    }
    std::sort(found.begin(), found.end());
    for (std::string& f : found) {
      SourceKind kind = kind_by_extension(f);
      out->push_back({std::move(f), kind});
    }
  }
  return ok;
}

sources::SourceFile load_source_as(SourceKind kind, const std::string& path, std::string_view content,
                                   const sources::LoadOptions& options) {
  switch (kind) {
    case SourceKind::Dashboard: return sources::load_dashboard(path, content, options);
    case SourceKind::Queries: return sources::load_queries(path, content, options);
    case SourceKind::Rules: break;
  }
  return sources::load_rules(path, content, options);
}

bool check_stdin_paths(const std::vector<std::string>& paths, const std::string& stdin_filename, std::string* error) {
  auto dashes = std::count(paths.begin(), paths.end(), "-");
  if (dashes > 1) {
    *error = "- (standard input) can be given only once";
    return false;
  }
  if (dashes == 0 && !stdin_filename.empty()) {
    *error = "--stdin-filename names standard input: give - as a PATH";
    return false;
  }
  return true;
}

LoadedSource load_source_input(const SourceInput& input, const std::string& kind_flag,
                               const sources::LoadOptions& options) {
  LoadedSource r;
  r.file.path = input.path;
  if (input.from_stdin) {
    io::ReadResult read = io::read_all("-", options.max_bytes);
    if (read.status == io::ReadStatus::Failed) {
      r.io_error = read.error;
      return r;
    }
    if (read.status == io::ReadStatus::TooLarge) {
      r.too_large = static_cast<uint64_t>(options.max_bytes) + 1;
      return r;
    }
    r.content = std::move(read.content);
  } else {
    std::error_code ec;
    auto size = fs::file_size(input.path, ec);
    if (ec) {
      r.io_error = ec.message();
      return r;
    }
    if (size > options.max_bytes) {
      r.too_large = size;
      return r;
    }
    // Read straight into the content (one buffer of the file's size, no stream copies).
    io::ReadResult read = io::read_all(input.path, options.max_bytes);
    if (read.status != io::ReadStatus::Ok) {
      r.io_error = "read failed";
      return r;
    }
    r.content = std::move(read.content);
  }
  SourceKind kind = kind_flag == "dashboard" ? SourceKind::Dashboard
                    : kind_flag == "rules"   ? SourceKind::Rules
                    : kind_flag == "queries" ? SourceKind::Queries
                                             : input.kind;
  if (kind_flag == "auto" && !has_extension(input.path, {".json", ".yml", ".yaml", ".promql"})) kind = sniff(r.content);
  r.kind = kind;
  if (kind == SourceKind::Dashboard && has_extension(input.path, {".yml", ".yaml"}))
    load_yaml_dashboards(r, input.path, options);
  else r.file = load_source_as(kind, input.path, r.content, options);
  if (kind_flag == "auto" && kind == SourceKind::Rules && r.file.not_a_rule_file) {
    // Kubernetes YAML without rule groups: dashboards if it carries any, else skipped.
    LoadedSource d;
    d.content = std::move(r.content);
    load_yaml_dashboards(d, input.path, options);
    r.content = std::move(d.content);
    if (!d.embedded.empty()) {
      r.kind = SourceKind::Dashboard;
      r.file = std::move(d.file);
      r.embedded = std::move(d.embedded);
    }
  }
  r.skipped = kind_flag == "auto" && r.kind == SourceKind::Rules && r.file.not_a_rule_file;
  if (kind_flag == "auto" && r.kind == SourceKind::Rules && !r.skipped &&
      (r.content.find("ConfigMap") != std::string::npos || r.content.find("GrafanaDashboard") != std::string::npos)) {
    // A rendered bundle (kustomize, helm template) holds rules and dashboards: both are linted.
    // The YAML's own diagnostics came with the rules.
    r.embedded = sources::load_yaml_dashboards(input.path, r.content, options).dashboards;
  }
  return r;
}

std::string skipped_in_directories_note(size_t count) {
  return "promvet: note: skipped " + std::to_string(count) +
         " YAML files without rule groups found in directories (name one, or use --kind rules, to read it)";
}

std::string skipped_note(const std::string& path) {
  return "promvet: note: " + path +
         ": not a Prometheus rule file (no \"groups\"), skipped; --kind rules reads it as one";
}

}  // namespace promvet::cli
