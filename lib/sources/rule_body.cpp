// One rule of a rule group: its fields checked as rulefmt checks them, its labels and annotations
// (names, values, Go templates), promtool's duplicate-rule lint, and its Expression.
#include <algorithm>
#include <tuple>

#include "base/go_quote.h"
#include "sources/rules.h"
#include "sources/diagnostic_ids.h"
#include "sources/rules_internal.h"

namespace promvet::sources::rules_internal {

using base::go_quote;
using yaml_tree::map_scalar;

// Suppressions of a rule: its group's, its lines' and the comment block above it. They apply
// to its expression and to the rules/* diagnostics found inside it.
void Loader::rule(const YNode& r, const std::string& group, const std::string& interval,
                  const std::vector<std::string>& group_ids, int next_line, std::set<std::string>& seen) {
  std::vector<std::string> ids = group_ids;
  int start = r.mark.line;
  int end = std::max(start, next_line - 1);
  while (end > start && static_cast<size_t>(end) < li_->blank.size() &&
         (li_->blank[static_cast<size_t>(end)] || li_->comment_only[static_cast<size_t>(end)]))
    --end;
  for (int l = start; l <= end; ++l) add_ids(*li_, l, ids);
  add_above(*li_, start, ids);
  const size_t first = out_.diagnostics.size();
  rule_body(r, group, interval, ids, seen);
  for (size_t i = first; i < out_.diagnostics.size(); ++i) out_.diagnostics[i].disabled_checks = ids;
}

void Loader::rule_body(const YNode& r, const std::string& group, const std::string& interval,
                       const std::vector<std::string>& disabled_ids, std::set<std::string>& seen) {
  if (r.kind == YNode::Null) {
    diag(ids::kMissingRecordOrAlert, "one of 'record' or 'alert' must be set", r);
    return;
  }
  if (r.kind != YNode::Map) {
    diag(ids::kInvalidType, unmarshal_error(r, "rulefmt.RuleNode"), r);
    return;
  }
  const RuleFields f = rule_fields(r);
  check_rule_kind(r, f);
  const bool alerting = f.rec.empty() && !f.al.empty();
  check_string_map(f.labels, true, alerting, f.al);
  check_string_map(f.annotations, false, alerting, f.al);
  check_duplicate_rule(r, f, seen);
  if (!f.expr || f.expr->kind != YNode::Scalar) return;
  add_expression(r, f, group, interval, disabled_ids);
}

// The rule's keys, with the duration fields checked and unknown keys reported.
Loader::RuleFields Loader::rule_fields(const YNode& r) {
  RuleFields f;
  for (auto& [k, vi] : entries(r)) {
    const YNode& v = node(vi);
    const std::string key = key_name(*k);
    if (key == "record") f.record = &v;
    else if (key == "alert") f.alert = &v;
    else if (key == "expr") f.expr = &v;
    else if (key == "for") {
      f.for_key = k;
      f.for_value = &v;
      duration_field(v);
    } else if (key == "keep_firing_for") {
      f.kff_key = k;
      f.kff_value = &v;
      duration_field(v);
    } else if (key == "labels") f.labels = &v;
    else if (key == "annotations") {
      f.annotations = &v;
      f.ann_key = k;
    } else
      diag(ids::kUnknownField, "field " + key + " not found in type rulefmt.RuleNode" + misplaced_group_field_hint(key),
           *k);
  }
  auto value_of = [](const YNode* n) { return n && n->kind == YNode::Scalar ? n->value : std::string(); };
  f.rec = value_of(f.record);
  f.al = value_of(f.alert);
  return f;
}

// rulefmt's checks of a rule's kind: record or alert (not both), an expr, no alerting fields in a
// recording rule, a valid recording rule name.
void Loader::check_rule_kind(const YNode& r, const RuleFields& f) {
  if (!f.rec.empty() && !f.al.empty()) {
    diag(ids::kRecordAndAlert, "only one of 'record' and 'alert' must be set", *f.record);
  } else if (f.rec.empty() && f.al.empty()) {
    diag(ids::kMissingRecordOrAlert, "one of 'record' or 'alert' must be set", r);
  }
  const bool no_expr = !f.expr || f.expr->kind != YNode::Scalar || f.expr->value.empty();
  if (no_expr) diag(ids::kMissingExpr, "field 'expr' must be set in rule", f.expr ? *f.expr : r);
  if (f.rec.empty()) return;
  if (f.ann_key) diag(ids::kInvalidRecordingField, "invalid field 'annotations' in recording rule", *f.ann_key);
  if (f.for_key) diag(ids::kInvalidRecordingField, "invalid field 'for' in recording rule", *f.for_key);
  if (f.kff_key) diag(ids::kInvalidRecordingField, "invalid field 'keep_firing_for' in recording rule", *f.kff_key);
  if (!valid_metric_name(f.rec)) diag(ids::kInvalidRecordName, "invalid recording rule name: " + f.rec, *f.record);
}

// A rule's labels or annotations: a string map with valid names (and UTF-8 label values); in an
// alerting rule each value is a Go template.
void Loader::check_string_map(const YNode* m, bool is_labels, bool alerting, const std::string& alert) {
  if (!m || m->kind == YNode::Null) return;
  if (m->kind != YNode::Map) {
    diag(ids::kInvalidType, unmarshal_error(*m, "map[string]string"), *m);
    return;
  }
  for (auto& [k, vi] : entries(*m)) {
    const YNode& v = node(vi);
    std::string val;
    if (!string_field(v, val)) continue;
    const std::string name = key_name(*k);
    if (is_labels) {
      if (!valid_label_name(name) || name == "__name__")
        diag(ids::kInvalidLabelName, "invalid label name: " + name, *k);
      if (!valid_utf8(val)) diag(ids::kInvalidLabelValue, "invalid label value: " + val, v);
    } else if (!valid_label_name(name)) {
      diag(ids::kInvalidAnnotationName, "invalid annotation name: " + name, *k);
    }
    if (alerting) {
      std::string e = check_go_template(val);
      if (!e.empty())
        diag(ids::kInvalidTemplate,
             std::string(is_labels ? "label " : "annotation ") + go_quote(name) + ": template: __alert_" + alert + ":" +
                 e,
             v);
    }
  }
}

// promtool's "lint error N duplicate rule(s) found" (same record/alert name and labels in
// a group), reported on each repetition.
void Loader::check_duplicate_rule(const YNode& r, const RuleFields& f, std::set<std::string>& seen) {
  if (f.rec.empty() && f.al.empty()) return;
  std::vector<std::pair<std::string, std::string>> ls;
  if (f.labels && f.labels->kind == YNode::Map)
    for (auto& [k, vi] : entries_quiet(*f.labels)) {
      const YNode& v = node(vi);
      ls.emplace_back(key_name(*k), v.kind == YNode::Scalar ? v.value : std::string());
    }
  std::sort(ls.begin(), ls.end());
  const std::string& name = f.rec.empty() ? f.al : f.rec;
  std::string key = name;
  std::string shown;
  for (auto& [k, v] : ls) {
    key += '\xff' + k + '\xfe' + v;
    shown += (shown.empty() ? "" : ", ") + k + ": " + v;
  }
  if (seen.insert(key).second) return;
  Diagnostic d;
  d.check_id = ids::kDuplicateRule;
  // Two recording rules overwrite each other's series. Two alerting rules of one name and
  // labels are a common way to give one alert several conditions (mixins do it): their
  // alerts are merged by Alertmanager, so promtool's lint is only worth an info there.
  d.severity = f.rec.empty() ? base::Severity::kInfo : base::Severity::kWarning;
  d.message = "duplicate rule found: metric: " + name + ", label(s): {" + shown +
              "}; might cause inconsistency while recording expressions";
  if (f.rec.empty())
    d.message += " (for alerting rules: several conditions of one alert, fine if that is what is meant)";
  d.offset = offset(r);
  d.end_offset = static_cast<uint32_t>(std::min<size_t>(d.offset + 1, s_.size()));
  out_.diagnostics.push_back(std::move(d));
}

// The rule's `expr` (a scalar) as an Expression, with what rule checks need (RuleInfo).
void Loader::add_expression(const YNode& r, const RuleFields& f, const std::string& group, const std::string& interval,
                            const std::vector<std::string>& disabled_ids) {
  const bool alerting = f.rec.empty() && !f.al.empty();
  Expression e;
  e.kind = alerting ? ExpressionKind::AlertingRule : ExpressionKind::RecordingRule;
  e.group = group;
  e.rule_name = f.rec.empty() ? f.al : f.rec;
  e.scrape_interval_hint = interval;
  map_scalar(s_, *f.expr, e.text, e.map);
  e.logql = skip_as_logql(e);
  e.original = e.text;
  e.disabled_checks = disabled_ids;
  RuleInfo& info = e.rule;
  info = group_;  // the group's fields (rule policies)
  info.offset = offset(r);
  if (const YNode* name = !f.rec.empty() ? f.record : f.alert)
    std::tie(info.name_offset, info.name_end) = extent(*name);
  if (f.for_value) {
    info.has_for = true;
    if (f.for_value->kind == YNode::Scalar) info.for_duration = f.for_value->value;
    std::tie(info.for_offset, info.for_end) = extent(*f.for_value);
  }
  if (f.kff_value && f.kff_value->kind == YNode::Scalar) {
    info.keep_firing_for = f.kff_value->value;
    std::tie(info.keep_firing_for_offset, info.keep_firing_for_end) = extent(*f.kff_value);
  }
  fill_entries(f.labels, info.labels);
  fill_entries(f.annotations, info.annotations);
  out_.expressions.push_back(std::move(e));
}

// The scalar entries of a labels or annotations map, with their offsets.
void Loader::fill_entries(const YNode* m, std::vector<RuleEntry>& into) const {
  if (!m || m->kind != YNode::Map) return;
  for (auto& [k, vi] : entries_quiet(*m)) {
    const YNode& v = node(vi);
    if (k->kind != YNode::Scalar || (v.kind != YNode::Scalar && v.kind != YNode::Null)) continue;
    RuleEntry entry;
    entry.name = k->value;
    entry.value = v.kind == YNode::Scalar ? v.value : std::string();
    entry.name_offset = offset(*k);
    std::tie(entry.value_offset, entry.value_end) = extent(v);
    into.push_back(std::move(entry));
  }
}

}  // namespace promvet::sources::rules_internal
