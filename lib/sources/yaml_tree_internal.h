#pragma once
// The YAML reading shared by rule files and YAML-wrapped dashboards (ConfigMaps, GrafanaDashboard
// resources): yaml-cpp's parser events built into a small tree whose aliases stay references,
// with nesting, alias expansion and node count bounded while parsing, and a map from every
// character of a scalar's value back to the byte of the file it came from (plain, quoted and
// block scalars, escapes and line folding).
//
//   std::vector<Diagnostic> errors;
//   auto docs = yaml_tree::parse_documents(content, options, errors);  // nullopt: see errors
//   std::string text; OffsetMap map;
//   yaml_tree::map_scalar(content, docs->front().nodes[i], text, map);
#include <yaml-cpp/mark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace promvet::sources::yaml_tree {

struct YNode {
  enum Kind : uint8_t { Null, Scalar, Seq, Map, Alias };
  Kind kind = Null;
  bool quoted = false;  // non-plain scalar (tag "!")
  YAML::Mark mark;
  std::string value;
  std::string tag;
  std::vector<uint32_t> children;  // Seq: items; Map: key, value, key, value...
  uint32_t target = UINT32_MAX;    // Alias
  uint64_t weight = 1;             // nodes after expanding aliases
};

struct Doc {
  std::vector<YNode> nodes;
  uint32_t root = UINT32_MAX;
  int start_line = 0;
};

// The node `i` of `d`, following aliases.
const YNode& resolve(const Doc& d, uint32_t i);

inline bool is_break(char c) { return c == '\n' || c == '\r'; }
inline bool is_white(char c) { return c == ' ' || c == '\t'; }

// Maps a scalar node's value to file offsets (`map` has text.size() + 1 entries). Falls back to
// the start mark for every character when the scan does not reproduce yaml-cpp's value.
void map_scalar(std::string_view content, const YNode& n, std::string& text, OffsetMap& map);

// Every document of `content`, or nullopt with one diagnostic in `errors`: source/too-large,
// source/invalid-yaml (go-yaml's stream checks, yaml-cpp's errors), source/too-deep,
// source/yaml-too-complex (alias expansion).
std::optional<std::vector<Doc>> parse_documents(std::string_view content, const LoadOptions& options,
                                                std::vector<Diagnostic>& errors);

}  // namespace promvet::sources::yaml_tree
