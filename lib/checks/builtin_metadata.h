#pragma once
// Bundled metadata of widely deployed exporters (metadata/*.tsv, docs/metadata.md), as a
// TypeSource for MetricTypes: it answers between the user's inventory and the file's own usage,
// and only for types. It never says a metric is unknown: the packs list what exporters expose,
// not what exists.
//
//   LoadedMetadata m = BuiltinMetadata::load_dir(dir);  // the CLI finds dir (tools/promvet/data_dirs.h)
//   if (!m.metadata) error(m.error);            // names the bad file
//   MetricTypes types(expressions, inventory, &*m.metadata);
//
// A family listed in several packs keeps the first (packs in file-name order). Loading reads
// each pack whole and indexes it; the text stays in memory (views point into it).
// Thread-safety: const after loading.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checks/metric_types.h"
#include "inventory/metadata_pack.h"

namespace promvet::checks {

struct LoadedMetadata;

class BuiltinMetadata final : public TypeSource {
 public:
  struct Entry {
    const inventory::PackFamily* family = nullptr;
    const inventory::MetadataPack* pack = nullptr;
  };

  BuiltinMetadata() = default;
  BuiltinMetadata(const BuiltinMetadata&) = delete;
  BuiltinMetadata& operator=(const BuiltinMetadata&) = delete;
  BuiltinMetadata(BuiltinMetadata&&) noexcept = default;
  BuiltinMetadata& operator=(BuiltinMetadata&&) noexcept = default;

  // Every *.tsv file of `dir`, in name order. A directory that does not exist is an error.
  static LoadedMetadata load_dir(const std::string& dir);
  // Adds a parsed pack (tests, and load_dir).
  void add(inventory::MetadataPack pack);

  // The exact family, or nullopt.
  std::optional<Entry> find(std::string_view family) const;
  std::optional<MetricType> type_of_family(std::string_view family) const override;
  // "postgres_exporter 0.11.1" for messages.
  std::string where(std::string_view family) const override;

  const std::vector<std::unique_ptr<inventory::MetadataPack>>& packs() const { return packs_; }
  std::size_t family_count() const { return index_.size(); }

 private:
  std::vector<std::unique_ptr<inventory::MetadataPack>> packs_;  // stable addresses for Entry
  std::unordered_map<std::string_view, Entry> index_;
};

struct LoadedMetadata {
  std::optional<BuiltinMetadata> metadata;
  std::string error;  // "path:line: message" naming the bad pack
};

MetricType to_metric_type(expfmt::MetricType t);  // kUnknown/kUntyped give MetricType::Unknown

}  // namespace promvet::checks
