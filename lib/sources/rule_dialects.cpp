#include "sources/rule_dialects.h"

#include <array>
#include <cctype>

#include "base/strings.h"

namespace promvet::sources {
namespace {

constexpr unsigned bit(RulesDialect d) { return 1u << static_cast<unsigned>(d); }
constexpr unsigned kThanos = bit(RulesDialect::Thanos);
constexpr unsigned kMimir = bit(RulesDialect::Mimir);
constexpr unsigned kLoki = bit(RulesDialect::Loki);

// Group fields by dialect (see the header for the upstream files). `labels` is in the rulefmt
// every one of these tools builds on; promvet's Prometheus dialect follows promtool 2.42, which
// does not have it.
constexpr std::array<DialectField, 6> kGroupFields = {{
    {"partial_response_strategy", DialectFieldType::PartialResponseStrategy, kThanos},
    {"source_tenants", DialectFieldType::StringList, kMimir},
    {"evaluation_delay", DialectFieldType::Duration, kMimir},  // deprecated for query_offset
    {"align_evaluation_time_on_interval", DialectFieldType::Bool, kMimir},
    {"remote_write", DialectFieldType::RemoteWriteList, kMimir | kLoki},  // mimirtool, lokitool
    {"labels", DialectFieldType::LabelMap, kThanos | kMimir | kLoki},
}};

constexpr DialectField kNamespace = {"namespace", DialectFieldType::String, kMimir | kLoki};

// ASCII letters, digits and '_' (what isalpha/isalnum accept in the C locale promvet runs in),
// without a library call per character.
bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
using base::is_space_or_newline;

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space_or_newline(s[i])) ++i;
  return i;
}

// Keywords that may follow `|` in LogQL and never in PromQL (PromQL has no `|` operator at all,
// but a lone `|` typo must not turn a Prometheus file into a Loki one).
bool logql_stage(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kStages = {"json",   "logfmt",      "regexp",       "pattern",
                                                               "unpack", "line_format", "label_format", "unwrap",
                                                               "drop",   "keep",        "decolorize",   "distinct"};
  for (std::string_view k : kStages)
    if (word == k) return true;
  return false;
}

bool label_filter_operator(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  char c = s[i], n = i + 1 < s.size() ? s[i + 1] : '\0';
  return c == '=' || c == '>' || c == '<' || (c == '!' && (n == '=' || n == '~'));
}

}  // namespace

std::optional<RulesDialect> parse_rules_dialect(std::string_view name) {
  if (name == "auto") return RulesDialect::Auto;
  if (name == "prometheus") return RulesDialect::Prometheus;
  if (name == "thanos") return RulesDialect::Thanos;
  if (name == "mimir") return RulesDialect::Mimir;
  if (name == "loki") return RulesDialect::Loki;
  return std::nullopt;
}

const char* dialect_name(RulesDialect d) {
  switch (d) {
    case RulesDialect::Auto: return "auto";
    case RulesDialect::Prometheus: return "prometheus";
    case RulesDialect::Thanos: return "thanos";
    case RulesDialect::Mimir: return "mimir";
    case RulesDialect::Loki: return "loki";
  }
  return "auto";
}

const char* dialect_title(RulesDialect d) {
  switch (d) {
    case RulesDialect::Auto: return "auto";
    case RulesDialect::Prometheus: return "Prometheus";
    case RulesDialect::Thanos: return "Thanos";
    case RulesDialect::Mimir: return "Mimir";
    case RulesDialect::Loki: return "Loki";
  }
  return "auto";
}

const DialectField* dialect_group_field(std::string_view key) {
  for (const DialectField& f : kGroupFields)
    if (f.name == key) return &f;
  return nullptr;
}

const DialectField* dialect_top_field(std::string_view key) { return key == kNamespace.name ? &kNamespace : nullptr; }

bool dialect_has(RulesDialect d, const DialectField& f) { return (f.dialects & bit(d)) != 0; }

std::string dialects_having(const DialectField& f) {
  std::vector<const char*> names;
  for (RulesDialect d : {RulesDialect::Thanos, RulesDialect::Mimir, RulesDialect::Loki})
    if (dialect_has(d, f)) names.push_back(dialect_title(d));
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::optional<RulesDialect> evidence_of(const DialectField& f) {
  if (f.dialects == kThanos) return RulesDialect::Thanos;
  if (f.dialects == kMimir) return RulesDialect::Mimir;
  if (f.dialects == kLoki) return RulesDialect::Loki;
  if (f.dialects == (kMimir | kLoki)) return RulesDialect::Auto;  // mimirtool's and lokitool's format
  return std::nullopt;
}

DetectedDialect detect_dialect(const std::vector<DialectEvidence>& evidence) {
  DetectedDialect r;
  const DialectEvidence* shared = nullptr;  // a mimirtool/lokitool field
  for (const DialectEvidence& e : evidence) {
    if (e.dialect == RulesDialect::Auto) {
      if (!shared) shared = &e;
      continue;
    }
    if (e.dialect != RulesDialect::Prometheus) {
      r.dialect = e.dialect;
      r.because = &e;
      return r;
    }
  }
  if (shared) {
    r.dialect = RulesDialect::Mimir;
    r.because = shared;
  }
  return r;
}

std::string foreign_field_hint(const DialectField& f, const DialectChoice& c) {
  std::string h = " (a " + dialects_having(f) + " field; this file is read as " + dialect_title(c.dialect);
  if (c.configured) return h + ", as configured)";
  if (!c.because.empty()) return h + " because of " + c.because + ")";
  return h + ": --rules-dialect or rules_dialect: in .promvet.yaml selects another)";
}

std::string misplaced_group_field_hint(std::string_view key) {
  const DialectField* f = dialect_group_field(key);
  if (!f) return "";
  return " (a " + dialects_having(*f) + " group field: it belongs on the group, not on a rule)";
}

std::string logql_skipped_message(size_t count, const DialectChoice& c, const std::string& first_sign) {
  const std::string n = std::to_string(count) + (count == 1 ? " expression" : " expressions");
  if (c.dialect != RulesDialect::Loki) return n + " not checked: LogQL, not PromQL (" + first_sign + ")";
  return n + " not checked: this file is read as a Loki rule file (" +
         (c.configured ? std::string("as configured") : "because of " + c.because) +
         ") and its expressions are LogQL; promvet checks PromQL";
}

bool go_yaml_bool(std::string_view v) {
  static constexpr std::array<std::string_view, 22> kBools = {
      "true", "True", "TRUE", "false", "False", "FALSE", "y",  "Y",  "yes", "Yes", "YES",
      "n",    "N",    "no",   "No",    "NO",    "on",    "On", "ON", "off", "Off", "OFF"};
  for (std::string_view b : kBools)
    if (v == b) return true;
  return false;
}

std::string partial_response_strategy_error(std::string_view value) {
  // Thanos quotes the YAML string and decodes it with strconv.Unquote, then looks up the upper-
  // cased text in {ABORT, WARN}; "" means the rule default, abort.
  const std::string quoted = "\"" + std::string(value) + "\"";
  for (char c : value) {
    if (c == '"' || c == '\\' || c == '\n' || c == '\r')
      return "failed to unqote " + quoted +
             ", in order to unmarshal as 'partial_response_strategy'. Possible values are ABORT,WARN";
  }
  std::string upper;
  for (char c : value) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.empty() || upper == "WARN" || upper == "ABORT") return "";
  return "failed to unmarshal " + quoted + " as 'partial_response_strategy'. Possible values are ABORT,WARN";
}

namespace {

// Every sign find_logql looks for contains one of these; quotes and comments only hide signs.
bool may_hold_logql(std::string_view s) {
  return s.find('|') != std::string_view::npos || s.find('!') != std::string_view::npos ||
         s.find("bytes_") != std::string_view::npos || s.find("rate_counter") != std::string_view::npos;
}

}  // namespace

std::optional<LogqlSign> find_logql(std::string_view s) {
  if (!may_hold_logql(s)) return std::nullopt;
  char quote = 0;
  size_t last_close_brace = std::string_view::npos;  // a `}` with only blanks after it so far
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\' && quote != '`') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      quote = c;
      continue;
    }
    if (c == '#') {  // a PromQL comment runs to the end of the line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '}') {
      last_close_brace = i;
      continue;
    }
    if (c == '!' && last_close_brace != std::string_view::npos && i + 1 < s.size() &&
        (s[i + 1] == '=' || s[i + 1] == '~' || s[i + 1] == '>')) {
      // `{app="x"} != "debug"`: a negative line filter right after the stream selector.
      size_t j = skip_space(s, i + 2);
      if (j < s.size() && (s[j] == '"' || s[j] == '`'))
        return LogqlSign{std::string(s.substr(i, 2)), static_cast<uint32_t>(i)};
    }
    if (!is_space_or_newline(c)) last_close_brace = std::string_view::npos;
    if (c == '|') {
      if (i + 1 < s.size() && (s[i + 1] == '=' || s[i + 1] == '~' || s[i + 1] == '>'))
        return LogqlSign{std::string(s.substr(i, 2)), static_cast<uint32_t>(i)};
      size_t j = skip_space(s, i + 1);
      size_t k = j;
      if (k < s.size() && is_ident_start(s[k]))
        while (k < s.size() && is_ident(s[k])) ++k;
      std::string_view word = s.substr(j, k - j);
      if (!word.empty() && (logql_stage(word) || label_filter_operator(s, skip_space(s, k))))
        return LogqlSign{"| " + std::string(word), static_cast<uint32_t>(i)};
      continue;
    }
    if (is_ident_start(c) && (i == 0 || !is_ident(s[i - 1]))) {
      size_t k = i;
      while (k < s.size() && is_ident(s[k])) ++k;
      std::string_view word = s.substr(i, k - i);
      if ((word == "bytes_rate" || word == "bytes_over_time" || word == "rate_counter") &&
          skip_space(s, k) < s.size() && s[skip_space(s, k)] == '(')
        return LogqlSign{std::string(word), static_cast<uint32_t>(i)};
      i = k - 1;
    }
  }
  return std::nullopt;
}

}  // namespace promvet::sources
