// Lints `promtool check metrics` lacks: OpenMetrics UNIT against the name
// (expfmt/unit-mismatch), label-value cardinality (expfmt/high-cardinality)
// and ID-like label values (expfmt/id-like-label-value).
#include <string>

#include "expfmt/lint_internal.h"

namespace promvet::expfmt::detail {

namespace {

using ids::kHighCardinality;
using ids::kIdLikeLabelValue;
using ids::kUnitMismatch;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (v[i] != '-') return false;
    } else if (!is_hex(v[i])) {
      return false;
    }
  }
  return true;
}

// A digest or object id: 16+ hex digits mixing digits and letters (so
// neither a decimal number nor a word like "deadbeefdeadbeef"... almost).
bool is_hex_hash(std::string_view v) {
  if (v.size() < 16 || v.size() > 128) return false;
  bool digit = false, letter = false;
  for (char c : v) {
    if (!is_hex(c)) return false;
    if (is_digit(c)) digit = true;
    else letter = true;
  }
  return digit && letter;
}

// Seconds, milliseconds, microseconds or nanoseconds since the epoch for a
// date between 2001-09-09 and 2100.
bool is_unix_timestamp(std::string_view v) {
  if (v.size() != 10 && v.size() != 13 && v.size() != 16 && v.size() != 19) return false;
  std::uint64_t n = 0;
  for (char c : v) {
    if (!is_digit(c)) return false;
    n = n * 10 + std::uint64_t(c - '0');
  }
  for (std::size_t extra = v.size() - 10; extra > 0; extra -= 3) n /= 1000;
  return n >= 1000000000ull && n < 4102444800ull;
}

bool parse_port(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  unsigned n = 0;
  for (char c : p) {
    if (!is_digit(c)) return false;
    n = n * 10 + unsigned(c - '0');
  }
  return n <= 65535;
}

bool is_ipv4(std::string_view v) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t end = v.find('.', start);
    std::string_view part = v.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty() || part.size() > 3) return false;
    unsigned n = 0;
    for (char c : part) {
      if (!is_digit(c)) return false;
      n = n * 10 + unsigned(c - '0');
    }
    if (n > 255) return false;
    ++parts;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts == 4;
}

bool is_ip_port(std::string_view v) {
  std::size_t colon = v.rfind(':');
  if (colon == std::string_view::npos || !parse_port(v.substr(colon + 1))) return false;
  std::string_view host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find(':') == std::string_view::npos) return false;
    for (char c : host) {
      if (!is_hex(c) && c != ':' && c != '.') return false;
    }
    return true;
  }
  return is_ipv4(host);
}

std::string truncate(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "...";
}

}  // namespace

IdKind classify_label_value(std::string_view v) {
  if (v.size() < 9) return IdKind::kNone;
  const char c = v.front();
  if (!is_hex(c) && c != '[') return IdKind::kNone;
  if (is_uuid(v)) return IdKind::kUuid;
  if (is_unix_timestamp(v)) return IdKind::kUnixTimestamp;
  if (is_hex_hash(v)) return IdKind::kHexHash;
  if (is_ip_port(v)) return IdKind::kIpPort;
  return IdKind::kNone;
}

std::string_view id_kind_name(IdKind k) {
  switch (k) {
    case IdKind::kUuid: return "UUID";
    case IdKind::kHexHash: return "hex hash";
    case IdKind::kUnixTimestamp: return "unix timestamp";
    case IdKind::kIpPort: return "IP address and port";
    case IdKind::kNone: break;
  }
  return "value";
}

void run_extended(const FamilyStat& f, Format format, const LinterOptions& options, std::vector<LintProblem>& out) {
  const std::string metric = promlint_view(f, format).name;
  auto add = [&](std::string_view id, std::string message, const Position& pos, const std::string& line) {
    LintProblem p;
    p.check_id = id;
    p.metric = metric;
    p.message = std::move(message);
    p.pos = pos;
    p.line = line;
    out.push_back(std::move(p));
  };

  // A UNIT that is not the name's suffix is already expfmt/invalid (the
  // OpenMetrics specification requires it); here: a declared non-base unit.
  if (f.has_unit && !f.unit.empty()) {
    UnitMatch m;
    if (base_unit_of(f.unit, &m) && m.unit != m.base) {
      add(kUnitMismatch, "unit " + quote(f.unit) + " is not a base unit; use " + quote(m.base), f.unit_pos,
          f.unit_line);
    }
  }

  for (const LabelStat& l : f.labels) {
    if (l.over_limit) {
      add(kHighCardinality,
          "label " + quote(l.name) + " has more than " + std::to_string(options.max_label_values) +
              " distinct values; every value is a new series, drop the label or bound its values",
          l.over_pos, l.over_line);
    }
    if (l.id_confirmed) {
      add(kIdLikeLabelValue,
          "label " + quote(l.name) + " has ID-like values (" + std::string(id_kind_name(l.id_kind)) + " " +
              quote(truncate(l.id_example, 64)) + "); every new ID is a new series, move it to logs or traces",
          l.id_pos, l.id_line);
    }
  }
}

}  // namespace promvet::expfmt::detail
