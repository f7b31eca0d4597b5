#include "checks/builtin_metadata.h"

#include "io/bounded_read.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace promvet::checks {

MetricType to_metric_type(expfmt::MetricType t) {
  switch (t) {
    case expfmt::MetricType::kCounter: return MetricType::Counter;
    case expfmt::MetricType::kGauge: return MetricType::Gauge;
    case expfmt::MetricType::kHistogram: return MetricType::Histogram;
    case expfmt::MetricType::kGaugeHistogram: return MetricType::GaugeHistogram;
    case expfmt::MetricType::kSummary: return MetricType::Summary;
    case expfmt::MetricType::kInfo: return MetricType::Info;
    case expfmt::MetricType::kStateSet: return MetricType::StateSet;
    case expfmt::MetricType::kUnknown:
    case expfmt::MetricType::kUntyped: return MetricType::Unknown;
  }
  return MetricType::Unknown;
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

void BuiltinMetadata::add(inventory::MetadataPack pack) {
  packs_.push_back(std::make_unique<inventory::MetadataPack>(std::move(pack)));
  const inventory::MetadataPack* p = packs_.back().get();
  // No reserve() here: libstdc++ rehashes to a smaller table when asked for less than it has.
  if (index_.bucket_count() * index_.max_load_factor() < index_.size() + p->families.size())
    index_.reserve(index_.size() + p->families.size());
  for (const inventory::PackFamily& f : p->families) index_.emplace(f.name, Entry{&f, p});
}

std::optional<BuiltinMetadata::Entry> BuiltinMetadata::find(std::string_view family) const {
  auto it = index_.find(family);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::optional<MetricType> BuiltinMetadata::type_of_family(std::string_view family) const {
  std::optional<Entry> e = find(family);
  if (!e) return std::nullopt;
  MetricType t = to_metric_type(e->family->type);
  if (t == MetricType::Unknown) return std::nullopt;
  return t;
}

std::string BuiltinMetadata::where(std::string_view family) const {
  std::optional<Entry> e = find(family);
  if (!e) return {};
  return e->pack->name + " " + std::string(e->family->version);
}

}  // namespace promvet::checks
