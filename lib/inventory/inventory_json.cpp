// Inventory ⇄ JSON (schema: docs/inventory.md). Reading checks every type by hand so a wrong
// file gives a message with the path of the bad value, not an nlohmann exception text.
#include <nlohmann/json.hpp>

#include "inventory/inventory.h"

namespace promvet::inventory {
namespace {

using nlohmann::json;

// nlohmann parses iteratively but some operations recurse; refuse absurd nesting up front.
constexpr int kMaxDepth = 64;

bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

std::string key_path(const std::string& parent, const std::string& key) {
  return parent + "." + json(key).dump(-1, ' ', false, json::error_handler_t::replace);
}

class Reader {
 public:
  explicit Reader(Limits limits) : inv_(limits) {}

  bool read(const json& root) {
    if (!root.is_object()) return fail("inventory", "expected an object");
    auto version = root.find("version");
    if (version == root.end()) return fail("inventory", "missing \"version\"");
    if (!version->is_number_integer() || version->get<std::int64_t>() != kSchemaVersion)
      return fail("version", "unsupported version " + version->dump() + " (this promvet reads version " +
                                 std::to_string(kSchemaVersion) + ")");
    if (auto t = root.find("truncated"); t != root.end()) {
      if (!t->is_boolean()) return fail("truncated", "expected a boolean");
      if (t->get<bool>()) inv_.set_truncated();
    }
    if (auto s = root.find("sources"); s != root.end()) {
      if (!s->is_array()) return fail("sources", "expected an array");
      for (size_t i = 0; i < s->size(); ++i)
        if (!read_source((*s)[i], "sources[" + std::to_string(i) + "]")) return false;
    }
    auto families = root.find("families");
    if (families == root.end()) return fail("inventory", "missing \"families\"");
    if (!families->is_object()) return fail("families", "expected an object");
    for (const auto& [name, f] : families->items())
      if (!read_family(name, f, key_path("families", name))) return false;
    return true;
  }

  Inventory take() { return std::move(inv_); }
  const std::string& error() const { return error_; }

 private:
  bool fail(const std::string& where, const std::string& what) {
    error_ = where + ": " + what;
    return false;
  }

  bool string_field(const json& obj, const char* key, const std::string& where, std::string* out) {
    auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (!it->is_string()) return fail(where + "." + key, "expected a string");
    *out = it->get<std::string>();
    return true;
  }

  bool count_field(const json& obj, const char* key, const std::string& where, std::uint64_t* out) {
    auto it = obj.find(key);
    if (it == obj.end()) return true;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0))
      return fail(where + "." + key, "expected a non-negative integer");
    *out = it->get<std::uint64_t>();
    return true;
  }

  bool read_source(const json& s, const std::string& where) {
    if (!s.is_object()) return fail(where, "expected an object");
    Source src;
    if (!string_field(s, "name", where, &src.name) || !string_field(s, "kind", where, &src.kind) ||
        !string_field(s, "format", where, &src.format) || !count_field(s, "samples", where, &src.samples) ||
        !count_field(s, "errors", where, &src.errors))
      return false;
    if (auto t = s.find("target_labels"); t != s.end()) {
      if (!t->is_object()) return fail(where + ".target_labels", "expected an object");
      for (const auto& [k, v] : t->items()) {
        if (!v.is_string()) return fail(key_path(where + ".target_labels", k), "expected a string");
        src.target_labels[k] = v.get<std::string>();
      }
    }
    inv_.add_source(std::move(src));
    return true;
  }

  bool read_family(const std::string& name, const json& j, const std::string& where) {
    if (!j.is_object()) return fail(where, "expected an object");
    Family* f = inv_.family(name);
    if (!f) return true;  // over max_families: dropped, the inventory is marked truncated
    std::string type;
    if (!string_field(j, "type", where, &type)) return false;
    std::optional<expfmt::MetricType> t = type_from_name(type);
    if (!t)
      return fail(where + ".type",
                  "unknown metric type " + json(type).dump(-1, ' ', false, json::error_handler_t::replace));
    f->type = *t;
    std::string help;
    if (!string_field(j, "unit", where, &f->unit) || !string_field(j, "help", where, &help) ||
        !count_field(j, "series", where, &f->series))
      return false;
    inv_.set_help(*f, help);
    if (auto s = j.find("sources"); s != j.end()) {
      if (!s->is_array()) return fail(where + ".sources", "expected an array");
      for (const json& v : *s) {
        if (!v.is_string()) return fail(where + ".sources", "expected an array of strings");
        f->sources.push_back(v.get<std::string>());
      }
      std::sort(f->sources.begin(), f->sources.end());
      f->sources.erase(std::unique(f->sources.begin(), f->sources.end()), f->sources.end());
    }
    auto labels = j.find("labels");
    if (labels == j.end()) return true;
    if (!labels->is_object()) return fail(where + ".labels", "expected an object");
    for (const auto& [label, lv] : labels->items()) {
      std::string at = key_path(where + ".labels", label);
      if (!lv.is_object()) return fail(at, "expected an object");
      LabelValues* dst = inv_.label(*f, label);
      if (!dst) continue;
      if (auto c = lv.find("capped"); c != lv.end()) {
        if (!c->is_boolean()) return fail(at + ".capped", "expected a boolean");
        dst->capped = c->get<bool>();
      }
      auto values = lv.find("values");
      if (values == lv.end()) continue;
      if (!values->is_object()) return fail(at + ".values", "expected an object");
      for (const auto& [value, count] : values->items()) {
        if (!count.is_number_unsigned() && !(count.is_number_integer() && count.get<std::int64_t>() >= 0))
          return fail(key_path(at + ".values", value), "expected a non-negative integer");
        inv_.add_label_value(*f, label, value, count.get<std::uint64_t>());
      }
    }
    return true;
  }

  Inventory inv_;
  std::string error_;
};

}  // namespace

std::string to_json(const Inventory& inv) {
  json root = json::object();
  root["version"] = kSchemaVersion;
  root["truncated"] = inv.truncated();
  root["limits"] = {{"max_label_values", inv.limits().max_label_values}};
  json sources = json::array();
  for (const Source& s : inv.sources()) {
    json t = json::object();
    for (const auto& [k, v] : s.target_labels) t[k] = v;
    sources.push_back({{"name", s.name},
                       {"kind", s.kind},
                       {"format", s.format},
                       {"samples", s.samples},
                       {"errors", s.errors},
                       {"target_labels", t}});
  }
  root["sources"] = sources;
  json families = json::object();
  for (const auto& [name, f] : inv.families()) {
    json labels = json::object();
    for (const auto& [label, lv] : f.labels) {
      json values = json::object();
      for (const auto& [v, n] : lv.values) values[v] = n;
      labels[label] = {{"values", values}, {"capped", lv.capped}};
    }
    families[name] = {{"type", std::string(expfmt::metric_type_name(f.type))},
                      {"unit", f.unit},
                      {"help", f.help},
                      {"series", f.series},
                      {"sources", f.sources},
                      {"labels", labels}};
  }
  root["families"] = families;
  // Label values may be any bytes; invalid UTF-8 becomes U+FFFD rather than an exception.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

ReadInventory from_json(std::string_view text, Limits limits) {
  ReadInventory out;
  if (too_deep(text)) {
    out.error = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return out;
  }
  try {
    json root = json::parse(text.begin(), text.end());
    Reader reader(limits);
    if (!reader.read(root)) {
      out.error = reader.error();
      return out;
    }
    out.inventory = reader.take();
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." → from "parse error".
    auto at = what.find("parse error");
    out.error = "invalid JSON: " + (at == std::string::npos ? what : what.substr(at));
  } catch (const std::exception& e) {
    out.error = std::string("invalid inventory: ") + e.what();
  }
  return out;
}

}  // namespace promvet::inventory
