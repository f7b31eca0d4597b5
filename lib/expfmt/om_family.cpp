#include "expfmt/om_family.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace promvet::expfmt::parser_detail {

namespace {

struct Suffixes {
  const std::string_view* data;
  std::size_t size;
};

constexpr std::string_view kCounter[] = {"_total", "_created"};
constexpr std::string_view kHistogram[] = {"_bucket", "_count", "_sum", "_created"};
constexpr std::string_view kGaugeHistogram[] = {"_gcount", "_gsum", "_bucket"};
constexpr std::string_view kSummary[] = {"", "_count", "_sum", "_created"};
constexpr std::string_view kInfo[] = {"_info"};
constexpr std::string_view kPlain[] = {""};

// Sample names a family of each type may use, as name suffixes.
Suffixes suffixes_for(MetricType t) {
  switch (t) {
    case MetricType::kCounter: return {kCounter, 2};
    case MetricType::kHistogram: return {kHistogram, 4};
    case MetricType::kGaugeHistogram: return {kGaugeHistogram, 3};
    case MetricType::kSummary: return {kSummary, 4};
    case MetricType::kInfo: return {kInfo, 1};
    default: return {kPlain, 1};
  }
}

bool parse_om_type(std::string_view w, MetricType& t) {
  if (w == "counter") t = MetricType::kCounter;
  else if (w == "gauge") t = MetricType::kGauge;
  else if (w == "histogram") t = MetricType::kHistogram;
  else if (w == "gaugehistogram") t = MetricType::kGaugeHistogram;
  else if (w == "summary") t = MetricType::kSummary;
  else if (w == "info") t = MetricType::kInfo;
  else if (w == "stateset") t = MetricType::kStateSet;
  else if (w == "unknown") t = MetricType::kUnknown;
  else return false;
  return true;
}

// Order-independent hash of one label, summed over a label set.
std::uint64_t label_hash(const Label& l) { return hash_pair(l.name, l.value); }


}  // namespace

bool OmFamilies::belongs(std::string_view name, std::string_view& suffix) const {
  if (name.size() < fam_.size() || name.compare(0, fam_.size(), fam_) != 0) return false;
  std::string_view rest = name.substr(fam_.size());
  Suffixes sx = suffixes_for(type_);
  for (std::size_t i = 0; i < sx.size; ++i) {
    if (rest == sx.data[i]) {
      suffix = sx.data[i];
      return true;
    }
  }
  return false;
}

void OmFamilies::start_family(std::string_view name, const Position& pos, std::string_view line) {
  end_family();
  active_ = true;
  fam_.assign(name.data(), name.size());
  type_ = MetricType::kUnknown;
  has_type_ = has_help_ = has_unit_ = has_samples_ = false;
  if (!reserved_.insert(hash_bytes(name)))
    sink_.error(pos,
                fmt::format("metric family {} clashes with an earlier family or its samples: "
                            "families must be contiguous and their names distinct{}",
                            quote(name), kPrometheusAccepts),
                line, kFamilyNotContiguous, kWarning);
}

void OmFamilies::end_family() {
  if (!active_) return;
  if (hist_open_) check_hist_group();
  hist_open_ = false;
  groups_.clear();
  series_.clear();
  in_group_ = false;
  active_ = false;
}

void OmFamilies::reserve_type_names(const Position& pos, std::string_view line) {
  Suffixes sx = suffixes_for(type_);
  for (std::size_t i = 0; i < sx.size; ++i) {
    if (sx.data[i].empty()) continue;
    name_scratch_.assign(fam_);
    name_scratch_.append(sx.data[i].data(), sx.data[i].size());
    if (!reserved_.insert(hash_bytes(name_scratch_))) {
      sink_.error(pos,
                  fmt::format("{} {} clashes with an earlier metric family named {}{}", metric_type_name(type_),
                              quote(fam_), quote(name_scratch_), kPrometheusAccepts),
                  line, kFamilyNotContiguous, kWarning);
      return;
    }
  }
}

void OmFamilies::on_comment(const CommentLine& c, const Position& pos, std::string_view line) {
  const Position name_pos = at_column(pos, c.name_col);
  if (!active_ || c.name != fam_) {
    start_family(c.name, name_pos, line);
  } else if (has_samples_) {
    sink_.error(name_pos, fmt::format("metadata for metric family {} after its samples", quote(c.name)), line);
    return;
  }
  Metadata m;
  m.family = c.name;
  m.text = c.text;
  m.pos = pos;
  m.line = line;
  switch (c.kind) {
    case CommentKind::kHelp:
      if (has_help_) {
        sink_.error(name_pos, fmt::format("second HELP line for metric family {}", quote(c.name)), line);
        return;
      }
      has_help_ = true;
      m.kind = Metadata::Kind::kHelp;
      break;
    case CommentKind::kType:
      if (!on_type(c, pos, line, m)) return;
      break;
    case CommentKind::kUnit:
      if (!on_unit(c, pos, line)) return;
      m.kind = Metadata::Kind::kUnit;
      break;
    default: return;
  }
  handler_.on_metadata(m);
}

// A TYPE line of the current family; false when it was reported instead.
bool OmFamilies::on_type(const CommentLine& c, const Position& pos, std::string_view line, Metadata& m) {
  const Position name_pos = at_column(pos, c.name_col);
  const Position text_pos = at_column(pos, c.text_col);
  if (has_type_) {
    sink_.error(name_pos, fmt::format("second TYPE line for metric family {}", quote(c.name)), line);
    return false;
  }
  MetricType t;
  if (!parse_om_type(c.text, t)) {
    sink_.error(text_pos,
                c.text == "untyped" ? std::string("unknown metric type \"untyped\": openmetrics calls it \"unknown\"")
                                    : fmt::format("unknown metric type {}", quote(c.text)),
                line);
    return false;
  }
  has_type_ = true;
  type_ = t;
  if (has_unit_ && (t == MetricType::kInfo || t == MetricType::kStateSet))
    sink_.error(text_pos, fmt::format("{} metric family {} must not have a UNIT", metric_type_name(t), quote(c.name)),
                line);
  reserve_type_names(name_pos, line);
  m.kind = Metadata::Kind::kType;
  m.type = t;
  return true;
}

// A UNIT line of the current family; false when it was reported instead.
bool OmFamilies::on_unit(const CommentLine& c, const Position& pos, std::string_view line) {
  const Position name_pos = at_column(pos, c.name_col);
  const Position text_pos = at_column(pos, c.text_col);
  if (has_unit_) {
    sink_.error(name_pos, fmt::format("second UNIT line for metric family {}", quote(c.name)), line);
    return false;
  }
  has_unit_ = true;
  if (type_ == MetricType::kInfo || type_ == MetricType::kStateSet) {
    sink_.error(name_pos,
                fmt::format("{} metric family {} must not have a UNIT", metric_type_name(type_), quote(c.name)), line);
    return false;
  }
  if (c.text.empty()) return true;
  if (!is_legacy_name(c.text, true) &&
      !(c.text[0] >= '0' && c.text[0] <= '9' && is_legacy_name(std::string("_").append(c.text), true))) {
    sink_.error(text_pos, fmt::format("invalid unit {}", quote(c.text)), line);
    return false;
  }
  std::string_view f = c.name;
  if (f.size() <= c.text.size() || f.substr(f.size() - c.text.size()) != c.text ||
      f[f.size() - c.text.size() - 1] != '_') {
    sink_.error(text_pos,
                fmt::format("unit {} is not a suffix of metric family name {}; "
                            "name it {}_{}",
                            quote(c.text), quote(c.name), c.name, c.text),
                line);
    return false;
  }
  return true;
}

void OmFamilies::track_group(const Sample& s, std::string_view suffix, std::uint32_t ts_col) {
  // A metric (group) is the label set without the label that tells its
  // points apart: "le" of buckets, "quantile" of summaries, the state.
  std::string_view special;
  if (suffix == "_bucket" && is_histogram(type_)) special = "le";
  else if (type_ == MetricType::kSummary && suffix.empty()) special = "quantile";
  else if (type_ == MetricType::kStateSet) special = fam_;
  std::uint64_t all = 0;
  std::uint64_t sp = 0;
  for (const Label& l : s.labels) {
    std::uint64_t h = label_hash(l);
    all += h;
    if (l.name == special) sp = h;
  }
  const std::uint64_t g = type_ == MetricType::kInfo ? 1 : mix64(all - sp + 0x51ed27);
  const Position ts_pos = at_column(s.pos, ts_col ? ts_col : static_cast<std::uint32_t>(s.line.size() + 1));
  const bool same = in_group_ && g == group_;
  if (same) {
    if (s.has_timestamp != group_has_ts_) {
      sink_.error(ts_pos,
                  fmt::format("metric {} mixes samples with and without timestamps{}", quote(fam_), kPrometheusAccepts),
                  s.line, kOpenMetricsStrict, kWarning);
    } else if (s.has_timestamp && s.timestamp < group_ts_ && type_ != MetricType::kInfo) {
      sink_.error(ts_pos, fmt::format("timestamp {} goes backwards within metric {}", s.timestamp, quote(fam_)),
                  s.line);
    }
  } else {
    if (in_group_ && !groups_.insert(g))
      sink_.error(s.pos,
                  fmt::format("labels of {} reappear after another label set: samples of "
                              "one metric must be contiguous{}",
                              quote(s.name), kPrometheusAccepts),
                  s.line, kOpenMetricsStrict, kWarning);
    if (!in_group_) groups_.insert(g);
  }
  if (is_histogram(type_)) {
    bool new_group = !same || s.has_timestamp != group_has_ts_ || (s.has_timestamp && s.timestamp != group_ts_);
    if (new_group || !hist_open_) {
      if (hist_open_) check_hist_group();
      std::string keep;
      keep.swap(hist_.line);
      hist_ = HistGroup{};
      hist_.line.swap(keep);
      hist_.line.assign(s.line.data(), std::min<std::size_t>(s.line.size(), 512));
      hist_.pos = s.pos;
      hist_open_ = true;
    }
    histogram_sample(s, suffix);
  }
  if (!s.has_timestamp) {
    std::uint64_t series = mix64(all + hash_bytes(s.name, 0x7f4a7c15));
    if (!series_.insert(series))
      sink_.error(s.pos, fmt::format("duplicate sample for series {}", quote(s.name)), s.line, ids::kDuplicateSeries);
  }
  in_group_ = true;
  group_ = g;
  group_has_ts_ = s.has_timestamp;
  group_ts_ = s.timestamp;
}

void OmFamilies::on_sample(Sample& s, std::uint32_t ts_col) {
  std::string_view suffix;
  if (!active_ || !belongs(s.name, suffix)) {
    bool related = active_ && s.name.size() >= fam_.size() && s.name.compare(0, fam_.size(), fam_) == 0;
    if (related && reserved_.contains(hash_bytes(s.name))) {
      sink_.error(s.pos,
                  fmt::format("sample name {} is not valid in {} metric family {}{}", quote(s.name),
                              metric_type_name(type_), quote(fam_), kPrometheusAccepts),
                  s.line, kOpenMetricsStrict, kWarning);
      end_family();
      active_ = true;  // keep reporting against a fresh family of that name
      fam_.assign(s.name.data(), s.name.size());
      type_ = MetricType::kUnknown;
      has_type_ = has_help_ = has_unit_ = false;
    } else {
      start_family(s.name, s.pos, s.line);
    }
    suffix = std::string_view();
  }
  has_samples_ = true;
  s.family = s.name.substr(0, fam_.size());
  s.type = type_;
  check_values(s, suffix);
  track_group(s, suffix, ts_col);
  handler_.on_sample(s);
}

}  // namespace promvet::expfmt::parser_detail
