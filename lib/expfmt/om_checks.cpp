// OmFamilies' per-type value rules and histogram group checks.
#include <cmath>

#include <fmt/format.h>

#include "expfmt/om_family.h"

namespace promvet::expfmt::parser_detail {

const Label* OmFamilies::find_label(const Sample& s, std::string_view name) const {
  for (const Label& l : s.labels)
    if (l.name == name) return &l;
  return nullptr;
}

bool OmFamilies::parse_bound(const Sample& s, const Label& l, double& out) {
  // Infinity must be written "+Inf"/"-Inf" in le and quantile (corpus
  // bad_histograms_12 rejects "+INF").
  if (!parse_float(l.value, out) || std::isnan(out) || (std::isinf(out) && l.value != "+Inf" && l.value != "-Inf")) {
    sink_.error(
        l.pos, fmt::format("invalid {} label value {}: expected a float, infinity as \"+Inf\"", l.name, quote(l.value)),
        s.line);
    return false;
  }
  return true;
}

void OmFamilies::check_values(const Sample& s, std::string_view suffix) {
  const double v = s.value;
  auto counter_like = [&](const char* what) {
    if (std::isnan(v) || v < 0)
      sink_.error(
          s.value_pos,
          fmt::format("{} {} must be non-negative and not NaN, got {}", what, quote(s.name), quote(s.value_text)),
          s.line,
          // Prometheus' OpenMetrics parser takes a negative counter
          // and rate() reads it as a reset.
          type_ == MetricType::kCounter && v < 0 ? ids::kNegativeCounter : ids::kInvalid);
  };
  if (s.has_exemplar &&
      !((type_ == MetricType::kCounter && suffix == "_total") || (is_histogram(type_) && suffix == "_bucket")))
    sink_.error(s.exemplar.pos,
                fmt::format("exemplar on {} sample {}: only counter \"_total\" and histogram "
                            "\"_bucket\" samples may have exemplars{}",
                            metric_type_name(type_), quote(s.name), kPrometheusAccepts),
                s.line, kOpenMetricsStrict, kWarning);
  switch (type_) {
    case MetricType::kCounter:
      if (suffix == "_total") counter_like("counter");
      break;
    case MetricType::kInfo:
      if (v != 1)
        sink_.error(s.value_pos, fmt::format("info metric value must be 1, got {}", quote(s.value_text)), s.line);
      break;
    case MetricType::kStateSet:
      if (!find_label(s, fam_))
        sink_.error(s.pos,
                    fmt::format("stateset sample {} has no label {}{}", quote(s.name), quote(fam_), kPrometheusAccepts),
                    s.line, kOpenMetricsStrict, kWarning);
      if (v != 0 && v != 1)
        sink_.error(s.value_pos, fmt::format("stateset value must be 0 or 1, got {}", quote(s.value_text)), s.line);
      break;
    case MetricType::kSummary:
      if (suffix.empty()) {
        const Label* q = find_label(s, "quantile");
        double qv = 0;
        if (!q) {
          sink_.error(s.pos, fmt::format("summary sample {} has no \"quantile\" label", quote(s.name)), s.line);
        } else if (parse_bound(s, *q, qv) && (qv < 0 || qv > 1)) {
          sink_.error(q->pos, fmt::format("quantile {} is outside [0, 1]", quote(q->value)), s.line);
        }
        if (v < 0)
          sink_.error(s.value_pos,
                      fmt::format("summary quantile value must not be negative, got {}", quote(s.value_text)), s.line);
      } else if (suffix == "_count" || suffix == "_sum") {
        counter_like("summary");
      }
      break;
    case MetricType::kHistogram:
    case MetricType::kGaugeHistogram:
      if (suffix == "_bucket" || suffix == "_count" || suffix == "_gcount" ||
          (suffix == "_sum" && type_ == MetricType::kHistogram))
        counter_like(type_ == MetricType::kHistogram ? "histogram" : "gaugehistogram");
      else if (suffix == "_gsum" && std::isnan(v))
        sink_.error(s.value_pos, fmt::format("gaugehistogram {} must not be NaN", quote(s.name)), s.line);
      break;
    default: break;
  }
}

void OmFamilies::check_hist_group() {
  HistGroup& g = hist_;
  const bool gauge = type_ == MetricType::kGaugeHistogram;
  const char* count = gauge ? "_gcount" : "_count";
  const char* sum = gauge ? "_gsum" : "_sum";
  std::string msg;
  std::string_view id = ids::kInvalid;
  base::Severity severity = base::Severity::kError;
  if (!g.inf_seen) {
    msg = fmt::format("{} {} has no \"+Inf\" bucket", metric_type_name(type_), quote(fam_));
    id = ids::kMissingInfBucket;
  } else if (g.has_count && g.count != g.inf_value && !g.count_reported) {
    msg = fmt::format("{}{} does not match the \"+Inf\" bucket", fam_, count);
    id = ids::kCountMismatch;
  } else if ((g.has_sum || g.has_gsum) && !g.has_count) {
    msg = fmt::format("{}{} is present without {}{}{}", fam_, sum, fam_, count, kPrometheusAccepts);
    id = kOpenMetricsStrict;
    severity = kWarning;
  } else if (g.has_count && !(g.has_sum || g.has_gsum)) {
    msg = fmt::format("{}{} is present without {}{}{}", fam_, count, fam_, sum, kPrometheusAccepts);
    id = kOpenMetricsStrict;
    severity = kWarning;
  } else if (g.negative_bucket && g.has_sum) {
    msg = fmt::format("histogram {} has negative buckets and must not have \"_sum\"", quote(fam_));
  } else if (!g.negative_bucket && g.negative_gsum) {
    msg = fmt::format("gaugehistogram {} has a negative \"_gsum\" without negative buckets", quote(fam_));
  }
  if (!msg.empty()) sink_.error(g.pos, std::move(msg), g.line, id, severity);
}

void OmFamilies::histogram_sample(const Sample& s, std::string_view suffix) {
  HistGroup& g = hist_;
  const double v = s.value;
  if (suffix == "_bucket") {
    const Label* le = find_label(s, "le");
    double b = 0;
    if (!le) {
      sink_.error(s.pos, fmt::format("histogram bucket {} has no \"le\" label", quote(s.name)), s.line,
                  ids::kBucketWithoutLe);
      return;
    }
    if (!parse_bound(s, *le, b)) return;
    if (g.have_le && b <= g.last_le) {
      sink_.error(le->pos,
                  fmt::format("bucket le={} is not above the previous bucket: buckets must be "
                              "sorted by \"le\" ascending",
                              quote(le->value)),
                  s.line);
    } else if (g.have_le && v < g.last_value) {
      sink_.error(s.value_pos,
                  fmt::format("bucket le={} count {} is below the previous bucket: bucket "
                              "counts must be cumulative",
                              quote(le->value), quote(s.value_text)),
                  s.line, ids::kNonCumulativeBuckets);
    }
    g.have_le = true;
    g.last_le = b;
    g.last_value = v;
    if (b < 0) g.negative_bucket = true;
    if (std::isinf(b) && b > 0) {
      g.inf_seen = true;
      g.inf_value = v;
    }
  } else if (suffix == "_count" || suffix == "_gcount") {
    g.has_count = true;
    g.count = v;
    if (g.inf_seen && v != g.inf_value) {
      g.count_reported = true;
      sink_.error(
          s.value_pos,
          fmt::format("{} {} does not match the \"+Inf\" bucket {}", quote(s.name), quote(s.value_text), g.inf_value),
          s.line, ids::kCountMismatch);
    }
  } else if (suffix == "_sum") {
    g.has_sum = true;
  } else if (suffix == "_gsum") {
    g.has_gsum = true;
    if (v < 0) g.negative_gsum = true;
  }
}

}  // namespace promvet::expfmt::parser_detail
