#pragma once
// Rule files are read by more tools than Prometheus: Thanos Ruler, the Mimir (and Cortex) ruler
// with mimirtool, and the Loki ruler with lokitool. Each accepts Prometheus' rule group plus a few
// fields of its own, and Loki's expressions are LogQL. This file knows those fields, decides which
// dialect a file is written for, and recognises LogQL, so the rule loader (rules.cpp) validates a
// file the way its own tool would instead of reporting another tool's fields as unknown.
//
// Sources of the field lists (field names, Go types and value rules):
//  - Thanos: thanos-io/thanos pkg/rules/manager.go (configRuleAdapter) and
//    pkg/store/storepb/custom.go (PartialResponseStrategy.UnmarshalJSON), commit
//    e103a81bd5943697394afcb4fb592b6ffa806c30; it embeds Prometheus v0.309.1's rulefmt.RuleGroup.
//  - Mimir: grafana/mimir vendor/github.com/prometheus/prometheus/model/rulefmt/rulefmt.go (the
//    mimir-prometheus fork's RuleGroup), commit 063371eca074cb44a73b230c44d7e6a0d58e3729, and
//    pkg/mimirtool/rules/rules.go (RuleNamespace: top-level `namespace`) and rwrulefmt/rulefmt.go
//    (`remote_write`, a list of {url}).
//  - Loki: grafana/loki pkg/ruler/grouploader.go (Prometheus rulefmt with LogQL expressions),
//    pkg/tool/rules/rules.go and pkg/tool/rules/rwrulefmt/rulefmt.go (lokitool: `namespace`,
//    `remote_write`), commit 65e30f8488e8a5ea2013c6881675f8103a8f6bc7.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/source.h"

namespace promvet::sources {

// "auto", "prometheus", "thanos", "mimir", "loki" (what --rules-dialect and rules_dialect: take).
std::optional<RulesDialect> parse_rules_dialect(std::string_view name);
const char* dialect_name(RulesDialect d);   // "prometheus", ...
const char* dialect_title(RulesDialect d);  // "Prometheus", "Thanos", "Mimir", "Loki"

// How a dialect field's value is decoded by its tool (Go type).
enum class DialectFieldType {
  Duration,                 // model.Duration
  Bool,                     // bool
  String,                   // string
  StringList,               // []string
  LabelMap,                 // map[string]string of labels (name and value rules of rule labels)
  RemoteWriteList,          // []rwrulefmt.RemoteWriteConfig: a list of {url: string}
  PartialResponseStrategy,  // Thanos: warn or abort, any case; empty means abort
};

struct DialectField {
  std::string_view name;
  DialectFieldType type;
  unsigned dialects;  // bit (1 << RulesDialect) for each dialect that has it
};

// A group-level field beyond Prometheus' name/interval/query_offset/limit/rules, or nullptr.
const DialectField* dialect_group_field(std::string_view key);
// A top-level field beside `groups` (mimirtool's and lokitool's `namespace`), or nullptr.
const DialectField* dialect_top_field(std::string_view key);
bool dialect_has(RulesDialect d, const DialectField& f);
// The dialects that have the field, for messages: "Thanos", "Mimir and Loki", "Thanos, Mimir and Loki".
std::string dialects_having(const DialectField& f);

// What a file shows about its dialect, gathered by the loader in file order.
struct DialectEvidence {
  std::string what;                                 // "source_tenants", "LogQL `|=`"
  uint32_t offset = 0;                              // where in the file
  RulesDialect dialect = RulesDialect::Prometheus;  // the dialect it points to; Auto: Mimir or Loki
};

struct DetectedDialect {
  RulesDialect dialect = RulesDialect::Prometheus;
  const DialectEvidence* because = nullptr;  // nullptr: nothing points away from Prometheus
};

// The dialect of a file from its evidence: a field only Thanos has makes it Thanos, one only
// Mimir has makes it Mimir, LogQL makes it Loki, a field both mimirtool and lokitool accept
// makes it Mimir unless LogQL is present. The first decisive piece of evidence wins.
DetectedDialect detect_dialect(const std::vector<DialectEvidence>& evidence);
// What a field says about the dialect: Thanos, Mimir or Loki when only that dialect has it, Auto
// for a field of both mimirtool and lokitool, nullopt when it says nothing (`labels`).
std::optional<RulesDialect> evidence_of(const DialectField& f);

// How a file's dialect was decided, for the messages that depend on it.
struct DialectChoice {
  RulesDialect dialect = RulesDialect::Prometheus;
  bool configured = false;  // --rules-dialect or rules_dialect: (never Auto once chosen)
  std::string because;      // detected: "source_tenants at line 3"; "" when nothing pointed away
};

// Appended to "field X not found in type rulefmt.RuleGroup" for another dialect's field:
// " (a Thanos field; this file is read as Mimir because of source_tenants at line 3)".
std::string foreign_field_hint(const DialectField& f, const DialectChoice& c);

// Appended to "field X not found in type rulefmt.RuleNode" when X is a dialect's group field
// written on a rule: " (a Thanos group field: it belongs on the group, not on a rule)"; else "".
std::string misplaced_group_field_hint(std::string_view key);

// The rules/logql-skipped note: `count` expressions skipped, `first_sign` ("LogQL `|=` at line 7")
// for a file that is not Loki's.
std::string logql_skipped_message(size_t count, const DialectChoice& c, const std::string& first_sign);

// yaml.v3 decodes these plain scalars into a Go bool (YAML 1.1's yes/no/on/off included, as it
// does for a typed bool).
bool go_yaml_bool(std::string_view plain_scalar);

// Thanos' decoding of partial_response_strategy: "" when accepted, else Thanos' error text.
std::string partial_response_strategy_error(std::string_view value);

// LogQL that is not PromQL: a line filter (`|=`, `|~`, `|>`, `!=`/`!~` after a stream selector),
// a parser or formatting stage (`| json`, `| logfmt`, `| line_format`, `| unwrap`, ...), a label
// filter stage (`| status >= 400`) or a LogQL-only function (bytes_rate, bytes_over_time,
// rate_counter). Outside string literals and comments. Returns the sign found ("|=", "| json",
// "bytes_rate") and its offset in `expr`, or nullopt.
struct LogqlSign {
  std::string sign;
  uint32_t offset = 0;
};
std::optional<LogqlSign> find_logql(std::string_view expr);

}  // namespace promvet::sources
