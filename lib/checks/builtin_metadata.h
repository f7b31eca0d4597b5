#pragma once
// Bundled metadata of widely deployed exporters (metadata/*.tsv, docs/metadata.md), as a
// TypeSource for MetricTypes: it answers between the user's inventory and the file's own usage,
// and only for types. It never says a metric is unknown: the packs list what exporters expose,
// not what exists.
//
//   BuiltinMetadata m = BuiltinMetadata::bundled();   // compiled in at build time: no I/O, no parse
//   LoadedMetadata l = BuiltinMetadata::load_dir(dir);  // or packs read at run time ($PROMVET_METADATA_DIR)
//   if (!l.metadata) error(l.error);                    // names the bad file
//   MetricTypes types(expressions, inventory, &m);
//
// A family listed in several packs keeps the first (packs in file-name order). The bundled packs
// are looked up by binary search in the program's read-only table (inventory/bundled_packs.h);
// packs read at run time keep their text and are indexed in a hash table.
// Thread-safety: const after loading.
#include <cstddef>
#include <iterator>
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
  // One pack: its name, the file it came from and its families in name order, given by value
  // (views into the program's table or the pack's text, valid as long as the BuiltinMetadata).
  class Pack {
   public:
    std::string_view name() const { return name_; }
    std::string_view path() const { return path_; }
    bool built_in() const { return !owned_; }  // compiled in, not read at run time
    std::size_t size() const { return size_; }
    inventory::PackFamily family(std::size_t i) const;

    class Iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = inventory::PackFamily;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = inventory::PackFamily;
      Iterator(const Pack* pack, std::size_t i) : pack_(pack), i_(i) {}
      inventory::PackFamily operator*() const { return pack_->family(i_); }
      Iterator& operator++() {
        ++i_;
        return *this;
      }
      bool operator==(const Iterator& o) const { return i_ == o.i_; }
      bool operator!=(const Iterator& o) const { return i_ != o.i_; }

     private:
      const Pack* pack_;
      std::size_t i_;
    };
    struct Families {
      const Pack* pack;
      Iterator begin() const { return Iterator(pack, 0); }
      Iterator end() const { return Iterator(pack, pack->size()); }
      std::size_t size() const { return pack->size(); }
    };
    Families families() const { return Families{this}; }

   private:
    friend class BuiltinMetadata;
    std::string_view name_, path_;
    std::size_t size_ = 0;
    std::size_t first_ = 0;                           // built in: its first family in the table
    std::unique_ptr<inventory::MetadataPack> owned_;  // read at run time
  };

  struct Entry {
    inventory::PackFamily family;
    const Pack* pack = nullptr;
  };

  BuiltinMetadata() = default;
  BuiltinMetadata(const BuiltinMetadata&) = delete;
  BuiltinMetadata& operator=(const BuiltinMetadata&) = delete;
  BuiltinMetadata(BuiltinMetadata&&) noexcept = default;
  BuiltinMetadata& operator=(BuiltinMetadata&&) noexcept = default;

  // The packs compiled into the program (lib/inventory/metadata/*.tsv as of the build).
  static BuiltinMetadata bundled();
  // Every *.tsv file of `dir`, in name order. A directory that does not exist is an error.
  static LoadedMetadata load_dir(const std::string& dir);
  // Adds a parsed pack after the others (tests, and load_dir).
  void add(inventory::MetadataPack pack);

  // The exact family, or nullopt.
  std::optional<Entry> find(std::string_view family) const;
  std::optional<FamilyType> type_of_family(std::string_view family) const override;
  // "postgres_exporter 0.11.1" for messages.
  std::string where(std::string_view family) const override;

  const std::vector<std::unique_ptr<Pack>>& packs() const { return packs_; }      // stable addresses for Entry
  std::size_t family_count() const { return bundled_families_ + index_.size(); }  // distinct names

 private:
  struct Where {
    const Pack* pack;
    std::size_t i;
  };
  std::vector<std::unique_ptr<Pack>> packs_;
  bool bundled_ = false;                               // packs_ starts with the compiled-in packs
  std::size_t bundled_families_ = 0;                   // their distinct names
  std::unordered_map<std::string_view, Where> index_;  // names only packs read at run time have
};

struct LoadedMetadata {
  std::optional<BuiltinMetadata> metadata;
  std::string error;  // "path:line: message" naming the bad pack
};

FamilyType to_family_type(expfmt::MetricType t);  // kUnknown/kUntyped give FamilyType::Unknown

}  // namespace promvet::checks
