#pragma once
// The pieces of io/yaml_tree.h shared by yaml_tree.cpp (one parse) and yaml_split.cpp (a large
// rule file parsed in pieces on several threads).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "io/yaml_tree.h"

namespace promvet::yaml::detail {

// Documents as the builder leaves them: a collection's `target` is where its run of children
// starts in Doc::children and its `children` has only their count (finish() points them).
struct Unfinished {
  std::vector<Doc> docs;
  uint64_t nodes = 0;     // nodes as written
  uint64_t expanded = 0;  // nodes with aliases expanded
};

std::optional<Unfinished> parse_unfinished(std::string_view content, const Limits& limits, ParseError* error);
void finish(std::vector<Doc>& docs);

// The parallel parse of yaml_split.cpp, or nullopt when the text is not cut (too small, not a
// `groups:` file, doubt) or a piece fails: the caller then parses it whole.
std::optional<std::vector<Doc>> parse_split(std::string_view content, const Limits& limits, unsigned threads);

}  // namespace promvet::yaml::detail
