#pragma once
// The layout of the table metadata_pack_compiler writes (bundled_packs_data.cpp in the build tree)
// and bundled_packs.cpp reads. Offsets, not pointers: the table needs no relocation when the
// program starts, stays in read-only pages, and only the pages a lookup touches are ever read.
#include <cstddef>
#include <cstdint>

namespace promvet::inventory::bundled::data {

struct Text {
  std::uint32_t offset;  // into kPool
  std::uint32_t size;
};

struct Pack {
  Text name;
  Text path;
  std::uint32_t first;  // its first family in kFamilies
  std::uint32_t size;
};

struct Family {
  Text name;
  Text unit;
  Text labels;
  Text version;
  std::uint8_t type;  // expfmt::MetricType
};

extern const char kPool[];  // every distinct string once
extern const std::size_t kPoolSize;
extern const Pack kPacks[];
extern const std::size_t kPackCount;
extern const Family kFamilies[];
extern const std::size_t kFamilyCount;
extern const std::uint32_t kByName[];  // distinct names, sorted: the kFamilies entry of the first pack
extern const std::size_t kByNameCount;

}  // namespace promvet::inventory::bundled::data
