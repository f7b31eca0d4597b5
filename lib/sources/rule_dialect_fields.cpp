// Rule-file dialects (sources/rule_dialects.h) in the loader: which tool the file is for, the
// fields only that tool has, decoded as it decodes them, and LogQL expressions kept from the
// PromQL parser.
#include <algorithm>
#include <iterator>
#include <optional>

#include "base/parts.h"
#include "sources/rules_internal.h"
#include "sources/diagnostic_ids.h"

namespace promvet::sources::rules_internal {

using yaml_tree::map_scalar;

// Auto: the file's own fields and expressions decide, in file order.
void Loader::detect(const std::vector<Doc>& docs) {
  std::vector<DialectEvidence> evidence;
  logql_seen_ = false;
  for (const Doc& d : docs) {
    doc_ = &d;
    if (d.root == UINT32_MAX || node(d.root).kind != YNode::Map) continue;
    for (auto& [k, v] : entries_quiet(node(d.root))) {
      const std::string key = key_name(*k);
      if (key == "groups") detect_in_groups(node(v), false, evidence);
      else if (key == "spec" && node(v).kind == YNode::Map)
        for (auto& [sk, sv] : entries_quiet(node(v)))
          if (key_name(*sk) == "groups") detect_in_groups(node(sv), true, evidence);
      if (const DialectField* f = dialect_top_field(key))
        if (std::optional<RulesDialect> dialect = evidence_of(*f)) evidence.push_back({k->value, offset(*k), *dialect});
    }
  }
  doc_ = nullptr;
  DetectedDialect found = detect_dialect(evidence);
  choice_.dialect = found.dialect;
  if (found.because)
    choice_.because = found.because->what + " at line " + std::to_string(line_of(found.because->offset));
}

// The evidence in a `groups` sequence: group fields of one dialect (not in a PrometheusRule,
// `crd`, whose fields are the operator's) and expressions that are recognisably LogQL. A long
// sequence is read in parts on the loader's threads, the parts' evidence joined in file order.
void Loader::detect_in_groups(const YNode& gs, bool crd, std::vector<DialectEvidence>& evidence) {
  if (gs.kind != YNode::Seq) return;
  const size_t n = gs.children.size();
  const size_t parts = parts_for_groups(gs);  // as the rules are read (rule_group_parts.cpp)
  std::vector<std::vector<DialectEvidence>> found(parts);
  std::vector<char> logql(parts, 0);
  base::run_parts(parts, [&](size_t k) {
    bool seen = false;
    detect_in_group_range(gs, crd, n * k / parts, n * (k + 1) / parts, found[k], seen);
    logql[k] = seen;
  });
  for (size_t k = 0; k < parts; ++k) {
    evidence.insert(evidence.end(), std::make_move_iterator(found[k].begin()), std::make_move_iterator(found[k].end()));
    logql_seen_ = logql_seen_ || logql[k];
  }
}

void Loader::detect_in_group_range(const YNode& gs, bool crd, size_t begin, size_t end,
                                   std::vector<DialectEvidence>& evidence, bool& logql) const {
  for (size_t i = begin; i < end; ++i) {
    const YNode& g = node(gs.children[i]);
    if (g.kind != YNode::Map) continue;
    // The maps' children directly (key, value, ...): no entry list per group and rule.
    for (size_t gk = 0; gk + 1 < g.children.size(); gk += 2) {
      const YNode* k = &node(g.children[gk]);
      if (!crd && k->kind == YNode::Scalar)
        if (const DialectField* f = dialect_group_field(k->value))
          if (std::optional<RulesDialect> d = evidence_of(*f)) evidence.push_back({k->value, offset(*k), *d});
      const YNode& rules = node(g.children[gk + 1]);
      if (k->kind != YNode::Scalar || k->value != "rules" || rules.kind != YNode::Seq) continue;
      for (uint32_t ri : rules.children) {
        const YNode& r = node(ri);
        if (r.kind != YNode::Map) continue;
        for (size_t rk = 0; rk + 1 < r.children.size(); rk += 2) {
          const YNode& key = node(r.children[rk]);
          const YNode& expr = node(r.children[rk + 1]);
          if (key.kind != YNode::Scalar || key.value != "expr" || expr.kind != YNode::Scalar) continue;
          // The scalar's value is the text map_scalar gives; the map only for a finding.
          if (std::optional<LogqlSign> sign = find_logql(expr.value)) {
            std::string text;
            OffsetMap map;
            map_scalar(s_, expr, text, map);
            evidence.push_back({"LogQL `" + sign->sign + "`", map.at(sign->offset), RulesDialect::Loki});
            logql = true;
          }
        }
      }
    }
  }
}

// A dialect field's value, decoded as its tool decodes it.
void Loader::dialect_value(const DialectField& f, const YNode& v) {
  std::string text;
  switch (f.type) {
    case DialectFieldType::Duration: duration_field(v); return;
    case DialectFieldType::String: string_field(v, text); return;
    case DialectFieldType::PartialResponseStrategy:
      if (string_field(v, text)) {
        std::string e = partial_response_strategy_error(text);
        if (!e.empty()) diag(ids::kInvalidType, e, v);
      }
      return;
    case DialectFieldType::Bool:
      if (v.kind == YNode::Null) return;
      if (v.kind != YNode::Scalar || v.quoted || !go_yaml_bool(v.value))
        diag(ids::kInvalidType, unmarshal_error(v, "bool"), v);
      return;
    case DialectFieldType::StringList:
      if (v.kind == YNode::Null) return;
      if (v.kind != YNode::Seq) {
        diag(ids::kInvalidType, unmarshal_error(v, "[]string"), v);
        return;
      }
      for (uint32_t c : v.children) string_field(node(c), text);
      return;
    case DialectFieldType::LabelMap: dialect_label_map(v); return;
    case DialectFieldType::RemoteWriteList: dialect_remote_write(v); return;
  }
}

// Thanos/Mimir group `labels`: a string map of valid label names and UTF-8 values.
void Loader::dialect_label_map(const YNode& v) {
  if (v.kind == YNode::Null) return;
  if (v.kind != YNode::Map) {
    diag(ids::kInvalidType, unmarshal_error(v, "map[string]string"), v);
    return;
  }
  std::string text;
  for (auto& [k, vi] : entries(v)) {
    const YNode& lv = node(vi);
    if (!string_field(lv, text)) continue;
    const std::string name = key_name(*k);
    if (!valid_label_name(name) || name == "__name__") diag(ids::kInvalidLabelName, "invalid label name: " + name, *k);
    if (!valid_utf8(text)) diag(ids::kInvalidLabelValue, "invalid label value: " + text, lv);
  }
}

// Mimir/Cortex `rwrulefmt.RemoteWriteConfig` list: mappings with a `url` string.
void Loader::dialect_remote_write(const YNode& v) {
  if (v.kind == YNode::Null) return;
  if (v.kind != YNode::Seq) {
    diag(ids::kInvalidType, unmarshal_error(v, "[]rwrulefmt.RemoteWriteConfig"), v);
    return;
  }
  std::string text;
  for (uint32_t c : v.children) {
    const YNode& item = node(c);
    if (item.kind == YNode::Null) continue;
    if (item.kind != YNode::Map) {
      diag(ids::kInvalidType, unmarshal_error(item, "rwrulefmt.RemoteWriteConfig"), item);
      continue;
    }
    for (auto& [k, vi] : entries(item)) {
      if (key_name(*k) == "url") string_field(node(vi), text);
      else diag(ids::kUnknownField, "field " + key_name(*k) + " not found in type rwrulefmt.RemoteWriteConfig", *k);
    }
  }
}

// Loki files: every expression is LogQL. Auto-detected other files: an expression that is
// recognisably LogQL. Neither is given to the PromQL parser (Expression::logql); one note per
// file says so.
bool Loader::skip_as_logql(const Expression& e) {
  std::optional<LogqlSign> sign;
  if (choice_.dialect != RulesDialect::Loki) {
    // detect() read every expression this loader reads: if it found LogQL in none, none is.
    if (choice_.configured || !logql_seen_ || !(sign = find_logql(e.text))) return false;
  }
  if (skipped_logql_++ == 0) {
    first_logql_ = e.map.at(0);
    if (sign) first_sign_ = "LogQL `" + sign->sign + "` at line " + std::to_string(line_of(e.map.at(sign->offset)));
  }
  return true;
}

void Loader::note_skipped_logql() {
  if (skipped_logql_ == 0) return;
  Diagnostic d;
  d.check_id = ids::kLogqlSkipped;
  d.severity = base::Severity::kInfo;
  d.message = logql_skipped_message(skipped_logql_, choice_, first_sign_);
  d.offset = first_logql_;
  d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
  out_.diagnostics.push_back(std::move(d));
}

}  // namespace promvet::sources::rules_internal
