// Finding and loading the dashboards, rule files and query files that `lint` and `usage` read:
// one definition of which files a directory contributes and how a file's kind is decided.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"
#include "sources/yaml_dashboards.h"

namespace promvet::cli {

enum class SourceKind { Dashboard, Rules, Queries };

struct SourceInput {
  std::string path;
  SourceKind kind;          // by extension: .json dashboards, .promql queries, else rules
  bool named = false;       // given on the command line, not found in a directory
  bool from_stdin = false;  // PATH "-": path is --stdin-filename (or "<stdin>"), content from standard input
};

inline constexpr const char* kStdinDefaultName = "<stdin>";

// Files as given; directories walked recursively in sorted order for *.json, *.yml, *.yaml and
// *.promql (hidden entries skipped); "-" is standard input, named stdin_filename (its extension
// decides the kind as for a file; without one the content does). Walk errors go to stderr;
// returns false if there was one.
bool collect_source_inputs(const std::vector<std::string>& paths, std::vector<SourceInput>* out,
                           const std::string& stdin_filename = "");

// At most one "-" among paths, and --stdin-filename only with one; false with the reason.
bool check_stdin_paths(const std::vector<std::string>& paths, const std::string& stdin_filename, std::string* error);

struct LoadedSource {
  sources::SourceFile file;
  std::string content;
  std::string io_error;                 // the file could not be read
  uint64_t too_large = 0;               // its size, when refused before reading (larger than LoadOptions::max_bytes);
                                        // for standard input, max_bytes + 1 (reading stops there)
  SourceKind kind = SourceKind::Rules;  // how it was read
  // Dashboards inside a YAML file (Kubernetes ConfigMaps, GrafanaDashboard resources; kind
  // Dashboard): each linted against its own text. `file` then holds the YAML file's diagnostics.
  std::vector<sources::EmbeddedDashboard> embedded;
  // --kind auto: a YAML file with no rule groups (a Kubernetes manifest, a CI config) is not
  // linted; `promvet lint .` in a repository would otherwise flag every key of every such file.
  bool skipped = false;
};

// Loads content as a file of that kind (the audit of suppressions reloads a file with markers off).
sources::SourceFile load_source_as(SourceKind kind, const std::string& path, std::string_view content,
                                   const sources::LoadOptions& options);

// The note for a skipped file the user named, and the one note for those found in directories.
std::string skipped_note(const std::string& path);
std::string skipped_in_directories_note(size_t count);

// `kind_flag`: "auto" (extension, else content: a JSON object is a dashboard) or
// "dashboard" | "rules" | "queries". A YAML file is a rule file unless it has no rule groups and
// holds dashboards (ConfigMaps, GrafanaDashboard resources): then it is read as dashboards, as
// it is with "dashboard". With "auto", a rule file's dashboards (a rendered bundle) come too.
LoadedSource load_source_input(const SourceInput& input, const std::string& kind_flag,
                               const sources::LoadOptions& options = {});

}  // namespace promvet::cli
