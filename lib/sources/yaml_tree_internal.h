#pragma once
// The YAML reading shared by rule files and YAML-wrapped dashboards (ConfigMaps, GrafanaDashboard
// resources): the tree of io/yaml_tree.h (libyaml's events; aliases stay references; nesting,
// alias expansion and node count bounded while parsing) with the loader's diagnostics, and a map
// from every character of a scalar's value back to the byte of the file it came from (plain,
// quoted and block scalars, escapes and line folding).
//
//   std::vector<Diagnostic> errors;
//   auto docs = yaml_tree::parse_documents(content, options, errors);  // nullopt: see errors
//   std::string text; OffsetMap map;
//   yaml_tree::map_scalar(content, docs->front().nodes[i], text, map);
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "io/yaml_tree.h"
#include "sources/source.h"
#include "sources/yaml_stream.h"

namespace promvet::sources::yaml_tree {

using yaml::Doc;
using yaml::Mark;
using yaml::resolve;
using yaml::YNode;

inline bool is_break(char c) { return c == '\n' || c == '\r'; }
inline bool is_white(char c) { return c == ' ' || c == '\t'; }

// Maps a scalar node's value to file offsets (`map` has text.size() + 1 entries). Falls back to
// the start mark for every character when the scan does not reproduce the parser's value.
void map_scalar(std::string_view content, const YNode& n, std::string& text, OffsetMap& map);
// What map_scalar's last entry would be (the file offset the end of the value maps to), without
// building the text and the map.
uint32_t scalar_end(std::string_view content, const YNode& n);

// Every document of `content`, or nullopt with one diagnostic in `errors`: source/too-large,
// source/invalid-yaml (go-yaml's stream checks, libyaml's errors in go-yaml's words), source/too-deep,
// source/yaml-too-complex (alias expansion).
std::optional<std::vector<Doc>> parse_documents(std::string_view content, const LoadOptions& options,
                                                std::vector<Diagnostic>& errors);

// The pre-scans of a file (control characters and invalid UTF-8, then nesting), whose errors
// come before the parse's. For a large file with `threads` > 1 they run on a thread of their own
// while libyaml parses it (safe on any text: the parse has its own limits), else at once here.
class PreScans {
 public:
  PreScans(std::string_view content, uint32_t max_depth, unsigned threads);
  ~PreScans();
  bool aside() const { return aside_; }
  struct Error {
    std::string_view id;
    std::string message;
    size_t at = 0;
  };
  // Waits for the scans (an exception on their thread is rethrown here): the error, if any.
  std::optional<Error> error();

 private:
  void scan();
  std::string_view content_;
  uint32_t max_depth_;
  std::thread thread_;
  bool aside_ = false;
  std::exception_ptr failure_;
  std::optional<YamlStreamError> bad_;
  bool deep_ = false;
  size_t where_ = 0;
};

}  // namespace promvet::sources::yaml_tree
