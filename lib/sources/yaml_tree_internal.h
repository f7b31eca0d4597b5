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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/yaml_tree.h"
#include "sources/source.h"

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

}  // namespace promvet::sources::yaml_tree
