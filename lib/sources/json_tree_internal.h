#pragma once
// An offset-keeping JSON tree for the dashboard loader: nlohmann's SAX parser reads the text
// through an input adapter that follows string and bracket boundaries, so every node knows where
// it starts in the file and strings are decoded (with a map back to the file) only when asked.
// Scalars inside arrays are dropped (dashboards never need them); member names are kept.
//
//   json_tree::Doc d;
//   d.text = content;
//   if (json_tree::parse_doc(d, options, diagnostics)) { uint32_t title = d.get(0, "title"); ... }
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sources/dashboard.h"
#include "sources/source.h"

namespace promvet::sources::json_tree {

constexpr uint32_t NIL = UINT32_MAX;

enum class T : uint8_t { Null, Bool, Num, Str, Arr, Obj };

struct Node {
  T t = T::Null;
  bool b = false;
  double num = 0;
  uint32_t begin = 0;  // offset in the parsed text: a string's opening quote, a container's bracket
  uint32_t first = NIL, last = NIL, next = NIL;
  uint32_t key_off = 0, key_len = 0;  // member name (decoded) in Doc::keys, for object members
};

struct Doc {
  std::string_view text;
  std::vector<uint32_t> base;  // text offset → file offset; empty: identity
  std::vector<Node> nodes;
  std::string keys;

  uint32_t file_off(size_t i) const {
    if (base.empty()) return static_cast<uint32_t>(i);
    return i < base.size() ? base[i] : base.back();
  }
  bool is(uint32_t n, T t) const { return n != NIL && nodes[n].t == t; }
  std::string_view key(uint32_t n) const { return std::string_view(keys).substr(nodes[n].key_off, nodes[n].key_len); }
  uint32_t get(uint32_t obj, std::string_view k) const {
    if (!is(obj, T::Obj)) return NIL;
    for (uint32_t c = nodes[obj].first; c != NIL; c = nodes[c].next)
      if (key(c) == k) return c;
    return NIL;
  }
  std::vector<uint32_t> items(uint32_t arr) const {
    std::vector<uint32_t> out;
    if (arr == NIL || (nodes[arr].t != T::Arr && nodes[arr].t != T::Obj)) return out;
    for (uint32_t c = nodes[arr].first; c != NIL; c = nodes[c].next) out.push_back(c);
    return out;
  }
  std::string str(uint32_t n) const {
    if (!is(n, T::Str)) return "";
    std::string v;
    std::vector<uint32_t> m;
    decode_json_string(text, nodes[n].begin, v, m);
    return v;
  }
  // Decoded string and its map into the file.
  bool str_mapped(uint32_t n, std::string& v, std::vector<uint32_t>& m) const {
    if (!is(n, T::Str)) return false;
    if (!decode_json_string(text, nodes[n].begin, v, m)) return false;
    for (auto& x : m) x = file_off(x);
    return true;
  }
  std::string get_str(uint32_t obj, std::string_view k) const { return str(get(obj, k)); }
};

// Parses d.text into d.nodes; false (with a diagnostic: source/invalid-json, source/too-deep) on
// invalid or too deep input.
bool parse_doc(Doc& d, const LoadOptions& opt, std::vector<Diagnostic>& diags);

}  // namespace promvet::sources::json_tree
