#pragma once
// Metadata packs: the metric families of one widely deployed exporter (name, type, unit, label
// names, the exporter version they were seen in), as bundled in metadata/ and read by
// checks::BuiltinMetadata. Facts only, no help texts. Format (docs/metadata.md):
//
//   # promvet metadata pack 1
//   # pack: postgres_exporter
//   # any other comment line
//   pg_locks_count<TAB>gauge<TAB><TAB>datname,mode<TAB>0.11.1
//   ...
//   # end: 412 families
//
// One family per line, five tab-separated fields, names sorted. The end line carries the count,
// so a truncated pack is an error, never a silently shorter one. Nothing here throws.
//
//   ReadPack r = parse_metadata_pack("metadata/node_exporter.tsv", text);
//   if (!r.pack) std::cerr << r.error;  // "metadata/node_exporter.tsv:12: expected 5 fields ..."
//   std::string text = to_metadata_pack(inventory, "node_exporter", "1.5.0");
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expfmt/events.h"

namespace promvet::inventory {

class Inventory;

inline constexpr std::string_view kPackHeader = "# promvet metadata pack 1";
inline constexpr std::size_t kMaxPackBytes = 16u << 20;  // a pack larger than this is refused
inline constexpr std::size_t kMaxPackFamilies = 200000;

struct PackFamily {
  std::string_view name;
  expfmt::MetricType type = expfmt::MetricType::kUnknown;
  std::string_view unit;
  std::string_view labels;   // label names, comma-separated, sorted
  std::string_view version;  // of the exporter the family was seen in
};

struct MetadataPack {
  std::string name;                         // from the `# pack:` line
  std::string path;                         // the file it was read from
  std::shared_ptr<const std::string> text;  // owns the bytes the PackFamily views point into
  std::vector<PackFamily> families;
};

struct ReadPack {
  std::optional<MetadataPack> pack;
  std::string error;  // "path:line: message"; empty on success
};

ReadPack parse_metadata_pack(std::string path, std::string text);

// The pack of an inventory's families; each family gets `version`. Families are written in the
// inventory's (sorted) order with their label names; help texts and label values are dropped.
std::string to_metadata_pack(const Inventory& inventory, std::string_view pack, std::string_view version);

// Whether `name` is a valid pack name: [a-z0-9_.-]+, as used in file names.
bool valid_pack_name(std::string_view name);

}  // namespace promvet::inventory
