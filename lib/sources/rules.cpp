// Rule files: documents, PrometheusRule unwrapping and rule groups (sources/rules.h). One rule is
// read by rule_body.cpp; the pieces are listed in rules_internal.h.
#include "sources/rules.h"
#include "sources/diagnostic_ids.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "base/base64.h"
#include "base/go_quote.h"
#include "sources/rules_internal.h"

namespace promvet::sources {
namespace rules_internal {

using base::go_quote;
using yaml_tree::scalar_end;

void Loader::run(const std::vector<Doc>& docs, ScannedLines* scanned) {
  if (scanned) {
    lines_ = std::move(scanned->lines);
    out_.file_disabled_checks = std::move(scanned->file_disabled);
  } else {
    lines_ = scan_lines(s_, out_.file_disabled_checks);
  }
  if (!choice_.configured) detect(docs);
  int rule_docs = 0, foreign_docs = 0;
  std::vector<DocKind> kinds;
  for (const Doc& d : docs) {
    doc_ = &d;
    kinds.push_back(classify_doc());
    if (kinds.back() == DocKind::Rules) ++rule_docs;
    if (kinds.back() == DocKind::Foreign || kinds.back() == DocKind::Object) ++foreign_docs;
  }
  out_.expressions.reserve(count_rules(docs));
  for (size_t d = 0; d < docs.size(); ++d) {
    // Other Kubernetes objects next to PrometheusRules (a rendered bundle) are not rules; alone
    // (--kind rules), they are read strictly as one.
    if (kinds[d] == DocKind::Object && rule_docs > 0) continue;
    doc_ = &docs[d];
    doc_end_line_ = d + 1 < docs.size() ? docs[d + 1].start_line : static_cast<int>(li_->starts.size());
    load_doc();
  }
  out_.not_a_rule_file = foreign_docs > 0 && rule_docs == 0;
  note_skipped_logql();
}

// The rules listed under `groups` (or a PrometheusRule's `spec.groups`) of every document: room
// for the expressions up front, instead of growing the vector by moves.
size_t Loader::count_rules(const std::vector<Doc>& docs) {
  size_t n = 0;
  auto value_of = [&](const YNode& map, std::string_view key) -> const YNode* {
    if (map.kind != YNode::Map) return nullptr;
    for (size_t k = 0; k + 1 < map.children.size(); k += 2)
      if (node(map.children[k]).value == key) return &node(map.children[k + 1]);
    return nullptr;
  };
  auto add_groups = [&](const YNode* gs) {
    if (!gs || gs->kind != YNode::Seq) return;
    for (uint32_t g : gs->children)
      if (const YNode* rules = value_of(node(g), "rules"); rules && rules->kind == YNode::Seq)
        n += rules->children.size();
  };
  for (const Doc& d : docs) {
    if (d.root == UINT32_MAX) continue;
    doc_ = &d;
    const YNode& root = node(d.root);
    add_groups(value_of(root, "groups"));
    if (const YNode* spec = value_of(root, "spec")) add_groups(value_of(*spec, "groups"));
  }
  doc_ = nullptr;
  return n;
}

namespace {

// A rule file's document is a mapping with `groups`, or a PrometheusRule; anything else
// (another kind of object, a list, a scalar) is some other YAML file. `group:`, `rules:` or
// `rule:` at the top are a rule file's mistakes, not another file: such a file is linted, so
// the mistake is reported. (`rule_files:` is Prometheus' own configuration: skipped.)
bool rule_like_key(const std::string& key) {
  std::string k = key;
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k == "groups" || k == "group" || k == "rules" || k == "rule";
}

}  // namespace

Loader::DocKind Loader::classify_doc() {
  if (doc_->root == UINT32_MAX) return DocKind::Empty;
  const YNode& root = node(doc_->root);
  if (root.kind == YNode::Null) return DocKind::Empty;
  if (root.kind != YNode::Map) return DocKind::Foreign;
  bool rule_key = false, api_version = false, kind = false;
  for (size_t k = 0; k + 1 < root.children.size(); k += 2) {
    const YNode& key = node(root.children[k]);
    const YNode& val = node(root.children[k + 1]);
    if (key.kind != YNode::Scalar) continue;
    rule_key = rule_key || rule_like_key(key.value);
    api_version = api_version || key.value == "apiVersion";
    if (key.value == "kind") {
      if (val.kind == YNode::Scalar && val.value == "PrometheusRule") return DocKind::Rules;
      kind = true;
    }
  }
  // Another Kubernetes object (a ClusterRole has `rules:` of its own) is not a rule file.
  if (api_version && kind) return DocKind::Object;
  return rule_key ? DocKind::Rules : DocKind::Foreign;
}

const YNode& Loader::node(uint32_t i) const {
  const YNode* n = &doc_->nodes[i];
  for (int hop = 0; n->kind == YNode::Alias && n->target != UINT32_MAX && hop < 64; ++hop) n = &doc_->nodes[n->target];
  return *n;
}

uint32_t Loader::offset(const YNode& n) const {
  return static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(std::max(0, n.mark.pos)), s_.size()));
}

void Loader::diag(std::string_view id, std::string msg, const YNode& at, size_t len) {
  out_.diagnostics.push_back(make_diag(id, std::move(msg), at, len));
}

Diagnostic Loader::make_diag(std::string_view id, std::string msg, const YNode& at, size_t len) const {
  Diagnostic d;
  d.check_id = id;
  d.message = std::move(msg);
  d.offset = offset(at);
  if (len == 0) len = at.kind == YNode::Scalar ? std::max<size_t>(1, at.value.size() + (at.quoted ? 2 : 0)) : 1;
  d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + len, s_.size()));
  return d;
}

// Map entries, reporting duplicate keys (a small map is searched, a large one hashed).
Loader::Entries Loader::entries(const YNode& map) {
  Entries r;
  r.reserve(map.children.size() / 2);
  const bool small = map.children.size() <= 32;
  std::unordered_map<std::string_view, int> seen;  // large maps: key → line of its first occurrence
  for (size_t k = 0; k + 1 < map.children.size(); k += 2) {
    const YNode& key = node(map.children[k]);
    if (key.kind == YNode::Scalar) {
      int first_line = -1;  // none
      if (small) {
        for (const auto& [earlier, v] : r)
          if (earlier->kind == YNode::Scalar && earlier->value == key.value) {
            first_line = earlier->mark.line + 1;
            break;
          }
      } else if (auto [it, fresh] = seen.emplace(key.value, key.mark.line + 1); !fresh) {
        first_line = it->second;
      }
      if (first_line >= 0) {
        diag(ids::kDuplicateKey,
             "mapping key " + go_quote(key.value) + " already defined at line " + std::to_string(first_line), key);
        continue;
      }
    }
    r.emplace_back(&key, map.children[k + 1]);
  }
  return r;
}

// Map entries without duplicate-key reports (for a second pass over the same map).
Loader::Entries Loader::entries_quiet(const YNode& map) const {
  Entries r;
  r.reserve(map.children.size() / 2);
  for (size_t k = 0; k + 1 < map.children.size(); k += 2) r.emplace_back(&node(map.children[k]), map.children[k + 1]);
  return r;
}

// A string field: scalars (any tag) or null; sequences and maps are type errors. go-yaml gives
// a Go string the bytes of a `!!binary` scalar, which need not be UTF-8 (what
// rules/invalid-label-value is about).
bool Loader::string_field(const YNode& v, std::string& out) {
  if (v.kind == YNode::Scalar && v.tag == "tag:yaml.org,2002:binary") {
    out.clear();
    if (base::decode_base64(v.value, &out)) return true;
    diag(ids::kInvalidType, "!!binary value contains invalid base64 data", v);
    return false;
  }
  if (v.kind == YNode::Scalar) {
    out = v.value;
    return true;
  }
  if (v.kind == YNode::Null) {
    out.clear();
    return true;
  }
  diag(ids::kInvalidType, unmarshal_error(v, "string"), v);
  return false;
}

void Loader::duration_field(const YNode& v) {
  std::string s;
  if (!string_field(v, s)) return;
  if (v.kind == YNode::Null) return;
  std::string e = duration_error(s);
  if (!e.empty()) diag(ids::kInvalidDuration, e, v);
}

void Loader::load_doc() {
  if (doc_->root == UINT32_MAX) return;
  const YNode& root = node(doc_->root);
  if (root.kind == YNode::Null) return;
  if (root.kind != YNode::Map) {
    diag(ids::kInvalidType, unmarshal_error(root, "rulefmt.RuleGroups"), root);
    return;
  }
  auto top = entries(root);
  bool crd = false;
  for (auto& [k, v] : top) {
    const YNode& val = node(v);
    if (k->value == "kind" && val.kind == YNode::Scalar && val.value == "PrometheusRule") crd = true;
    if (k->value == "apiVersion" && val.kind == YNode::Scalar && val.value.rfind("monitoring.coreos.com/", 0) == 0)
      crd = true;
  }
  if (crd) {
    load_prometheus_rule(top);
    return;
  }
  for (auto& [k, v] : top) {
    const DialectField* f = dialect_top_field(key_name(*k));
    if (k->value == "groups") groups(node(v));
    else if (f && dialect_has(choice_.dialect, *f)) dialect_value(*f, node(v));
    else
      diag(ids::kUnknownField, "field " + key_name(*k) + " not found in type rulefmt.RuleGroups" + foreign_hint(f), *k);
  }
}

// A PrometheusRule custom resource: its `spec.groups`.
void Loader::load_prometheus_rule(const Entries& top) {
  for (auto& [k, v] : top) {
    if (k->value != "spec") continue;
    const YNode& spec = node(v);
    if (spec.kind != YNode::Map) {
      if (spec.kind != YNode::Null) diag(ids::kInvalidType, unmarshal_error(spec, "v1.PrometheusRuleSpec"), spec);
      continue;
    }
    for (auto& [sk, sv] : entries(spec)) {
      if (sk->value == "groups") {
        crd_ = true;
        groups(node(sv));
        crd_ = false;
      } else diag(ids::kUnknownField, "field " + key_name(*sk) + " not found in type v1.PrometheusRuleSpec", *sk);
    }
  }
}

void Loader::groups(const YNode& gs) {
  if (gs.kind == YNode::Null) return;
  if (gs.kind != YNode::Seq) {
    diag(ids::kInvalidType, unmarshal_error(gs, "[]rulefmt.RuleGroup"), gs);
    return;
  }
  if (groups_in_parts(gs)) return;
  for (size_t gi = 0; gi < gs.children.size(); ++gi) group_at(gs, gi);
}

void Loader::group_at(const YNode& gs, size_t gi) {
  int next_line = gi + 1 < gs.children.size() ? node(gs.children[gi + 1]).mark.line : doc_end_line_;
  group(node(gs.children[gi]), next_line);
}

// Group names are unique in a file. A part loader cannot know the names of the parts before it:
// it notes where the report would go.
void Loader::note_group_name(const std::string& name, const YNode& g) {
  if (part_) pending_names_.push_back({name, out_.diagnostics.size(), &g});
  else if (!group_names_.insert(name).second)
    diag(ids::kDuplicateGroup, "groupname: " + go_quote(name) + " is repeated in the same file", g);
}

void Loader::group(const YNode& g, int next_line) {
  if (g.kind == YNode::Null) return;
  if (g.kind != YNode::Map) {
    diag(ids::kInvalidType, unmarshal_error(g, "rulefmt.RuleGroup"), g);
    return;
  }
  std::string name, interval;
  const YNode* name_node = nullptr;
  const YNode* rules = nullptr;
  group_ = RuleInfo{};
  group_.group_offset = group_.group_name_offset = group_.group_name_end = offset(g);
  for (auto& [k, vi] : entries(g)) group_field(*k, node(vi), name, name_node, interval, rules);
  if (name.empty()) {
    diag(ids::kEmptyGroupName, "Groupname must not be empty", g);
  } else {
    note_group_name(name, g);
  }
  std::vector<std::string> group_ids = group_suppressions(g, name_node);
  if (!rules || rules->kind == YNode::Null) return;
  if (rules->kind != YNode::Seq) {
    diag(ids::kInvalidType, unmarshal_error(*rules, "[]rulefmt.RuleNode"), *rules);
    return;
  }
  group_.group_rule_count = static_cast<uint32_t>(rules->children.size());
  std::set<std::string> seen;  // duplicate rules: same name and labels within the group
  for (size_t ri = 0; ri < rules->children.size(); ++ri) {
    const YNode& r = node(rules->children[ri]);
    int end_line = ri + 1 < rules->children.size() ? node(rules->children[ri + 1]).mark.line : next_line;
    rule(r, name, interval, group_ids, end_line, seen);
  }
}

// One `key: value` of a group mapping (its rules are read afterwards, from `rules`).
void Loader::group_field(const YNode& k, const YNode& v, std::string& name, const YNode*& name_node,
                         std::string& interval, const YNode*& rules) {
  const std::string key = key_name(k);
  if (key == "name") {
    string_field(v, name);
    name_node = &k;
    if (v.kind == YNode::Scalar) std::tie(group_.group_name_offset, group_.group_name_end) = extent(v);
  } else if (key == "interval" || key == "query_offset") {
    duration_field(v);
    if (key == "interval" && v.kind == YNode::Scalar) {
      interval = v.value;
      std::tie(group_.interval_offset, group_.interval_end) = extent(v);
    }
  } else if (key == "limit") {
    if (v.kind != YNode::Null && (v.kind != YNode::Scalar || yaml_tag(v) != "!!int"))
      diag(ids::kInvalidType, unmarshal_error(v, "int"), v);
  } else if (key == "rules") {
    rules = &v;
  } else if (crd_ && (key == "partial_response_strategy" || key == "labels")) {
    // PrometheusRule (prometheus-operator) fields for Thanos and newer Prometheus; the
    // operator's CRD takes the strategy with Thanos' values, any case.
    dialect_value(*dialect_group_field(key), v);
  } else if (const DialectField* f = dialect_group_field(key); f && !crd_ && dialect_has(choice_.dialect, *f)) {
    dialect_value(*f, v);
  } else {
    diag(ids::kUnknownField,
         "field " + key + " not found in type rulefmt.RuleGroup" +
             foreign_hint(crd_ ? nullptr : dialect_group_field(key)),
         k);
  }
}

// Group-level suppressions: the group's first line, the comment block above it, its `name:`
// line and the comment lines right after that.
std::vector<std::string> Loader::group_suppressions(const YNode& g, const YNode* name_node) const {
  std::vector<std::string> group_ids;
  add_ids(*li_, g.mark.line, group_ids);
  add_above(*li_, g.mark.line, group_ids);
  if (name_node) {
    int l = name_node->mark.line;
    add_ids(*li_, l, group_ids);
    for (int k = l + 1; k < static_cast<int>(li_->comment_only.size()) && li_->comment_only[static_cast<size_t>(k)];
         ++k)
      add_ids(*li_, k, group_ids);
  }
  return group_ids;
}

// File offsets of a scalar as written: quotes included, a block scalar from its `|`/`>` to the
// end of its last content line.
std::pair<uint32_t, uint32_t> Loader::extent(const YNode& n) const {
  uint32_t begin = offset(n);
  if (n.kind != YNode::Scalar) return {begin, static_cast<uint32_t>(std::min<size_t>(begin + 1, s_.size()))};
  uint32_t end = std::max(begin, scalar_end(s_, n));
  if (begin < s_.size() && (s_[begin] == '"' || s_[begin] == '\'') && end < s_.size() && s_[end] == s_[begin] &&
      end > begin)
    ++end;
  while (end > begin + 1 && (s_[end - 1] == '\n' || s_[end - 1] == '\r')) --end;  // a block scalar's last break
  if (end == begin && begin < s_.size()) ++end;  // an empty plain value: one character to point at
  return {begin, std::min<uint32_t>(end, static_cast<uint32_t>(s_.size()))};
}

int Loader::line_of(uint32_t offset) const {
  const std::vector<uint32_t>& starts = li_->newline_starts.empty() ? li_->starts : li_->newline_starts;
  return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
}

}  // namespace rules_internal

namespace {

// Below this size the line scan is not worth a thread of its own (the YAML split's threshold).
constexpr size_t kScanAsideBytes = 256 * 1024;

}  // namespace

SourceFile load_rules(std::string_view path, std::string_view content, const LoadOptions& options) {
  SourceFile out;
  out.path = std::string(path);
  // A large file's lines (suppression comments) are scanned on a thread of their own while its
  // YAML is parsed: the scan would otherwise be the loader's first step, on this thread alone.
  rules_internal::ScannedLines scanned;
  std::exception_ptr scan_failed;
  std::thread scan;
  if (options.threads > 1 && content.size() >= kScanAsideBytes) {
    try {
      scan = std::thread([&] {
        try {
          scanned.lines = rules_internal::scan_lines(content, scanned.file_disabled);
        } catch (...) {  // out of memory: rethrown below, as without the thread
          scan_failed = std::current_exception();
        }
      });
    } catch (const std::system_error&) {  // no thread to be had: the loader scans
    }
  }
  const bool scanned_aside = scan.joinable();
  std::optional<std::vector<yaml_tree::Doc>> docs;
  try {
    docs = yaml_tree::parse_documents(content, options, out.diagnostics);
  } catch (...) {
    if (scan.joinable()) scan.join();
    throw;
  }
  if (scan.joinable()) scan.join();
  if (scan_failed) std::rethrow_exception(scan_failed);
  if (!docs) return out;
  rules_internal::Loader loader(content, out, options.rules_dialect, options.threads);
  loader.run(*docs, scanned_aside ? &scanned : nullptr);
  return out;
}

void rules_internal::load_parsed(std::string_view content, const std::vector<Doc>& docs, const LoadOptions& options,
                                 SourceFile& out) {
  Loader loader(content, out, options.rules_dialect, options.threads);
  loader.run(docs, nullptr);
}

}  // namespace promvet::sources
