#include "expfmt/text_rules.h"

#include <cmath>

#include <fmt/format.h>

namespace promvet::expfmt::parser_detail {

namespace {

constexpr std::size_t kGroupLineBytes = 512;

}  // namespace

void TextRules::switch_family(std::uint64_t family_id, const Position& pos, std::string_view family,
                              std::string_view line) {
  close_group();
  series_.clear();
  if (have_family_) left_.insert(family_);
  have_family_ = true;
  family_ = family_id;
  if (left_.contains(family_id) && reported_.insert(family_id))
    sink_.error(pos,
                fmt::format("lines of metric family {} resume after other families: the text format "
                            "wants a family's lines together (Prometheus reads them anyway)",
                            quote(family)),
                line, ids::kFamilyNotContiguous, kWarning);
}

void TextRules::on_metadata(std::string_view family, const Position& pos, std::string_view line) {
  const std::uint64_t id = hash_bytes(family);
  if (!have_family_ || id != family_) switch_family(id, pos, family, line);
}

void TextRules::on_sample(const Sample& s, std::uint64_t family_id, const Label* le, double le_value) {
  const std::uint64_t id = family_id;
  if (!have_family_ || id != family_) switch_family(id, s.pos, s.family, s.line);
  const bool histogram = s.type == MetricType::kHistogram || s.type == MetricType::kGaugeHistogram;
  const bool track_series = series_.size() < kMaxSeriesPerFamily;
  // Each label pair is hashed once (by the lexer): the series key and the
  // histogram's group key are sums over these, and the parser hands them on
  // to the handler (Sample::label_hashes) for the linter.
  if (s.label_hashes.size == s.labels.size) {
    pairs_ = s.label_hashes;
  } else {
    pair_hashes_.clear();
    for (const Label& l : s.labels) pair_hashes_.push_back(label_pair_hash(l));
    pairs_ = {pair_hashes_.data(), pair_hashes_.size()};
  }
  if (track_series) {
    // Order-independent over the labels, as {a="1",b="2"} and {b="2",a="1"}
    // are one series; a different timestamp makes a different sample.
    std::uint64_t h = hash_bytes(s.name, 0x7f4a7c15);
    for (std::uint64_t pair : pairs_) h += pair;
    if (s.has_timestamp) h ^= mix64(static_cast<std::uint64_t>(static_cast<std::int64_t>(s.timestamp)) + 0x9e37);
    if (!series_.insert(mix64(h)))
      sink_.error(
          s.pos,
          fmt::format("duplicate sample for series {}: Prometheus keeps the first and drops this one", quote(s.name)),
          s.line, ids::kDuplicateSeries);
  }
  if (s.type == MetricType::kCounter && s.value < 0)
    sink_.error(s.value_pos,
                fmt::format("counter {} is negative ({}): rate() and increase() read a decrease as a reset",
                            quote(s.name), s.value_text),
                s.line, ids::kNegativeCounter);
  if (histogram) histogram_sample(s, family_id, le, le_value);
}

void TextRules::histogram_sample(const Sample& s, std::uint64_t family_id, const Label* le, double le_value) {
  const std::string_view suffix = s.name.substr(s.family.size());
  std::uint64_t key = mix64(family_id ^ 0x51ed27);
  for (std::size_t i = 0; i < s.labels.size; ++i) {
    if (&s.labels[i] != le) key += pairs_[i];
  }
  if (!group_.open || key != group_.key) {
    close_group();
    group_ = Group{};
    group_.open = true;
    group_.key = key;
    group_.family.assign(s.family.data(), s.family.size());
    group_.gauge = s.type == MetricType::kGaugeHistogram;
    group_.pos = s.pos;
    group_.line.assign(s.line.data(), std::min(s.line.size(), kGroupLineBytes));
  }
  Group& g = group_;
  const double v = s.value;
  // As TextParser sorts them: "_count" and "_sum" by name, any other sample
  // with "le" is a bucket, a "_bucket" without "le" is dropped.
  if (suffix == "_count") {
    if (v < 0) {
      sink_.error(s.value_pos, fmt::format("negative count for histogram {}", quote(s.family)), s.line);
      return;
    }
    g.has_count = true;
    g.count = v;
    if (g.inf_seen) {
      g.count_checked = true;
      if (v != g.inf_value)
        sink_.error(s.value_pos,
                    fmt::format("{} {} differs from the \"+Inf\" bucket {}", quote(s.name), s.value_text, g.inf_value),
                    s.line, ids::kCountMismatch);
    }
    return;
  }
  if (suffix == "_sum") return;
  if (!le) {
    if (suffix == "_bucket")
      sink_.error(s.pos,
                  fmt::format("histogram bucket {} has no \"le\" label: Prometheus' parsers drop it", quote(s.name)),
                  s.line, ids::kBucketWithoutLe);
    return;
  }
  const double b = le_value;
  if (v < 0) {
    sink_.error(s.value_pos, fmt::format("negative bucket population for histogram {}", quote(s.family)), s.line);
    return;
  }
  if (g.has_bucket && b > g.last_le && v < g.last_value)
    sink_.error(s.value_pos,
                fmt::format("bucket le={} count {} is below the previous bucket's {}: bucket counts must be "
                            "cumulative (Prometheus drops such a histogram when converting it)",
                            quote(le->value), s.value_text, g.last_value),
                s.line, ids::kNonCumulativeBuckets);
  g.has_bucket = true;
  g.last_le = b;
  g.last_value = v;
  if (std::isinf(b) && b > 0) {
    g.inf_seen = true;
    g.inf_value = v;
    if (g.has_count && !g.count_checked) {
      g.count_checked = true;
      if (g.count != v)
        sink_.error(s.value_pos,
                    fmt::format("\"+Inf\" bucket {} differs from {}_count {}", s.value_text, g.family, g.count), s.line,
                    ids::kCountMismatch);
    }
  }
}

void TextRules::close_group() {
  Group& g = group_;
  if (!g.open) return;
  g.open = false;
  if (g.has_bucket && !g.inf_seen)
    sink_.error(g.pos,
                fmt::format("{} {} has buckets but no \"+Inf\" bucket, which the text format requires "
                            "(Prometheus ingests it; histogram_quantile() then answers NaN)",
                            g.gauge ? "gauge histogram" : "histogram", quote(g.family)),
                g.line, ids::kMissingInfBucket, kWarning);
}

}  // namespace promvet::expfmt::parser_detail
