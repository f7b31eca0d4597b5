#include "inventory/inventory.h"

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "expfmt/parser.h"

namespace promvet::inventory {
namespace {

bool known(expfmt::MetricType t) { return t != expfmt::MetricType::kUnknown && t != expfmt::MetricType::kUntyped; }

void add_sorted_unique(std::vector<std::string>& v, const std::string& s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it == v.end() || *it != s) v.insert(it, s);
}

struct SuffixRule {
  std::string_view suffix;
  std::array<expfmt::MetricType, 3> types;  // family types that own the suffix (kUnknown pads)
};

using T = expfmt::MetricType;
constexpr std::array<SuffixRule, 8> kSuffixes = {{
    {"_bucket", {T::kHistogram, T::kGaugeHistogram, T::kUnknown}},
    {"_sum", {T::kHistogram, T::kSummary, T::kUnknown}},
    {"_count", {T::kHistogram, T::kSummary, T::kUnknown}},
    {"_gsum", {T::kGaugeHistogram, T::kUnknown, T::kUnknown}},
    {"_gcount", {T::kGaugeHistogram, T::kUnknown, T::kUnknown}},
    {"_total", {T::kCounter, T::kUnknown, T::kUnknown}},
    {"_created", {T::kCounter, T::kHistogram, T::kSummary}},
    {"_info", {T::kInfo, T::kUnknown, T::kUnknown}},
}};

}  // namespace

const Family* Inventory::find(std::string_view family) const {
  auto it = families_.find(family);
  return it == families_.end() ? nullptr : &it->second;
}

const Family* Inventory::find_series(std::string_view series_name, std::string* family_name) const {
  auto it = families_.find(series_name);
  if (it == families_.end()) {
    for (const SuffixRule& rule : kSuffixes) {
      if (!base::has_stem_and_suffix(series_name, rule.suffix)) continue;
      auto base = families_.find(series_name.substr(0, series_name.size() - rule.suffix.size()));
      if (base == families_.end()) continue;
      for (expfmt::MetricType t : rule.types) {
        if (t != T::kUnknown && base->second.type == t) {
          it = base;
          break;
        }
      }
      if (it != families_.end()) break;
    }
  }
  if (it == families_.end()) return nullptr;
  if (family_name) *family_name = it->first;
  return &it->second;
}

Family* Inventory::family(std::string_view name) {
  auto it = families_.find(name);
  if (it != families_.end()) return &it->second;
  if (families_.size() >= limits_.max_families) {
    truncated_ = true;
    return nullptr;
  }
  return &families_.emplace(std::string(name), Family{}).first->second;
}

LabelValues* Inventory::label(Family& f, std::string_view name) {
  auto it = f.labels.find(name);
  if (it != f.labels.end()) return &it->second;
  if (f.labels.size() >= limits_.max_labels_per_family) {
    truncated_ = true;
    return nullptr;
  }
  return &f.labels.emplace(std::string(name), LabelValues{}).first->second;
}

void Inventory::add_label_value(Family& f, std::string_view label_name, std::string_view value, std::uint64_t series) {
  LabelValues* lv = label(f, label_name);
  if (!lv) return;
  auto v = lv->values.find(value);
  if (v != lv->values.end()) {
    v->second += series;
  } else if (lv->values.size() < limits_.max_label_values) {
    lv->values.emplace(std::string(value), series);
  } else {
    lv->capped = true;
  }
}

void Inventory::add_series(Family& f, const std::vector<std::pair<std::string_view, std::string_view>>& labels) {
  ++f.series;
  for (const auto& [name, value] : labels) add_label_value(f, name, value, 1);
}

void Inventory::add_source(Source s) { sources_.push_back(std::move(s)); }

void Inventory::set_help(Family& f, std::string_view help) {
  f.help = std::string(help.substr(0, limits_.max_help_bytes));
}

void Inventory::merge(const Inventory& other) {
  if (&other == this) {  // sources_ would grow while it is read
    Inventory copy = other;
    merge(copy);
    return;
  }
  for (const auto& [name, theirs] : other.families_) {
    Family* f = family(name);
    if (!f) continue;
    if (!known(f->type) && theirs.type != T::kUnknown && (f->type == T::kUnknown || known(theirs.type)))
      f->type = theirs.type;
    if (f->unit.empty()) f->unit = theirs.unit;
    if (f->help.empty()) set_help(*f, theirs.help);
    f->series += theirs.series;
    for (const auto& [label_name, theirs_lv] : theirs.labels) {
      LabelValues* lv = label(*f, label_name);
      if (!lv) continue;
      lv->capped = lv->capped || theirs_lv.capped;
      for (const auto& [value, count] : theirs_lv.values) add_label_value(*f, label_name, value, count);
    }
    for (const std::string& s : theirs.sources) add_sorted_unique(f->sources, s);
  }
  for (const Source& s : other.sources_) sources_.push_back(s);
  truncated_ = truncated_ || other.truncated_;
}

InventoryBuilder::InventoryBuilder(Inventory& inventory, Source source)
    : inventory_(inventory), source_(std::move(source)) {}

void InventoryBuilder::on_metadata(const expfmt::Metadata& m) {
  Family* f = inventory_.family(m.family);
  if (!f) return;
  add_sorted_unique(f->sources, source_.name);
  switch (m.kind) {
    case expfmt::Metadata::Kind::kType: f->type = m.type; break;
    case expfmt::Metadata::Kind::kHelp: inventory_.set_help(*f, m.text); break;
    case expfmt::Metadata::Kind::kUnit: f->unit = std::string(m.text.substr(0, 256)); break;
  }
}

void InventoryBuilder::on_sample(const expfmt::Sample& s) {
  ++source_.samples;
  Family* f = inventory_.family(s.family);
  if (!f) return;
  if (!known(f->type) && (known(s.type) || f->type == T::kUnknown)) f->type = s.type;
  add_sorted_unique(f->sources, source_.name);
  scratch_.clear();
  // As Prometheus does with honor_labels: false, a target label wins and the exposed label of the
  // same name is kept as exported_<name>.
  std::vector<std::string> renamed;
  for (const expfmt::Label& l : s.labels) {
    if (source_.target_labels.count(std::string(l.name))) {
      renamed.push_back("exported_" + std::string(l.name));
      continue;
    }
    scratch_.emplace_back(l.name, l.value);
  }
  size_t r = 0;
  for (const expfmt::Label& l : s.labels)
    if (source_.target_labels.count(std::string(l.name))) scratch_.emplace_back(renamed[r++], l.value);
  for (const auto& [name, value] : source_.target_labels) scratch_.emplace_back(name, value);
  inventory_.add_series(*f, scratch_);
}

void InventoryBuilder::on_error(const expfmt::Diagnostic&) { ++source_.errors; }

void InventoryBuilder::finish(expfmt::Format format) {
  source_.format = std::string(expfmt::format_name(format));
  inventory_.add_source(source_);
}

Inventory build_from_text(std::string_view text, const Source& source, Limits limits,
                          std::optional<expfmt::Format> format) {
  Inventory inv(limits);
  expfmt::ParserOptions po;
  po.format = format ? *format
                     : expfmt::detect_format("", text.substr(0, 64 * 1024),
                                             text.substr(text.size() > 4096 ? text.size() - 4096 : 0));
  InventoryBuilder b(inv, source);
  expfmt::Parser p(po, b);
  p.feed(text);
  p.finish();
  b.finish(po.format);
  return inv;
}

std::optional<expfmt::MetricType> type_from_name(std::string_view name) {
  if (name.empty()) return T::kUnknown;
  for (T t : {T::kUnknown, T::kCounter, T::kGauge, T::kHistogram, T::kGaugeHistogram, T::kSummary, T::kInfo,
              T::kStateSet, T::kUntyped})
    if (expfmt::metric_type_name(t) == name) return t;
  return std::nullopt;
}

}  // namespace promvet::inventory
