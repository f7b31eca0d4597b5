// The lints of `promtool check metrics`: prometheus/client_golang
// prometheus/testutil/promlint as vendored in Prometheus 2.42 (client_golang
// 1.14, client_model with GAUGE_HISTOGRAM). Conditions and message texts are
// copied from it; tests/promtool_parity_test.cpp compares against the binary.
#include <cstring>
#include <iterator>

#include "base/strings.h"
#include "expfmt/lint_internal.h"

namespace promvet::expfmt::detail {

namespace {

using ids::kAbbreviatedUnit;
using ids::kBaseUnit;
using ids::kCamelCase;
using ids::kCounterTotalSuffix;
using ids::kMetricNotUnique;
using ids::kNoHelp;
using ids::kNonCounterTotalSuffix;
using ids::kReservedChars;
using ids::kReservedLabel;
using ids::kReservedSuffix;
using ids::kTypeInName;

struct UnitRow {
  std::string_view unit;
  std::string_view base;
};

// promlint's `units` map. Go iterates it in random order, so for a name with
// two different unit words promtool's choice varies between runs; we take
// the first row in this (source) order.
constexpr UnitRow kUnits[] = {
    {"amperes", "amperes"}, {"bytes", "bytes"},     {"celsius", "celsius"}, {"grams", "grams"},
    {"joules", "joules"},   {"kelvin", "kelvin"},   {"meters", "meters"},   {"metres", "metres"},
    {"seconds", "seconds"}, {"volts", "volts"},     {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"},    {"weeks", "seconds"},   {"kelvins", "kelvin"},  {"fahrenheit", "celsius"},
    {"rankine", "celsius"}, {"inches", "meters"},   {"yards", "meters"},    {"miles", "meters"},
    {"bits", "bytes"},      {"calories", "joules"}, {"pounds", "grams"},    {"ounces", "grams"},
};

// Tried in this order, then no prefix.
constexpr std::string_view kUnitPrefixes[] = {
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
    "mega", "mibi", "giga",  "gibi",  "tera",  "tebi", "peta", "pebi",  "",
};

constexpr std::string_view kUnitAbbreviations[] = {
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
};

// dto.MetricType_name without UNTYPED, lowercased.
constexpr std::string_view kTypeNames[] = {"counter", "gauge", "summary", "histogram", "gauge_histogram"};

// strings.Contains(n, "_"+w+"_") || strings.HasSuffix(n, "_"+w)
bool has_word(std::string_view n, std::string_view w) {
  for (std::size_t at = n.find(w); at != std::string_view::npos; at = n.find(w, at + 1)) {
    if (at == 0 || n[at - 1] != '_') continue;
    std::size_t end = at + w.size();
    if (end == n.size() || n[end] == '_') return true;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return r;
}

bool matches_unit(std::string_view word, const UnitRow& row, std::string_view* prefix) {
  for (std::string_view p : kUnitPrefixes) {
    if (word.size() == p.size() + row.unit.size() && word.substr(0, p.size()) == p &&
        word.substr(p.size()) == row.unit) {
      *prefix = p;
      return true;
    }
  }
  return false;
}

}  // namespace

bool has_camel_case(std::string_view name) {
  for (std::size_t i = 1; i < name.size(); ++i) {
    if (name[i] >= 'A' && name[i] <= 'Z' && name[i - 1] >= 'a' && name[i - 1] <= 'z') return true;
  }
  return false;
}

bool base_unit_of(std::string_view word, UnitMatch* out) {
  for (const UnitRow& row : kUnits) {
    std::string_view prefix;
    if (matches_unit(word, row, &prefix)) {
      out->unit = word;
      out->base = prefix.empty() ? row.base : row.unit;
      return true;
    }
  }
  return false;
}

bool find_metric_unit(std::string_view name, UnitMatch* out) {
  // metricUnits loops unit, then prefix, then word, and the first hit wins
  // ("milliseconds" over "seconds"). The same winner is the word whose
  // (unit row, prefix) pair comes first in table order, so one pass over the
  // words suffices instead of one per (unit, prefix) pair.
  constexpr std::size_t kNone = ~std::size_t{0};
  std::size_t best_row = kNone, best_prefix = kNone;
  std::string_view best_word;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('_', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view word = name.substr(start, end - start);
    start = end + 1;
    for (std::size_t r = 0; r < std::size(kUnits) && r <= best_row; ++r) {
      const std::string_view unit = kUnits[r].unit;
      if (word.size() < unit.size() || word.substr(word.size() - unit.size()) != unit) continue;
      std::string_view prefix = word.substr(0, word.size() - unit.size());
      for (std::size_t i = 0; i < std::size(kUnitPrefixes); ++i) {
        if (kUnitPrefixes[i] != prefix) continue;
        if (r < best_row || i < best_prefix) {
          best_row = r;
          best_prefix = i;
          best_word = word;
        }
        break;
      }
    }
  }
  if (best_row == kNone) return false;
  out->unit = best_word;
  out->base = kUnits[best_row].base;
  return true;
}

PromlintView promlint_view(const FamilyStat& f, Format format) {
  PromlintView v{f.name, f.type};
  if (format == Format::kText) {
    if (v.type == MetricType::kUnknown) v.type = MetricType::kUntyped;
    return v;
  }
  switch (f.type) {
    case MetricType::kCounter:
      if (!base::ends_with(v.name, "_total")) v.name += "_total";
      break;
    case MetricType::kInfo:
      if (!base::ends_with(v.name, "_info")) v.name += "_info";
      v.type = MetricType::kGauge;
      break;
    case MetricType::kStateSet: v.type = MetricType::kGauge; break;
    case MetricType::kGaugeHistogram: v.type = MetricType::kHistogram; break;
    case MetricType::kUnknown: v.type = MetricType::kUntyped; break;
    default: break;
  }
  return v;
}

namespace {

// Appends the problems of one family at its first line, as promlint names it.
struct PromlintOut {
  const FamilyStat& f;
  const PromlintView& v;
  std::vector<LintProblem>& out;

  LintProblem& add(std::string_view id, std::string message, std::uint64_t occurrences = 1) {
    LintProblem p;
    p.check_id = id;
    p.metric = v.name;
    p.message = std::move(message);
    p.pos = f.pos;
    p.line = f.line;
    p.promlint = true;
    p.occurrences = occurrences;
    out.push_back(std::move(p));
    return out.back();
  }
};

// lintCounter and lintHistogramSummaryReserved (names): the suffixes.
void lint_suffixes(PromlintOut& o) {
  const std::string_view n = o.v.name;
  const MetricType t = o.v.type;
  const bool untyped = t == MetricType::kUntyped;
  const bool counter = t == MetricType::kCounter;
  const bool histogram = t == MetricType::kHistogram;
  const bool summary = t == MetricType::kSummary;
  const bool total = base::ends_with(n, "_total");
  if (counter && !total) o.add(kCounterTotalSuffix, "counter metrics should have \"_total\" suffix");
  if (!untyped && !counter && total)
    o.add(kNonCounterTotalSuffix, "non-counter metrics should not have \"_total\" suffix");
  if (untyped) return;
  if (!histogram && base::ends_with(n, "_bucket")) {
    o.add(kReservedSuffix, "non-histogram metrics should not have \"_bucket\" suffix");
  }
  if (!histogram && !summary && base::ends_with(n, "_count")) {
    o.add(kReservedSuffix, "non-histogram and non-summary metrics should not have \"_count\" suffix");
  }
  if (!histogram && !summary && base::ends_with(n, "_sum")) {
    o.add(kReservedSuffix, "non-histogram and non-summary metrics should not have \"_sum\" suffix");
  }
}

// lintMetricTypeInName, lintReservedChars, lintCamelCase (metric name),
// lintUnitAbbreviations (one line per matching abbreviation).
void lint_name_words(PromlintOut& o) {
  const std::string_view n = o.v.name;
  const std::string ln = lower(n);
  for (std::string_view t : kTypeNames) {
    if (has_word(ln, t)) o.add(kTypeInName, "metric name should not include type '" + std::string(t) + "'");
  }
  if (n.find(':') != std::string_view::npos) o.add(kReservedChars, "metric names should not contain ':'");
  if (has_camel_case(n)) o.add(kCamelCase, "metric names should be written in 'snake_case' not 'camelCase'");
  std::uint64_t abbreviations = 0;
  for (std::string_view a : kUnitAbbreviations) {
    if (has_word(ln, a)) ++abbreviations;
  }
  if (abbreviations > 0) o.add(kAbbreviatedUnit, "metric names should not contain abbreviated units", abbreviations);
}

// Label lints: promlint prints one line per dto.Metric carrying the label;
// we report once per label name, at its first sample, with that count.
void lint_labels(PromlintOut& o) {
  const MetricType t = o.v.type;
  const bool untyped = t == MetricType::kUntyped;
  const bool histogram = t == MetricType::kHistogram;
  const bool summary = t == MetricType::kSummary;
  for (const LabelStat& l : o.f.labels) {
    if (!l.promlint_flagged || l.metrics == 0) continue;
    auto add_label = [&](std::string_view id, std::string message) {
      LintProblem& p = o.add(id, std::move(message), l.metrics);
      p.pos = l.first_pos;
      p.line = l.first_line;
    };
    if (!untyped && !histogram && l.name == "le") {
      add_label(kReservedLabel, "non-histogram metrics should not have \"le\" label");
    }
    if (!untyped && !summary && l.name == "quantile") {
      add_label(kReservedLabel, "non-summary metrics should not have \"quantile\" label");
    }
    if (has_camel_case(l.name)) {
      add_label(kCamelCase, "label names should be written in 'snake_case' not 'camelCase'");
    }
  }
}

}  // namespace

void run_promlint(const FamilyStat& f, Format format, std::vector<LintProblem>& out) {
  const PromlintView v = promlint_view(f, format);
  PromlintOut o{f, v, out};
  // lintHelp
  if (!f.has_help) o.add(kNoHelp, "no help text");
  // lintMetricUnits
  UnitMatch unit;
  if (find_metric_unit(v.name, &unit) && unit.unit != unit.base) {
    o.add(kBaseUnit, "use base unit " + quote(unit.base) + " instead of " + quote(unit.unit));
  }
  lint_suffixes(o);
  lint_name_words(o);
  // lintDuplicateMetric: one line per dto.Metric whose labels a later one repeats.
  if (f.duplicates > 0) {
    LintProblem& p = o.add(kMetricNotUnique, "metric not unique", f.duplicates);
    p.pos = f.duplicate_pos;
    p.line = f.duplicate_line;
  }
  lint_labels(o);
}

}  // namespace promvet::expfmt::detail
