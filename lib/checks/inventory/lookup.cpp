#include "checks/inventory/lookup.h"

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "sources/grafana_vars.h"

namespace promvet::checks::inventory_lookup {

bool recorded_in_file(const FileContext& file, std::string_view name) { return file.recording_rule(name) != nullptr; }

bool scrape_time_label(const inventory::Inventory& inv, std::string_view label) {
  if (label != "job" && label != "instance") return false;
  if (inv.sources().empty()) return true;
  for (const inventory::Source& s : inv.sources())
    if (s.kind != "prometheus-api") return true;
  return false;
}

size_t edit_distance(std::string_view a, std::string_view b, size_t max) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max) return max + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    // Cells farther than `max` from the diagonal cannot be within `max`.
    size_t lo = i > max ? i - max : 1, hi = std::min(b.size(), i + max);
    if (lo > 1) cur[lo - 1] = max + 1;
    for (size_t j = lo; j <= hi; ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      size_t del = (j < i + max ? prev[j] : max + 1) + 1;
      size_t ins = cur[j - 1] + 1;
      cur[j] = std::min({sub, del, ins});
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < b.size()) cur[hi + 1] = max + 1;
    if (row_min > max) return max + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], max + 1);
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  // Any two one- or two-letter words are one or two edits apart: no guess for those.
  if (word.size() < 3) return {};
  size_t max = std::min<size_t>(3, std::max<size_t>(1, word.size() / 5));
  std::string best;
  size_t best_distance = max + 1;
  for (const std::string& c : candidates) {
    if (c == word) continue;
    size_t d = edit_distance(word, c, best_distance > 0 ? best_distance - 1 : 0);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::vector<std::string> queryable_names(const inventory::Inventory& inv) {
  using T = expfmt::MetricType;
  std::vector<std::string> out;
  for (const auto& [name, f] : inv.families()) {
    switch (f.type) {
      case T::kCounter: out.push_back(base::ends_with(name, "_total") ? name : name + "_total"); break;
      case T::kHistogram:
      case T::kGaugeHistogram:
        for (const char* s : {"_bucket", "_sum", "_count"}) out.push_back(name + s);
        break;
      case T::kSummary:
        out.push_back(name);
        for (const char* s : {"_sum", "_count"}) out.push_back(name + s);
        break;
      case T::kInfo: out.push_back(base::ends_with(name, "_info") ? name : name + "_info"); break;
      default: out.push_back(name);
    }
  }
  return out;
}

bool from_variable(const sources::Expression& e, promql::Range r) {
  return sources::expanded_from_variable(e, r.begin, r.end);
}

promql::Range metric_name_range(const promql::VectorSelector& s) {
  if (!s.name.empty()) return s.name_range;
  for (const promql::Matcher& m : s.matchers)
    if (m.name == "__name__" || m.bare_name) return m.bare_name ? m.range : m.value_range;
  return s.range;
}

bool metric_from_variable(const sources::Expression& e, const promql::VectorSelector& s) {
  return !s.metric_name().empty() && from_variable(e, metric_name_range(s));
}

std::string quoted_list(const std::vector<std::string>& items, size_t max) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + quote(items[i]);
  if (items.size() > max) out += ", …";
  return out;
}

}  // namespace promvet::checks::inventory_lookup
