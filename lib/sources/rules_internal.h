#pragma once
// The pieces of the rule-file loader (sources/rules.h), shared by its files:
//   rule_values.cpp       Prometheus' value checks (durations, names, UTF-8) and go-yaml's
//                         "cannot unmarshal" wording;
//   rule_suppressions.cpp `# promvet: disable=` comments, line by line;
//   rules.cpp             the file's structure: documents, PrometheusRule unwrapping, groups;
//   rule_group_parts.cpp  a long `groups` sequence read in parts on several threads;
//   rule_body.cpp         one rule: its fields, labels, annotations, duplicates, its Expression;
//   rule_dialect_fields.cpp which tool the file is for (Thanos, Mimir, Loki) and its own fields.
// Go templates in labels and annotations are checked by go_template.cpp (check_go_template).
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/names.h"
#include "base/utf8.h"
#include "sources/rule_dialects.h"
#include "sources/source.h"
#include "sources/yaml_tree_internal.h"

namespace promvet::sources::rules_internal {

using yaml_tree::Doc;
using yaml_tree::YNode;

// ---- Prometheus value checks (rule_values.cpp) ----

// model.ParseDuration's error for `v` ("" when valid), in promtool 2.42's wording (lib/base).
inline std::string duration_error(std::string_view v) {
  return base::parse_duration(v, base::DurationWording::kPromtool2).error;
}
inline bool valid_label_name(std::string_view n) { return base::is_legacy_label_name(n); }
inline bool valid_metric_name(std::string_view n) { return base::is_legacy_metric_name(n); }
using base::valid_utf8;  // Go's utf8.ValidString
// go-yaml's resolution of a node's tag ("!!str", "!!int", "!!map", ...).
std::string yaml_tag(const YNode& n);
// go-yaml's "cannot unmarshal !!<tag> `<value>` into <type>".
std::string unmarshal_error(const YNode& n, const std::string& into);

// ---- Suppression comments (rule_suppressions.cpp) ----

// Lines as YAML counts them (its marks' line numbers index these): a lone \r, NEL, LS and PS
// end a line as \n and \r\n do.
struct LineInfo {
  std::vector<uint32_t> starts;       // byte offset of each line
  std::vector<uint8_t> comment_only;  // first non-blank character is '#'
  std::vector<uint8_t> blank;
  std::vector<std::vector<std::string>> disable;  // ids from `# promvet: disable=`
  // Byte offset of each \n-counted line when those are not YAML's lines (a lone \r, NEL, LS or
  // PS occurs), else empty: `starts` are both.
  std::vector<uint32_t> newline_starts;
};

// Every line of `s`; `# promvet: disable-file=` ids go to `file_disabled`.
LineInfo scan_lines(std::string_view s, std::vector<std::string>& file_disabled);
// scan_lines' result made before the loader runs (rules.cpp scans a large file while its YAML
// is parsed).
struct ScannedLines {
  LineInfo lines;
  std::vector<std::string> file_disabled;
};
// The ids disabled on `line` (0-based), added to `out` once each.
void add_ids(const LineInfo& li, int line, std::vector<std::string>& out);
// The ids of the comment block directly above `line`.
void add_above(const LineInfo& li, int line, std::vector<std::string>& out);

// ---- The loader ----

// load_rules after the parse: `docs` are parse_documents(content)'s, `out` holds its path and
// the parse's diagnostics (load_rules_and_dashboards shares one parse with the dashboards).
void load_parsed(std::string_view content, const std::vector<Doc>& docs, const LoadOptions& options, SourceFile& out);

class Loader {
 public:
  // `threads` > 1: a long `groups` sequence is read in parts on that many threads.
  Loader(std::string_view content, SourceFile& out, RulesDialect dialect, unsigned threads = 1)
      : s_(content), out_(out), threads_(threads) {
    choice_.dialect = dialect;
    choice_.configured = dialect != RulesDialect::Auto;
  }

  // `scanned`: the file's lines, already scanned (else run() scans them).
  void run(const std::vector<Doc>& docs, ScannedLines* scanned = nullptr);

 private:
  enum class DocKind { Empty, Rules, Foreign, Object };  // Object: a Kubernetes object, not a PrometheusRule
  using Entries = std::vector<std::pair<const YNode*, uint32_t>>;

  // The fields of one rule mapping (rule_body.cpp).
  struct RuleFields {
    const YNode *record = nullptr, *alert = nullptr, *expr = nullptr, *labels = nullptr, *annotations = nullptr;
    const YNode *for_key = nullptr, *kff_key = nullptr, *ann_key = nullptr;
    const YNode *for_value = nullptr, *kff_value = nullptr;
    std::string rec, al;  // the record and alert names ("" if unset or not a scalar)
  };

  // rules.cpp: structure.
  size_t count_rules(const std::vector<Doc>& docs);
  DocKind classify_doc();
  const YNode& node(uint32_t i) const;
  uint32_t offset(const YNode& n) const;
  void diag(std::string_view id, std::string msg, const YNode& at, size_t len = 0);
  Entries entries(const YNode& map);
  Entries entries_quiet(const YNode& map) const;
  static std::string key_name(const YNode& k) { return k.kind == YNode::Scalar ? k.value : std::string(); }
  bool string_field(const YNode& v, std::string& out);
  void duration_field(const YNode& v);
  void load_doc();
  void load_prometheus_rule(const Entries& top);
  void groups(const YNode& gs);
  void group_at(const YNode& gs, size_t gi);
  void group(const YNode& g, int next_line);
  void note_group_name(const std::string& name, const YNode& g);
  Diagnostic make_diag(std::string_view id, std::string msg, const YNode& at, size_t len = 0) const;

  // rule_group_parts.cpp: the groups [begin, end) of `gs` read by part loaders, one per thread.
  // A part loader shares this one's file state, writes into its own SourceFile (the first part
  // into this one's), and leaves the file-wide duplicate group name check to absorb(), which
  // appends its output to this one's.
  struct PendingName {
    std::string name;
    size_t at;  // index into the part's diagnostics where the report belongs
    const YNode* group;
  };
  Loader(const Loader& parent, SourceFile& out);
  bool groups_in_parts(const YNode& gs);
  // How many parts a `groups` sequence is read in (rule_group_parts.cpp): one per loader thread,
  // at most one per group, when its groups hold enough YAML nodes to be worth a thread each;
  // else 1. `total`, when given, gets the groups' nodes.
  size_t parts_for_groups(const YNode& gs, uint64_t* total = nullptr) const;
  void absorb(Loader& part, SourceFile& part_out);
  void group_field(const YNode& key, const YNode& v, std::string& name, const YNode*& name_node, std::string& interval,
                   const YNode*& rules);
  std::vector<std::string> group_suppressions(const YNode& g, const YNode* name_node) const;
  std::pair<uint32_t, uint32_t> extent(const YNode& n) const;
  int line_of(uint32_t offset) const;

  // rule_body.cpp: one rule.
  void rule(const YNode& r, const std::string& group, const std::string& interval,
            const std::vector<std::string>& group_ids, int next_line, std::set<std::string>& seen);
  void rule_body(const YNode& r, const std::string& group, const std::string& interval,
                 const std::vector<std::string>& disabled_ids, std::set<std::string>& seen);
  RuleFields rule_fields(const YNode& r);
  void check_rule_kind(const YNode& r, const RuleFields& f);
  void check_string_map(const YNode* m, bool is_labels, bool alerting, const std::string& alert);
  void check_duplicate_rule(const YNode& r, const RuleFields& f, std::set<std::string>& seen);
  void add_expression(const YNode& r, const RuleFields& f, const std::string& group, const std::string& interval,
                      const std::vector<std::string>& disabled_ids);
  void fill_entries(const YNode* m, std::vector<RuleEntry>& into) const;

  // rule_dialect_fields.cpp: dialects (sources/rule_dialects.h), their fields, LogQL.
  void detect(const std::vector<Doc>& docs);
  void detect_in_groups(const YNode& gs, bool crd, std::vector<DialectEvidence>& evidence);
  // Groups [begin, end) of `gs`; `logql` set when one holds a LogQL expression. Reads only.
  void detect_in_group_range(const YNode& gs, bool crd, size_t begin, size_t end,
                             std::vector<DialectEvidence>& evidence, bool& logql) const;
  std::string foreign_hint(const DialectField* f) const { return f ? foreign_field_hint(*f, choice_) : ""; }
  void dialect_value(const DialectField& f, const YNode& v);
  void dialect_label_map(const YNode& v);
  void dialect_remote_write(const YNode& v);
  bool skip_as_logql(const Expression& e);
  void note_skipped_logql();

  std::string_view s_;
  SourceFile& out_;
  LineInfo lines_;
  const LineInfo* li_ = &lines_;  // lines_, or the parent's in a part loader
  const Doc* doc_ = nullptr;
  int doc_end_line_ = 0;
  std::set<std::string> group_names_;
  RuleInfo group_;  // the current group's fields, copied into each rule's RuleInfo
  bool crd_ = false;

  DialectChoice choice_;
  bool logql_seen_ = true;  // detect() found a LogQL expression (true until it has looked)
  size_t skipped_logql_ = 0;
  uint32_t first_logql_ = 0;
  std::string first_sign_;

  unsigned threads_ = 1;
  bool part_ = false;                       // a part loader (rule_group_parts.cpp)
  std::vector<PendingName> pending_names_;  // a part's group names, checked by absorb()
};

}  // namespace promvet::sources::rules_internal
