#include "checks/builtin_metadata.h"

#include "inventory/bundled_packs.h"
#include "io/bounded_read.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace promvet::checks {

FamilyType to_family_type(expfmt::MetricType t) {
  switch (t) {
    case expfmt::MetricType::kCounter: return FamilyType::Counter;
    case expfmt::MetricType::kGauge: return FamilyType::Gauge;
    case expfmt::MetricType::kHistogram: return FamilyType::Histogram;
    case expfmt::MetricType::kGaugeHistogram: return FamilyType::GaugeHistogram;
    case expfmt::MetricType::kSummary: return FamilyType::Summary;
    case expfmt::MetricType::kInfo: return FamilyType::Info;
    case expfmt::MetricType::kStateSet: return FamilyType::StateSet;
    case expfmt::MetricType::kUnknown:
    case expfmt::MetricType::kUntyped: return FamilyType::Unknown;
  }
  return FamilyType::Unknown;
}

LoadedMetadata BuiltinMetadata::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  LoadedMetadata out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    out.error = dir + ": not a directory of metadata packs";
    return out;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".tsv") files.push_back(it->path());
  if (ec) {
    out.error = dir + ": " + ec.message();
    return out;
  }
  std::sort(files.begin(), files.end());
  std::vector<inventory::MetadataPack> packs;
  std::size_t families = 0;
  for (const fs::path& p : files) {
    std::string text, error;
    if (!io::read_file(p.string(), inventory::kMaxPackBytes, &text, &error)) {
      out.error = error;
      return out;
    }
    inventory::ReadPack r = inventory::parse_metadata_pack(p.string(), std::move(text));
    if (!r.pack) {
      out.error = r.error;
      return out;
    }
    families += r.pack->families.size();
    packs.push_back(std::move(*r.pack));
  }
  BuiltinMetadata m;
  m.index_.reserve(families);  // one allocation of the index instead of a rehash per pack
  for (inventory::MetadataPack& p : packs) m.add(std::move(p));
  out.metadata.emplace(std::move(m));
  return out;
}

BuiltinMetadata BuiltinMetadata::bundled() {
  namespace bundled = inventory::bundled;
  BuiltinMetadata m;
  m.packs_.reserve(bundled::pack_count());
  for (std::size_t i = 0; i < bundled::pack_count(); ++i) {
    auto p = std::make_unique<Pack>();
    p->name_ = bundled::pack_name(i);
    p->path_ = bundled::pack_path(i);
    p->first_ = bundled::pack_first(i);
    p->size_ = bundled::pack_size(i);
    m.packs_.push_back(std::move(p));
  }
  m.bundled_ = true;
  m.bundled_families_ = bundled::distinct_family_count();
  return m;
}

inventory::PackFamily BuiltinMetadata::Pack::family(std::size_t i) const {
  return owned_ ? owned_->families[i] : inventory::bundled::family(first_ + i);
}

void BuiltinMetadata::add(inventory::MetadataPack pack) {
  auto p = std::make_unique<Pack>();
  p->owned_ = std::make_unique<inventory::MetadataPack>(std::move(pack));
  p->name_ = p->owned_->name;
  p->path_ = p->owned_->path;
  p->size_ = p->owned_->families.size();
  packs_.push_back(std::move(p));
  const Pack* added = packs_.back().get();
  // No reserve() here: libstdc++ rehashes to a smaller table when asked for less than it has.
  if (index_.bucket_count() * index_.max_load_factor() < index_.size() + added->size_)
    index_.reserve(index_.size() + added->size_);
  const std::vector<inventory::PackFamily>& families = added->owned_->families;
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (bundled_ && inventory::bundled::find(families[i].name)) continue;  // a bundled pack came first
    index_.emplace(families[i].name, Where{added, i});
  }
}

std::optional<BuiltinMetadata::Entry> BuiltinMetadata::find(std::string_view family) const {
  if (bundled_) {
    if (std::optional<std::size_t> i = inventory::bundled::find(family))
      return Entry{inventory::bundled::family(*i), packs_[inventory::bundled::pack_of(*i)].get()};
  }
  auto it = index_.find(family);
  if (it == index_.end()) return std::nullopt;
  return Entry{it->second.pack->family(it->second.i), it->second.pack};
}

std::optional<FamilyType> BuiltinMetadata::type_of_family(std::string_view family) const {
  std::optional<Entry> e = find(family);
  if (!e) return std::nullopt;
  FamilyType t = to_family_type(e->family.type);
  if (t == FamilyType::Unknown) return std::nullopt;
  return t;
}

std::string BuiltinMetadata::where(std::string_view family) const {
  std::optional<Entry> e = find(family);
  if (!e) return {};
  return std::string(e->pack->name()) + " " + std::string(e->family.version);
}

}  // namespace promvet::checks
